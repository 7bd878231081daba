#include "ui/views/surface_view.h"
#include "ui/views/color_bar.h"
#include "ui/canvas/draw_style.h"
#include "ui/overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace optiviz::ui {

double surface_height(const FieldGrid& grid, double loss, bool linear) {
    if (!linear) return grid.scale.normalize(loss);
    const double lo = grid.scale.floor, hi = grid.scale.loss_at(1.0);
    return hi > lo ? (loss - lo) / (hi - lo) : 0.0;
}

namespace {

// A vertex's height, as the mesh renderer computes it: a non-finite loss is the top.
double vertex_height(const FieldGrid& grid, int c, int r, bool linear) {
    c = std::clamp(c, 0, grid.width - 1);
    r = std::clamp(r, 0, grid.height - 1);
    const auto i = static_cast<std::size_t>(r) * static_cast<std::size_t>(grid.width) + static_cast<std::size_t>(c);
    const float t = grid.normalized[i];
    if (t < 0) return 1.0;
    return linear ? std::clamp(surface_height(grid, grid.loss[i], true), 0.0, 1.0) : static_cast<double>(t);
}

// The mesh's height at fractional sample coordinates (u, v): sample (c, r) sits at (c, r).
double mesh_height_at(const FieldGrid& grid, double u, double v, bool linear) {
    if (grid.width < 2 || grid.height < 2) return vertex_height(grid, 0, 0, linear);
    const int c = std::clamp(static_cast<int>(std::floor(u)), 0, grid.width - 2);
    const int r = std::clamp(static_cast<int>(std::floor(v)), 0, grid.height - 2);
    const double fu = std::clamp(u - c, 0.0, 1.0), fv = std::clamp(v - r, 0.0, 1.0);
    const double z00 = vertex_height(grid, c, r, linear), z10 = vertex_height(grid, c + 1, r, linear);
    const double z01 = vertex_height(grid, c, r + 1, linear), z11 = vertex_height(grid, c + 1, r + 1, linear);
    return fu >= fv ? z00 + fu * (z10 - z00) + fv * (z11 - z10) : z00 + fv * (z01 - z00) + fu * (z11 - z01);
}

}  // namespace

double mesh_height(const FieldGrid& grid, double x, double y, bool linear) {
    const ViewRect& v = grid.view;
    const double u = (x - v.x_min) / (v.x_max - v.x_min) * grid.width - 0.5;
    const double w = (y - v.y_min) / (v.y_max - v.y_min) * grid.height - 0.5;
    return mesh_height_at(grid, u, w, linear);
}

bool hidden_by_mesh(const FieldGrid& grid, const OrbitCamera& camera, float height_scale, bool linear,
                    const Eigen::Vector3d& p) {
    // March from the eye to the point; the last 3% is the marker's own neighbourhood on the mesh.
    const Eigen::Vector3d eye = camera.eye();
    constexpr int kSamples = 96;
    for (int k = 1; k < kSamples; ++k) {
        const double s = 0.97 * k / kSamples;
        const Eigen::Vector3d q = eye + s * (p - eye);
        if (q.x() < -1 || q.x() > 1 || q.y() < -1 || q.y() > 1) continue;
        const double u = (q.x() + 1) / 2 * grid.width - 0.5, v = (q.y() + 1) / 2 * grid.height - 0.5;
        if (q.z() < mesh_height_at(grid, u, v, linear) * height_scale - 1e-3) return true;
    }
    return false;
}

Eigen::Vector3d surface_point(const ViewRect& view, float height_scale, double x, double y, double t) {
    return {-1.0 + 2.0 * (x - view.x_min) / (view.x_max - view.x_min), -1.0 + 2.0 * (y - view.y_min) / (view.y_max - view.y_min),
            std::clamp(t, 0.0, 1.0) * height_scale};
}

void surface_mesh_rect(ImVec2 size, float font_size, ImVec2& min, ImVec2& max, int title_lines) {
    const LandscapeLayout layout = landscape_layout(size, font_size);
    min = {0, font_size * (0.8f + static_cast<float>(std::max(title_lines, 1)))};
    max = {layout.plot_max.x + font_size * 2.0f, size.y};
}

std::size_t shown_mesh_row(const Trajectory& t, long step) {
    return std::min<std::size_t>(static_cast<std::size_t>(std::max(step, 0L)), t.size() - 1);
}

namespace {

// The mesh's rectangle on screen and the camera that maps model points into it.
struct MeshFrame {
    const SurfaceViewInput* input = nullptr;
    ImVec2 pmin, pmax;
    double w = 0, h = 0;
    // The mesh has one value (a model's logged paths alone, no loss to sample): paths lie on it, as
    // the loss they carry is not the field's.
    bool flat = false;
    // The height of path point (x, y) with this loss: its loss on the colour scale, or on a flat mesh
    // the mesh itself.
    double path_height(const FieldGrid& grid, double x, double y, double loss) const {
        return flat ? mesh_height(grid, x, y, input->linear_height) : surface_height(grid, loss, input->linear_height);
    }
    bool project(const Eigen::Vector3d& p, ImVec2& out) const {
        Eigen::Vector3d px;
        if (!input->camera.project(p, w, h, px)) return false;
        out = {static_cast<float>(pmin.x + px.x()), static_cast<float>(pmin.y + px.y())};
        return true;
    }
    bool inside_view(double x, double y) const {
        const ViewRect& v = input->view;
        return x >= v.x_min && x <= v.x_max && y >= v.y_min && y <= v.y_max;
    }
    // A point of the surface at (x, y) with this loss, just above the mesh so paths never sink in.
    bool lifted(const FieldGrid& grid, double x, double y, double loss, ImVec2& p) const {
        constexpr double kLift = 0.012;
        const double t = path_height(grid, x, y, loss);
        return project(surface_point(input->view, input->height_scale, x, y, t) + Eigen::Vector3d(0, 0, kLift), p);
    }
    // Where a marker on the drawn mesh at (x, y) goes, and whether the mesh hides it from the eye
    // (the depth test: a funnel's near wall can hide its bottom).
    bool on_mesh(const FieldGrid& grid, double x, double y, ImVec2& p, bool& hidden) const {
        const Eigen::Vector3d at = surface_point(input->view, input->height_scale, x, y, mesh_height(grid, x, y, input->linear_height));
        hidden = hidden_by_mesh(grid, input->camera, input->height_scale, input->linear_height, at);
        return project(at + Eigen::Vector3d(0, 0, 0.004), p);
    }
};

std::size_t shown_index(const Trajectory& t, long step) { return shown_mesh_row(t, step); }

// The frame and the mesh's samples, as modules see them (ui/overlay.h MeshOverlayContext).
class FramePlacement final : public MeshPlacement {
public:
    FramePlacement(const MeshFrame& frame, const FieldGrid& grid) : frame_(frame), grid_(grid) {}
    bool inside_view(double x, double y) const override { return frame_.inside_view(x, y); }
    bool lifted(double x, double y, double loss, ImVec2& p) const override { return frame_.lifted(grid_, x, y, loss, p); }
    bool on_mesh(double x, double y, ImVec2& p, bool& hidden) const override { return frame_.on_mesh(grid_, x, y, p, hidden); }

private:
    const MeshFrame& frame_;
    const FieldGrid& grid_;
};

// The parts one after another. Out of line: GCC 12's -Wrestrict misfires on "(" + a + ", " + b
// when it is inlined at -O3.
[[gnu::noinline]] std::string joined(std::initializer_list<std::string> parts) {
    std::string text;
    for (const std::string& part : parts) text += part;
    return text;
}

// The floor's frame with tick labels at its corners, so the axes read.
void draw_floor_frame(Canvas* dl, const MeshFrame& m) {
    const ViewRect& v = m.input->view;
    const float hs = m.input->height_scale;
    const Eigen::Vector3d corners[4] = {surface_point(v, hs, v.x_min, v.y_min, 0), surface_point(v, hs, v.x_max, v.y_min, 0),
                                        surface_point(v, hs, v.x_max, v.y_max, 0), surface_point(v, hs, v.x_min, v.y_max, 0)};
    ImVec2 screen[4];
    bool visible = true;
    for (int i = 0; i < 4; ++i) visible = m.project(corners[i], screen[i]) && visible;
    if (!visible) return;
    for (int i = 0; i < 4; ++i) dl->AddLine(screen[i], screen[(i + 1) % 4], IM_COL32(0, 0, 0, 110), 1.0f);
    dl->AddText({screen[1].x + 4, screen[1].y}, kInk, joined({"x = ", format_number(v.x_max, 3)}).c_str());
    dl->AddText({screen[3].x + 4, screen[3].y}, kInk, joined({"y = ", format_number(v.y_max, 3)}).c_str());
    dl->AddText({screen[0].x + 4, screen[0].y}, kInk,
                joined({"(", format_number(v.x_min, 3), ", ", format_number(v.y_min, 3), ")"}).c_str());
}

// One run's path on the mesh, in pieces where it leaves the view; returns where its marker goes, if
// its shown point is in the view.
std::optional<ImVec2> draw_mesh_path(Canvas* dl, const MeshFrame& m, const FieldGrid& grid, const RunView& run) {
    const Trajectory& t = *run.trajectory;
    const std::size_t last = shown_index(t, m.input->step);
    std::vector<ImVec2> points;
    auto flush = [&] {
        draw_path(dl, points, halo_for(run.color), 5.0f);
        draw_path(dl, points, rgb(run.color), 3.0f);
    };
    for (std::size_t k = 0; k <= last; ++k) {
        ImVec2 p;
        if (!m.inside_view(t.x[k], t.y[k]) || !m.lifted(grid, t.x[k], t.y[k], t.loss[k], p)) {
            flush();
            points.clear();
            continue;
        }
        if (!points.empty() && std::hypot(p.x - points.back().x, p.y - points.back().y) < 1.5f && k != last) continue;
        points.push_back(p);
    }
    flush();
    if (points.empty() || !m.inside_view(t.x[last], t.y[last])) return std::nullopt;
    return points.back();
}

// The modules' marks on the mesh (the particle clouds, ui/overlays/particle_cloud.cpp), the paths,
// the start and the minima on the surface over the paths, then every run's marker over everything.
void draw_runs_on_mesh(Canvas* dl, const MeshFrame& m, const FieldGrid& grid, float font) {
    const SurfaceViewInput& input = *m.input;
    const FramePlacement placement(m, grid);
    draw_mesh_overlays({dl, &input, &placement, font}, input.overlays);
    std::vector<std::pair<ImVec2, std::size_t>> heads;
    std::vector<std::size_t> order;
    for (std::size_t r = 0; r < input.runs.size(); ++r)
        if (static_cast<int>(r) != input.front_run) order.push_back(r);
    if (input.front_run >= 0 && static_cast<std::size_t>(input.front_run) < input.runs.size())
        order.push_back(static_cast<std::size_t>(input.front_run));  // over every other path
    for (const std::size_t r : order) {
        const RunView& run = input.runs[r];
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        if (const auto head = draw_mesh_path(dl, m, grid, run)) heads.emplace_back(*head, r);
    }
    if (input.surface) {
        ImVec2 p;
        // The minima and the start sit on the drawn mesh (its height at their place), depth-tested.
        // One the mesh hides is drawn as a faint ring, seen through the surface: its place stays known.
        bool hidden = false;
        for (const auto& minimum : input.minima) {
            if (!m.inside_view(minimum.x(), minimum.y()) || !m.on_mesh(grid, minimum.x(), minimum.y(), p, hidden)) continue;
            if (hidden) {
                dl->AddCircle(p, font * 0.35f, IM_COL32(255, 255, 255, 150), 12, 1.5f);
                continue;
            }
            dl->AddCircleFilled(p, font * 0.35f, IM_COL32(255, 255, 255, 255), 12);
            dl->AddCircle(p, font * 0.35f, kInk, 12, 1.5f);
        }
        const double sx = input.start.x(), sy = input.start.y();
        if (m.inside_view(sx, sy) && m.on_mesh(grid, sx, sy, p, hidden)) {
            if (!hidden) dl->AddCircle(p, font * 0.45f, kOutline, 20, 4.0f);
            dl->AddCircle(p, font * 0.45f, IM_COL32(255, 255, 255, hidden ? 150 : 255), 20, 2.0f);
        }
    }
    for (const auto& [p, r] : heads) draw_run_marker(dl, p, font, 1.0f, input.runs[r].color, static_cast<int>(r));
}

// The colour bar (the mesh's log scale) beside the mesh.
void draw_mesh_colorbar(Canvas* dl, const FieldGrid& grid, ImVec2 origin, const LandscapeLayout& layout, float font) {
    const ImVec2 cmin{origin.x + layout.colorbar_min.x + font * 2.0f, origin.y + layout.colorbar_min.y};
    const ImVec2 cmax{origin.x + layout.colorbar_max.x + font * 2.0f, origin.y + layout.colorbar_max.y};
    draw_color_bar(dl, log_scale_bar(grid.scale), cmin, cmax, font);
}

// The legend column with each run's status.
void draw_mesh_legend(Canvas* dl, const SurfaceViewInput& input, ImVec2 origin, ImVec2 end, const LandscapeLayout& layout,
                      float font) {
    const float x0 = origin.x + layout.side_min.x + font * 2.0f, x1 = end.x - font * 0.4f;
    const float wrap = std::max(font * 4.0f, x1 - x0 - font * 2.9f);
    float y = origin.y + layout.side_min.y;
    dl->PushClipRect({x0, origin.y}, end, true);
    for (std::size_t r = 0; r < input.runs.size(); ++r) {
        const RunView& run = input.runs[r];
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const std::string status = !run.status.empty() ? run.status
                                   : run_status(*run.trajectory, input.step, input.steps, input.best_loss, run.stop, input.minima);
        const std::string note = run.shared_note.empty() ? "" : "\n" + run.shared_note;
        const std::string text = wrap_to_width(run.label + "\n" + status + note, wrap);
        draw_line_swatch(dl, x0, y + font * 0.5f, font, run.color, run.dash);
        draw_run_marker(dl, {x0 + font * 1.35f, y + font * 0.5f}, font, 1.0f, run.color, static_cast<int>(r));
        dl->AddText(ImGui::GetFont(), font, {x0 + font * 2.9f, y}, kInk, text.c_str(), nullptr, 0.0f);
        y += ImGui::CalcTextSize(text.c_str()).y + font * 0.45f;
    }
    dl->PopClipRect();
}

// The drawn path point nearest the mouse, within 8 px.
std::optional<std::pair<const RunView*, std::size_t>> hovered_mesh_point(const MeshFrame& m, const FieldGrid& grid) {
    const SurfaceViewInput& input = *m.input;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (mouse.x < m.pmin.x || mouse.x > m.pmax.x || mouse.y < m.pmin.y || mouse.y > m.pmax.y) return std::nullopt;
    std::optional<std::pair<const RunView*, std::size_t>> hovered;
    float best = 8.0f;
    for (const RunView& run : input.runs) {
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const Trajectory& t = *run.trajectory;
        const std::size_t last = shown_index(t, input.step);
        for (std::size_t k = 0; k <= last; ++k) {
            ImVec2 p;
            const double height = m.path_height(grid, t.x[k], t.y[k], t.loss[k]);
            if (!m.project(surface_point(input.view, input.height_scale, t.x[k], t.y[k], height), p)) continue;
            const float d = std::hypot(p.x - mouse.x, p.y - mouse.y);
            if (d < best) best = d, hovered = {{&run, k}};
        }
    }
    return hovered;
}

// Orbit, pan and zoom with the mouse; the hovered point's tooltip.
void handle_mesh_mouse(const MeshFrame& m, const std::optional<std::pair<const RunView*, std::size_t>>& hovered,
                       SurfaceViewActions& actions) {
    ImGui::SetCursorScreenPos(m.pmin);
    ImGui::InvisibleButton("##surface3d", {static_cast<float>(std::max(m.w, 1.0)), static_cast<float>(std::max(m.h, 1.0))},
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    const ImGuiIO& io = ImGui::GetIO();
    OrbitCamera camera = m.input->camera;
    bool changed = false;
    if (ImGui::IsItemActive() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
        const bool panning = ImGui::IsMouseDown(ImGuiMouseButton_Right) || ImGui::IsMouseDown(ImGuiMouseButton_Middle) || io.KeyShift;
        if (panning) camera.pan(-io.MouseDelta.x / m.w * camera.distance, io.MouseDelta.y / m.h * camera.distance);
        else camera.orbit(-io.MouseDelta.x * 0.01, io.MouseDelta.y * 0.01);
        changed = true;
    }
    if (ImGui::IsItemHovered() && io.MouseWheel != 0) {
        camera.zoom(std::pow(0.88, io.MouseWheel));
        changed = true;
    }
    if (changed) actions.new_camera = camera;
    if (hovered && ImGui::IsItemHovered() && !ImGui::IsItemActive()) {
        const RunView& run = *hovered->first;
        const Trajectory& t = *run.trajectory;
        const std::size_t k = hovered->second;
        ImGui::BeginTooltip();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(run.color)), "%s", run.label.c_str());
        ImGui::TextUnformatted(point_tooltip_text(k, t.x[k], t.y[k], t.loss[k], std::hypot(t.gx[k], t.gy[k])).c_str());
        ImGui::EndTooltip();
    }
}

}  // namespace

SurfaceViewActions draw_surface_view(const SurfaceViewInput& input, ImVec2 size, bool interactive) {
    SurfaceViewActions actions;
    WindowCanvas dl;  // the window, or the vector export's canvas
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    const ImVec2 end{origin.x + size.x, origin.y + size.y};
    dl->AddRectFilled(origin, end, IM_COL32(250, 250, 250, 255));
    // The title wraps to the view's width (a model's plane note makes it long), the mesh below it.
    const std::string title = wrap_to_width(input.title, std::max(font * 4.0f, size.x - font));
    const int title_lines = static_cast<int>(std::count(title.begin(), title.end(), '\n')) + 1;
    ImVec2 mesh_min, mesh_max;
    surface_mesh_rect(size, font, mesh_min, mesh_max, title_lines);
    // The same right-hand margins as the map: colorbar, then the legend column, below the title.
    const LandscapeLayout layout = landscape_layout(size, font, title_lines - 1);
    MeshFrame m;
    m.input = &input;
    m.pmin = {origin.x + mesh_min.x, origin.y + mesh_min.y};
    m.pmax = {origin.x + mesh_max.x, origin.y + mesh_max.y};
    m.w = m.pmax.x - m.pmin.x;
    m.h = m.pmax.y - m.pmin.y;
    dl->AddText({origin.x + font * 0.5f, origin.y + font * 0.4f}, kInk, title.c_str());
    SurfaceImage image;
    if (input.image && m.w > 4 && m.h > 4) {
        image = input.image({input.camera, input.view, static_cast<int>(m.w), static_cast<int>(m.h), input.contours,
                             input.linear_height});
        if (image.texture) dl->AddImage(image.texture, m.pmin, m.pmax, {0, 1}, {1, 0});
    }
    dl->PushClipRect(m.pmin, m.pmax, true);
    draw_floor_frame(dl, m);
    m.flat = image.grid && !image.grid->varies();
    if (image.grid) draw_runs_on_mesh(dl, m, *image.grid, font);
    dl->PopClipRect();
    // A field with one value (a model's paths alone, no loss sampled) has no scale to show.
    if (image.grid && image.grid->varies()) draw_mesh_colorbar(dl, *image.grid, origin, layout, font);
    draw_mesh_legend(dl, input, origin, end, layout, font);
    if (interactive) handle_mesh_mouse(m, image.grid ? hovered_mesh_point(m, *image.grid) : std::nullopt, actions);
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
