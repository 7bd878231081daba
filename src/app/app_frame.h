// One frame of the window's UI: the control panel beside the landscape and the loss plot, and the
// keyboard shortcuts. Separate from the window so that tests run it headless (real ImGui frames,
// simulated input, no GL: the heatmap provider may return no texture).
#pragma once

#include <functional>

#include "app/analysis.h"
#include "app/app_state.h"
#include "app/view_inputs.h"

namespace optiviz::app {

struct FrameResult {
    ui::PanelRequests requests;  // to hand to AppState::apply after ImGui::Render
    bool export_png = false;     // the export button or Ctrl+S
    ui::LandscapeActions landscape;  // includes where the plot was drawn
    ui::AnalysisRequests analysis;   // to hand to Analysis::apply
};

// Draws the frame between ImGui::NewFrame and ImGui::Render, applying direct manipulation (start
// point, view, scrubbing, shortcuts) to `state` at once. Panel requests are returned, not applied.
// With `analysis`, the panel also shows the basin and sweep maps; `basin_overlay` is the texture of
// analysis->basins() (or null).
// `surface_image` renders the 3-D view (null: the 3-D view shows no mesh, as in headless tests).
FrameResult draw_app_frame(AppState& state, const std::function<ui::HeatmapImage(const ui::HeatmapRequest&)>& heatmap,
                           Analysis* analysis = nullptr, ImTextureID basin_overlay = nullptr,
                           const std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)>& surface_image = {});

}  // namespace optiviz::app
