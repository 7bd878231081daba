#include "ui/surface_view.h"
#include "ui/draw_style.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace optiviz::ui {

namespace {

}  // namespace

double surface_height(const FieldGrid& grid, double loss, bool linear) {
    if (!linear) return grid.scale.normalize(loss);
    const double lo = grid.scale.floor, hi = grid.scale.loss_at(1.0);
    return hi > lo ? (loss - lo) / (hi - lo) : 0.0;
}

Eigen::Vector3d surface_point(const ViewRect& view, float height_scale, double x, double y, double t) {
    return {-1.0 + 2.0 * (x - view.x_min) / (view.x_max - view.x_min), -1.0 + 2.0 * (y - view.y_min) / (view.y_max - view.y_min),
            std::clamp(t, 0.0, 1.0) * height_scale};
}

void surface_mesh_rect(ImVec2 size, float font_size, ImVec2& min, ImVec2& max) {
    const LandscapeLayout layout = landscape_layout(size, font_size);
    min = {0, font_size * 1.8f};
    max = {layout.plot_max.x + font_size * 2.0f, size.y};
}

SurfaceViewActions draw_surface_view(const SurfaceViewInput& input, ImVec2 size, bool interactive) {
    SurfaceViewActions actions;
    WindowCanvas dl;  // the window, or the vector export's canvas
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    const ImVec2 end{origin.x + size.x, origin.y + size.y};
    dl->AddRectFilled(origin, end, IM_COL32(250, 250, 250, 255));
    // The same right-hand margins as the map: colorbar, then the legend column.
    const LandscapeLayout layout = landscape_layout(size, font);
    ImVec2 mesh_min, mesh_max;
    surface_mesh_rect(size, font, mesh_min, mesh_max);
    const ImVec2 pmin{origin.x + mesh_min.x, origin.y + mesh_min.y};
    const ImVec2 pmax{origin.x + mesh_max.x, origin.y + mesh_max.y};
    const double w = pmax.x - pmin.x, h = pmax.y - pmin.y;
    dl->AddText({origin.x + font * 0.5f, origin.y + font * 0.4f}, kInk, input.title.c_str());
    SurfaceImage image;
    if (input.image && w > 4 && h > 4) {
        image = input.image({input.camera, input.view, static_cast<int>(w), static_cast<int>(h), input.contours,
                             input.linear_height});
        if (image.texture) dl->AddImage(image.texture, pmin, pmax, {0, 1}, {1, 0});
    }
    auto project = [&](const Eigen::Vector3d& p, ImVec2& out) {
        Eigen::Vector3d px;
        if (!input.camera.project(p, w, h, px)) return false;
        out = {static_cast<float>(pmin.x + px.x()), static_cast<float>(pmin.y + px.y())};
        return true;
    };
    dl->PushClipRect(pmin, pmax, true);
    // Floor frame with tick labels at the corners, so the axes read.
    const ViewRect& v = input.view;
    const Eigen::Vector3d corners[4] = {surface_point(v, input.height_scale, v.x_min, v.y_min, 0),
                                        surface_point(v, input.height_scale, v.x_max, v.y_min, 0),
                                        surface_point(v, input.height_scale, v.x_max, v.y_max, 0),
                                        surface_point(v, input.height_scale, v.x_min, v.y_max, 0)};
    ImVec2 screen[4];
    bool visible = true;
    for (int i = 0; i < 4; ++i) visible = project(corners[i], screen[i]) && visible;
    if (visible) {
        for (int i = 0; i < 4; ++i) dl->AddLine(screen[i], screen[(i + 1) % 4], IM_COL32(0, 0, 0, 110), 1.0f);
        // Appended piece by piece: GCC 12's -Wrestrict misfires on "(" + a + ", " + b at -O3.
        std::string label = "x = ";
        label += format_number(v.x_max, 3);
        dl->AddText({screen[1].x + 4, screen[1].y}, kInk, label.c_str());
        label = "y = ";
        label += format_number(v.y_max, 3);
        dl->AddText({screen[3].x + 4, screen[3].y}, kInk, label.c_str());
        label = "(";
        label += format_number(v.x_min, 3);
        label += ", ";
        label += format_number(v.y_min, 3);
        label += ")";
        dl->AddText({screen[0].x + 4, screen[0].y}, kInk, label.c_str());
    }
    if (image.grid) {
        const FieldGrid& grid = *image.grid;
        const double lift = 0.012;  // just above the surface, so paths never sink into it
        auto lifted = [&](double x, double y, double loss, ImVec2& p) {
            return project(surface_point(v, input.height_scale, x, y, surface_height(grid, loss, input.linear_height)) +
                               Eigen::Vector3d(0, 0, lift),
                           p);
        };
        // Clouds: where each particle is now, faint.
        for (const RunView& run : input.runs) {
            if (!run.visible || !run.cloud) continue;
            for (const Trajectory& particle : *run.cloud) {
                if (particle.size() == 0) continue;
                const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), particle.size() - 1);
                ImVec2 p;
                if (particle.x[k] >= v.x_min && particle.x[k] <= v.x_max && particle.y[k] >= v.y_min && particle.y[k] <= v.y_max &&
                    lifted(particle.x[k], particle.y[k], particle.loss[k], p))
                    dl->AddCircleFilled(p, font * 0.2f, rgb(run.color, 200), 8);
            }
        }
        std::vector<std::pair<ImVec2, std::size_t>> heads;
        for (std::size_t r = 0; r < input.runs.size(); ++r) {
            const RunView& run = input.runs[r];
            if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
            const Trajectory& t = *run.trajectory;
            const std::size_t last = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), t.size() - 1);
            std::vector<ImVec2> points;
            for (std::size_t k = 0; k <= last; ++k) {
                const bool inside = t.x[k] >= v.x_min && t.x[k] <= v.x_max && t.y[k] >= v.y_min && t.y[k] <= v.y_max;
                ImVec2 p;
                if (!inside || !lifted(t.x[k], t.y[k], t.loss[k], p)) {
                    draw_path(dl, points, halo_for(run.color), 5.0f);
                    draw_path(dl, points, rgb(run.color), 3.0f);
                    points.clear();
                    continue;
                }
                if (!points.empty() && std::hypot(p.x - points.back().x, p.y - points.back().y) < 1.5f && k != last) continue;
                points.push_back(p);
            }
            draw_path(dl, points, halo_for(run.color), 5.0f);
            draw_path(dl, points, rgb(run.color), 3.0f);
            if (!points.empty() && !(t.x[last] < v.x_min || t.x[last] > v.x_max || t.y[last] < v.y_min || t.y[last] > v.y_max))
                heads.emplace_back(points.back(), r);
        }
        // The start and the minima on the surface, over the paths; then every marker over everything.
        if (input.surface) {
            ImVec2 p;
            for (const auto& m : input.minima)
                if (lifted(m.x(), m.y(), input.surface->value(m.x(), m.y()), p)) {
                    dl->AddCircleFilled(p, font * 0.35f, IM_COL32(255, 255, 255, 255), 12);
                    dl->AddCircle(p, font * 0.35f, kInk, 12, 1.5f);
                }
            const double sx = input.start.x(), sy = input.start.y();
            if (sx >= v.x_min && sx <= v.x_max && sy >= v.y_min && sy <= v.y_max && lifted(sx, sy, input.surface->value(sx, sy), p)) {
                dl->AddCircle(p, font * 0.45f, kOutline, 20, 4.0f);
                dl->AddCircle(p, font * 0.45f, IM_COL32(255, 255, 255, 255), 20, 2.0f);
            }
        }
        for (const auto& [p, r] : heads) draw_run_marker(dl, p, font, 1.0f, input.runs[r].color, static_cast<int>(r));
    }
    dl->PopClipRect();
    // Colorbar (the mesh's log scale) and the legend column with each run's status, beside the mesh.
    if (image.grid) {
        const LogColorScale& scale = image.grid->scale;
        const ImVec2 cmin{origin.x + layout.colorbar_min.x + font * 2.0f, origin.y + layout.colorbar_min.y};
        const ImVec2 cmax{origin.x + layout.colorbar_max.x + font * 2.0f, origin.y + layout.colorbar_max.y};
        draw_colorbar_bands(dl, cmin, cmax);
        for (double value : scale.ticks()) {
            const double t = scale.normalize(value);
            if (!(t >= 0 && t <= 1)) continue;
            const float sy = cmax.y - static_cast<float>(t) * (cmax.y - cmin.y);
            dl->AddLine({cmax.x - font * 0.35f, sy}, {cmax.x, sy}, kInk, 1.5f);
            dl->AddText({cmax.x + font * 0.35f, sy - font * 0.5f}, kInk, format_number(value, 6).c_str());
        }
        dl->AddText({cmin.x - font * 0.2f, cmin.y - font * 1.3f}, kInk, "loss");
    }
    {
        const float x0 = origin.x + layout.side_min.x + font * 2.0f, x1 = end.x - font * 0.4f;
        const float wrap = std::max(font * 4.0f, x1 - x0 - font * 2.9f);
        float y = origin.y + layout.side_min.y;
        dl->PushClipRect({x0, origin.y}, end, true);
        for (std::size_t r = 0; r < input.runs.size(); ++r) {
            const RunView& run = input.runs[r];
            if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
            const std::string text = wrap_to_width(
                run.label + "\n" + run_status(*run.trajectory, input.step, input.steps, input.best_loss, run.stop, input.minima), wrap);
            draw_line_swatch(dl, x0, y + font * 0.5f, font, run.color, run_dash(r));
            draw_run_marker(dl, {x0 + font * 1.35f, y + font * 0.5f}, font, 1.0f, run.color, static_cast<int>(r));
            dl->AddText(ImGui::GetFont(), font, {x0 + font * 2.9f, y}, kInk, text.c_str(), nullptr, 0.0f);
            y += ImGui::CalcTextSize(text.c_str()).y + font * 0.45f;
        }
        dl->PopClipRect();
    }

    // Hover: the nearest drawn path point within 8 px.
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const RunView* hovered_run = nullptr;
    std::size_t hovered_k = 0;
    if (interactive && image.grid && mouse.x >= pmin.x && mouse.x <= pmax.x && mouse.y >= pmin.y && mouse.y <= pmax.y) {
        float best = 8.0f;
        for (const RunView& run : input.runs) {
            if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
            const Trajectory& t = *run.trajectory;
            const std::size_t last = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), t.size() - 1);
            for (std::size_t k = 0; k <= last; ++k) {
                ImVec2 p;
                if (!project(surface_point(v, input.height_scale, t.x[k], t.y[k],
                                           surface_height(*image.grid, t.loss[k], input.linear_height)),
                             p))
                    continue;
                const float d = std::hypot(p.x - mouse.x, p.y - mouse.y);
                if (d < best) best = d, hovered_run = &run, hovered_k = k;
            }
        }
    }

    if (interactive) {
        ImGui::SetCursorScreenPos(pmin);
        ImGui::InvisibleButton("##surface3d", {static_cast<float>(std::max(w, 1.0)), static_cast<float>(std::max(h, 1.0))},
                               ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                   ImGuiButtonFlags_MouseButtonMiddle);
        const ImGuiIO& io = ImGui::GetIO();
        OrbitCamera camera = input.camera;
        bool changed = false;
        if (ImGui::IsItemActive() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
            const bool panning = ImGui::IsMouseDown(ImGuiMouseButton_Right) || ImGui::IsMouseDown(ImGuiMouseButton_Middle) ||
                                 io.KeyShift;
            if (panning) camera.pan(-io.MouseDelta.x / w * camera.distance, io.MouseDelta.y / h * camera.distance);
            else camera.orbit(-io.MouseDelta.x * 0.01, io.MouseDelta.y * 0.01);
            changed = true;
        }
        if (ImGui::IsItemHovered() && io.MouseWheel != 0) {
            camera.zoom(std::pow(0.88, io.MouseWheel));
            changed = true;
        }
        if (changed) actions.new_camera = camera;
        if (hovered_run && ImGui::IsItemHovered() && !ImGui::IsItemActive()) {
            const Trajectory& t = *hovered_run->trajectory;
            ImGui::BeginTooltip();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(hovered_run->color)), "%s", hovered_run->label.c_str());
            ImGui::TextUnformatted(point_tooltip_text(hovered_k, t.x[hovered_k], t.y[hovered_k], t.loss[hovered_k],
                                                      std::hypot(t.gx[hovered_k], t.gy[hovered_k]))
                                       .c_str());
            ImGui::EndTooltip();
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
