#include "ui/views/grid_map_view.h"
#include "ui/views/color_bar.h"
#include "ui/canvas/draw_style.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/presentation/color_scale.h"
#include "core/presentation/ticks.h"
#include "ui/views/landscape_view.h"

namespace optiviz::ui {

namespace {

// Tick values for an axis: decades (1, 2, 5 within few decades) on log axes, nice ticks otherwise.
std::vector<double> axis_ticks(double lo, double hi, bool log, int target) {
    if (lo > hi) std::swap(lo, hi);
    return log ? decade_ticks(lo, hi, target) : nice_ticks(lo, hi, target);
}

// Position of `value` along an axis whose cell centres run from lo to hi over `count` cells,
// as a fraction of the plot's extent (cells fill [0, 1]).
double axis_fraction(const GridAxis& a, double value) {
    const double t = a.count <= 1 ? 0.5
                     : a.log ? (std::log10(value) - std::log10(a.lo)) / (std::log10(a.hi) - std::log10(a.lo))
                             : (value - a.lo) / (a.hi - a.lo);
    if (a.count <= 1) return 0.5;
    return (0.5 + t * (a.count - 1)) / a.count;
}

// The plot area's lower-right corner for its upper-left `pmin`: the panel less the margins, then
// shrunk to equal units per axis when asked.
ImVec2 plot_corner(const GridMapInput& input, ImVec2 origin, ImVec2 size, ImVec2 pmin, float right, float font) {
    ImVec2 pmax{origin.x + size.x - right, origin.y + size.y - font * 3.0f};
    if (input.equal_aspect && input.x.count > 0 && input.y.count > 0) {
        // Cell extents: (hi − lo) spans count − 1 cells, so one cell is (hi − lo)/(count − 1) wide.
        const double w = input.x.count > 1 ? (input.x.hi - input.x.lo) * input.x.count / (input.x.count - 1) : 1.0;
        const double h = input.y.count > 1 ? (input.y.hi - input.y.lo) * input.y.count / (input.y.count - 1) : 1.0;
        const float scale = std::min((pmax.x - pmin.x) / static_cast<float>(w), (pmax.y - pmin.y) / static_cast<float>(h));
        pmax = {pmin.x + scale * static_cast<float>(w), pmin.y + scale * static_cast<float>(h)};
    }
    return pmax;
}

}  // namespace

namespace {

// Where a grid map's parts go: the map's rectangle and cell size, the wrapped title and best-cell
// name, and the categories' row beside a colour bar.
struct GridFrame {
    ImVec2 origin, size, pmin, pmax;
    float font = 13.0f, cw = 1, ch = 1, legend_row = 0, title_lines = 1;
    int cols = 1, rows = 1;
    bool legend_above = false;
    std::string title, best_label, y_label;
    ImVec2 at(double x_value, double y_value, const GridMapInput& input) const {
        return {pmin.x + static_cast<float>(axis_fraction(input.x, x_value)) * (pmax.x - pmin.x),
                pmax.y - static_cast<float>(axis_fraction(input.y, y_value)) * (pmax.y - pmin.y)};
    }
};

GridFrame grid_frame(const GridMapInput& input, ImVec2 size) {
    GridFrame f;
    f.origin = ImGui::GetCursorScreenPos();
    f.size = size;
    f.font = ImGui::GetFontSize();
    const ImVec2 origin = f.origin;
    const float font = f.font;
    const bool has_side = input.colorbar.has_value() || !input.legend.empty();
    float legend_width = 0;
    for (const auto& [color, text] : input.legend) legend_width = std::max(legend_width, ImGui::CalcTextSize(text.c_str()).x);
    const float right = input.colorbar ? font * 6.5f : (has_side ? legend_width + font * 3.0f : font);
    // The best cell's name wraps under the title (a narrow panel must not cut it).
    const float label_wrap = std::max(font * 6.0f, size.x - font * 1.0f);
    f.best_label = wrap_to_width(input.best_label, label_wrap);
    const float best_lines = input.best_label.empty() ? 0.0f : line_count(f.best_label);
    // A long title (a K-start map says what it aggregates) wraps too and pushes what follows down.
    f.title = wrap_to_width(input.title, size.x - font * 1.0f);
    f.title_lines = line_count(f.title);
    const float top = font * (3.6f + 1.2f * (best_lines + f.title_lines - 1.0f));
    f.pmin = {origin.x + font * 5.0f, origin.y + top};
    f.pmax = plot_corner(input, origin, size, f.pmin, right, font);
    // With a colorbar the categories (diverged, ...) sit in a row above the map's right end, where
    // the y axis's name sits at its left end; in a narrow panel the two would overlap, and then the
    // row goes one line higher (the map one line lower).
    f.y_label = input.y.label + (input.y.log ? " (log)" : "");
    const float y_label_right = f.pmin.x - font * 0.4f + ImGui::CalcTextSize(f.y_label.c_str()).x / 2;
    for (const auto& [color, text] : input.legend) f.legend_row += ImGui::CalcTextSize(text.c_str()).x + font * 2.2f;
    f.legend_above = input.colorbar && !input.legend.empty() && f.pmax.x - f.legend_row < y_label_right + font * 0.5f;
    if (f.legend_above) {
        f.pmin.y += font * 1.4f;
        f.pmax = plot_corner(input, origin, size, f.pmin, right, font);
    }
    f.cols = std::max(input.x.count, 1);
    f.rows = std::max(input.y.count, 1);
    f.cw = (f.pmax.x - f.pmin.x) / static_cast<float>(f.cols);
    f.ch = (f.pmax.y - f.pmin.y) / static_cast<float>(f.rows);
    return f;
}

// The paper, the title and the best cell's name, then the cells: one texture in the window, a
// rectangle a cell in pictures and vector exports.
void draw_grid_cells(Canvas* dl, const GridMapInput& input, const GridFrame& f) {
    const ImVec2 origin = f.origin, end{f.origin.x + f.size.x, f.origin.y + f.size.y};
    const float font = f.font;
    dl->AddRectFilled(origin, end, IM_COL32(250, 250, 250, 255));
    dl->PushClipRect(origin, end, true);
    dl->AddText(ImGui::GetFont(), font, {origin.x + font * 0.5f, origin.y + font * 0.4f}, kInk, f.title.c_str(), nullptr, 0.0f);
    if (!input.best_label.empty())
        dl->AddText(ImGui::GetFont(), font, {origin.x + font * 0.5f, origin.y + font * (0.4f + 1.2f * f.title_lines)}, kInk,
                    f.best_label.c_str(), nullptr, 0.0f);
    dl->PopClipRect();
    if (input.cells_texture) {
        dl->AddImage(input.cells_texture, f.pmin, f.pmax, {0, 1}, {1, 0});  // row 0 (first texel row) at the bottom
    } else {
        for (int r = 0; r < f.rows; ++r)
            for (int c = 0; c < f.cols; ++c) {
                const auto i = static_cast<std::size_t>(r * f.cols + c);
                if (i >= input.colors.size()) continue;
                const ImVec2 a{f.pmin.x + f.cw * static_cast<float>(c), f.pmax.y - f.ch * static_cast<float>(r + 1)};
                dl->AddRectFilled(a, {a.x + f.cw + 0.5f, a.y + f.ch + 0.5f}, rgb(input.colors[i]));
            }
    }
    dl->AddRect(f.pmin, f.pmax, kInk);
}

// Ticks, tick labels and the axes' names.
void draw_grid_axes(Canvas* dl, const GridMapInput& input, const GridFrame& f) {
    const ImVec2 pmin = f.pmin, pmax = f.pmax;
    const float font = f.font;
    for (double v : axis_ticks(input.x.lo, input.x.hi, input.x.log, static_cast<int>((pmax.x - pmin.x) / (font * 5)))) {
        const float sx = pmin.x + static_cast<float>(axis_fraction(input.x, v)) * (pmax.x - pmin.x);
        dl->AddLine({sx, pmax.y}, {sx, pmax.y + font * 0.3f}, kInk);
        const std::string label = format_number(v, 6);
        dl->AddText({sx - ImGui::CalcTextSize(label.c_str()).x / 2, pmax.y + font * 0.35f}, kInk, label.c_str());
    }
    for (double v : axis_ticks(input.y.lo, input.y.hi, input.y.log, static_cast<int>((pmax.y - pmin.y) / (font * 3)))) {
        const float sy = pmax.y - static_cast<float>(axis_fraction(input.y, v)) * (pmax.y - pmin.y);
        dl->AddLine({pmin.x - font * 0.3f, sy}, {pmin.x, sy}, kInk);
        const std::string label = format_number(v, 6);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({pmin.x - font * 0.4f - ts.x, sy - ts.y / 2}, kInk, label.c_str());
    }
    const std::string x_label = input.x.label + (input.x.log ? " (log)" : "");
    dl->AddText({(pmin.x + pmax.x) / 2 - ImGui::CalcTextSize(x_label.c_str()).x / 2, pmax.y + font * 1.5f}, kInk,
                x_label.c_str());
    dl->AddText({pmin.x - font * 0.4f - ImGui::CalcTextSize(f.y_label.c_str()).x / 2, pmin.y - font * 1.5f}, kInk,
                f.y_label.c_str());
}

// The stars, the run's current setting, the best cell's ring and the note over the map.
void draw_grid_marks(Canvas* dl, const GridMapInput& input, const GridFrame& f) {
    const float font = f.font;
    for (const auto& [x_value, y_value] : input.stars) {
        const ImVec2 p = f.at(x_value, y_value, input);
        dl->AddCircleFilled(p, font * 0.35f, IM_COL32(255, 255, 255, 255), 16);
        dl->AddCircle(p, font * 0.35f, kInk, 16, 1.5f);
    }
    if (input.marker) {
        const ImVec2 p = f.at(input.marker->first, input.marker->second, input);
        dl->AddCircle(p, font * 0.5f, IM_COL32(0, 0, 0, 255), 20, 4.0f);
        dl->AddCircle(p, font * 0.5f, IM_COL32(255, 255, 255, 255), 20, 2.0f);
    }
    if (input.best) {
        // The best cell: a ring around it, large enough to find on a map of thousands of cells.
        const ImVec2 c{f.pmin.x + f.cw * (static_cast<float>(input.best->first) + 0.5f),
                       f.pmax.y - f.ch * (static_cast<float>(input.best->second) + 0.5f)};
        const float r = std::max(font * 0.7f, std::max(f.cw, f.ch) * 0.8f);
        dl->AddCircle(c, r, IM_COL32(0, 0, 0, 255), 24, 5.0f);
        dl->AddCircle(c, r, IM_COL32(255, 255, 255, 255), 24, 2.5f);
    }
    if (input.note.empty()) return;
    const float wrap = std::max(font * 8.0f, (f.pmax.x - f.pmin.x) * 0.8f);
    const std::string note = wrap_to_width(input.note, wrap);
    const ImVec2 ts = ImGui::CalcTextSize(note.c_str());
    const ImVec2 at{(f.pmin.x + f.pmax.x - ts.x) / 2, (f.pmin.y + f.pmax.y - ts.y) / 2};
    const ImVec2 box_min{at.x - font * 0.6f, at.y - font * 0.4f}, box_max{at.x + ts.x + font * 0.6f, at.y + ts.y + font * 0.4f};
    dl->AddRectFilled(box_min, box_max, IM_COL32(255, 255, 255, 235), font * 0.3f);
    dl->AddRect(box_min, box_max, kInk, font * 0.3f);
    dl->AddText(ImGui::GetFont(), font, at, kInk, note.c_str(), nullptr, 0.0f);
}

// The colour bar; pointed ends and "≤ v" / "≥ v" mark a clamped scale (values beyond it take the
// end colour).
void draw_grid_colorbar(Canvas* dl, const GridColorbar& bar, const GridFrame& f) {
    const float font = f.font;
    ColorBar drawn;
    drawn.title = bar.label;
    for (double v : axis_ticks(bar.lo, bar.hi, bar.log, 6)) {
        const double t = bar.log ? (std::log10(v) - std::log10(bar.lo)) / (std::log10(bar.hi) - std::log10(bar.lo))
                                 : (v - bar.lo) / (bar.hi - bar.lo);
        drawn.ticks.emplace_back(t, format_number(v, 6));
    }
    if (bar.clamped_low) drawn.low_end = format_number(bar.lo, 3);
    if (bar.clamped_high) drawn.high_end = format_number(bar.hi, 3);
    draw_color_bar(dl, drawn, {f.pmax.x + font * 0.8f, f.pmin.y}, {f.pmax.x + font * 1.8f, f.pmax.y}, font);
}

// The categories (diverged, ...): in a row above the map's right end beside a colour bar, else in a
// column right of the map.
void draw_grid_legend(Canvas* dl, const GridMapInput& input, const GridFrame& f) {
    const float font = f.font;
    auto entry = [&](float lx, float ly, std::uint32_t color, const std::string& text) {
        dl->AddRectFilled({lx, ly + font * 0.15f}, {lx + font * 0.9f, ly + font * 1.05f}, rgb(color));
        dl->AddRect({lx, ly + font * 0.15f}, {lx + font * 0.9f, ly + font * 1.05f}, kInk);
        dl->AddText({lx + font * 1.2f, ly}, kInk, text.c_str());
    };
    if (input.colorbar) {
        float lx = std::max(f.pmax.x - f.legend_row, f.origin.x + font * 0.5f);  // a row wider than the panel starts at its edge
        const float ly = f.pmin.y - font * (f.legend_above ? 2.9f : 1.5f);
        for (const auto& [color, text] : input.legend) {
            entry(lx, ly, color, text);
            lx += ImGui::CalcTextSize(text.c_str()).x + font * 2.2f;
        }
        return;
    }
    float ly = f.pmin.y;
    for (const auto& [color, text] : input.legend) {
        entry(f.pmax.x + font * 0.8f, ly, color, text);
        ly += font * 1.4f;
    }
}

// Hover and click on a cell; the hovered cell is outlined.
void handle_grid_mouse(Canvas* dl, const GridFrame& f, GridMapActions& actions) {
    ImGui::SetCursorScreenPos(f.pmin);
    ImGui::InvisibleButton("##gridmap", {std::max(f.pmax.x - f.pmin.x, 1.0f), std::max(f.pmax.y - f.pmin.y, 1.0f)});
    if (!ImGui::IsItemHovered()) return;
    const ImVec2 m = ImGui::GetIO().MousePos;
    actions.hovered_x = std::clamp(static_cast<int>((m.x - f.pmin.x) / f.cw), 0, f.cols - 1);
    actions.hovered_y = std::clamp(static_cast<int>((f.pmax.y - m.y) / f.ch), 0, f.rows - 1);
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
        actions.clicked_x = actions.hovered_x;
        actions.clicked_y = actions.hovered_y;
    }
    const ImVec2 a{f.pmin.x + f.cw * static_cast<float>(actions.hovered_x), f.pmax.y - f.ch * static_cast<float>(actions.hovered_y + 1)};
    dl->AddRect(a, {a.x + f.cw, a.y + f.ch}, IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
}

}  // namespace

GridMapActions draw_grid_map(const GridMapInput& input, ImVec2 size, bool interactive) {
    GridMapActions actions;
    WindowCanvas dl;  // the window, or the vector export's canvas
    const GridFrame f = grid_frame(input, size);
    draw_grid_cells(dl, input, f);
    draw_grid_axes(dl, input, f);
    draw_grid_marks(dl, input, f);
    if (input.colorbar) draw_grid_colorbar(dl, *input.colorbar, f);
    if (!input.legend.empty()) draw_grid_legend(dl, input, f);
    if (interactive) handle_grid_mouse(dl, f, actions);
    ImGui::SetCursorScreenPos(f.origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
