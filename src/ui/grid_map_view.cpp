#include "ui/grid_map_view.h"
#include "ui/draw_style.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/color_scale.h"
#include "core/ticks.h"
#include "ui/landscape_view.h"

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

GridMapActions draw_grid_map(const GridMapInput& input, ImVec2 size, bool interactive) {
    GridMapActions actions;
    WindowCanvas dl;  // the window, or the vector export's canvas
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    const bool has_side = input.colorbar.has_value() || !input.legend.empty();
    float legend_width = 0;
    for (const auto& [color, text] : input.legend) legend_width = std::max(legend_width, ImGui::CalcTextSize(text.c_str()).x);
    const float right = input.colorbar ? font * 6.5f : (has_side ? legend_width + font * 3.0f : font);
    // The best cell's name wraps under the title (a narrow panel must not cut it).
    const float label_wrap = std::max(font * 6.0f, size.x - font * 1.0f);
    const std::string best_label = wrap_to_width(input.best_label, label_wrap);
    const float best_lines = input.best_label.empty() ? 0.0f : line_count(best_label);
    // A long title (a K-start map says what it aggregates) wraps too and pushes what follows down.
    const float title_wrap = size.x - font * 1.0f;
    const std::string title = wrap_to_width(input.title, title_wrap);
    const float title_lines = line_count(title);
    const float top = font * (3.6f + 1.2f * (best_lines + title_lines - 1.0f));
    ImVec2 pmin{origin.x + font * 5.0f, origin.y + top};
    ImVec2 pmax = plot_corner(input, origin, size, pmin, right, font);
    // With a colorbar the categories (diverged, ...) sit in a row above the map's right end, where
    // the y axis's name sits at its left end; in a narrow panel the two would overlap, and then the
    // row goes one line higher (the map one line lower).
    const std::string y_label = input.y.label + (input.y.log ? " (log)" : "");
    const float y_label_right = pmin.x - font * 0.4f + ImGui::CalcTextSize(y_label.c_str()).x / 2;
    float legend_row = 0;
    for (const auto& [color, text] : input.legend) legend_row += ImGui::CalcTextSize(text.c_str()).x + font * 2.2f;
    const bool legend_above = input.colorbar && !input.legend.empty() && pmax.x - legend_row < y_label_right + font * 0.5f;
    if (legend_above) {
        pmin.y += font * 1.4f;
        pmax = plot_corner(input, origin, size, pmin, right, font);
    }
    dl->AddRectFilled(origin, {origin.x + size.x, origin.y + size.y}, IM_COL32(250, 250, 250, 255));
    dl->PushClipRect(origin, {origin.x + size.x, origin.y + size.y}, true);
    dl->AddText(ImGui::GetFont(), font, {origin.x + font * 0.5f, origin.y + font * 0.4f}, kInk, title.c_str(), nullptr, 0.0f);
    if (!input.best_label.empty())
        dl->AddText(ImGui::GetFont(), font, {origin.x + font * 0.5f, origin.y + font * (0.4f + 1.2f * title_lines)}, kInk,
                    best_label.c_str(), nullptr, 0.0f);
    dl->PopClipRect();

    const int cols = std::max(input.x.count, 1), rows = std::max(input.y.count, 1);
    const float cw = (pmax.x - pmin.x) / static_cast<float>(cols), ch = (pmax.y - pmin.y) / static_cast<float>(rows);
    if (input.cells_texture) {
        dl->AddImage(input.cells_texture, pmin, pmax, {0, 1}, {1, 0});  // row 0 (first texel row) at the bottom
    } else {
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                const auto i = static_cast<std::size_t>(r * cols + c);
                if (i >= input.colors.size()) continue;
                const ImVec2 a{pmin.x + cw * static_cast<float>(c), pmax.y - ch * static_cast<float>(r + 1)};
                dl->AddRectFilled(a, {a.x + cw + 0.5f, a.y + ch + 0.5f}, rgb(input.colors[i]));
            }
    }
    dl->AddRect(pmin, pmax, kInk);

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
    dl->AddText({pmin.x - font * 0.4f - ImGui::CalcTextSize(y_label.c_str()).x / 2, pmin.y - font * 1.5f}, kInk,
                y_label.c_str());

    for (const auto& [sx_value, sy_value] : input.stars) {
        const float sx = pmin.x + static_cast<float>(axis_fraction(input.x, sx_value)) * (pmax.x - pmin.x);
        const float sy = pmax.y - static_cast<float>(axis_fraction(input.y, sy_value)) * (pmax.y - pmin.y);
        dl->AddCircleFilled({sx, sy}, font * 0.35f, IM_COL32(255, 255, 255, 255), 16);
        dl->AddCircle({sx, sy}, font * 0.35f, kInk, 16, 1.5f);
    }
    if (input.marker) {
        const float mx = pmin.x + static_cast<float>(axis_fraction(input.x, input.marker->first)) * (pmax.x - pmin.x);
        const float my = pmax.y - static_cast<float>(axis_fraction(input.y, input.marker->second)) * (pmax.y - pmin.y);
        dl->AddCircle({mx, my}, font * 0.5f, IM_COL32(0, 0, 0, 255), 20, 4.0f);
        dl->AddCircle({mx, my}, font * 0.5f, IM_COL32(255, 255, 255, 255), 20, 2.0f);
    }

    if (input.best && cols > 0 && rows > 0) {
        // The best cell: a ring around it, large enough to find on a map of thousands of cells.
        const ImVec2 c{pmin.x + cw * (static_cast<float>(input.best->first) + 0.5f),
                       pmax.y - ch * (static_cast<float>(input.best->second) + 0.5f)};
        const float r = std::max(font * 0.7f, std::max(cw, ch) * 0.8f);
        dl->AddCircle(c, r, IM_COL32(0, 0, 0, 255), 24, 5.0f);
        dl->AddCircle(c, r, IM_COL32(255, 255, 255, 255), 24, 2.5f);
    }
    if (!input.note.empty()) {
        const float wrap = std::max(font * 8.0f, (pmax.x - pmin.x) * 0.8f);
        const std::string note = wrap_to_width(input.note, wrap);
        const ImVec2 ts = ImGui::CalcTextSize(note.c_str());
        const ImVec2 at{(pmin.x + pmax.x - ts.x) / 2, (pmin.y + pmax.y - ts.y) / 2};
        dl->AddRectFilled({at.x - font * 0.6f, at.y - font * 0.4f}, {at.x + ts.x + font * 0.6f, at.y + ts.y + font * 0.4f},
                          IM_COL32(255, 255, 255, 235), font * 0.3f);
        dl->AddRect({at.x - font * 0.6f, at.y - font * 0.4f}, {at.x + ts.x + font * 0.6f, at.y + ts.y + font * 0.4f}, kInk,
                    font * 0.3f);
        dl->AddText(ImGui::GetFont(), font, at, kInk, note.c_str(), nullptr, 0.0f);
    }

    if (input.colorbar) {
        const GridColorbar& bar = *input.colorbar;
        // Pointed ends mark a clamped scale (matplotlib's "extend"): values beyond it take the end colour.
        const float cap = font * 0.9f;
        const ImVec2 cmin{pmax.x + font * 0.8f, pmin.y + (bar.clamped_high ? cap : 0.0f)};
        const ImVec2 cmax{pmax.x + font * 1.8f, pmax.y - (bar.clamped_low ? cap : 0.0f)};
        draw_colorbar_bands(dl, cmin, cmax);
        if (bar.clamped_high) {
            const ImVec2 a{cmin.x, cmin.y}, b{cmax.x, cmin.y}, tip{(cmin.x + cmax.x) / 2, cmin.y - cap};
            dl->AddTriangleFilled(a, b, tip, rgb(viridis_rgb(1.0)));
            dl->AddTriangle(a, b, tip, kInk);
        }
        if (bar.clamped_low) {
            const ImVec2 a{cmin.x, cmax.y}, b{cmax.x, cmax.y}, tip{(cmin.x + cmax.x) / 2, cmax.y + cap};
            dl->AddTriangleFilled(a, tip, b, rgb(viridis_rgb(0.0)));
            dl->AddTriangle(a, tip, b, kInk);
        }
        for (double v : axis_ticks(bar.lo, bar.hi, bar.log, 6)) {
            const double t = bar.log ? (std::log10(v) - std::log10(bar.lo)) / (std::log10(bar.hi) - std::log10(bar.lo))
                                     : (v - bar.lo) / (bar.hi - bar.lo);
            if (!(t >= 0 && t <= 1)) continue;
            const float sy = cmax.y - static_cast<float>(t) * (cmax.y - cmin.y);
            dl->AddLine({cmax.x - font * 0.35f, sy}, {cmax.x, sy}, kInk, 1.5f);
            const std::string label = format_number(v, 6);
            dl->AddText({cmax.x + font * 0.35f, sy - font * 0.5f}, kInk, label.c_str());
        }
        dl->AddText({cmin.x - font * 0.5f, pmin.y - font * 1.4f}, kInk, bar.label.c_str());
    }
    if (!input.legend.empty()) {
        if (input.colorbar) {
            // With a colorbar, the few categories (diverged, ...) sit in a row above the map's right end.
            float lx = std::max(pmax.x - legend_row, origin.x + font * 0.5f);  // a row wider than the panel starts at its edge
            const float ly = pmin.y - font * (legend_above ? 2.9f : 1.5f);
            for (const auto& [color, text] : input.legend) {
                dl->AddRectFilled({lx, ly + font * 0.15f}, {lx + font * 0.9f, ly + font * 1.05f}, rgb(color));
                dl->AddRect({lx, ly + font * 0.15f}, {lx + font * 0.9f, ly + font * 1.05f}, kInk);
                dl->AddText({lx + font * 1.2f, ly}, kInk, text.c_str());
                lx += ImGui::CalcTextSize(text.c_str()).x + font * 2.2f;
            }
        } else {
            float ly = pmin.y;
            const float lx = pmax.x + font * 0.8f;
            for (const auto& [color, text] : input.legend) {
                dl->AddRectFilled({lx, ly + font * 0.15f}, {lx + font * 0.9f, ly + font * 1.05f}, rgb(color));
                dl->AddRect({lx, ly + font * 0.15f}, {lx + font * 0.9f, ly + font * 1.05f}, kInk);
                dl->AddText({lx + font * 1.2f, ly}, kInk, text.c_str());
                ly += font * 1.4f;
            }
        }
    }
    if (interactive) {
        ImGui::SetCursorScreenPos(pmin);
        ImGui::InvisibleButton("##gridmap", {std::max(pmax.x - pmin.x, 1.0f), std::max(pmax.y - pmin.y, 1.0f)});
        if (ImGui::IsItemHovered()) {
            const ImVec2 m = ImGui::GetIO().MousePos;
            actions.hovered_x = std::clamp(static_cast<int>((m.x - pmin.x) / cw), 0, cols - 1);
            actions.hovered_y = std::clamp(static_cast<int>((pmax.y - m.y) / ch), 0, rows - 1);
            if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
                actions.clicked_x = actions.hovered_x;
                actions.clicked_y = actions.hovered_y;
            }
            const ImVec2 a{pmin.x + cw * static_cast<float>(actions.hovered_x), pmax.y - ch * static_cast<float>(actions.hovered_y + 1)};
            dl->AddRect(a, {a.x + cw, a.y + ch}, IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
