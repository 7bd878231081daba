// What each view is given to draw, built from the application state for the current step: the
// landscape, the loss plot, the 3-D surface and the data panel. Views only read these.
#pragma once

#include <vector>

#include "app/app_state.h"
#include "core/analysis/path_overlap.h"
#include "ui/views/data_view.h"
#include "ui/views/landscape_view.h"
#include "ui/views/loss_plot.h"
#include "ui/views/surface_view.h"

namespace optiviz::app {

// The frame around the start, the minima and the runs (core/presentation/view_framing.h): what opening a scene and
// a "fit" action set (state.set_view(fit_to_runs(state))). Not applied on every frame: the view would
// jump while the user drags the start.
ViewRect fit_to_runs(const AppState& state);

// `run` with the settings of the trajectory `key` made (its label then names what is drawn).
RunSpec shown_run(const RunSpec& run, const RunKey& key);
// The legend's words for a path that coincides with the earlier run it follows: "same path as run
// 2", "same path as run 2 so far" (at the step shown), "same path as run 2 until step 140", "on run
// 2's path up to step 80" (this one ended there), or "same path as run 2, which ends at step 80".
std::string shared_path_note(const SharedPath& shared, const Trajectory& path, const Trajectory& followed);

ui::LandscapeInput landscape_input(const AppState& state);
ui::LossPlotInput loss_plot_input(const AppState& state);
// The 3-D view (the image provider is the caller's).
ui::SurfaceViewInput surface_view_input(const AppState& state);
// The data panel (data-driven surfaces only; data == nullptr otherwise).
ui::DataViewInput data_view_input(const AppState& state);
// Every run as the views see it (trajectory, colour, label, visibility; clouds if asked).
std::vector<ui::RunView> run_views(const AppState& state, bool with_clouds = false);

}  // namespace optiviz::app
