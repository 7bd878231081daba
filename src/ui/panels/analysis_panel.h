// Controls for the sweep map (how a run's outcome depends on two of its hyperparameters). The panel
// edits the scene's sweep settings and reports requests; the app runs the work in the background and
// hands back results to show.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/scene/scene.h"
#include "core/analysis/sweep.h"
#include "ui/views/grid_map_view.h"

namespace optiviz::ui {

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

// The sweep map's controls: they edit scene.sweep (the basin map's are the overlay's, ui/overlays/basin_map.cpp);
// the basin map's progress shows here while it computes.
AnalysisRequests draw_analysis_panel(Scene& scene, const AnalysisStatus& status);

// Keeps the sweep's axes on numeric parameters of the swept run's optimizer (x falls back to lr, y to
// the optimizer's next parameter): the panel calls it every frame, the command line when it switches
// the sweep on, so a scene never holds a sweep without its second axis.
void fill_sweep_axes(Scene& scene);

// Controls the analyses share. A combo of the scene's runs (clamps `index` to them); true on a change.
// With `simulated_only` (the maps' runs), runs imported from a file are not offered, and an index
// naming one shows "(choose a simulated run)".
bool run_combo(const char* label, int& index, const Scene& scene, bool simulated_only = false);
// The runs run_combo offers, in order: every run, or with `simulated_only` those not imported.
std::vector<std::size_t> offered_runs(const Scene& scene, bool simulated_only);
// K starts per cell, their spread and what to show of them (spread and aggregate only when K > 1).
void multi_start_editor(const char* id, int& starts, double& spread, Aggregate& aggregate, const char* spread_tip,
                        const char* aggregate_tip);

// The latest sweep map at the cursor in `size` pixels, with hover details; a click asks to apply
// that cell to the run.
AnalysisRequests draw_sweep_map(const AnalysisStatus& status, ImVec2 size);

}  // namespace optiviz::ui
