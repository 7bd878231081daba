// Colours and small drawing pieces shared by every view, so the map, the 3-D view, the plots and
// the sweep maps draw ink, outlines, colorbars and legends the same way.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/presentation/color_scale.h"
#include "core/presentation/number_text.h"
#include "core/presentation/text_layout.h"
#include "ui/canvas/canvas.h"

namespace optiviz::ui {

inline constexpr ImU32 kInk = IM_COL32(20, 20, 24, 255);     // text and frames on the light paper
inline constexpr ImU32 kOutline = IM_COL32(0, 0, 0, 200);   // dark halo under coloured lines
inline constexpr ImU32 kPaper = IM_COL32(250, 250, 250, 255);

// 0xRRGGBB (and an alpha) as an ImGui colour.
inline ImU32 rgb(std::uint32_t c, int alpha = 255) {
    return IM_COL32((c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF, alpha);
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

// Widths in the current ImGui font, for the text layout (core/presentation/text_layout.h).
inline float text_width(std::string_view text) { return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x; }

// `text` wrapped to `width` pixels in the current font: breaks only at spaces and at its own
// newlines; only a single word wider than the box is cut, with "…". Draw the result without ImGui's
// wrapping (wrap width 0): its lines already fit.
inline std::string wrap_to_width(std::string_view text, float width) { return wrap_text(text, width, text_width); }

// A hovered path point's tooltip, the same in the map and the 3-D view.
inline std::string point_tooltip_text(std::size_t step, double x, double y, double loss, double gradient_norm) {
    return "step " + std::to_string(step) + "\nx = " + format_number(x) + "\ny = " + format_number(y) +
           "\nloss = " + format_number(loss) + "\n|grad| = " + format_number(gradient_norm, 4);
}

// Lines in a laid-out text (1 for "").
inline float line_count(const std::string& text) {
    return 1.0f + static_cast<float>(std::count(text.begin(), text.end(), '\n'));
}

// The halo drawn under a run's colour so it reads on any part of the heatmap and on the paper: dark
// under light and mid colours, light under the darkest ones (the palette's black).
inline ImU32 halo_for(std::uint32_t color) {
    return srgb_to_lab(color)[0] < 30.0 ? IM_COL32(255, 255, 255, 220) : kOutline;
}

// How run `index` (its position in the scene) is dashed: runs 1-8 solid (they own a colour each),
// runs 9-16 dashed, 17-24 dotted, and so on (colours repeat past eight; the dashes keep runs apart).
inline int run_dash(std::size_t index) { return static_cast<int>((index / 8) % 3); }

// `points` cut into the "on" pieces of a dash pattern (`dash` 0: one solid piece). Lengths in pixels.
inline std::vector<std::vector<ImVec2>> dash_pieces(const std::vector<ImVec2>& points, int dash, float unit) {
    std::vector<std::vector<ImVec2>> pieces;
    if (dash == 0 || points.size() < 2) {
        pieces.push_back(points);
        return pieces;
    }
    const float on = dash == 1 ? unit * 4.0f : unit * 1.2f, off = dash == 1 ? unit * 2.5f : unit * 1.6f;
    bool drawing = true;
    float left = on;  // length left in the current on or off stretch
    std::vector<ImVec2> piece{points[0]};
    for (std::size_t k = 1; k < points.size(); ++k) {
        ImVec2 a = points[k - 1];
        const ImVec2 b = points[k];
        float length = std::hypot(b.x - a.x, b.y - a.y);
        while (length > left) {
            const float s = left / length;
            const ImVec2 cut{a.x + (b.x - a.x) * s, a.y + (b.y - a.y) * s};
            if (drawing) {
                piece.push_back(cut);
                pieces.push_back(piece);
                piece.clear();
            } else {
                piece = {cut};
            }
            drawing = !drawing;
            length -= left;
            left = drawing ? on : off;
            a = cut;
        }
        left -= length;
        if (drawing) piece.push_back(b);
    }
    if (drawing && piece.size() >= 2) pieces.push_back(piece);
    return pieces;
}

// One legend row's swatch: a short haloed line in `color` (dashed like its run), centred on y.
inline void draw_line_swatch(Canvas* dl, float x, float y, float font, std::uint32_t color, int dash = 0) {
    dl->AddLine({x + font * 0.5f, y}, {x + font * 2.2f, y}, halo_for(color), 6.0f);
    for (const auto& piece : dash_pieces({{x + font * 0.5f, y}, {x + font * 2.2f, y}}, dash, font * 0.12f))
        if (piece.size() >= 2) dl->AddLine(piece.front(), piece.back(), rgb(color), 4.0f);
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
    dl->PathFillConvex(halo_for(color));
    marker_path(dl, c, font * 0.42f, shape);
    dl->PathFillConvex(rgb(color));
}

}  // namespace optiviz::ui
