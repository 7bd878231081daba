// A map of cells coloured by a value, with axes (linear or log), a colorbar or a legend, and an
// optional marker: the picture of a hyperparameter sweep or a basin map. Drawn with ImGui draw
// lists, like the landscape, so it exports through the same offscreen path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

namespace optiviz::ui {

struct GridAxis {
    std::string label;
    double lo = 0, hi = 1;  // values at the first and last cell centres
    bool log = false;
    int count = 1;
};

struct GridColorbar {
    std::string label;
    double lo = 0, hi = 1;  // values at the bottom and top
    bool log = false;
    // Some cells lie below lo / above hi and are drawn in the end colour (a robust scale that a few
    // outliers cannot flatten): the bar gets a pointed end and a "≤ lo" / "≥ hi" label.
    bool clamped_low = false, clamped_high = false;
};

struct GridMapInput {
    std::string title;
    GridAxis x, y;
    std::vector<std::uint32_t> colors;  // 0xRRGGBB, y.count rows of x.count cells, row 0 at the bottom
    // The same colours as a texture, one texel a cell, row 0 first (render::Texture::upload of `colors`):
    // drawn as one image instead of a rectangle per cell (a 512² map is 262 144 rectangles). Null: rectangles
    // (pictures and vector exports, which have no texture).
    ImTextureID cells_texture = nullptr;
    std::optional<GridColorbar> colorbar;                          // viridis, for continuous metrics
    std::vector<std::pair<std::uint32_t, std::string>> legend;     // for categories (and "diverged")
    std::optional<std::pair<double, double>> marker;               // e.g. the run's current setting
    std::vector<std::pair<double, double>> stars;  // points to mark, in axis units (e.g. the minima)
    bool equal_aspect = false;  // one unit of x and y take the same pixels (maps of the plane)
    std::optional<std::pair<int, int>> best;  // the best cell (column, row): ringed, and named by best_label
    std::string best_label;                   // e.g. "best: lr=0.1 momentum=0.9 final-loss=1e-12"
    std::string note;  // shown over the map when its values say nothing (e.g. no cell converged)
};

struct GridMapActions {
    int hovered_x = -1, hovered_y = -1;  // the cell under the mouse, or -1
    int clicked_x = -1, clicked_y = -1;  // the cell clicked this frame, or -1
};

// Draws at the cursor in `size` pixels; with `interactive`, reports the hovered and clicked cell.
GridMapActions draw_grid_map(const GridMapInput& input, ImVec2 size, bool interactive = false);

}  // namespace optiviz::ui
