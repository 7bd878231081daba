// The window's background analyses: the basin map over the visible landscape and the sweep map of
// one run. Each is an artifact keyed by exactly what it depends on — a basin map by the surface, the
// run's settings, the covered view and the resolution (not the start, not the camera, not the
// overlays); a sweep by the surface, the run's settings, the start and the two axes — so a job
// restarts only when its result would differ.
#pragma once

#include <optional>
#include <string>

#include "app/app_state.h"
#include "app/job.h"
#include "core/sweep.h"
#include "ui/analysis_panel.h"
#include "ui/grid_map_view.h"

namespace optiviz::app {

struct BasinKey {
    std::shared_ptr<const LossSurface> surface;
    RunConfig config;
    ViewRect view;
    int resolution = 0;
    bool operator==(const BasinKey&) const = default;
};

struct SweepKey {
    std::shared_ptr<const LossSurface> surface;
    RunConfig config;
    Eigen::Vector2d start{0, 0};
    SweepAxis x, y;
    bool operator==(const SweepKey& o) const {
        return surface == o.surface && config == o.config && start == o.start && x == o.x && y == o.y;
    }
};

class Analysis {
public:
    ui::AnalysisSettings settings;

    // Starts work whose key changed and takes finished results (no GL, never blocks).
    // `shown_view` is the landscape's visible rectangle (basins cover it).
    void update(const AppState& state, const ViewRect& shown_view);
    // Waits until no analysis is running (scripted screenshots and tests).
    void wait();

    // Applies the panel's requests (a sweep cell's hyperparameters go into the scene).
    void apply(const ui::AnalysisRequests& requests, AppState& state);

    ui::AnalysisStatus status() const;

    // The newest finished basin map (null if none or switched off).
    const BasinResult* basins() const { return settings.basins ? basins_.value().get() : nullptr; }
    // True once after a new basin map arrived (to upload its texture).
    bool basins_changed() { return std::exchange(basins_fresh_, false); }
    long basin_steps() const { return basins_.value_key() ? basins_.value_key()->config.steps : 0; }
    // How many basin and sweep jobs have been started (tests check that nothing restarts needlessly).
    int basin_starts() const { return basin_starts_; }

private:
    Artifact<BasinKey, BasinResult> basins_;
    bool basins_fresh_ = false;
    int basin_starts_ = 0;
    Artifact<SweepKey, SweepResult> sweep_;
    ui::GridMapInput sweep_map_;
    const SweepResult* map_source_ = nullptr;  // what sweep_map_ was built from
    int map_metric_ = -1;
    ParamOverrides map_hyper_;
};

}  // namespace optiviz::app
