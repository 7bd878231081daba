// The window's background analyses: the basin map over the visible landscape and the sweep map of
// one run. Each is an artifact keyed by exactly what it depends on — a basin map by the surface, the
// run's settings, the covered view and the resolution (not the start, not the camera, not the
// overlays); a sweep by the surface, the run's settings, the start and the two axes — each also by
// its K starts per cell and their spread — so a job restarts only when its result would differ.
// Which aggregate (median, worst) a map shows is a view of the result: changing it redraws, never reruns.
// Every setting is the scene's (the basin map overlay's settings, Scene::sweep): saved, undone, and
// read here each frame.
#pragma once

#include <optional>
#include <string_view>
#include <string>

#include "app/app_state.h"
#include "app/derived/job.h"
#include "core/analysis/sweep.h"
#include "ui/panels/analysis_panel.h"
#include "ui/overlays/basin_map.h"
#include "ui/views/grid_map_view.h"

namespace optiviz::app {

struct BasinKey {
    std::shared_ptr<const LossSurface> surface;
    RunConfig config;
    ViewRect view;
    int resolution = 0;
    MultiStart starts;  // K runs per cell (not the aggregate: that only changes the colours)
    bool operator==(const BasinKey&) const = default;
};

struct SweepKey {
    std::shared_ptr<const LossSurface> surface;
    RunConfig config;  // without the two swept parameters (each cell sets its own)
    Eigen::Vector2d start{0, 0};
    SweepAxis x, y;
    MultiStart starts;  // K runs per cell (not the aggregate: that only changes the map)
    bool operator==(const SweepKey& o) const {
        return surface == o.surface && config == o.config && start == o.start && x == o.x && y == o.y && starts == o.starts;
    }
};

// What the sweep map's picture (its view-model) depends on: the sweep it shows (by its key's value),
// the metric and aggregate it colours, and the run's marker and title.
struct SweepMapKey {
    SweepKey sweep;
    SweepMetric metric = SweepMetric::FinalLoss;
    Aggregate aggregate = Aggregate::Median;
    std::optional<std::pair<double, double>> marker;
    std::string title;
    bool operator==(const SweepMapKey&) const = default;
};

// Why run `run` of `scene` cannot be the run a map (`map`: "basin map", "sweep map") analyses, or ""
// when it can: an imported run (RunSpec::imported) has no optimizer settings to run from its cells.
std::string map_run_refusal(const Scene& scene, std::size_t run, std::string_view map);

class Analysis {
public:
    // Starts work whose key changed and takes finished results (no GL, never blocks).
    // `shown_view` is the landscape's visible rectangle (basins cover it).
    void update(const AppState& state, const ViewRect& shown_view);
    // Waits until no analysis is running (scripted screenshots and tests).
    void wait();

    // Applies the panel's requests (a sweep cell's hyperparameters go into the scene; Cancel turns the sweep off).
    void apply(const ui::AnalysisRequests& requests, AppState& state);

    ui::AnalysisStatus status() const;

    // The newest finished basin map (null if none or switched off).
    const BasinResult* basins() const { return basin_settings_ ? basins_.value().get() : nullptr; }
    // True once after a new basin map arrived or its colours changed (to upload its texture).
    bool basins_changed() {
        colored_aggregate_ = basin_aggregate();
        return std::exchange(basins_fresh_, false);
    }
    // The basin map's colours (core/app map_pictures basin_colors) with the settings' aggregate.
    std::vector<std::uint32_t> basin_colors() const;
    // The legend rows of the basin map on the landscape (map_pictures basin_legend), none without one.
    std::vector<std::pair<std::uint32_t, std::string>> basin_legend(const Scene& scene) const;
    long basin_steps() const { return basins_.value_key() ? basins_.value_key()->config.steps : 0; }
    // How many basin and sweep jobs have been started (tests check that nothing restarts needlessly).
    int basin_starts() const { return basin_starts_; }
    int sweep_starts() const { return sweep_starts_; }
    // True once after the sweep map's picture was rebuilt: its colours (status().sweep_map->colors,
    // x.count × y.count) are then to be uploaded and handed back with set_sweep_texture.
    bool sweep_map_changed() { return std::exchange(map_fresh_, false); }
    // The uploaded colours of the current sweep map: the map draws one image instead of a rectangle per cell.
    void set_sweep_texture(ImTextureID texture) { sweep_map_.cells_texture = texture; }
    // How many times the sweep map's picture has been built (tests: once per change, not per frame).
    int sweep_map_builds() const { return map_builds_; }

private:
    void update_basins(const AppState& state, const ViewRect& shown_view);
    void update_sweep(const AppState& state);
    // Rebuilds the sweep map's picture when its key changed.
    void update_sweep_map(const AppState& state, std::size_t run);
    Aggregate basin_aggregate() const { return basin_settings_ ? basin_settings_->aggregate : Aggregate::Median; }

    Artifact<BasinKey, BasinResult> basins_;
    std::string basin_refusal_, sweep_refusal_;  // map_run_refusal of the maps' runs (shown as the status message)
    std::optional<ui::BasinMapSettings> basin_settings_;  // the scene's, as of the last update (none: off)
    bool basins_fresh_ = false;
    int basin_starts_ = 0;
    Aggregate colored_aggregate_ = Aggregate::Median;  // the aggregate basins_fresh_ was last raised for
    Artifact<SweepKey, SweepResult> sweep_;
    int sweep_starts_ = 0;
    ui::GridMapInput sweep_map_;
    std::optional<SweepMapKey> map_key_;  // what sweep_map_ was built from
    int map_builds_ = 0;
    bool map_fresh_ = false;
};

}  // namespace optiviz::app
