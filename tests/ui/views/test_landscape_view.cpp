// The ui layer through real ImGui frames, no renderer.
#include "support/catch.h"

#include <cmath>

#include "core/optimizers/optimizer.h"
#include "core/scene/presets.h"
#include "core/scene/scene.h"
#include "core/surfaces/surface_registry.h"
#include "support/headless_imgui.h"
#include "ui/panels/control_panel.h"
#include "ui/canvas/draw_style.h"
#include "ui/views/landscape_view.h"

using namespace optiviz;

TEST_CASE("nice ticks and equal-scale views", "[ui]") {
    CHECK(ui::nice_ticks(-2.0, 2.0, 4) == std::vector<double>{-2, -1, 0, 1, 2});
    CHECK(ui::nice_ticks(0.0, 1.0, 5) == std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1});
    CHECK(ui::nice_ticks(1.0, 1.0, 5).empty());
    const ViewRect v = ui::fit_view({-1, 1, -1, 1}, 400, 200);
    CHECK((v.x_max - v.x_min) / (v.y_max - v.y_min) == Approx(2.0));
    CHECK(v.y_min == -1.0);
}

TEST_CASE("the landscape draws paths, legend and markers without any GL", "[ui]") {
    test::HeadlessImGui imgui(800, 600);
    const auto surface = make_surface("rosenbrock", {});
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 0.05}};
    config.steps = 300;
    const Trajectory t = run_trajectory(*surface, config, {-1.5, 2.0});
    ui::LandscapeInput input;
    input.title = "Rosenbrock";
    input.view = surface->default_view();
    input.minima = surface->minima();
    input.start = {-1.5, 2.0};
    input.runs.push_back({&t, 0xE69F00, "Adam", true, nullptr, {}, {}, 0, {}, {}, {}});
    input.step = 300;
    ui::LandscapeActions actions;
    auto body = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({800, 600});
        ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
        actions = ui::draw_landscape(input, {780, 580}, true);
        ImGui::End();
    };
    imgui.frame(body);
    const int with_run = ImGui::GetDrawData()->TotalVtxCount;
    input.runs.clear();
    imgui.frame(body);
    CHECK(with_run > ImGui::GetDrawData()->TotalVtxCount + 300);  // the path (and its legend row) is drawn
    CHECK(actions.plot_max.x > actions.plot_min.x);

    // A left click maps back to the data point under the cursor.
    const ImVec2 target{actions.plot_min.x + 0.25f * (actions.plot_max.x - actions.plot_min.x),
                        actions.plot_min.y + 0.75f * (actions.plot_max.y - actions.plot_min.y)};
    std::optional<Eigen::Vector2d> clicked;
    imgui.click(target, [&] {
        body();
        if (actions.new_start) clicked = actions.new_start;
    });
    REQUIRE(clicked.has_value());
    const ViewRect& v = actions.shown_view;
    CHECK(clicked->x() == Approx(v.x_min + 0.25 * (v.x_max - v.x_min)).margin((v.x_max - v.x_min) / 500));
    CHECK(clicked->y() == Approx(v.y_min + 0.25 * (v.y_max - v.y_min)).margin((v.y_max - v.y_min) / 500));

    // The wheel zooms in about the cursor.
    imgui.io().MousePos = target;
    imgui.io().MouseWheel = 1.0f;
    std::optional<ViewRect> zoomed;
    imgui.frame([&] {
        body();
        zoomed = actions.new_view;
    });
    imgui.io().MouseWheel = 0.0f;
    REQUIRE(zoomed.has_value());
    CHECK(zoomed->x_max - zoomed->x_min < v.x_max - v.x_min);
}

TEST_CASE("a log-scale slider built from the parameter table follows a drag", "[ui]") {
    test::HeadlessImGui imgui(600, 200);
    const ParamSpec& lr = find_optimizer("adam").params[0];
    REQUIRE(lr.name == "lr");
    REQUIRE(lr.log_scale);
    ParamOverrides values;
    ImVec2 min, max;
    auto body = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({600, 200});
        ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
        // The slider's frame (its label sits to the right of it; tooltips change the "last item").
        min = ImGui::GetCursorScreenPos();
        max = {min.x + ImGui::CalcItemWidth(), min.y + ImGui::GetFrameHeight()};
        ui::param_slider(lr, values);
        ImGui::End();
    };
    imgui.frame(body);
    const float y = (min.y + max.y) / 2;
    imgui.drag({min.x + 2, y}, {min.x + 3, y}, body);
    REQUIRE(values.count("lr") == 1);
    CHECK(values["lr"] < 2e-5);  // the left end is ui_min = 1e-5
    imgui.drag({min.x + 3, y}, {max.x - 2, y}, body);
    CHECK(values["lr"] > 5.0);   // the right end is 10
    // Halfway along a log slider is the geometric mean, not the arithmetic one.
    imgui.drag({max.x - 2, y}, {(min.x + max.x) / 2, y}, body);
    CHECK(std::log10(values["lr"]) == Approx(-2.0).margin(0.25));
}

TEST_CASE("a flag parameter is a checkbox", "[ui]") {
    test::HeadlessImGui imgui(600, 200);
    const auto params = find_optimizer("adam").params;
    const ParamSpec* amsgrad = nullptr;
    for (const auto& p : params)
        if (p.name == "amsgrad") amsgrad = &p;
    REQUIRE(amsgrad);
    double value = 0.0;
    ImVec2 min, max;
    auto body = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({600, 200});
        ImGui::Begin("test", nullptr, ImGuiWindowFlags_NoDecoration);
        min = ImGui::GetCursorScreenPos();
        max = {min.x + ImGui::GetFrameHeight(), min.y + ImGui::GetFrameHeight()};
        ui::param_slider(*amsgrad, value);
        ImGui::End();
    };
    imgui.frame(body);
    imgui.click({min.x + 5, (min.y + max.y) / 2}, body);
    CHECK(value == 1.0);
}

TEST_CASE("status words are true: the rule that stopped a run, and local minima only where one is known", "[ui][status]") {
    const Scene scene = make_preset("stopping");
    const auto surface = make_surface(scene.surface, {});
    std::vector<std::string> status;
    std::vector<long> stopped;
    for (const RunSpec& run : scene.runs) {
        RunConfig config = run.config;
        config.steps = scene.steps;
        const Trajectory t = run_trajectory(*surface, config, scene.start);
        stopped.push_back(t.stopped_step);
        status.push_back(ui::run_status(t, scene.steps, scene.steps, 0.0, config.stop, surface->minima()));
    }
    REQUIRE(status.size() == 3);
    CHECK(status[0].rfind("stopped: |grad| <= 0.01, at step " + std::to_string(stopped[0]) + ", loss ", 0) == 0);
    CHECK(status[1].rfind("stopped: loss changed < 1e-5 for 5 steps, at step " + std::to_string(stopped[1]) + ", loss ", 0) == 0);
    CHECK(status[2].rfind("max steps (3000), loss ", 0) == 0);
    CHECK(stopped[0] > 0);
    CHECK(stopped[1] > 0);
    CHECK(stopped[0] != stopped[1]);
    for (const std::string& s : status) CHECK(s.find("local minimum") == std::string::npos);  // Rosenbrock has none

    // A run that converged above the best known loss: "local minimum" only next to a known minimum.
    Trajectory t;
    t.x = {0.0, 2.0};
    t.y = {0.0, 3.0};
    t.loss = {5.0, 1.0};
    t.gx = t.gy = {0.0, 0.0};
    t.outcome = Outcome::Converged;
    t.converged_step = 1;
    CHECK(ui::run_status(t, 1, 10, 0.0, {}, {Eigen::Vector2d(2.0, 3.0), Eigen::Vector2d(0.0, 0.0)}) ==
          "local minimum at step 1, loss 1");
    CHECK(ui::run_status(t, 1, 10, 0.0, {}, {Eigen::Vector2d(0.0, 0.0)}) == "gradient ~0 at step 1, loss 1 (not the best known)");
    CHECK(ui::run_status(t, 1, 10, 1.0, {}, {}) == "converged at step 1");
}

TEST_CASE("every run colour sits on a halo that sets it off the heatmap", "[ui][color]") {
    for (std::size_t i = 0; i < kRunPaletteSize; ++i) {
        const std::uint32_t c = run_palette(i);
        const ImU32 halo = ui::halo_for(c);
        const std::uint32_t halo_rgb = ((halo >> IM_COL32_R_SHIFT) & 0xFF) << 16 | ((halo >> IM_COL32_G_SHIFT) & 0xFF) << 8 |
                                       ((halo >> IM_COL32_B_SHIFT) & 0xFF);
        INFO("colour " << i);
        CHECK(delta_e(c, halo_rgb) >= 40.0);
        CHECK(((halo >> IM_COL32_A_SHIFT) & 0xFF) >= 200);
    }
}
