// One frame of the window's UI: the control panel beside the landscape and the loss plot, and the
// keyboard shortcuts. Separate from the window so that tests run it headless (real ImGui frames,
// simulated input, no GL: the heatmap provider may return no texture).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "app/derived/analysis.h"
#include "app/app_state.h"
#include "app/derived/tuning.h"
#include "app/derived/view_inputs.h"

namespace optiviz::app {

struct FrameResult {
    ui::PanelCommands commands;      // carried out by run_frame_commands after ImGui::Render
    bool export_png = false;         // the export button or Ctrl+S
    bool toggle_fullscreen = false;  // F11 (the window carries it out)
    bool quit = false;               // Ctrl+Q
    ui::LandscapeActions landscape;  // includes where the plot was drawn
    ui::AnalysisRequests analysis;   // to hand to Analysis::apply
    ui::TuneRequests tune;           // to hand to Tuning::apply
    // "view: message" for each view that failed this frame (its message is drawn in its place).
    std::vector<std::string> view_errors;
};

struct FrameOptions {
    Analysis* analysis = nullptr;        // with it, the panel shows basin and sweep maps
    ImTextureID basin_overlay = nullptr; // the texture of analysis->basins() (or null)
    Tuning* tuning = nullptr;            // with it, the panel shows Tune run / Tune all and the table
    // How long the frame may wait for work its own edits started (a slider drag on a fast surface
    // then shows its new paths in the same frame).
    std::chrono::steady_clock::duration budget = std::chrono::milliseconds(10);
    // The data panel's points as one picture (DataPointsCache); without it they are drawn as circles.
    std::function<ImTextureID(const ui::PointsImageRequest&)> points_image;
};

// Draws one view in a child window of `size` named `name`. An exception while building or drawing it
// ends what it began (windows, ID and style pushes, clip rectangles), draws "The NAME cannot be drawn:
// MESSAGE" in its rectangle, appends "NAME: MESSAGE" to `errors` and returns false: one view that
// fails never takes the window with it.
bool draw_contained_view(const char* name, ImVec2 size, const std::function<void()>& draw, std::vector<std::string>& errors);

// The keyboard shortcuts, as the help window (F1) lists them: {keys, what they do}.
const std::vector<std::pair<const char*, const char*>>& keyboard_shortcuts();

// Draws the frame between ImGui::NewFrame and ImGui::Render. The panel edits the scene, the state
// refreshes what the edits changed, then the views draw it; direct manipulation (start point, view,
// scrubbing, shortcuts) applies to `state` at the end of the frame. Commands are returned.
// `surface_image` renders the 3-D view (null: the 3-D view shows no mesh, as in headless tests).
FrameResult draw_app_frame(AppState& state, const std::function<ui::HeatmapImage(const ui::HeatmapRequest&)>& heatmap,
                           const FrameOptions& options = {},
                           const std::function<ui::SurfaceImage(const ui::SurfaceImageRequest&)>& surface_image = {});

}  // namespace optiviz::app
