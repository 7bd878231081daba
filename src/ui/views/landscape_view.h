// The landscape: the loss heatmap with contours, axes, the runs' paths and markers, the minima, a
// legend and a colorbar, drawn with ImGui draw lists. The same function draws the interactive
// view and exported pictures, so a PNG is exactly what the window shows.
//
// Drawn as a sequence of layers, bottom to top: the heatmap (with contours), the basin image, the
// overlay modules (ui/overlay.h), particle clouds, every run's path, the glyph run's step glyphs, the
// start and the minima, then every run's current marker (outlined, fanned out where runs end at the
// same place) and the edge arrows of runs that left the view. Text never sits on the data: the title
// and the wrapped caption have a band above the plot, the legend, the glyphs' key and the equations a
// column to the right of the colorbar.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <imgui.h>

#include "core/presentation/color_scale.h"
#include "core/scene/param_spec.h"
#include "core/optimizers/simulation.h"
#include "ui/canvas/canvas.h"

namespace optiviz::ui {

struct RunView {
    const Trajectory* trajectory = nullptr;
    std::uint32_t color = 0xFFFFFF;  // 0xRRGGBB
    std::string label;
    bool visible = true;
    const std::vector<Trajectory>* cloud = nullptr;  // the run's particle cloud, drawn faintly
    StopRule stop;  // the run's stopping rules (for its status words)
    // Where this path coincides with an earlier run's ("same path as run 2 until step 140"), for the
    // legends; such a path is dashed and drawn over the one it follows, so both stay visible.
    std::string shared_note;
    int dash = 0;  // the line's dash pattern (draw_style.h: 0 solid, 1 dashed, 2 dotted)
    // Rows drawn faint and dashed (a model run's rows far off the plane it is projected onto: where
    // it is, the picture does not show); empty: none. One flag per row when set.
    std::vector<std::uint8_t> faint_rows;
    // A line added to the tooltip of row k (a model run's distance from the plane); empty: none.
    std::vector<std::string> point_notes;
    // The status words when the caller knows better than run_status (a model run: "training: step
    // 57 of 200", "all 200 steps trained, ..."); empty: run_status's.
    std::string status;
};

// What the heatmap provider is asked for: the field over `view` at `width` × `height` pixels.
struct HeatmapRequest {
    ViewRect view;
    int width = 0, height = 0;
};

struct HeatmapImage {
    ImTextureID texture = nullptr;   // RGBA texture, first row at the top... as ImGui::Image expects
    const FieldGrid* grid = nullptr;  // the sampled field (for the colorbar's scale); may be null
};

struct LandscapeInput {
    std::string title;                   // e.g. "Rosenbrock  (a - x)^2 + b (y - x^2)^2"
    std::string x_label = "x", y_label = "y";  // axis names (regression: w and b)
    std::string caption;                 // under the title, wrapped to the picture's width (teaching presets)
    const LossSurface* surface = nullptr;  // for overlays that sample the field (gradient field)
    std::map<std::string, ParamOverrides> overlays;  // overlay modules that are on (ui/overlay.h), by name
    std::vector<std::string> equations;  // the step glyph run's update rule with this step's numbers
    ViewRect view;                       // requested view; widened to keep x and y at the same scale
    std::vector<Eigen::Vector2d> minima;
    Eigen::Vector2d start{0, 0};
    std::vector<RunView> runs;
    long step = 0;                       // playback position: rows 0..step are drawn
    long steps = 0;                      // every run's step budget (for "max steps"); 0: unknown
    std::optional<double> best_loss;     // the surface's global minimum value, if known ("local minimum")
    std::function<HeatmapImage(const HeatmapRequest&)> heatmap;  // renders the field (app-provided)
    // Draw the contour lines as lines from the heatmap's grid (vector export, whose heatmap image
    // then has none) rather than leaving them to the heatmap shader.
    bool contour_lines = false;
    // The margins around the map on light paper; false leaves them undrawn (transparent pictures).
    bool paper = true;
    // Optional image over the heatmap, under the paths (a basin map): covers `overlay_view`, first
    // texture row at y_min.
    ImTextureID overlay = nullptr;
    ViewRect overlay_view;
    std::vector<std::pair<std::uint32_t, std::string>> overlay_legend;  // its colours, added to the legend
    int front_run = -1;  // a run brought forward from another panel (the loss plot's legend); a row
                         // hovered in this map's own legend wins
};

// Data ↔ screen mapping for a plot rectangle showing `view` (screen y grows downwards).
struct PlotMapping {
    ViewRect view;
    ImVec2 min, max;
    ImVec2 to_screen(double x, double y) const {
        return {static_cast<float>(min.x + (x - view.x_min) / (view.x_max - view.x_min) * (max.x - min.x)),
                static_cast<float>(max.y - (y - view.y_min) / (view.y_max - view.y_min) * (max.y - min.y))};
    }
    Eigen::Vector2d to_data(ImVec2 p) const {
        return {view.x_min + (p.x - min.x) / (max.x - min.x) * (view.x_max - view.x_min),
                view.y_min + (max.y - p.y) / (max.y - min.y) * (view.y_max - view.y_min)};
    }
};

// What the user did this frame (interactive views only).
struct LandscapeActions {
    std::optional<Eigen::Vector2d> new_start;  // left click or drag on the plot
    std::optional<ViewRect> new_view;          // right/middle drag pans, the wheel zooms about the cursor
    ImVec2 plot_min, plot_max;                 // where the plot was drawn (screen pixels)
    ViewRect shown_view;                       // the data rectangle it shows (after fit_view)
    int front_run = -1;                        // the run whose legend row the mouse is over: the other
                                               // panels (loss plot, 3-D view) bring it forward too
};

// Geometry of the landscape inside a canvas of `size` pixels, in canvas-relative pixels: the title and
// `caption_lines` lines of caption above the plot, ticks left of and below it, then to its right the
// colorbar and the side column (legend, glyph key, equations). Nothing else is drawn inside the plot.
struct LandscapeLayout {
    ImVec2 plot_min, plot_max;      // the heatmap's rectangle
    ImVec2 colorbar_min, colorbar_max;
    ImVec2 side_min, side_max;      // the legend column
};
LandscapeLayout landscape_layout(ImVec2 size, float font_size, int caption_lines = 0);

// Line widths, marker outlines and arrow heads are multiplied by this: 1 up to a 16 px font, then
// growing with it, so a 4K export is not drawn in hairlines.
float line_scale(float font_size);

// The status words for a run shown at playback `step` with a budget of `steps`, one name per end point:
// "diverged at step K"; "stopped: loss changed < 1e-5 for 5 steps, at step K, loss L" or "stopped:
// |grad| <= 0.01, at step K, loss L" (the rule that ended the run); "converged at step K" (at the
// best known loss, or none is known); "local minimum at step K, loss L" (only next to one of `minima`
// above the best); "gradient ~0 at step K, loss L (not the best known)"; "converged at step K, left at
// step J (loss L)"; "max steps (N), loss L"; "step K, loss L", with ", lr now R" when a schedule
// lowered the rate.
std::string stop_rule_text(const Trajectory& t, const StopRule& rule);
std::string run_status(const Trajectory& t, long step, long steps, std::optional<double> best_loss = std::nullopt,
                       const StopRule& rule = {}, const std::vector<Eigen::Vector2d>& minima = {});

// The view actually shown: `requested` widened so one unit of x and y take the same pixels.
ViewRect fit_view(const ViewRect& requested, float plot_width, float plot_height);

// Draws at the cursor position in the current window, using `size` pixels. With `interactive`,
// reads the mouse and returns what the user did.
LandscapeActions draw_landscape(const LandscapeInput& input, ImVec2 size, bool interactive);

// Rows 0..shown_row(t, step) of a trajectory are on screen at playback `step` (t not empty).
std::size_t shown_row(const Trajectory& t, long step);

// Screen-space polyline of a trajectory's rows 0..last, skipping points closer than 1.5 pixels (less
// than the line width, so nothing visible is lost); points far outside the plot are clamped.
std::vector<ImVec2> path_points(const Trajectory& t, std::size_t last, const PlotMapping& m);

// Draws a path (screen points) as polylines split at sharp turns, so thick lines do not spike.
void draw_path(Canvas* dl, const std::vector<ImVec2>& points, ImU32 color, float thickness);

// "Nice" tick values (1, 2, 5 × 10^k) covering [lo, hi] with about `target` ticks.
std::vector<double> nice_ticks(double lo, double hi, int target);

}  // namespace optiviz::ui
