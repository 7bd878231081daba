#include "app/app_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/atomic_file.h"
#include "core/particle_cloud.h"
#include "core/presets.h"
#include "core/step_explanation.h"
#include "core/surface_registry.h"

namespace optiviz::app {

std::unique_ptr<LossSurface> build_surface(const Scene& scene, std::shared_ptr<const Dataset>* data_out) {
    std::shared_ptr<const Dataset> data;
    const SurfaceInfo& info = find_surface(scene.surface);
    if (info.needs_data) data = std::make_shared<const Dataset>(scene.data.load(info.binary_labels));
    auto surface = make_surface(scene.surface, scene.surface_params, data);
    if (data_out) *data_out = data;
    return surface;
}

std::vector<Trajectory> compute_runs(const Scene& scene, const LossSurface& surface) {
    std::vector<Trajectory> result(scene.runs.size());
    for (const RunSpec& run : scene.runs) {
        RunConfig config = run.config;
        config.steps = scene.steps;
        validate_run(surface, config);
    }
    // Runs are independent: split them over the cores.
    const std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), scene.runs.size());
    auto work = [&](std::size_t first) {
        for (std::size_t i = first; i < scene.runs.size(); i += std::max<std::size_t>(threads, 1)) {
            RunConfig config = scene.runs[i].config;
            config.steps = scene.steps;
            // Only the run showing step glyphs records its optimizer state: recording costs about as
            // much again as the run itself.
            config.record_state = static_cast<int>(i) == scene.glyph_run;
            result[i] = run_trajectory(surface, config, scene.start);
        }
    };
    std::vector<std::thread> workers;
    for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(work, t);
    work(0);
    for (auto& w : workers) w.join();
    return result;
}

std::string trajectories_csv(const Scene& scene, const std::vector<Trajectory>& trajectories) {
    std::string out = "run,label,step,x,y,loss,grad_norm\n";
    char line[256];
    for (std::size_t r = 0; r < trajectories.size() && r < scene.runs.size(); ++r) {
        std::string label = run_label(scene.runs[r]);
        std::replace(label.begin(), label.end(), ',', ';');
        const Trajectory& t = trajectories[r];
        for (std::size_t k = 0; k < t.size(); ++k) {
            std::snprintf(line, sizeof line, "%zu,%s,%zu,%.17g,%.17g,%.17g,%.17g\n", r, label.c_str(), k, t.x[k], t.y[k],
                          t.loss[k], std::hypot(t.gx[k], t.gy[k]));
            out += line;
        }
    }
    return out;
}

namespace {

std::shared_ptr<const Dataset> original_of(const Scene& scene) {
    const SurfaceInfo& info = find_surface(scene.surface);
    if (!info.needs_data) return nullptr;
    DatasetChoice raw = scene.data;
    raw.standardize = false;
    return std::make_shared<const Dataset>(raw.load(info.binary_labels));
}

}  // namespace

AppState::AppState(Scene scene) : scene_(std::move(scene)) {
    validate_scene(scene_);
    surface_ = build_surface(scene_, &data_);
    original_data_ = original_of(scene_);
    if (scene_.view_is_default) scene_.view = surface_->default_view();
    trajectories_ = compute_runs(scene_, *surface_);
    clouds_.resize(scene_.runs.size());
    for (std::size_t i = 0; i < scene_.runs.size(); ++i) {
        RunConfig config = scene_.runs[i].config;
        config.steps = scene_.steps;
        clouds_[i] = run_cloud(*surface_, config, scene_.start, scene_.runs[i].cloud, scene_.runs[i].cloud_spread);
    }
    playback.step = scene_.step >= 0 ? static_cast<double>(scene_.step) : static_cast<double>(last_step());
}

void AppState::set_message(std::string text, bool error) {
    panel.message = std::move(text);
    panel.message_is_error = error;
}

bool AppState::rebuild_surface() {
    try {
        std::shared_ptr<const Dataset> data;
        auto surface = build_surface(scene_, &data);
        auto original = original_of(scene_);
        surface_ = std::move(surface);
        data_ = data;
        original_data_ = original;
        ++surface_revision_;
        return true;
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
}

void AppState::recompute(std::vector<std::size_t> runs) {
    trajectories_.resize(scene_.runs.size());
    if (runs.empty())
        for (std::size_t i = 0; i < scene_.runs.size(); ++i) runs.push_back(i);
    Scene subset = scene_;
    subset.runs.clear();
    subset.glyph_run = -1;  // re-indexed below: it names a run of the subset
    std::vector<std::size_t> valid;
    for (const std::size_t i : runs) {
        if (i >= scene_.runs.size()) continue;
        RunConfig config = scene_.runs[i].config;
        config.steps = scene_.steps;
        try {
            validate_run(*surface_, config);
            if (static_cast<int>(i) == scene_.glyph_run) subset.glyph_run = static_cast<int>(subset.runs.size());
            subset.runs.push_back(scene_.runs[i]);
            valid.push_back(i);
        } catch (const std::exception& e) {
            set_message(run_label(scene_.runs[i]) + ": " + e.what(), true);
        }
    }
    std::vector<Trajectory> computed = compute_runs(subset, *surface_);
    clouds_.resize(scene_.runs.size());
    for (std::size_t k = 0; k < valid.size(); ++k) {
        const std::size_t i = valid[k];
        trajectories_[i] = std::move(computed[k]);
        RunConfig config = scene_.runs[i].config;
        config.steps = scene_.steps;
        try {
            clouds_[i] = run_cloud(*surface_, config, scene_.start, scene_.runs[i].cloud, scene_.runs[i].cloud_spread);
        } catch (const std::exception& e) {
            clouds_[i].clear();
            set_message(run_label(scene_.runs[i]) + ": " + e.what(), true);
        }
    }
    playback.step = std::min(playback.step, static_cast<double>(last_step()));
}

void AppState::apply(const ui::PanelRequests& requests) {
    if (requests.reset_view || requests.all_runs_changed) {
        if (requests.all_runs_changed && !rebuild_surface()) return;
    }
    if (requests.reset_view) reset_view();
    if (requests.all_runs_changed) {
        trajectories_.clear();
        clouds_.clear();
        recompute();
    } else if (!requests.runs_changed.empty()) {
        recompute(requests.runs_changed);
    }
    if (!requests.preset.empty()) {
        try {
            AppState opened(make_preset(requests.preset));
            opened.panel = panel;
            opened.surface_revision_ = surface_revision_ + 1;
            *this = std::move(opened);
            playback.step = 0;
            playback.playing = true;  // a preset plays from the start
            set_message(std::string(find_preset(requests.preset).caption), false);
        } catch (const std::exception& e) {
            set_message(e.what(), true);
        }
        return;
    }
    if (requests.export_csv) export_csv(panel.csv_path);
    if (requests.save_scene) save_scene_file(panel.scene_path);
    if (requests.load_scene) load_scene_file(panel.scene_path);
}

void AppState::set_start(const Eigen::Vector2d& start) {
    if (!start.allFinite()) return;
    scene_.start = start;
    recompute();
}

void AppState::set_view(const ViewRect& view) {
    if (!(view.x_max > view.x_min) || !(view.y_max > view.y_min)) return;
    const double w = view.x_max - view.x_min;
    if (!std::isfinite(w) || w < 1e-12 || w > 1e12) return;  // keep zoom within what doubles can show
    scene_.view = view;
    scene_.view_is_default = false;
}

void AppState::reset_view() {
    scene_.view = surface_->default_view();
    scene_.view_is_default = true;
}

bool AppState::load_scene_file(const std::string& path) {
    try {
        std::ifstream file(path);
        if (!file) throw std::invalid_argument(path + ": cannot open scene file");
        std::ostringstream text;
        text << file.rdbuf();
        AppState loaded(scene_from_json(text.str(), path));
        loaded.panel = panel;
        loaded.surface_revision_ = surface_revision_ + 1;
        *this = std::move(loaded);
        set_message("loaded " + path, false);
        return true;
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
}

bool AppState::save_scene_file(const std::string& path) {
    Scene saved = scene_;
    saved.step = shown_step();
    try {
        write_file_atomically(path, scene_to_json(saved));
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
    set_message("saved " + path, false);
    return true;
}

bool AppState::export_csv(const std::string& path) {
    try {
        write_file_atomically(path, trajectories_csv(scene_, trajectories_));
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
    set_message("wrote " + path, false);
    return true;
}

void AppState::advance(double seconds) {
    if (!playback.playing) return;
    playback.step = std::min(playback.step + playback.speed * std::max(seconds, 0.0), static_cast<double>(last_step()));
    if (playback.step >= static_cast<double>(last_step())) playback.playing = false;
}

long AppState::last_step() const {
    long last = 0;
    for (const Trajectory& t : trajectories_) last = std::max(last, static_cast<long>(t.size()) - 1);
    // Diverged runs end early; the horizon is still the scene's.
    return std::max(last, trajectories_.empty() ? 0L : scene_.steps);
}

ui::LandscapeInput AppState::landscape_input() const {
    ui::LandscapeInput input;
    const SurfaceInfo& info = find_surface(scene_.surface);
    input.title = std::string(info.title) + "   " + std::string(info.formula);
    input.caption = scene_.caption;
    input.surface = surface_.get();
    input.gradient_field = scene_.gradient_field;
    input.glyph_run = scene_.glyph_run;
    input.glyph_trail = scene_.glyph_trail;
    if (scene_.glyph_run >= 0 && static_cast<std::size_t>(scene_.glyph_run) < scene_.runs.size() &&
        static_cast<std::size_t>(scene_.glyph_run) < trajectories_.size()) {
        const auto run = static_cast<std::size_t>(scene_.glyph_run);
        const Trajectory& t = trajectories_[run];
        // At the last row there is no step after it: explain the last step taken.
        const auto k = std::min(static_cast<std::size_t>(std::max(shown_step(), 0L)), t.size() >= 2 ? t.size() - 2 : 0);
        if (k + 1 < t.size() && k < t.rate_x.size()) {
            RunConfig config = scene_.runs[run].config;
            config.steps = scene_.steps;
            const StepExplanation e = explain_step(config, t, k);
            input.equations.push_back(run_label(scene_.runs[run]) + ": " + e.rule);
            input.equations.insert(input.equations.end(), e.lines.begin(), e.lines.end());
            for (const auto& note : e.notes) input.equations.push_back("note: " + note);
        }
    }
    if (info.needs_data) {
        input.x_label = std::string("w (slope)");
        input.y_label = std::string("b");
    }
    input.view = scene_.view;
    input.minima = surface_->minima();
    input.start = scene_.start;
    input.step = shown_step();
    input.runs = run_views(true);
    return input;
}

std::vector<ui::RunView> AppState::run_views(bool with_clouds) const {
    std::vector<ui::RunView> views;
    for (std::size_t i = 0; i < scene_.runs.size() && i < trajectories_.size(); ++i)
        views.push_back({&trajectories_[i], scene_.runs[i].color, run_label(scene_.runs[i]), scene_.runs[i].visible,
                         with_clouds && i < clouds_.size() && !clouds_[i].empty() ? &clouds_[i] : nullptr});
    return views;
}

ui::SurfaceViewInput AppState::surface_view_input() const {
    ui::SurfaceViewInput input;
    const SurfaceInfo& info = find_surface(scene_.surface);
    input.title = std::string(info.title) + " in 3-D (drag: orbit; right-drag: pan; wheel: zoom)";
    input.view = scene_.view;
    input.height_scale = 0.6f;
    input.camera = scene_.camera;
    input.contours = scene_.mesh_contours;
    input.linear_height = scene_.linear_height;
    input.step = shown_step();
    input.minima = surface_->minima();
    input.start = scene_.start;
    input.runs = run_views();
    return input;
}

ui::DataViewInput AppState::data_view_input() const {
    ui::DataViewInput input;
    if (!original_data_) return input;
    input.data = original_data_.get();
    input.standardized = scene_.data.standardize;
    input.classification = find_surface(scene_.surface).binary_labels;
    input.standardization = standardization_of(*original_data_);
    input.step = shown_step();
    const auto minima = surface_->minima();
    if (!minima.empty()) input.least_squares = minima.front();
    input.runs = run_views();
    input.residuals_of = panel.residuals_of;
    char title[256];
    std::snprintf(title, sizeof title, "%s, %zu rows%s", original_data_->source.c_str(), original_data_->size(),
                  scene_.data.standardize ? " (fit on standardised x)" : "");
    input.title = title;
    // Epochs: for the first mini-batch run, where the current step falls.
    for (const RunSpec& run : scene_.runs) {
        if (run.config.batch_size == 0) continue;
        const std::size_t n = original_data_->size();
        const std::size_t batch = std::min(run.config.batch_size, n);
        const std::size_t per_epoch = (n + batch - 1) / batch;
        const auto step = static_cast<std::size_t>(std::max(shown_step(), 0L));
        std::snprintf(title, sizeof title, "\n%s: epoch %zu, batch %zu/%zu", run_label(run).c_str(),
                      step / per_epoch + 1, step % per_epoch + 1, per_epoch);
        input.title += title;
        break;
    }
    return input;
}

ui::LossPlotInput AppState::loss_plot_input() const {
    ui::LossPlotInput input;
    input.steps = scene_.steps;
    input.step = shown_step();
    double floor = 0.0;
    bool have_floor = false;
    for (const auto& m : surface_->minima()) {
        const double v = surface_->value(m.x(), m.y());
        floor = have_floor ? std::min(floor, v) : v;
        have_floor = true;
    }
    input.runs = run_views();
    for (std::size_t i = 0; i < scene_.runs.size() && i < trajectories_.size(); ++i) {
        for (double f : trajectories_[i].loss)
            if (f < floor || !have_floor) {
                floor = have_floor ? std::min(floor, f) : f;
                have_floor = true;
            }
    }
    // A surface whose minimum is 0 plots the loss itself; others plot the gap to the best known loss.
    input.floor = (have_floor && std::abs(floor) > 1e-12) ? floor : 0.0;
    if (input.floor != 0.0) input.floor -= 1e-12 * std::max(1.0, std::abs(input.floor));
    return input;
}

}  // namespace optiviz::app
