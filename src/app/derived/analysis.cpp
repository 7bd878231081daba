#include "app/derived/analysis.h"

#include <cstdio>
#include <utility>

#include "app/export/map_pictures.h"
#include "core/optimizers/optimizer.h"

namespace optiviz::app {

namespace {

// The analysed run's settings: everything that changes its result, nothing that only changes how
// it is drawn.
RunConfig analysed_config(const Scene& scene, std::size_t run) {
    RunConfig config = run_config(scene, run);
    config.record_state = false;
    return config;
}

// The swept run's settings without the two swept parameters: every cell sets its own values of them,
// so the run's own values (changed by a slider or by applying a cell) cannot change the map.
RunConfig swept_config(const Scene& scene, std::size_t run, const SweepAxis& x, const SweepAxis& y) {
    RunConfig config = analysed_config(scene, run);
    config.hyper.erase(x.param);
    config.hyper.erase(y.param);
    return config;
}

}  // namespace

std::string map_run_refusal(const Scene& scene, std::size_t run, std::string_view map) {
    if (run >= scene.runs.size() || !scene.runs[run].imported) return {};
    // An imported run is a path read from a file: its optimizer and settings are unknown, so mapping
    // it would run the default settings and show another run's basins under its name.
    return "the " + std::string(map) + " maps a simulated run: " + run_label(scene.runs[run]) +
           " is imported from a file (its optimizer settings are unknown); choose another run";
}

void Analysis::update(const AppState& state, const ViewRect& shown_view) {
    if (basins_.poll() && basins_.error().empty()) basins_fresh_ = true;
    sweep_.poll();
    basin_settings_ = ui::basin_map_settings(state.scene());
    if (state.scene().runs.empty()) return;
    update_basins(state, shown_view);
    update_sweep(state);
}

void Analysis::update_basins(const AppState& state, const ViewRect& shown_view) {
    const Scene& scene = state.scene();
    basin_refusal_.clear();
    if (!basin_settings_) {
        basins_.clear();
        return;
    }
    const ui::BasinMapSettings& s = *basin_settings_;
    const auto run = static_cast<std::size_t>(std::clamp(s.run, 0, static_cast<int>(scene.runs.size()) - 1));
    basin_refusal_ = map_run_refusal(scene, run, "basin map");
    if (!basin_refusal_.empty()) {
        basins_.clear();
        return;
    }
    const BasinKey key{state.shared_surface(), analysed_config(scene, run), shown_view, s.resolution, s.starts};
    const long cells = static_cast<long>(key.resolution) * key.resolution * key.starts.count;  // progress counts runs
    if (basins_.request(
            key,
            [key](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
                EnsembleOptions options;
                options.cancel = &cancel;
                options.progress = &progress;
                // The runs that converged away from the listed minima name the minima they found.
                return with_found_minima(run_basins(*key.surface, key.config, key.view, key.resolution, 0.0, options, key.starts),
                                         key.surface.get());
            },
            cells))
        ++basin_starts_;
    if (basins_.value() && s.aggregate != colored_aggregate_) basins_fresh_ = true;  // recolour
}

void Analysis::update_sweep(const AppState& state) {
    const Scene& scene = state.scene();
    const SweepSettings& s = scene.sweep;
    sweep_refusal_.clear();
    if (!s.on) {
        sweep_.clear();
        return;
    }
    const auto run = static_cast<std::size_t>(std::clamp(s.run, 0, static_cast<int>(scene.runs.size()) - 1));
    sweep_refusal_ = map_run_refusal(scene, run, "sweep map");
    if (!sweep_refusal_.empty()) {
        sweep_.clear();
        return;
    }
    if (s.y_param.empty()) return;  // the panel picks the axes on its first frame
    const SweepAxis x{s.x_param, s.x_lo, s.x_hi, s.x_log, s.resolution};
    const SweepAxis y{s.y_param, s.y_lo, s.y_hi, s.y_log, s.resolution};
    const SweepKey key{state.shared_surface(), swept_config(scene, run, x, y), scene.start, x, y, MultiStart{s.starts, s.spread}};
    if (sweep_.request(
            key,
            [key](const std::atomic<bool>& cancel, std::atomic<long>& progress) {
                SweepOptions options;
                options.cancel = &cancel;
                options.progress = &progress;
                return run_sweep(*key.surface, key.config, key.start, key.x, key.y, options, key.starts);
            },
            static_cast<long>(x.count) * y.count))
        ++sweep_starts_;
    update_sweep_map(state, run);
}

void Analysis::update_sweep_map(const AppState& state, std::size_t run) {
    const auto& sweep = sweep_.value();
    if (!sweep || !sweep_.value_key()) return;
    const Scene& scene = state.scene();
    // The run's current values of the swept parameters mark where it stands on the map.
    const OptimizerInfo& info = find_optimizer(scene.runs[run].config.optimizer);
    const ParamValues base(info.name, info.params, scene.runs[run].config.hyper);
    std::optional<std::pair<double, double>> marker;
    try {
        marker = std::pair<double, double>{base.get(sweep->x_axis.param), base.get(sweep->y_axis.param)};
    } catch (const std::out_of_range&) {
    }
    const SweepSettings& settings = scene.sweep;
    const std::string of = aggregate_phrase(sweep->starts.count, settings.aggregate);
    SweepMapKey key{*sweep_.value_key(), settings.metric, settings.aggregate, marker,
                    run_label(scene.runs[run]) + (of.empty() ? "" : ": " + of)};
    if (key == map_key_) return;  // rebuilt when what it shows changes, never every frame
    // The stars are the minima of the surface the sweep ran on.
    sweep_map_ = sweep_map(*sweep, key.metric, key.sweep.surface->minima(), key.title, key.marker, key.aggregate);
    map_key_ = std::move(key);
    ++map_builds_;
    map_fresh_ = true;
}

std::vector<std::uint32_t> Analysis::basin_colors() const {
    const BasinResult* result = basins();
    if (!result) return {};
    return app::basin_colors(*result, basin_steps(), basin_aggregate());
}

std::vector<std::pair<std::uint32_t, std::string>> Analysis::basin_legend(const Scene& scene) const {
    const BasinResult* result = basins();
    if (!result) return {};
    return app::basin_legend(*result, scene, basin_settings_->run);
}

void Analysis::wait() {
    const auto forever = std::chrono::hours(24 * 365);
    if (basins_.wait_for(forever) && basins_.error().empty() && basins_.value()) basins_fresh_ = true;
    sweep_.wait_for(forever);
}

void Analysis::apply(const ui::AnalysisRequests& requests, AppState& state) {
    if (requests.cancel_sweep) {
        sweep_.clear();
        state.scene().sweep.on = false;
    }
    const auto& sweep = sweep_.value();
    if (requests.apply_cell && sweep) {
        const auto run = static_cast<std::size_t>(state.scene().sweep.run);
        if (run >= state.scene().runs.size()) return;
        const auto cx = static_cast<std::size_t>(requests.apply_cell->first);
        const auto cy = static_cast<std::size_t>(requests.apply_cell->second);
        const auto xs = sweep->x_axis.values(), ys = sweep->y_axis.values();
        if (cx >= xs.size() || cy >= ys.size()) return;
        auto& hyper = state.scene().runs[run].config.hyper;
        hyper[sweep->x_axis.param] = xs[cx];
        hyper[sweep->y_axis.param] = ys[cy];
    }
}

ui::AnalysisStatus Analysis::status() const {
    ui::AnalysisStatus status;
    status.basin_running = basins_.pending();
    status.basin_progress = basins_.progress();
    status.sweep_running = sweep_.pending();
    status.sweep_progress = sweep_.progress();
    status.sweep = sweep_.value().get();
    status.sweep_map = sweep_.value() ? &sweep_map_ : nullptr;
    for (const std::string* message : {&basin_refusal_, &basins_.error(), &sweep_refusal_, &sweep_.error()})
        if (status.message.empty()) status.message = *message;
    return status;
}

}  // namespace optiviz::app
