// One colour bar for every view (the map, the 3-D view, the sweep and basin maps, in the window and
// in every export): viridis from the scale's bottom (t = 0) to its top (t = 1), tick labels beside
// it, its title above. A clamped end (values beyond it take the end colour) is drawn as such, as
// matplotlib's `extend`: a pointed cap in the end colour and the end's label "≤ v" or "≥ v".
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/presentation/color_scale.h"
#include "ui/canvas/canvas.h"

namespace optiviz::ui {

struct ColorBar {
    std::string title;                                  // above the bar: "loss", a metric's name
    std::vector<std::pair<double, std::string>> ticks;  // (t in [0, 1], label), any order
    std::optional<std::string> low_end, high_end;       // set when that end clamps: the value where it stops
};

// The bar (with its caps) fills [min, max]; the title sits above `min`, the labels right of `max.x`.
// A clamped end's "≤ v" / "≥ v" replaces the ticks its label would run into.
void draw_color_bar(Canvas* dl, const ColorBar& bar, ImVec2 min, ImVec2 max, float font, float line = 1.0f);

// Where the bands end inside [min.y, max.y] once the caps are drawn: the pixel of t = 0 and of t = 1.
float color_bar_bottom(const ColorBar& bar, ImVec2 max, float font);
float color_bar_top(const ColorBar& bar, ImVec2 min, float font);

// The landscape's (and the 3-D view's) bar for a log colour scale: its ticks with `significant`
// digits, and its clamped ends.
ColorBar log_scale_bar(const LogColorScale& scale, int significant = 6);

}  // namespace optiviz::ui
