// The 3-D view's markers on the mesh: heights as the mesh renderer builds them, and the depth test.
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/presentation/color_scale.h"
#include "core/surfaces/surface_registry.h"
#include "support/headless_imgui.h"
#include "support/recording_canvas.h"
#include "ui/canvas/canvas.h"
#include "ui/views/surface_view.h"

using namespace optiviz;

TEST_CASE("3-D view: the mesh's height at its vertices and between them", "[ui][surface3d]") {
    const auto surface = make_surface("himmelblau", {});
    const FieldGrid grid = sample_field(*surface, {-5, 5, -5, 5}, 64, 48);
    for (int r : {0, 7, 47})
        for (int c : {0, 13, 63}) {
            const double x = -5 + 10.0 * (c + 0.5) / 64, y = -5 + 10.0 * (r + 0.5) / 48;
            CHECK(ui::mesh_height(grid, x, y, false) == Approx(grid.normalized[static_cast<std::size_t>(r * 64 + c)]).margin(1e-6));
        }
    // Half way along a square's diagonal: the mean of its two ends (both triangles share it).
    const double x = -5 + 10.0 * 11.0 / 64, y = -5 + 10.0 * 6.0 / 48;
    const double a = grid.normalized[5 * 64 + 10], b = grid.normalized[6 * 64 + 11];
    CHECK(ui::mesh_height(grid, x, y, false) == Approx((a + b) / 2).margin(1e-6));
}

TEST_CASE("3-D view: a marker on the mesh is hidden only where the mesh is in front of it", "[ui][surface3d]") {
    const auto surface = make_surface("himmelblau", {});
    const ViewRect view{-4.75, 6.58, -7.11, 6.41};
    const FieldGrid grid = sample_field(*surface, view, 256, 256);
    // From above at 43° the log scale's funnels are steeper than the line of sight: their near walls
    // hide the bottoms. Straight from above nothing hides them.
    OrbitCamera camera;
    for (const auto& m : surface->minima()) {
        const double h = ui::mesh_height(grid, m.x(), m.y(), false);
        CHECK(h < 0.15);  // the marker sits at the funnel's bottom, not on its rim
        CHECK(ui::hidden_by_mesh(grid, camera, 0.6f, false, ui::surface_point(view, 0.6f, m.x(), m.y(), h)));
    }
    camera.pitch = 1.5;
    for (const auto& m : surface->minima()) {
        const double h = ui::mesh_height(grid, m.x(), m.y(), false);
        CHECK_FALSE(ui::hidden_by_mesh(grid, camera, 0.6f, false, ui::surface_point(view, 0.6f, m.x(), m.y(), h)));
    }
    // A point under the mesh: hidden from anywhere above.
    CHECK(ui::hidden_by_mesh(grid, camera, 0.6f, false, ui::surface_point(view, 0.6f, 6.0, 6.0, 0.0)));
    // A bowl's bottom, from straight above: in sight; at 43° the log scale's funnel hides it too.
    const auto bowl = make_surface("quadratic", {{"b", 1.0}});
    const ViewRect square{-2, 2, -2, 2};
    const FieldGrid b = sample_field(*bowl, square, 128, 128);
    const double h = ui::mesh_height(b, 0, 0, false);
    CHECK(h < 0.05);
    CHECK_FALSE(ui::hidden_by_mesh(b, camera, 0.6f, false, ui::surface_point(square, 0.6f, 0, 0, h)));
    CHECK(ui::hidden_by_mesh(b, OrbitCamera{}, 0.6f, false, ui::surface_point(square, 0.6f, 0, 0, h)));
    // With heights proportional to the loss the bowl is shallow: in sight from 43°.
    const double linear = ui::mesh_height(b, 0, 0, true);
    CHECK_FALSE(ui::hidden_by_mesh(b, OrbitCamera{}, 0.6f, true, ui::surface_point(square, 0.6f, 0, 0, linear)));
}

namespace {

// The texts the 3-D view draws over a mesh whose grid has these losses, with one logged path.
std::vector<std::string> surface_view_texts(const std::vector<double>& losses) {
    test::HeadlessImGui imgui(900, 600);
    FieldGrid grid;
    grid.width = grid.height = 2;
    grid.view = {-1, 1, -1, 1};
    grid.loss = losses;
    grid.normalized.assign(4, 0.5f);
    grid.scale.floor = 1.0;
    grid.scale.hi = 1.0;
    Trajectory path;
    path.x = {-0.5, 0.5};
    path.y = {-0.5, 0.5};
    path.loss = {1.0, 1.0};
    path.gx = path.gy = {0.0, 0.0};
    ui::SurfaceViewInput input;
    input.title = "Logged runs";
    input.view = grid.view;
    input.runs.push_back({&path, 0xE69F00, "run a", true, nullptr, {}, {}, 0, {}, {}, {}});
    input.runs.back().status = "logged: 2 snapshots";
    input.step = 1;
    input.image = [&](const ui::SurfaceImageRequest&) { return ui::SurfaceImage{reinterpret_cast<ImTextureID>(1), &grid}; };
    test::RecordingCanvas canvas(900, 600);
    imgui.frame([&] {
        const ui::CanvasRoute route(canvas);
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({900, 600});
        ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
        ui::draw_surface_view(input, {880, 580}, false);
        ImGui::End();
    });
    std::vector<std::string> texts;
    for (const test::RecordedText& t : canvas.texts) texts.push_back(t.text);
    return texts;
}

bool has_text(const std::vector<std::string>& texts, const std::string& part) {
    return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("3-D view: a flat field has no colour bar and the legend says the run's own words", "[ui][surface3d]") {
    const std::vector<std::string> flat = surface_view_texts({1, 1, 1, 1});
    CHECK_FALSE(has_text(flat, "loss"));  // the colour bar's title
    CHECK(has_text(flat, "logged: 2 snapshots"));
    const std::vector<std::string> varied = surface_view_texts({1, 2, 4, 8});
    CHECK(has_text(varied, "loss"));
}
