// Colours and small drawing pieces shared by every view, so the map, the 3-D view, the plots and
// the sweep maps draw ink, outlines, colorbars and legends the same way.
#pragma once

#include <imgui.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/color_scale.h"
#include "ui/canvas.h"

namespace optiviz::ui {

inline constexpr ImU32 kInk = IM_COL32(20, 20, 24, 255);     // text and frames on the light paper
inline constexpr ImU32 kOutline = IM_COL32(0, 0, 0, 200);   // dark halo under coloured lines
inline constexpr ImU32 kPaper = IM_COL32(250, 250, 250, 255);

// 0xRRGGBB (and an alpha) as an ImGui colour.
inline ImU32 rgb(std::uint32_t c, int alpha = 255) {
    return IM_COL32((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, alpha);
}

// An axis or colorbar label: %g, or one-digit scientific notation for very large or small values.
inline std::string format_tick(double v) {
    char buffer[32];
    if (v != 0 && (std::abs(v) >= 1e5 || std::abs(v) < 1e-3)) std::snprintf(buffer, sizeof buffer, "%.0e", v);
    else std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

// A vertical viridis bar filling [min, max], t = 0 at the bottom and 1 at the top, exact at both ends.
inline void draw_colorbar_bands(Canvas* dl, ImVec2 min, ImVec2 max) {
    constexpr int kBands = 64;
    for (int i = 0; i < kBands; ++i) {
        const ImU32 bottom = rgb(viridis_rgb(static_cast<double>(i) / kBands));
        const ImU32 top = rgb(viridis_rgb(static_cast<double>(i + 1) / kBands));
        const float y0 = max.y - (max.y - min.y) * static_cast<float>(i) / kBands;
        const float y1 = max.y - (max.y - min.y) * static_cast<float>(i + 1) / kBands;
        dl->AddRectFilledMultiColor({min.x, y1}, {max.x, y0}, top, top, bottom, bottom);
    }
    dl->AddRect(min, max, kInk);
}

// Text for a column `wrap` pixels wide: a line too long for it is broken after its commas first (not
// those inside parentheses), so
// ImGui's own wrapping (which also breaks after '.') never splits a number such as "0.195".
inline std::string break_at_commas(const std::string& text, float wrap) {
    std::string out, line;
    auto flush = [&](bool newline) {
        if (ImGui::CalcTextSize(line.c_str()).x > wrap) {
            std::string broken;
            int depth = 0;  // never inside parentheses: "(3, 2)" stays whole
            for (std::size_t i = 0; i < line.size(); ++i) {
                broken += line[i];
                depth += line[i] == '(' ? 1 : line[i] == ')' ? -1 : 0;
                if (depth == 0 && line[i] == ',' && i + 1 < line.size() && line[i + 1] == ' ') {
                    broken += '\n';
                    ++i;
                }
            }
            line = broken;
        }
        out += line;
        if (newline) out += '\n';
        line.clear();
    };
    for (const char c : text) {
        if (c == '\n') flush(true);
        else line += c;
    }
    flush(false);
    return out;
}

// One legend row's swatch: a short outlined line in `color`, centred vertically on y.
inline void draw_line_swatch(Canvas* dl, float x, float y, float font, std::uint32_t color) {
    dl->AddLine({x + font * 0.5f, y}, {x + font * 2.2f, y}, kOutline, 6.0f);
    dl->AddLine({x + font * 0.5f, y}, {x + font * 2.2f, y}, rgb(color), 4.0f);
}

// Marker shapes by run: circle, square, diamond, triangle up, triangle down. A second cue besides
// colour, so runs stay apart for readers who do not see the palette's hues.
inline void marker_path(Canvas* dl, ImVec2 c, float r, int shape) {
    switch (shape % 5) {
        case 0: dl->PathArcTo(c, r, 0.0f, 6.2831853f, 20); break;
        case 1: {
            const float h = r * 0.86f;
            dl->PathLineTo({c.x - h, c.y - h});
            dl->PathLineTo({c.x + h, c.y - h});
            dl->PathLineTo({c.x + h, c.y + h});
            dl->PathLineTo({c.x - h, c.y + h});
            break;
        }
        case 2: {
            const float h = r * 1.15f;
            dl->PathLineTo({c.x, c.y - h});
            dl->PathLineTo({c.x + h, c.y});
            dl->PathLineTo({c.x, c.y + h});
            dl->PathLineTo({c.x - h, c.y});
            break;
        }
        case 3: {
            const float h = r * 1.2f;
            dl->PathLineTo({c.x, c.y - h});
            dl->PathLineTo({c.x + h * 0.87f, c.y + h * 0.5f});
            dl->PathLineTo({c.x - h * 0.87f, c.y + h * 0.5f});
            break;
        }
        default: {
            const float h = r * 1.2f;
            dl->PathLineTo({c.x, c.y + h});
            dl->PathLineTo({c.x - h * 0.87f, c.y - h * 0.5f});
            dl->PathLineTo({c.x + h * 0.87f, c.y - h * 0.5f});
            break;
        }
    }
}

// A run's current-position marker: its shape in its colour over a dark halo.
inline void draw_run_marker(Canvas* dl, ImVec2 c, float font, float line, std::uint32_t color, int shape) {
    marker_path(dl, c, font * 0.42f + 2.0f * line, shape);
    dl->PathFillConvex(kOutline);
    marker_path(dl, c, font * 0.42f, shape);
    dl->PathFillConvex(rgb(color));
}

}  // namespace optiviz::ui
