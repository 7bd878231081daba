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

SurfaceViewActions draw_surface_view(const SurfaceViewInput& input, ImVec2 size, bool interactive) {
    SurfaceViewActions actions;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    const ImVec2 end{origin.x + size.x, origin.y + size.y};
    dl->AddRectFilled(origin, end, IM_COL32(250, 250, 250, 255));
    const ImVec2 pmin{origin.x, origin.y + font * 1.8f};
    const ImVec2 pmax = end;
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
        char label[48];
        std::snprintf(label, sizeof label, "x = %g", v.x_max);
        dl->AddText({screen[1].x + 4, screen[1].y}, kInk, label);
        std::snprintf(label, sizeof label, "y = %g", v.y_max);
        dl->AddText({screen[3].x + 4, screen[3].y}, kInk, label);
        std::snprintf(label, sizeof label, "(%g, %g)", v.x_min, v.y_min);
        dl->AddText({screen[0].x + 4, screen[0].y}, kInk, label);
    }
    if (image.grid) {
        const FieldGrid& grid = *image.grid;
        const double lift = 0.012;  // just above the surface, so paths never sink into it
        for (const auto& m : input.minima) {
            ImVec2 p;
            if (project(surface_point(v, input.height_scale, m.x(), m.y(), 0) + Eigen::Vector3d(0, 0, lift), p)) {
                dl->AddCircleFilled(p, font * 0.35f, IM_COL32(255, 255, 255, 255), 12);
                dl->AddCircle(p, font * 0.35f, kInk, 12, 1.5f);
            }
        }
        for (const RunView& run : input.runs) {
            if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
            const Trajectory& t = *run.trajectory;
            const std::size_t last = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), t.size() - 1);
            std::vector<ImVec2> points;
            for (std::size_t k = 0; k <= last; ++k) {
                const bool inside = t.x[k] >= v.x_min && t.x[k] <= v.x_max && t.y[k] >= v.y_min && t.y[k] <= v.y_max;
                ImVec2 p;
                if (!inside || !project(surface_point(v, input.height_scale, t.x[k], t.y[k],
                                                      surface_height(grid, t.loss[k], input.linear_height)) +
                                            Eigen::Vector3d(0, 0, lift),
                                        p)) {
                    draw_path(dl, points, kOutline, 5.0f);
                    draw_path(dl, points, rgb(run.color), 3.0f);
                    points.clear();
                    continue;
                }
                if (!points.empty() && std::hypot(p.x - points.back().x, p.y - points.back().y) < 1.5f && k != last) continue;
                points.push_back(p);
            }
            draw_path(dl, points, kOutline, 5.0f);
            draw_path(dl, points, rgb(run.color), 3.0f);
            if (!points.empty()) {
                dl->AddCircleFilled(points.back(), font * 0.42f, kOutline, 16);
                dl->AddCircleFilled(points.back(), font * 0.32f, rgb(run.color), 16);
            }
        }
    }
    // Legend: the runs' colours.
    float legend_width = 0;
    int rows = 0;
    for (const RunView& run : input.runs)
        if (run.visible) legend_width = std::max(legend_width, ImGui::CalcTextSize(run.label.c_str()).x), ++rows;
    if (rows > 0) {
        const ImVec2 lmin{pmin.x + font * 0.6f, pmin.y + font * 0.4f};
        const ImVec2 lmax{lmin.x + legend_width + font * 3.2f, lmin.y + font * 1.3f * static_cast<float>(rows) + font * 0.6f};
        dl->AddRectFilled(lmin, lmax, IM_COL32(255, 255, 255, 225), font * 0.3f);
        dl->AddRect(lmin, lmax, IM_COL32(0, 0, 0, 120), font * 0.3f);
        int row = 0;
        for (const RunView& run : input.runs) {
            if (!run.visible) continue;
            const float y = lmin.y + font * 0.3f + font * 1.3f * static_cast<float>(row++) + font * 0.65f;
            draw_line_swatch(dl, lmin.x, y, font, run.color);
            dl->AddText({lmin.x + font * 2.7f, y - font * 0.5f}, kInk, run.label.c_str());
        }
    }
    dl->PopClipRect();

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
            ImGui::Text("step %zu\nx = %.6g\ny = %.6g\nloss = %.6g\n|grad| = %.4g", hovered_k, t.x[hovered_k], t.y[hovered_k],
                        t.loss[hovered_k], std::hypot(t.gx[hovered_k], t.gy[hovered_k]));
            ImGui::EndTooltip();
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
