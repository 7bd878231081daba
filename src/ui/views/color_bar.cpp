#include "ui/views/color_bar.h"

#include <algorithm>
#include <cmath>

#include "core/presentation/number_text.h"
#include "ui/canvas/draw_style.h"

namespace optiviz::ui {

namespace {

float cap_height(float font) { return font * 0.9f; }

}  // namespace

float color_bar_bottom(const ColorBar& bar, ImVec2 max, float font) {
    return max.y - (bar.low_end ? cap_height(font) : 0.0f);
}

float color_bar_top(const ColorBar& bar, ImVec2 min, float font) {
    return min.y + (bar.high_end ? cap_height(font) : 0.0f);
}

void draw_color_bar(Canvas* dl, const ColorBar& bar, ImVec2 min, ImVec2 max, float font, float line) {
    const float cap = cap_height(font);
    const float top = color_bar_top(bar, min, font), bottom = color_bar_bottom(bar, max, font);
    draw_colorbar_bands(dl, {min.x, top}, {max.x, bottom});
    const float mid = (min.x + max.x) / 2;
    if (bar.high_end) {
        const ImVec2 a{min.x, top}, b{max.x, top}, tip{mid, top - cap};
        dl->AddTriangleFilled(a, b, tip, rgb(viridis_rgb(1.0)));
        dl->AddTriangle(a, b, tip, kInk, line);
    }
    if (bar.low_end) {
        const ImVec2 a{min.x, bottom}, b{max.x, bottom}, tip{mid, bottom + cap};
        dl->AddTriangleFilled(a, tip, b, rgb(viridis_rgb(0.0)));
        dl->AddTriangle(a, tip, b, kInk, line);
    }
    // The labels: a clamped end's first, at the end of the bands; ticks whose label would run into
    // one already placed are left out.
    std::vector<std::pair<float, std::string>> labels;  // (y of the tick, text)
    if (bar.low_end) labels.emplace_back(bottom, "\u2264 " + *bar.low_end);
    if (bar.high_end) labels.emplace_back(top, "\u2265 " + *bar.high_end);
    for (const auto& [t, text] : bar.ticks) {
        if (!(t >= 0 && t <= 1)) continue;
        const float y = bottom - static_cast<float>(t) * (bottom - top);
        const bool crowded = std::any_of(labels.begin(), labels.end(), [&](const auto& l) { return std::abs(l.first - y) < font * 1.05f; });
        if (!crowded) labels.emplace_back(y, text);
    }
    for (const auto& [y, text] : labels) {
        // Tick marks inside the bar: outside, they would read as minus signs before the labels.
        dl->AddLine({max.x - font * 0.35f, y}, {max.x, y}, kInk, 1.5f * line);
        // The top label stays below the bar's title.
        dl->AddText({max.x + font * 0.35f, std::max(y - font * 0.5f, min.y - font * 0.2f)}, kInk, text.c_str());
    }
    dl->AddText({min.x - font * 0.2f, min.y - font * 1.3f}, kInk, bar.title.c_str());
}

ColorBar log_scale_bar(const LogColorScale& scale, int significant) {
    ColorBar bar;
    bar.title = "loss";
    // The bottom (ticks()' first) is the lowest loss in view, not a round number: 3 digits, as the
    // ends ("0.0191", not "0.019082"); the others are round and keep what they have.
    const std::vector<double> ticks = scale.ticks();
    for (std::size_t i = 0; i < ticks.size(); ++i)
        bar.ticks.emplace_back(scale.normalize(ticks[i]), format_number(ticks[i], i == 0 ? std::min(significant, 3) : significant));
    // The ends with 3 digits: "≤ 1.75", not a cut's every digit.
    if (scale.clamped_low) bar.low_end = format_number(scale.loss_at(0.0), 3);
    if (scale.clamped_high) bar.high_end = format_number(scale.loss_at(1.0), 3);
    return bar;
}

}  // namespace optiviz::ui
