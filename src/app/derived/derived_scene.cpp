#include "app/derived/derived_scene.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/io/limits.h"
#include "core/models/plane_surface.h"
#include "core/analysis/particle_cloud.h"
#include "core/surfaces/surface_registry.h"
#include "ui/views/data_view.h"
#include "ui/overlays/particle_cloud.h"
#include "ui/overlays/step_glyphs.h"

namespace optiviz::app {

FileStamp stamp_of(const std::string& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::is_regular_file(status)) return {};
    FileStamp stamp;
    stamp.exists = true;
    stamp.size = std::filesystem::file_size(path, error);
    const auto modified = std::filesystem::last_write_time(path, error);
    if (!error)
        stamp.modified_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch()).count();
    return stamp;
}

SurfaceKey surface_key(const Scene& scene) {
    SurfaceKey key{scene.surface, {}, scene.surface_params, {}, {}};
    if (scene.surface == models::kModelSurface) return key;  // its pictures carry a revision (update_model)
    if (find_surface(scene.surface).takes_expression) key.expression = scene.expression;
    if (find_surface(scene.surface).needs_data) {
        key.data = scene.data;
        if (scene.data.kind == DatasetChoice::Kind::File) key.file = stamp_of(scene.data.path);
    }
    return key;
}

namespace {

// A data surface whose points cost a pass over the rows (logistic) bounds the scene's work by
// rows x steps (core/io/limits.h), before any of it starts; mini-batches read their batch.
void check_data_work(const Scene& scene, double rows, double cost, bool minibatches) {
    double particle_steps = 0, read = 0;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) {
        const RunSpec& run = scene.runs[i];
        // Every step's loss is recorded on all rows; a mini-batch adds its gradient's rows to that pass.
        const double batch = cost + (run.config.batch_size > 0 && minibatches
                                         ? std::min(rows, static_cast<double>(run.config.batch_size)) : 0.0);
        const double steps = (static_cast<double>(scene.steps) + 1.0) * (1.0 + ui::cloud_of_run(scene, i).particles);
        particle_steps += steps;
        read += steps * batch;
    }
    if (particle_steps > 0)
        limits::check_data_work(cost > 1 ? rows : 0, particle_steps, read / particle_steps,
                                scene.surface + " on " + std::to_string(static_cast<long long>(rows)) + " rows");
}

void check_data_work(const Scene& scene, const LossSurface& surface) {
    check_data_work(scene, static_cast<double>(surface.row_count()), static_cast<double>(surface.cost_per_point()),
                    surface.supports_minibatches());
}

}  // namespace

BuiltSurface build_surface(const Scene& scene) {
    BuiltSurface built;
    if (scene.surface == models::kModelSurface) {  // flat until the runs' plane is computed (ModelScene)
        models::validate_model_choice(scene.model);
        built.surface = std::make_shared<models::PlaneSurface>(models::flat_plane_grid());
        return built;
    }
    const SurfaceInfo& info = find_surface(scene.surface);
    // Synthetic rows for a surface that reads them all at every point (logistic): the work is known
    // from the row count before the rows are drawn (10⁷ of them took seconds and 350 MB to refuse).
    if (info.binary_labels && scene.data.kind == DatasetChoice::Kind::Synthetic) {
        const auto rows = static_cast<double>(scene.data.synthetic.rows);
        check_data_work(scene, rows, rows, true);
    }
    if (info.needs_data) {
        DatasetChoice raw = scene.data;
        raw.standardize = false;
        built.original = std::make_shared<const Dataset>(raw.load(info.binary_labels));
        built.data = scene.data.standardize ? std::make_shared<const Dataset>(standardize(*built.original)) : built.original;
        built.data_bounds = ui::data_bounds(*built.original);
        built.standardization = standardization_of(*built.original);
    }
    try {
        built.surface = make_surface(scene.surface, scene.surface_params, built.data, scene.expression);
    } catch (const std::invalid_argument& e) {
        // Data the surface cannot use (labels other than 0/1): say which file it came from.
        if (scene.data.kind == DatasetChoice::Kind::File && info.needs_data)
            throw std::invalid_argument(scene.data.path + ": " + e.what());
        throw;
    }
    if (info.needs_data) check_data_work(scene, *built.surface);
    return built;
}

RunConfig run_config(const Scene& scene, std::size_t run) {
    RunConfig config = scene.runs[run].config;
    config.steps = scene.steps;
    // Only the run showing step glyphs records its optimizer's state: recording costs about as much
    // again as the run itself.
    const auto glyphs = ui::step_glyphs(scene);
    config.record_state = glyphs && static_cast<std::size_t>(glyphs->run) == run;
    return config;
}

template <class A, class K>
void DerivedScene::match(std::vector<std::unique_ptr<A>>& artifacts, const std::vector<K>& keys) {
    if (artifacts.size() == keys.size()) return;
    std::vector<std::unique_ptr<A>> old = std::move(artifacts);
    artifacts.clear();
    for (const K& key : keys) {
        auto same = std::find_if(old.begin(), old.end(), [&](const std::unique_ptr<A>& a) {
            return a && a->requested_key() && *a->requested_key() == key;
        });
        if (same != old.end()) {
            artifacts.push_back(std::move(*same));
        } else {
            artifacts.push_back(std::make_unique<A>());
        }
    }
}

bool DerivedScene::update_model(const Scene& scene) {
    if (!model_) model_ = std::make_unique<ModelScene>();
    const bool started = model_->update(scene);
    if (model_->revision() != model_revision_shown_ && model_->surface()) {
        model_revision_shown_ = model_->revision();
        SurfaceKey key = surface_key(scene);
        key.params["revision"] = ++model_pictures_;  // a new picture: caches keyed by value redraw
        BuiltSurface built;
        built.surface = model_->surface();
        surface_.set(key, std::move(built));
    }
    const std::shared_ptr<const LossSurface> surface = surface_.value()->surface;
    runs_.resize(scene.runs.size());
    clouds_.resize(scene.runs.size());
    for (std::size_t i = 0; i < scene.runs.size(); ++i) {
        if (!runs_[i]) runs_[i] = std::make_unique<RunArtifact>();
        if (!clouds_[i]) clouds_[i] = std::make_unique<CloudArtifact>();
        const Trajectory* path = model_->path(i);
        if (!path) {
            runs_[i]->clear();
        } else {
            const RunKey key{surface, *model_->config(i), scene.start, nullptr};
            // The same settings can show more rows (a run training again grows on the plane shown).
            if (runs_[i]->value_key() != key || model_->paths_version() != model_paths_shown_) runs_[i]->set(key, *path);
        }
        clouds_[i]->clear();
    }
    model_paths_shown_ = model_->paths_version();
    return started;
}

bool DerivedScene::update(const Scene& scene) {
    if (scene.surface == models::kModelSurface) return update_model(scene);
    if (model_) {  // left the model surface: its work is not wanted (and would keep busy() true)
        model_.reset();
        model_revision_shown_ = 0;
        model_paths_shown_ = 0;
    }
    surface_.poll();
    const SurfaceKey key = surface_key(scene);
    bool started =
        surface_.request(key, [scene](const std::atomic<bool>&, std::atomic<long>&) { return build_surface(scene); }, 0,
                         Priority::Interactive);
    if (started) ++surface_builds_;
    if (!surface_.value()) return started;  // nothing to run on yet
    const std::shared_ptr<const LossSurface> surface = surface_.value()->surface;

    std::vector<RunKey> run_keys;
    std::vector<CloudKey> cloud_keys;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) {
        if (const auto& imported = scene.runs[i].imported.path) {
            run_keys.push_back({surface, RunConfig{}, {0, 0}, imported});
            cloud_keys.push_back({run_keys.back(), 0, 0});
            continue;
        }
        run_keys.push_back({surface, run_config(scene, i), scene.start, nullptr});
        // The cloud follows its run's settings and the particle-cloud module's, nothing else (the
        // glyphs' state recording is the run's alone).
        RunKey cloud_run = run_keys.back();
        cloud_run.config.record_state = false;
        const ui::RunCloud cloud = ui::cloud_of_run(scene, i);
        cloud_keys.push_back({cloud_run, cloud.particles, cloud.spread});
    }
    match(runs_, run_keys);
    match(clouds_, cloud_keys);
    for (std::size_t i = 0; i < run_keys.size(); ++i) {
        runs_[i]->poll();
        const RunKey& k = run_keys[i];
        started = runs_[i]->request(k, [k](const std::atomic<bool>& cancel, std::atomic<long>&) {
            if (k.imported) return imported_trajectory(*k.imported, *k.surface);
            limits::check_trajectory_memory(k.config.steps, 1, "the run");
            return run_trajectory(*k.surface, k.config, k.start, &cancel);
        }, 0, Priority::Interactive) || started;  // the paths follow the slider before anything else
        clouds_[i]->poll();
        const CloudKey& c = cloud_keys[i];
        if (c.count == 0) {  // most runs have no cloud: no thread for nothing
            if (clouds_[i]->requested_key() != c) clouds_[i]->set(c, {});
            continue;
        }
        // The cloud is one batched ensemble on its own job (never this thread): cancelled when its key
        // changes, progress in finished particles.
        started = clouds_[i]->request(c, [c](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
            limits::check_trajectory_memory(c.run.config.steps, c.count, "the cloud");
            return run_cloud(*c.run.surface, c.run.config, c.run.start, c.count, c.spread, &cancel, &progress);
        }, c.count) || started;
    }
    return started;
}

void DerivedScene::settle(std::chrono::steady_clock::duration budget) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    auto left = [&] { return std::max(deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero()); };
    surface_.wait_for(left());
    if (model_) model_->settle(left());
    for (auto& run : runs_) run->wait_for(left());
    for (auto& cloud : clouds_) cloud->wait_for(left());
}

void DerivedScene::wait() {
    const auto forever = std::chrono::hours(24 * 365);
    surface_.wait_for(forever);
    if (model_) model_->wait();
    for (auto& run : runs_) run->wait_for(forever);
    for (auto& cloud : clouds_) cloud->wait_for(forever);
}

void DerivedScene::set_surface(const Scene& scene, BuiltSurface built) {
    surface_.set(surface_key(scene), std::move(built));
    ++surface_builds_;
}

bool DerivedScene::busy() const {
    if (surface_.pending() || (model_ && model_->busy())) return true;
    for (const auto& run : runs_)
        if (run->pending()) return true;
    for (const auto& cloud : clouds_)
        if (cloud->pending()) return true;
    return false;
}

std::size_t DerivedScene::threads() const {
    std::size_t count = surface_.threads() + (model_ ? model_->threads() : 0);
    for (const auto& run : runs_) count += run->threads();
    for (const auto& cloud : clouds_) count += cloud->threads();
    return count;
}

}  // namespace optiviz::app
