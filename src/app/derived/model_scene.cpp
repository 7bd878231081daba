#include "app/derived/model_scene.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/derived/derived_scene.h"
#include "core/io/limits.h"
#include "core/models/plane_surface.h"
#include "core/models/snapshot_log.h"

namespace optiviz::app {

namespace {

constexpr int kCoarseGrid = 17;  // the first picture
constexpr int kRefinement = 4;   // then (17 − 1)·4 + 1 = 65 a side
constexpr double kMaxRunBytes = 512.0 * 1024 * 1024;

// The data depend on the choice without its plane: another plane keeps the data and the runs.
models::ModelChoice data_part(models::ModelChoice choice) {
    choice.plane.clear();
    choice.plane_seed = 0;
    return choice;
}

// Refused before a run starts: a run keeps every step's parameters for the projection, and its
// work (every row's loss and gradient each step) is bounded as `optiviz train`'s.
void check_run_size(const RunConfig& config, const models::ModelData& data) {
    const models::Network& network = data.network;
    if (config.steps > models::kMaxModelSteps)
        throw std::invalid_argument("a model run takes at most " + std::to_string(models::kMaxModelSteps) + " steps, got " +
                                    std::to_string(config.steps));
    const double bytes = static_cast<double>(config.steps + 1) * static_cast<double>(network.parameter_count()) * 8.0;
    if (bytes > kMaxRunBytes)
        throw std::invalid_argument("the run keeps every step's parameters: " + std::to_string(config.steps) + " steps × " +
                                    std::to_string(network.parameter_count()) + " parameters is over 512 MB");
    const double rows = static_cast<double>(data.train.rows() + (data.has_test() ? data.test.rows() : 0) + config.batch_size);
    limits::check_training_work(rows, static_cast<double>(network.parameter_count()), config.steps, 0.0);
}

// Every k-th row of each run (and its last), at most about kPcaRows rows in all.
std::vector<double> pca_rows(const std::vector<std::shared_ptr<const models::TrainingResult>>& runs, std::size_t d) {
    std::size_t total = 0;
    for (const auto& run : runs) total += run->snapshot_rows.size();
    const std::size_t stride = std::max<std::size_t>(1, (total + kPcaRows - 1) / kPcaRows);
    std::vector<double> rows;
    for (const auto& run : runs) {
        const std::size_t n = run->snapshot_rows.size();
        for (std::size_t t = 0; t < n; ++t)
            if (t % stride == 0 || t + 1 == n)
                rows.insert(rows.end(), run->snapshots.begin() + static_cast<long>(t * d),
                            run->snapshots.begin() + static_cast<long>((t + 1) * d));
    }
    return rows;
}

ModelPlane compute_plane(const ModelPlaneKey& key, const std::atomic<bool>& cancel) {
    if (key.runs.empty()) throw std::invalid_argument("no run trained, so there is no plane to show");
    const models::PlaneKind kind = models::parse_plane_kind(key.plane);
    // Runs that diverged leave the PCA and the frame to the others (a path off to 1e7 would make the
    // plane its own and the other paths a dot); they are still projected and drawn, leaving the picture.
    std::vector<std::shared_ptr<const models::TrainingResult>> fit;
    for (const auto& run : key.runs)
        if (run->outcome != Outcome::Diverged) fit.push_back(run);
    if (fit.empty() || kind == models::PlaneKind::ThreePoints) fit = key.runs;
    ModelPlane out;
    if (key.data) out.plane = model_plane(key.data->network, key.data->initial, fit, kind, key.plane_seed);
    else out.plane = models::pca_plane(pca_rows(fit, fit[0]->parameters.size()), fit[0]->parameters.size());
    std::vector<models::PlaneProjection> all;
    for (const auto& run : key.runs) {
        out.paths.push_back(models::project_rows(out.plane, run->snapshots));
        if (std::find(fit.begin(), fit.end(), run) != fit.end())
            all.insert(all.end(), out.paths.back().begin(), out.paths.back().end());
    }
    const ViewRect rect = models::plane_rect(all, 0.25, kind == models::PlaneKind::Random ? 1.0 : 0.0);
    if (!key.data) {  // logged paths alone: a flat picture under them
        auto flat = std::make_shared<models::PlaneGrid>();
        flat->rect = rect;
        flat->resolution = 2;
        flat->values.assign(4, 0.0);
        out.grid = flat;
        return out;
    }
    const models::ModelData& data = *key.data;
    const models::PlaneLoss loss(data.network, out.plane, data.train);
    out.grid = std::make_shared<const models::PlaneGrid>(models::plane_grid(loss, rect, kCoarseGrid, &cancel));
    return out;
}

}  // namespace

models::ParameterPlane model_plane(const models::Network& network, std::span<const double> initial,
                                   const std::vector<std::shared_ptr<const models::TrainingResult>>& runs,
                                   models::PlaneKind kind, std::uint64_t seed) {
    switch (kind) {
        case models::PlaneKind::Pca: return models::pca_plane(pca_rows(runs, network.parameter_count()), network.parameter_count());
        case models::PlaneKind::Random:
            if (runs.empty()) throw std::invalid_argument("the random plane needs a run that trained");
            return models::random_plane(network, runs[0]->parameters, seed);
        case models::PlaneKind::ThreePoints:
            if (runs.size() < 2) throw std::invalid_argument("the three-point plane needs two runs that trained");
            return models::three_point_plane(initial, runs[0]->parameters, runs[1]->parameters);
    }
    throw std::invalid_argument("unknown plane");
}

Trajectory projected_trajectory(const models::TrainingResult& result, const std::vector<models::PlaneProjection>& path) {
    Trajectory t;
    const std::size_t rows = std::min(result.rows(), path.size());
    for (std::size_t k = 0; k < rows; ++k) {
        t.x.push_back(path[k].a);
        t.y.push_back(path[k].b);
        t.loss.push_back(result.loss[k]);
        t.gx.push_back(result.grad_norm[k]);
        t.gy.push_back(0.0);
    }
    t.outcome = result.outcome;
    t.converged_step = result.converged_step;
    t.diverged_step = result.diverged_step;
    t.stop_reason = result.stop_reason;
    t.stopped_step = result.stopped_step;
    t.lr = result.lr;
    t.evaluations = result.evaluations;
    return t;
}

void LiveRows::publish(const models::TrainingResult& result) {
    auto copy = std::make_shared<const models::TrainingResult>(result);
    const std::lock_guard<std::mutex> lock(mutex);
    rows = std::move(copy);
}

std::shared_ptr<const models::TrainingResult> LiveRows::latest() const {
    const std::lock_guard<std::mutex> lock(mutex);
    return rows;
}

bool ModelScene::update(const Scene& scene) {
    if (!scene.model.snapshots.empty()) return update_logged(scene);
    data_.poll();
    const models::ModelChoice choice = data_part(scene.model);
    bool started = data_.request(
        choice, [choice](const std::atomic<bool>&, std::atomic<long>&) { return models::build_model_data(choice); }, 0,
        Priority::Interactive);
    while (runs_.size() < scene.runs.size()) runs_.push_back(std::make_unique<RunSlot>());
    runs_.resize(scene.runs.size());
    if (!data_.up_to_date()) return started;
    const std::shared_ptr<const models::ModelData> data = data_.value();

    ModelPlaneKey plane_key{data, {}, {}, {}, scene.model.plane, scene.model.plane_seed};
    bool runs_ready = true;
    for (std::size_t i = 0; i < runs_.size(); ++i) {
        RunSlot& slot = *runs_[i];
        slot.artifact.poll();
        RunConfig config = run_config(scene, i);
        config.record_state = false;
        const ModelRunKey key{data, config};
        if (slot.artifact.requested_key() != key) {
            slot.config = config;
            slot.live.reset();  // the old settings' rows never show again
            slot.shown.reset();
            slot.projections.clear();
            // Back to settings whose rows are held, by the run's artifact (when the moved run had not
            // finished) or by the plane shown (when it had): no training, whatever the timing.
            if (slot.artifact.value_key() == key) slot.artifact.request(key, {}, 0);
            else if (auto rows = plane_rows(i, key)) slot.artifact.set_shared(key, std::move(rows));
            else started = start_run(slot, key) || started;
        }
        if (slot.artifact.up_to_date()) {
            plane_key.runs.push_back(slot.artifact.value());
            plane_key.run_index.push_back(i);
            plane_key.configs.push_back(config);
        } else if (slot.artifact.error().empty()) {
            runs_ready = false;
        }
    }
    if (runs_ready) started = request_plane(plane_key) || started;
    for (std::size_t i = 0; i < runs_.size(); ++i) refresh_fresh_rows(i);
    return started;
}

bool ModelScene::start_run(RunSlot& slot, const ModelRunKey& key) {
    std::shared_ptr<models::Trainer> trainer;
    try {
        check_run_size(key.config, *key.data);
        models::TrainingOptions options;
        options.snapshot_every = 1;
        trainer = std::make_shared<models::Trainer>(key.data->network, key.data->train,
                                                    key.data->has_test() ? &key.data->test : nullptr, key.config,
                                                    key.data->initial, options);
    } catch (const std::exception& e) {
        const std::string message = e.what();
        return slot.artifact.request(key, [message](const std::atomic<bool>&, std::atomic<long>&) -> models::TrainingResult {
            throw std::invalid_argument(message);
        }, 0, Priority::Interactive);
    }
    // The frame of the slider move shows the first rows of the new settings.
    const auto deadline = std::chrono::steady_clock::now() + kFirstRowsBudget;
    bool done = trainer->advance(1);
    while (!done && std::chrono::steady_clock::now() < deadline) done = trainer->advance(1);
    if (done) {
        slot.artifact.set(key, std::move(*trainer).take());
        return false;
    }
    slot.live = std::make_shared<LiveRows>();
    slot.live->publish(trainer->result());
    const std::shared_ptr<LiveRows> live = slot.live;
    return slot.artifact.request(key, [key, trainer, live](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
        auto published = std::chrono::steady_clock::now();
        while (!trainer->advance(1, &cancel)) {
            progress = static_cast<long>(trainer->result().rows());
            if (std::chrono::steady_clock::now() - published >= kRowsPublishInterval) {
                live->publish(trainer->result());
                published = std::chrono::steady_clock::now();
            }
        }
        return std::move(*trainer).take();
    }, trainer->total_rows(), Priority::Interactive);
}

bool ModelScene::fresh(std::size_t run) const {
    if (run >= runs_.size() || !published_plane_) return false;
    const RunSlot& slot = *runs_[run];
    const auto k = held(run);
    return !k || plane_key()->configs[*k] != slot.config || !slot.artifact.up_to_date();
}

void ModelScene::refresh_fresh_rows(std::size_t run) {
    RunSlot& slot = *runs_[run];
    std::shared_ptr<const models::TrainingResult> rows;
    if (fresh(run)) rows = slot.artifact.up_to_date() ? slot.artifact.value() : (slot.live ? slot.live->latest() : nullptr);
    if (rows == slot.shown && (!rows || slot.shown_on == published_plane_)) return;
    // Projections are kept while the same run's rows grow on the same plane (a new run clears them
    // in update()).
    if (slot.shown_on != published_plane_ || !rows) slot.projections.clear();
    slot.shown = rows;
    slot.shown_on = published_plane_;
    ++paths_version_;
    if (!rows) return;
    // Rows already projected are the same rows (a run's rows only grow), so only the new ones are.
    const std::size_t d = published_plane_->plane.dimension();
    const std::size_t known = std::min(slot.projections.size(), rows->snapshot_rows.size());
    slot.projections.resize(known);
    const std::span<const double> added(rows->snapshots.data() + known * d, rows->snapshots.size() - known * d);
    const std::vector<models::PlaneProjection> more = models::project_rows(published_plane_->plane, added);
    slot.projections.insert(slot.projections.end(), more.begin(), more.end());
    slot.path = projected_trajectory(*rows, slot.projections);
    slot.test_path = slot.path;
    slot.test_path.loss = rows->test_loss;
}

bool ModelScene::request_plane(const ModelPlaneKey& plane_key) {
    plane_.poll();
    fine_.poll();
    // Back to the plane shown (a slider moved back while a newer plane was computed): hold the shown
    // one again rather than computing it a second time.
    if (published_key_ && *published_key_ == plane_key && plane_.value_key() != plane_key) {
        plane_.set_shared(plane_key, published_plane_);
        if (published_grid_ != published_plane_->grid) fine_.set_shared(plane_key, published_grid_);
    }
    bool started = plane_.request(plane_key, [plane_key](const std::atomic<bool>& cancel, std::atomic<long>&) {
        return compute_plane(plane_key, cancel);
    });
    if (plane_.up_to_date() && plane_key.data) {
        const std::shared_ptr<const ModelPlane> coarse = plane_.value();
        started = fine_.request(plane_key, [plane_key, coarse](const std::atomic<bool>& cancel, std::atomic<long>&) {
            const models::PlaneLoss loss(plane_key.data->network, coarse->plane, plane_key.data->train);
            return models::refine_plane_grid(loss, *coarse->grid, kRefinement, &cancel);
        }, 0, Priority::Background) || started;
    }
    publish();
    return started;
}

bool ModelScene::update_logged(const Scene& scene) {
    std::string key;
    for (const std::string& path : scene.model.snapshots) {
        const FileStamp stamp = stamp_of(path);
        key += path + '\n' + std::to_string(stamp.size) + '\n' + std::to_string(stamp.modified_ns) + '\n';
    }
    key += scene.model.dataset + '\n' + scene.model.model + '\n' + scene.model.loss;
    logs_.poll();
    const models::ModelChoice choice = scene.model;
    bool started = logs_.request(key, [choice](const std::atomic<bool>&, std::atomic<long>&) { return load_logged_runs(choice); },
                                 0, Priority::Interactive);
    if (!logs_.up_to_date()) return started;
    const std::shared_ptr<const LoggedRuns> logs = logs_.value();
    ModelPlaneKey plane_key{logs->data, logs->runs, {}, {}, "pca", 0};
    for (std::size_t i = 0; i < logs->runs.size() && i < scene.runs.size(); ++i) {
        plane_key.run_index.push_back(i);
        plane_key.configs.push_back(run_config(scene, i));
    }
    plane_key.runs.resize(plane_key.run_index.size());
    return request_plane(plane_key) || started;
}

LoggedRuns load_logged_runs(const models::ModelChoice& choice) {
    LoggedRuns out;
    std::vector<models::SnapshotLog> logs;
    for (const std::string& path : choice.snapshots) {
        logs.push_back(models::load_snapshot_log(path));
        if (logs.back().dimension != logs.front().dimension)
            throw std::invalid_argument(logs.back().source + " has " + std::to_string(logs.back().dimension) + " parameters, " +
                                        logs.front().source + " " + std::to_string(logs.front().dimension) +
                                        ": they are not the same model");
    }
    if (models::evaluates_loss(choice)) {
        auto data = std::make_shared<models::ModelData>(models::build_model_data(choice));
        if (data->network.parameter_count() != logs.front().dimension)
            throw std::invalid_argument(logs.front().source + ": " + std::to_string(logs.front().dimension) + " parameters, but " +
                                        choice.model + " on " + choice.dataset + " has " +
                                        std::to_string(data->network.parameter_count()));
        out.data = data;
    }
    for (const models::SnapshotLog& log : logs) {
        auto r = std::make_shared<models::TrainingResult>();
        r->snapshots = log.parameters;
        r->snapshot_rows = log.steps;
        bool known = true;
        for (std::size_t t = 0; t < log.rows(); ++t) {
            const std::span<const double> theta(log.parameters.data() + t * log.dimension, log.dimension);
            if (out.data) {
                r->loss.push_back(out.data->network.loss(theta, {&out.data->train.x, &out.data->train.y}));
                if (out.data->has_test()) r->test_loss.push_back(out.data->network.loss(theta, {&out.data->test.x, &out.data->test.y}));
            } else {
                r->loss.push_back(std::isfinite(log.loss[t]) ? log.loss[t] : 1.0);  // no loss logged: a flat line
                known = known && std::isfinite(log.loss[t]);
            }
            r->grad_norm.push_back(0.0);
        }
        r->parameters.assign(log.parameters.end() - static_cast<long>(log.dimension), log.parameters.end());
        out.runs.push_back(std::move(r));
        out.loss_known.push_back(known);
    }
    return out;
}

void ModelScene::publish() {
    const std::shared_ptr<const ModelPlane>& shown = plane_.value();
    if (!shown) return;
    std::shared_ptr<const models::PlaneGrid> grid = shown->grid;
    if (fine_.value() && fine_.value_key() == plane_.value_key()) grid = fine_.value();
    if (shown == published_plane_ && grid == published_grid_) return;
    published_plane_ = shown;
    published_grid_ = grid;
    surface_ = std::make_shared<models::PlaneSurface>(grid);
    paths_.clear();
    test_paths_.clear();
    published_key_ = plane_.value_key();
    const ModelPlaneKey& key = *published_key_;
    for (std::size_t k = 0; k < key.runs.size(); ++k) {
        paths_.push_back(projected_trajectory(*key.runs[k], shown->paths[k]));
        test_paths_.push_back(paths_.back());
        test_paths_.back().loss = key.runs[k]->test_loss;
    }
    ++revision_;
    ++paths_version_;
}

void ModelScene::settle(std::chrono::steady_clock::duration budget) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    auto left = [&] { return std::max(deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero()); };
    data_.wait_for(left());
    logs_.wait_for(left());
    for (auto& run : runs_) run->artifact.wait_for(left());
    plane_.wait_for(left());
    fine_.wait_for(left());
}

void ModelScene::wait() {
    const auto forever = std::chrono::hours(24 * 365);
    data_.wait_for(forever);
    logs_.wait_for(forever);
    for (auto& run : runs_) run->artifact.wait_for(forever);
    plane_.wait_for(forever);
    fine_.wait_for(forever);
}

bool ModelScene::busy() const {
    bool pending = data_.pending() || logs_.pending() || plane_.pending() || fine_.pending();
    for (const auto& run : runs_) pending = pending || run->artifact.pending();
    return pending;
}

std::size_t ModelScene::threads() const {
    std::size_t count = data_.threads() + logs_.threads() + plane_.threads() + fine_.threads();
    for (const auto& run : runs_) count += run->artifact.threads();
    return count;
}

std::optional<std::size_t> ModelScene::held(std::size_t run) const {
    const ModelPlaneKey* key = plane_key();
    if (!key || !published_plane_) return std::nullopt;
    const auto it = std::find(key->run_index.begin(), key->run_index.end(), run);
    if (it == key->run_index.end()) return std::nullopt;
    return static_cast<std::size_t>(it - key->run_index.begin());
}

std::shared_ptr<const models::TrainingResult> ModelScene::plane_rows(std::size_t run, const ModelRunKey& key) const {
    const ModelPlaneKey* plane = plane_key();
    const auto k = held(run);
    if (!plane || !k || plane->data != key.data || plane->configs[*k] != key.config) return nullptr;
    return plane->runs[*k];
}

ModelScene::Progress ModelScene::progress(std::size_t run) const {
    Progress p;
    if (run >= runs_.size()) return p;
    const RunSlot& slot = *runs_[run];
    p.total = slot.config.steps + 1;
    p.training = slot.artifact.pending() && !slot.artifact.up_to_date();
    // The rows shown: the fresh ones while the plane is not through them, else the whole run's.
    if (slot.shown) p.rows = static_cast<long>(slot.shown->rows());
    else if (slot.artifact.up_to_date()) p.rows = static_cast<long>(slot.artifact.value()->rows());
    return p;
}

std::optional<ModelScene::Logged> ModelScene::logged(std::size_t run) const {
    if (!logs_.up_to_date()) return std::nullopt;
    const LoggedRuns& logs = *logs_.value();
    if (run >= logs.runs.size() || logs.runs[run]->snapshot_rows.empty()) return std::nullopt;
    const std::vector<long>& steps = logs.runs[run]->snapshot_rows;
    return Logged{static_cast<long>(steps.size()), steps.front(), steps.back(), logs.data != nullptr || logs.loss_known[run]};
}

const Trajectory* ModelScene::path(std::size_t run) const {
    if (fresh(run)) return runs_[run]->shown ? &runs_[run]->path : nullptr;
    const auto k = held(run);
    return k && *k < paths_.size() ? &paths_[*k] : nullptr;
}

const models::TrainingResult* ModelScene::result(std::size_t run) const {
    if (fresh(run)) return runs_[run]->shown.get();
    const auto k = held(run);
    return k ? plane_key()->runs[*k].get() : nullptr;
}

const Trajectory* ModelScene::test_path(std::size_t run) const {
    if (fresh(run)) {
        const RunSlot& slot = *runs_[run];
        return slot.shown && slot.test_path.loss.size() == slot.test_path.x.size() ? &slot.test_path : nullptr;
    }
    const auto k = held(run);
    if (!k || *k >= test_paths_.size() || test_paths_[*k].loss.size() != test_paths_[*k].x.size()) return nullptr;
    return &test_paths_[*k];
}

std::optional<ModelScene::OffPlane> ModelScene::off_plane(std::size_t run) const {
    const auto* rows = projections(run);
    const models::TrainingResult* r = result(run);
    if (!rows || !r || rows->empty()) return std::nullopt;
    OffPlane off;
    for (const models::PlaneProjection& p : *rows) off.largest = std::max(off.largest, p.distance);
    const std::size_t d = r->snapshots.size() / r->snapshot_rows.size(), last = r->snapshot_rows.size() - 1;
    double sum = 0;
    for (std::size_t i = 0; i < d; ++i) {
        const double delta = r->snapshots[last * d + i] - r->snapshots[i];
        sum += delta * delta;
    }
    off.travelled = std::sqrt(sum);
    return off;
}

const RunConfig* ModelScene::config(std::size_t run) const {
    if (fresh(run)) return runs_[run]->shown ? &runs_[run]->config : nullptr;
    const auto k = held(run);
    return k ? &plane_key()->configs[*k] : nullptr;
}

const std::vector<models::PlaneProjection>* ModelScene::projections(std::size_t run) const {
    if (fresh(run)) return runs_[run]->shown ? &runs_[run]->projections : nullptr;
    const auto k = held(run);
    return k ? &plane()->paths[*k] : nullptr;
}

std::string ModelScene::error(std::size_t run) const {
    if (!data_.error().empty()) return data_.error();
    if (run < runs_.size() && !runs_[run]->artifact.error().empty()) return runs_[run]->artifact.error();
    return picture_error();
}

std::string ModelScene::picture_error() const {
    if (!data_.error().empty()) return data_.error();
    if (!logs_.error().empty()) return logs_.error();
    if (!plane_.error().empty()) return plane_.error();
    return fine_.error();
}

}  // namespace optiviz::app
