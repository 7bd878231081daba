// The gradient field: arrows of −∇f, all of one length, on a grid of screen points. They show the
// direction plain gradient descent would step from every place on the map, under the runs' paths.
#include <cmath>

#include "ui/overlay.h"

namespace optiviz::ui {

namespace {

constexpr ParamSpec kParams[] = {
    {"spacing", "spacing", 2.6, 1.0, 20.0, false, false, 1.5, 8.0, false, ParamKind::Real,
     "distance between arrows, in text heights"},
    {"opacity", "opacity", 0.6, 0.05, 1.0, false, false, 0.1, 1.0, false, ParamKind::Real,
     "how strongly the arrows show over the heatmap (1: opaque)"},
};

void draw_gradient_field(const OverlayContext& c, const ParamValues& settings) {
    const LossSurface* surface = c.input ? c.input->surface : nullptr;
    if (!surface) return;
    const float spacing = c.font_size * static_cast<float>(settings.get("spacing"));
    const float half = spacing * 0.38f;
    const float head = c.font_size * 0.38f;
    const ImU32 color = IM_COL32(255, 255, 255, static_cast<int>(std::lround(255 * settings.get("opacity"))));
    for (float sy = c.plot_min.y + spacing / 2; sy < c.plot_max.y; sy += spacing)
        for (float sx = c.plot_min.x + spacing / 2; sx < c.plot_max.x; sx += spacing) {
            const Eigen::Vector2d p = c.map.to_data({sx, sy});
            const Eigen::Vector2d g = surface->gradient(p.x(), p.y());
            const double norm = g.norm();
            if (!(norm > 0) || !std::isfinite(norm)) continue;
            // Screen y points down: −∇f's y component flips.
            const ImVec2 d{static_cast<float>(-g.x() / norm), static_cast<float>(g.y() / norm)};
            const ImVec2 a{sx - d.x * half, sy - d.y * half}, b{sx + d.x * half, sy + d.y * half};
            c.draw_list->AddLine(a, b, color, c.line_scale);
            c.draw_list->AddTriangleFilled(b, {b.x - d.x * head - d.y * head * 0.6f, b.y - d.y * head + d.x * head * 0.6f},
                                           {b.x - d.x * head + d.y * head * 0.6f, b.y - d.y * head - d.x * head * 0.6f}, color);
        }
}

// Scenes saved before overlays said "gradient_field": true.
void adopt_gradient_field(const ParamOverrides& retired, std::map<std::string, ParamOverrides>& overlays) {
    if (const auto on = retired.find("gradient_field"); on != retired.end() && on->second != 0) overlays.try_emplace("gradient-field");
}

}  // namespace

extern const OverlayModule kGradientFieldOverlay;
const OverlayModule kGradientFieldOverlay{
    "gradient-field", "gradient field", "arrows of -grad f: the direction plain gradient descent steps from each point",
    kParams, draw_gradient_field, nullptr, OverlayLayer::UnderPaths, adopt_gradient_field};

}  // namespace optiviz::ui
