// Controls for the heavy analyses: the basin map overlay (where each start ends) and the sweep map
// (how a run's outcome depends on two of its hyperparameters). The panel only edits settings and
// reports requests; the app runs the work in the background and hands back results to show.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/scene.h"
#include "core/sweep.h"
#include "ui/grid_map_view.h"

namespace optiviz::ui {

struct AnalysisSettings {
    bool basins = false;
    int basin_run = 0;
    int basin_resolution = 96;  // starts per side
    // K runs per cell (core/sweep.h MultiStart): the basin most of them reach; spread in cell sizes.
    int basin_starts = 1;
    double basin_spread = kDefaultBasinSpread;
    Aggregate basin_aggregate = Aggregate::Median;  // the steps that make a cell paler

    bool sweep = false;
    int sweep_run = 0;
    std::string x_param = "lr", y_param;  // empty y: the panel picks one
    double x_lo = 1e-4, x_hi = 1, y_lo = 0, y_hi = 0.99;
    bool x_log = true, y_log = false;
    int resolution = 64;        // cells per side
    int metric = 0;             // 0 final-loss, 1 steps, 2 distance
    // K runs per cell from jittered starts (spread in parameter units) and seeds, as tuning's.
    int sweep_starts = 1;
    double sweep_spread = kDefaultSweepSpread;
    Aggregate sweep_aggregate = Aggregate::Median;  // what the map shows of a cell's K runs
};

// What the app reports back to the panel.
struct AnalysisStatus {
    bool basin_running = false;
    float basin_progress = 0;
    bool sweep_running = false;
    float sweep_progress = 0;
    const SweepResult* sweep = nullptr;  // the latest finished sweep, or null
    const GridMapInput* sweep_map = nullptr;
    std::string message;                 // an error from the last job, if any
};

struct AnalysisRequests {
    bool cancel_sweep = false;
    std::optional<std::pair<int, int>> apply_cell;  // give the run the hyperparameters of this cell
};

SweepMetric metric_of(const AnalysisSettings& settings);

AnalysisRequests draw_analysis_panel(AnalysisSettings& settings, const Scene& scene, const AnalysisStatus& status);

// The latest sweep map at the cursor in `size` pixels, with hover details; a click asks to apply
// that cell to the run.
AnalysisRequests draw_sweep_map(const AnalysisStatus& status, ImVec2 size);

}  // namespace optiviz::ui
