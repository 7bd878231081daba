#include "app/analysis.h"

#include <cstdio>
#include <utility>

#include "app/map_pictures.h"
#include "core/optimizer.h"

namespace optiviz::app {

namespace {

// Everything a job's result depends on, as text: when it changes, the job restarts.
std::string run_key(const Scene& scene, std::size_t run) {
    Scene copy = scene;
    copy.runs = {scene.runs[run]};
    copy.runs[0].label.clear();
    copy.runs[0].color = 0;
    copy.runs[0].visible = true;
    copy.step = 0;
    copy.view = {};
    copy.view_is_default = false;
    return scene_to_json(copy);
}

RunConfig config_of(const Scene& scene, std::size_t run) {
    RunConfig config = scene.runs[run].config;
    config.steps = scene.steps;
    return config;
}

}  // namespace

void Analysis::update(const AppState& state, const ViewRect& shown_view) {
    const Scene& scene = state.scene();
    if (scene.runs.empty()) return;
    if (auto error = basin_job_.take_error()) message_ = *error;
    if (auto error = sweep_job_.take_error()) message_ = *error;

    if (settings.basins) {
        const auto run = static_cast<std::size_t>(std::clamp(settings.basin_run, 0, static_cast<int>(scene.runs.size()) - 1));
        char view[160];
        std::snprintf(view, sizeof view, "%.17g %.17g %.17g %.17g %d", shown_view.x_min, shown_view.x_max, shown_view.y_min,
                      shown_view.y_max, settings.basin_resolution);
        const std::string key = run_key(scene, run) + view + std::to_string(state.surface_revision());
        if (key != basin_key_) {
            basin_key_ = key;
            message_.clear();
            const auto surface = state.shared_surface();
            const RunConfig config = config_of(scene, run);
            const int resolution = settings.basin_resolution;
            basin_steps_ = config.steps;
            basin_job_.start(
                [surface, config, shown_view, resolution](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
                    EnsembleOptions options;
                    options.cancel = &cancel;
                    BasinResult result = run_basins(*surface, config, shown_view, resolution, 0.0, options);
                    progress = 1;
                    return result;
                },
                1);
        }
        if (auto result = basin_job_.take()) {
            basins_ = std::move(result);
            basins_fresh_ = true;
        }
    } else if (!basin_key_.empty()) {
        basin_job_.stop();
        basin_key_.clear();
    }

    if (settings.sweep) {
        const auto run = static_cast<std::size_t>(std::clamp(settings.sweep_run, 0, static_cast<int>(scene.runs.size()) - 1));
        const OptimizerInfo& info = find_optimizer(scene.runs[run].config.optimizer);
        if (settings.y_param.empty()) return;  // the panel picks the axes on its first frame
        SweepAxis x{settings.x_param, settings.x_lo, settings.x_hi, settings.x_log, settings.resolution};
        SweepAxis y{settings.y_param, settings.y_lo, settings.y_hi, settings.y_log, settings.resolution};
        char axes[256];
        std::snprintf(axes, sizeof axes, "%s %.17g %.17g %d %s %.17g %.17g %d %d", x.param.c_str(), x.lo, x.hi, x.log,
                      y.param.c_str(), y.lo, y.hi, y.log, x.count);
        const std::string key = run_key(scene, run) + axes + std::to_string(state.surface_revision());
        if (key != sweep_key_) {
            sweep_key_ = key;
            message_.clear();
            const auto surface = state.shared_surface();
            const RunConfig config = config_of(scene, run);
            const Eigen::Vector2d start = scene.start;
            sweep_job_.start(
                [surface, config, start, x, y](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
                    SweepOptions options;
                    options.cancel = &cancel;
                    options.progress = &progress;
                    return run_sweep(*surface, config, start, x, y, options);
                },
                static_cast<long>(x.count) * y.count);
        }
        if (auto result = sweep_job_.take()) sweep_ = std::move(result);
        if (sweep_) {
            const ParamValues base(info.name, info.params, scene.runs[run].config.hyper);
            std::optional<std::pair<double, double>> marker;
            try {
                marker = std::pair<double, double>{base.get(sweep_->x_axis.param), base.get(sweep_->y_axis.param)};
            } catch (const std::out_of_range&) {
            }
            sweep_map_ = sweep_map(*sweep_, ui::metric_of(settings), state.surface().minima(), run_label(scene.runs[run]),
                                   marker);
        }
    } else if (!sweep_key_.empty()) {
        sweep_job_.stop();
        sweep_key_.clear();
    }
}

int Analysis::apply(const ui::AnalysisRequests& requests, AppState& state) {
    if (requests.cancel_sweep) {
        sweep_job_.stop();
        settings.sweep = false;
        sweep_key_.clear();
    }
    if (requests.apply_cell && sweep_) {
        const auto run = static_cast<std::size_t>(settings.sweep_run);
        if (run >= state.scene().runs.size()) return -1;
        auto& hyper = state.scene_for_edit().runs[run].config.hyper;
        hyper[sweep_->x_axis.param] = sweep_->x_axis.values()[static_cast<std::size_t>(requests.apply_cell->first)];
        hyper[sweep_->y_axis.param] = sweep_->y_axis.values()[static_cast<std::size_t>(requests.apply_cell->second)];
        state.recompute({run});
        return static_cast<int>(run);
    }
    return -1;
}

ui::AnalysisStatus Analysis::status() const {
    ui::AnalysisStatus status;
    status.basin_running = basin_job_.running();
    status.basin_progress = basin_job_.progress();
    status.sweep_running = sweep_job_.running();
    status.sweep_progress = sweep_job_.progress();
    status.sweep = sweep_ ? &*sweep_ : nullptr;
    status.sweep_map = sweep_ ? &sweep_map_ : nullptr;
    status.message = message_;
    return status;
}

}  // namespace optiviz::app
