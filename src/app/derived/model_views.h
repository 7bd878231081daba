// What a model scene's views show beyond a 2-D scene's: the plane's axes (principal components
// with their share of the variance, or the directions), how far each path leaves the plane, and
// the test loss beside the training loss.
#pragma once

#include "app/app_state.h"
#include "ui/views/landscape_view.h"
#include "ui/views/loss_plot.h"
#include "ui/views/surface_view.h"

namespace optiviz::app {

// Axis names, the title's note on the plane, and each run's distance off the plane in its label.
// Does nothing for other scenes.
void add_model_landscape(const AppState& state, ui::LandscapeInput& input);
// The same runs' status words and plane distances for the 3-D view.
void add_model_surface(const AppState& state, ui::SurfaceViewInput& input);
// Each run's test loss as a dotted curve in its colour ("... test"). Does nothing for other scenes.
void add_model_loss_plot(const AppState& state, ui::LossPlotInput& input);

}  // namespace optiviz::app
