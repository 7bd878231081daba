// The window's background analyses: the basin map over the visible landscape and the sweep map of
// one run. Each frame, update() restarts a job when what it depends on changed (start, surface,
// hyperparameters, view, settings), cancelling the stale one, and collects finished results.
#pragma once

#include <optional>
#include <string>

#include "app/app_state.h"
#include "app/background_job.h"
#include "core/sweep.h"
#include "ui/analysis_panel.h"
#include "ui/grid_map_view.h"

namespace optiviz::app {

class Analysis {
public:
    ui::AnalysisSettings settings;

    // Starts or restarts jobs as needed and takes finished results (no GL).
    // `shown_view` is the landscape's visible rectangle (basins cover it).
    void update(const AppState& state, const ViewRect& shown_view);

    // Applies the panel's requests; returns the index of a run whose hyperparameters changed, or -1.
    int apply(const ui::AnalysisRequests& requests, AppState& state);

    ui::AnalysisStatus status() const;

    // The newest finished basin map and the view it covers (null if none or switched off).
    const BasinResult* basins() const { return settings.basins && basins_ ? &*basins_ : nullptr; }
    bool basins_changed() { return std::exchange(basins_fresh_, false); }
    long basin_steps() const { return basin_steps_; }

private:
    BackgroundJob<BasinResult> basin_job_;
    std::string basin_key_;
    std::optional<BasinResult> basins_;
    bool basins_fresh_ = false;
    long basin_steps_ = 0;

    BackgroundJob<SweepResult> sweep_job_;
    std::string sweep_key_;
    std::optional<SweepResult> sweep_;
    ui::GridMapInput sweep_map_;
    std::string message_;
};

}  // namespace optiviz::app
