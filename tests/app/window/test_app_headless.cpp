// The whole app frame through real ImGui frames with simulated input, no window and no GL.
#include "ui/overlays/step_glyphs.h"
#include "support/catch.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <imgui_internal.h>

#include "app/window/app_frame.h"
#include "app/app_state.h"
#include "app/derived/view_inputs.h"
#include "core/optimizers/optimizer.h"
#include "support/find_item.h"
#include "support/headless_imgui.h"
#include "ui/canvas/imgui_compat.h"

using namespace optiviz;

namespace {

struct Harness {
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state{default_scene()};
    app::FrameResult last;
    std::function<void()> body = [this] {
        // As the window does: draw, then carry out the commands.
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; });
        state.run_commands(last.commands);
    };
    Harness() { state.finish(); }
    void frame() { imgui.frame(body); }
    // Run i's trajectory; fails the test if there is none.
    const Trajectory& trajectory(std::size_t i) const {
        const Trajectory* t = state.trajectory(i);
        REQUIRE(t != nullptr);
        return *t;
    }
};

ui::PanelCommands command_undo() {
    ui::PanelCommands c;
    c.undo = true;
    return c;
}
ui::PanelCommands command_redo() {
    ui::PanelCommands c;
    c.redo = true;
    return c;
}

bool all_finite(const Trajectory& t) {
    for (std::size_t k = 0; k < t.size(); ++k)
        if (!std::isfinite(t.x[k]) || !std::isfinite(t.y[k]) || !std::isfinite(t.loss[k])) return false;
    return true;
}

}  // namespace

TEST_CASE("pressing Play advances the step with wall time, not with frames", "[app]") {
    Harness h;
    h.state.playback.playing = false;
    h.state.playback.step = 0;
    h.frame();
    h.imgui.click({24, 24}, h.body);  // the Play button, first in the panel
    REQUIRE(h.state.playback.playing);
    h.state.advance(0.5);
    const double after_one = h.state.playback.step;
    CHECK(after_one == Approx(0.5 * h.state.playback.speed));
    h.state.playback.step = 0;
    for (int i = 0; i < 50; ++i) h.state.advance(0.01);  // 50 short frames, same wall time
    CHECK(h.state.playback.step == Approx(after_one));
    // Space pauses; the right arrow steps once.
    h.imgui.press_key(ImGuiKey_Space, h.body);
    CHECK_FALSE(h.state.playback.playing);
    const double before = std::floor(h.state.playback.step);
    h.imgui.press_key(ImGuiKey_RightArrow, h.body);
    CHECK(h.state.playback.step == before + 1);
}

TEST_CASE("clicking the landscape restarts every run from that point", "[app]") {
    Harness h;
    h.frame();
    const ImVec2 min = h.last.landscape.plot_min, max = h.last.landscape.plot_max;
    const ImVec2 target{min.x + 0.6f * (max.x - min.x), min.y + 0.5f * (max.y - min.y)};
    h.imgui.click(target, h.body);
    const ViewRect v = h.last.landscape.shown_view;
    const Eigen::Vector2d start = h.state.scene().start;
    CHECK(start.x() == Approx(v.x_min + 0.6 * (v.x_max - v.x_min)).margin(0.02));
    CHECK(start.y() == Approx(v.y_min + 0.5 * (v.y_max - v.y_min)).margin(0.02));
    h.state.finish();
    for (std::size_t i = 0; i < h.state.scene().runs.size(); ++i) {
        CHECK(h.trajectory(i).x[0] == start.x());
        CHECK(h.trajectory(i).y[0] == start.y());
    }
}

TEST_CASE("dragging the learning-rate slider recomputes that run's whole trajectory", "[app]") {
    Harness h;
    const std::size_t adam = 5;
    REQUIRE(h.state.scene().runs[adam].config.optimizer == "adam");
    const Trajectory before = h.trajectory(adam);
    const Trajectory* other_before = h.state.trajectory(0);
    const ParamSpec& lr = find_optimizer("adam").params[0];
    ImVec2 min, max;
    auto slider = [&] {
        ImGui::SetNextWindowPos({0, 0});
        ImGui::SetNextWindowSize({500, 100});
        ImGui::Begin("slider", nullptr, ImGuiWindowFlags_NoDecoration);
        min = ImGui::GetCursorScreenPos();
        max = {min.x + ImGui::CalcItemWidth(), min.y + ImGui::GetFrameHeight()};
        ui::param_slider(lr, h.state.scene().runs[adam].config.hyper);
        ImGui::End();
        h.state.refresh(std::chrono::seconds(10));  // as the frame does, with a generous budget
    };
    h.imgui.frame(slider);
    const float y = (min.y + max.y) / 2;
    h.imgui.drag({min.x + 0.7f * (max.x - min.x), y}, {min.x + 0.5f * (max.x - min.x), y}, slider);
    const double lr_now = h.state.scene().runs[adam].config.hyper.at("lr");
    CHECK(lr_now != 0.05);
    // The frame that moved the slider already shows the new path (the frame waits for quick work).
    const Trajectory& after = h.trajectory(adam);
    REQUIRE(after.size() == before.size());
    CHECK(after.x[1] != before.x[1]);  // Adam's first step has size lr
    CHECK(std::abs(after.x[1] - after.x[0]) == Approx(lr_now).epsilon(1e-6));
    CHECK(h.state.trajectory(0) == other_before);  // other runs untouched: the very same result object
}

TEST_CASE("a learning rate of 10 on Rosenbrock diverges and nothing else breaks", "[app]") {
    Scene scene = default_scene();
    scene.runs.push_back(parse_run_spec("sgd:lr=10", scene.runs.size()));
    Harness h;
    REQUIRE(h.state.open_scene(scene, "opened"));
    h.state.finish();
    const Trajectory& t = h.trajectory(scene.runs.size() - 1);
    CHECK(t.outcome == Outcome::Diverged);
    CHECK(all_finite(t));
    h.frame();  // draws without NaN reaching ImGui (ImGui asserts on NaN vertices in debug)
    for (std::size_t i = 0; i + 1 < scene.runs.size(); ++i) CHECK(h.trajectory(i).outcome != Outcome::Diverged);
}

TEST_CASE("bad scene files and unwritable exports leave the state as it was", "[app]") {
    Harness h;
    const std::size_t runs = h.state.scene().runs.size();
    const Eigen::Vector2d start = h.state.scene().start;
    const std::string bad = "optiviz_test_bad_scene.json";
    std::ofstream(bad) << "{ not json";
    CHECK_FALSE(h.state.load_scene_file(bad));
    CHECK(h.state.panel.message_is_error);
    CHECK(h.state.panel.message.find(bad) == 0);
    CHECK(h.state.scene().runs.size() == runs);
    CHECK(h.state.scene().start == start);

    Scene other = default_scene();
    other.runs[0].config.optimizer = "lion";
    std::string text = scene_to_json(default_scene());
    const auto at = text.find("\"sgd\"");
    text.replace(at, 5, "\"lion\"");
    std::ofstream(bad) << text;
    CHECK_FALSE(h.state.load_scene_file(bad));
    CHECK(h.state.panel.message.find("unknown optimizer 'lion'") != std::string::npos);
    CHECK(h.state.scene().runs.size() == runs);
    std::remove(bad.c_str());

    CHECK_FALSE(h.state.export_csv("/nonexistent-dir/out.csv"));
    CHECK(h.state.panel.message.find("cannot write") != std::string::npos);
    CHECK_FALSE(h.state.load_scene_file("/nonexistent-dir/scene.json"));
    CHECK(h.state.scene().runs.size() == runs);
    CHECK(h.state.trajectory(runs - 1) != nullptr);
}

TEST_CASE("a saved scene loads back to the same picture", "[app]") {
    Harness h;
    h.state.set_start({0.5, -0.5});
    h.state.scene().runs[2].config.hyper["lr"] = 0.002;
    h.state.finish();
    h.state.playback.step = 123;
    const std::string path = "optiviz_test_scene.json";
    REQUIRE(h.state.save_scene_file(path));
    app::AppState loaded(default_scene());
    REQUIRE(loaded.load_scene_file(path));
    std::remove(path.c_str());
    loaded.finish();
    Scene saved = h.state.scene();
    saved.step = 123;  // the playback position is saved with the scene
    CHECK(loaded.scene() == saved);  // every field, not only those that change the picture
    CHECK(loaded.shown_step() == 123);
    for (std::size_t i = 0; i < loaded.scene().runs.size(); ++i) {
        REQUIRE(loaded.trajectory(i) != nullptr);
        CHECK(loaded.trajectory(i)->x == h.trajectory(i).x);
    }
    const auto csv = app::trajectories_csv(loaded);
    CHECK(csv.rfind("run,label,step,x,y,loss,grad_norm\n", 0) == 0);
    CHECK(csv == app::trajectories_csv(h.state));
}

TEST_CASE("regression scenes show the data beside the landscape", "[app][data]") {
    Scene scene = default_scene();
    scene.surface = "mse";
    scene.view_is_default = true;
    scene.data.kind = DatasetChoice::Kind::Anscombe;
    scene.data.anscombe = 2;
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.1,batch_size=3,seed=2", 1)};
    scene.steps = 100;
    Harness h;
    REQUIRE(h.state.open_scene(scene, "opened"));
    h.state.finish();
    REQUIRE(h.state.has_data());
    const ui::DataViewInput data = data_view_input(h.state);
    REQUIRE(data.data != nullptr);
    CHECK(data.data->size() == 11);
    CHECK(data.least_squares.has_value());
    CHECK(data.title.find("epoch") != std::string::npos);  // the mini-batch run counts epochs
    h.frame();
    const int with_data = ImGui::GetDrawData()->TotalVtxCount;
    CHECK(with_data > 0);
    // The landscape takes part of the width: the plot is narrower than on an analytic surface.
    const float width = h.last.landscape.plot_max.x - h.last.landscape.plot_min.x;
    REQUIRE(h.state.open_scene(default_scene(), "opened"));
    h.frame();
    CHECK(width < h.last.landscape.plot_max.x - h.last.landscape.plot_min.x);
}

TEST_CASE("choosing a preset replaces the scene and plays it from the start", "[app][presets]") {
    Harness h;
    ui::PanelCommands requests;
    requests.preset = "narrow-valley";
    h.state.run_commands(requests);
    CHECK(h.state.scene().surface == "quadratic");
    CHECK(h.state.scene().caption.find("zig-zags") != std::string::npos);
    CHECK(h.state.playback.step == 0);
    CHECK(h.state.playback.playing);
    requests.preset = "no-such-preset";
    h.state.run_commands(requests);
    CHECK(h.state.panel.message_is_error);
    CHECK(h.state.scene().surface == "quadratic");  // kept
    // The gradient field is drawn (many more vertices) when switched on.
    h.frame();
    const int plain = ImGui::GetDrawData()->TotalVtxCount;
    h.state.scene().overlays["gradient-field"] = {};
    h.frame();
    CHECK(ImGui::GetDrawData()->TotalVtxCount > plain + 200);
}

TEST_CASE("the 3-D view orbits with a drag and zooms with the wheel", "[app][3d]") {
    Harness h;
    h.state.scene().layout = Scene::Layout::Surface3D;
    const OrbitCamera before = h.state.scene().camera;
    h.frame();
    // The 3-D view fills the right-hand area: drag in its middle.
    // The 3-D view fills the right-hand area (its legend column at the far right): drag in the mesh.
    const ImVec2 centre{800, 350};
    h.imgui.drag(centre, {centre.x + 80, centre.y + 30}, h.body);
    CHECK(h.state.scene().camera.yaw != before.yaw);
    CHECK(h.state.scene().camera.pitch > before.pitch);
    const double distance = h.state.scene().camera.distance;
    h.imgui.io().MousePos = centre;
    h.imgui.io().MouseWheel = 1.0f;
    h.frame();
    h.imgui.io().MouseWheel = 0.0f;
    CHECK(h.state.scene().camera.distance < distance);
    // Both views side by side: the 2-D map is still there and clickable.
    h.state.scene().layout = Scene::Layout::Both;
    h.frame();
    CHECK(h.last.landscape.plot_max.x > h.last.landscape.plot_min.x);
    CHECK(h.last.landscape.plot_max.x < 1100);
}

TEST_CASE("undo and redo walk back and forth through scene edits, one gesture a step", "[app][undo]") {
    Harness h;
    h.frame();
    const Scene original = h.state.scene();
    // Edit 1: a learning rate. Edit 2: the start, by clicking the map. Navigation is not an edit.
    h.state.scene().runs[5].config.hyper["lr"] = 0.01;
    h.frame();
    const ImVec2 min = h.last.landscape.plot_min, max = h.last.landscape.plot_max;
    h.imgui.click({min.x + 0.3f * (max.x - min.x), min.y + 0.7f * (max.y - min.y)}, h.body);
    const Scene edited = h.state.scene();
    REQUIRE(edited.start != original.start);
    h.state.set_view({-1, 1, -1, 1});
    h.frame();
    // Ctrl+Z: the click goes (as one step, though it took several frames), the view stays.
    ui::set_modifiers(h.imgui.io(), true, false);
    h.imgui.press_char_key('Z', h.body);
    CHECK(h.state.scene().start == original.start);
    CHECK(h.state.scene().runs[5].config.hyper.at("lr") == 0.01);
    CHECK(h.state.scene().view.x_max == 1);  // navigation kept
    // Again: the learning rate goes.
    h.state.run_commands(command_undo());
    h.frame();
    CHECK(h.state.scene().runs[5].config.hyper == original.runs[5].config.hyper);
    CHECK_FALSE(h.state.history.can_undo());
    // Redo twice (Ctrl+Shift+Z, then the button's command) restores both edits, and the paths follow.
    ui::set_modifiers(h.imgui.io(), true, true);
    h.imgui.press_char_key('Z', h.body);
    ui::set_modifiers(h.imgui.io(), false, false);
    h.state.run_commands(command_redo());
    h.state.finish();
    CHECK(h.state.scene().start == edited.start);
    CHECK(h.state.scene().runs[5].config.hyper.at("lr") == 0.01);
    CHECK(h.trajectory(5).x[0] == edited.start.x());
    // A new edit after an undo ends the redo chain.
    h.state.run_commands(command_undo());
    h.state.scene().steps = 77;
    h.frame();
    CHECK_FALSE(h.state.history.can_redo());
}

TEST_CASE("a CSV dropped on the window becomes the data; a scene file opens", "[app][data]") {
    Harness h;
    const std::string csv = "optiviz_test_dropped.csv";
    std::ofstream(csv) << "x,y\n0,1\n1,3\n2,5\n3,7.5\n";
    h.state.open_dropped_file(csv);
    h.state.finish();
    CHECK(h.state.scene().surface == "mse");
    REQUIRE(h.state.has_data());
    CHECK(h.state.original_data()->size() == 4);
    CHECK(h.state.panel.last_file == csv);  // the window adds it to the recent files
    // A file that is not CSV data is refused, and the scene stays on the data it had.
    const std::string bad = "optiviz_test_dropped.txt";
    std::ofstream(bad) << "hello\n";
    h.state.open_dropped_file(bad);
    h.state.finish();
    CHECK(h.state.panel.message_is_error);
    CHECK(h.state.scene().data.path == csv);
    // A scene file opens as a scene.
    const std::string scene = "optiviz_test_dropped.json";
    std::ofstream(scene) << scene_to_json(default_scene());
    h.state.open_dropped_file(scene);
    CHECK(h.state.scene().surface == "rosenbrock");
    for (const auto& f : {csv, bad, scene}) std::remove(f.c_str());
}

namespace {

// Vertices of `window`'s draw list that draw text (glyphs sample the font atlas; shapes its white pixel).
int text_vertices(const ImGuiWindow* window) {
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    int count = 0;
    for (const ImDrawVert& v : window->DrawList->VtxBuffer)
        if ((v.uv.x != white.x || v.uv.y != white.y) && v.pos.x >= window->Pos.x && v.pos.x <= window->Pos.x + window->Size.x &&
            v.pos.y >= window->Pos.y && v.pos.y <= window->Pos.y + window->Size.y)
            ++count;
    return count;
}

// The child window the frame drew view `name` in (draw_contained_view), or null.
const ImGuiWindow* view_window(const char* name) {
    const std::string part = std::string("/") + name + "_";
    for (const ImGuiWindow* w : GImGui->Windows)
        if (w->Active && std::string(w->Name).find(part) != std::string::npos) return w;
    return nullptr;
}

}  // namespace

namespace {

// An SGD-momentum run long enough that Adam's new path is not ready within the frame: the view shows
// the old path, explained with the settings that made it, until the new one arrives.
void choose_adam_for_the_glyph_run(long steps) {
    INFO(steps << " steps");
    Scene scene = default_scene();
    scene.runs = {parse_run_spec("sgd:lr=0.001,momentum=0.9", 0)};
    scene.steps = steps;
    scene.step = 10;
    ui::set_step_glyphs(scene, {0, false});
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state(scene);
    state.finish();
    app::FrameOptions options;
    options.budget = std::chrono::steady_clock::duration::zero();  // never wait: the old path is what shows
    app::FrameResult last;
    auto body = [&] {
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; }, options);
        state.run_commands(last.commands);
    };
    imgui.frame(body);
    REQUIRE(last.view_errors.empty());
    // What the run's optimizer box does when Adam is chosen.
    RunSpec& run = state.scene().runs[0];
    run.config.optimizer = "adam";
    run.config.hyper.clear();
    run.label.clear();
    REQUIRE_NOTHROW(imgui.frame(body));
    CHECK(last.view_errors.empty());
    REQUIRE(state.run_pending(0));  // the frame showed the old path (Adam's was still being computed)
    const ui::LandscapeInput old_path = app::landscape_input(state);
    REQUIRE_FALSE(old_path.equations.empty());
    CHECK(old_path.equations.front().find("Momentum") == 0);  // explained and labelled as what made it
    REQUIRE_FALSE(old_path.runs.empty());
    CHECK(old_path.runs[0].label.find("Momentum") == 0);
    // Once Adam's path arrives, the window shows it.
    state.finish();
    REQUIRE_NOTHROW(imgui.frame(body));
    CHECK(last.view_errors.empty());
    const app::AppState::KeyedTrajectory shown = state.keyed_trajectory(0);
    REQUIRE(shown.key != nullptr);
    CHECK(shown.key->config.optimizer == "adam");
    const ui::LandscapeInput new_path = app::landscape_input(state);
    REQUIRE_FALSE(new_path.equations.empty());
    CHECK(new_path.equations.front().find("Adam") == 0);
    CHECK(new_path.runs[0].label.find("Adam") == 0);
}

}  // namespace

TEST_CASE("choosing another optimizer for the glyph run, while its old path still shows, keeps the window", "[app][glyphs]") {
    choose_adam_for_the_glyph_run(20000);
    choose_adam_for_the_glyph_run(100000);
}

TEST_CASE("a view that throws shows its message in its place and the window goes on", "[app][containment]") {
    Harness h;
    bool broken = true;
    const auto heatmap = [&](const ui::HeatmapRequest&) -> ui::HeatmapImage {
        if (broken) throw std::runtime_error("the heatmap broke");
        return {};
    };
    h.body = [&] {
        h.last = app::draw_app_frame(h.state, heatmap);
        h.state.run_commands(h.last.commands);
    };
    REQUIRE_NOTHROW(h.frame());
    REQUIRE(h.last.view_errors.size() == 1);
    CHECK(h.last.view_errors[0] == "landscape: the heatmap broke");
    const ImGuiWindow* landscape = view_window("landscape");
    REQUIRE(landscape != nullptr);
    CHECK(text_vertices(landscape) > 0);  // the message, in the landscape's rectangle
    // The other views still draw, and answer: scrubbing the loss plot moves the step.
    const ImGuiWindow* plot = view_window("loss plot");
    REQUIRE(plot != nullptr);
    CHECK(text_vertices(plot) > 0);
    h.state.playback.playing = false;
    h.state.playback.step = 0;
    h.imgui.click({plot->Pos.x + plot->Size.x * 0.6f, plot->Pos.y + plot->Size.y * 0.5f}, h.body);
    CHECK(h.state.playback.step > 0);
    // The next frames run; once the view can draw again, it does.
    for (int i = 0; i < 3; ++i) REQUIRE_NOTHROW(h.frame());
    broken = false;
    h.frame();
    CHECK(h.last.view_errors.empty());
    CHECK(h.last.landscape.plot_max.x > h.last.landscape.plot_min.x);
}

TEST_CASE("a view that fails inside a window, a tooltip and pushed styles leaves ImGui's stacks whole", "[app][containment]") {
    test::HeadlessImGui imgui;
    std::vector<std::string> errors;
    const auto body = [&] {
        ImGui::Begin("host");
        const int styles = GImGui->StyleVarStack.Size, colors = GImGui->ColorStack.Size;
        const ImGuiID id = ImGui::GetID("probe");
        ImGui::PushID("outside");
        app::draw_contained_view("failing", {200, 100}, [] {
            ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.5f);
            ImGui::PushStyleColor(ImGuiCol_Text, 0xff0000ffu);
            ImGui::PushID(7);
            ImGui::BeginChild("inner", {50, 50});
            ImGui::BeginGroup();
            ImGui::GetWindowDrawList()->PushClipRect({0, 0}, {1, 1});
            throw std::runtime_error("inner failure");
        }, errors);
        ImGui::PopID();
        CHECK(GImGui->StyleVarStack.Size == styles);
        CHECK(GImGui->ColorStack.Size == colors);
        CHECK(ImGui::GetID("probe") == id);
        CHECK(std::string(GImGui->CurrentWindow->Name) == "host");
        ImGui::End();
    };
    for (int i = 0; i < 3; ++i) REQUIRE_NOTHROW(imgui.frame(body));
    REQUIRE(errors.size() == 3);
    CHECK(errors[0] == "failing: inner failure");
}

TEST_CASE("the typed expression and data file follow undo, redo and opening a scene", "[app][undo][drafts]") {
    Harness h;
    Scene scene = default_scene();
    scene.surface = "expr";
    scene.expression = "x^2 + y^2";
    REQUIRE(h.state.open_scene(scene, "opened"));
    h.state.finish();
    h.frame();
    CHECK(h.state.panel.expression == "x^2 + y^2");
    // An applied edit (what Enter in the field does), one undo step.
    h.state.panel.expression = "x^2 + 3*y^2";
    h.state.scene().expression = h.state.panel.expression;
    h.frame();
    h.frame();
    REQUIRE(h.state.history.can_undo());
    h.state.run_commands(command_undo());
    REQUIRE(h.state.scene().expression == "x^2 + y^2");
    h.frame();
    CHECK(h.state.panel.expression == "x^2 + y^2");  // the field shows the function on screen
    h.state.run_commands(command_redo());
    h.frame();
    CHECK(h.state.panel.expression == "x^2 + 3*y^2");
    // Text typed but not applied stays while the scene's function does not change.
    h.state.panel.expression = "x^2 + 5*y^2";
    h.frame();
    CHECK(h.state.panel.expression == "x^2 + 5*y^2");
    // Opening a scene replaces the drafts with its own function and data file.
    scene.expression = "(x - 1)^2 + y^2";
    REQUIRE(h.state.open_scene(scene, "opened"));
    h.frame();
    CHECK(h.state.panel.expression == "(x - 1)^2 + y^2");
    const std::string a = "optiviz_test_drafts_a.csv", b = "optiviz_test_drafts_b.csv";
    std::ofstream(a) << "x,y\n0,1\n1,3\n2,5\n";
    std::ofstream(b) << "u,v\n0,1\n1,2\n2,2\n";
    Scene data = default_scene();
    data.surface = "mse";
    data.data.kind = DatasetChoice::Kind::File;
    data.data.path = a;
    REQUIRE(h.state.open_scene(data, "opened"));
    h.frame();
    CHECK(h.state.panel.data_file == a);
    CHECK(h.state.panel.data_columns == std::array<std::string, 2>{"x", "y"});
    data.data.path = b;
    data.data.columns = {"u", "v"};
    REQUIRE(h.state.open_scene(data, "opened"));
    h.frame();
    CHECK(h.state.panel.data_file == b);
    CHECK(h.state.panel.data_columns == std::array<std::string, 2>{"u", "v"});
    std::remove(a.c_str());
    std::remove(b.c_str());
}

TEST_CASE("a recent CSV is used exactly as a dropped one", "[app][data][drafts]") {
    // Tall, so the whole panel shows without scrolling.
    test::HeadlessImGui imgui{1440, 2400};
    app::AppState state(default_scene());
    state.finish();
    const std::string csv = "optiviz_test_recent.csv";
    std::ofstream(csv) << "x,y\n0,1\n1,3\n2,5\n3,7.5\n";
    state.panel.recent_files = {csv};
    app::FrameResult last;
    auto body = [&] {
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; });
        state.run_commands(last.commands);
    };
    for (int i = 0; i < 3; ++i) imgui.frame(body);
    ImGuiWindow* controls = nullptr;
    for (ImGuiWindow* w : GImGui->Windows)
        if (w->Active && std::string(w->Name).find("/controls_") != std::string::npos) controls = w;
    REQUIRE(controls != nullptr);
    // The "Recent..." combo fills the right end of its row: find it down the panel's right edge.
    const ImGuiID recent = controls->GetID("##recent");
    std::optional<ImVec2> at;
    for (float y = controls->Pos.y + 2; y < controls->Pos.y + controls->Size.y && !at; y += 4) {
        imgui.io().MousePos = {controls->Pos.x + controls->Size.x - 20, y};
        imgui.frame(body);
        if (GImGui->HoveredId == recent) at = imgui.io().MousePos;
    }
    REQUIRE(at.has_value());
    imgui.click(*at, body);
    const std::optional<ImVec2> entry = test::find_item(imgui, body, "##Combo_00", csv.c_str());
    REQUIRE(entry.has_value());
    imgui.click(*entry, body);
    state.finish();
    // What AppState::use_data_file does, all of it: mse on the file, the view framed anew, the file
    // remembered, the field showing it.
    CHECK(state.scene().surface == "mse");
    CHECK(state.scene().data.kind == DatasetChoice::Kind::File);
    CHECK(state.scene().data.path == csv);
    REQUIRE(state.has_data());
    CHECK(state.original_data()->size() == 4);
    CHECK(state.panel.last_file == csv);
    CHECK(state.panel.data_file == csv);
    CHECK(state.panel.message.find("reading") != std::string::npos);
    std::remove(csv.c_str());
}

TEST_CASE("a data file costs a frame nothing once loaded: no rebuild, one picture of its points", "[app][data][perf]") {
    const std::string csv = "optiviz_test_frames.csv";
    {
        std::ofstream out(csv);
        out << "x,y\n";
        for (int i = 0; i < 2000; ++i) out << i * 0.003 - 3 << ',' << 2 * (i * 0.003 - 3) + 1 + 0.3 * std::sin(i * 1.7) << '\n';
    }
    Scene scene = default_scene();
    scene.surface = "mse";
    scene.data.kind = DatasetChoice::Kind::File;
    scene.data.path = csv;
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state(scene);
    state.finish();
    std::vector<ui::PointsImageRequest> requests;
    app::FrameOptions options;
    options.points_image = [&](const ui::PointsImageRequest& request) {
        requests.push_back(request);
        return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7));
    };
    auto body = [&] {
        app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; }, options);
    };
    for (int i = 0; i < 3; ++i) imgui.frame(body);
    const int builds = state.derived().surface_builds();
    const std::size_t asked = requests.size();
    for (int i = 0; i < 60; ++i) imgui.frame(body);
    CHECK(state.derived().surface_builds() == builds);  // the file is not read again
    // Every frame asks for the same picture (so its cache holds), and draws it instead of 2000 circles.
    REQUIRE(requests.size() == asked + 60);
    for (std::size_t i = asked; i < requests.size(); ++i) CHECK(requests[i] == requests[asked]);
    CHECK(requests[asked].width > 100);
    const ImGuiWindow* data = view_window("data view");
    REQUIRE(data != nullptr);
    CHECK(data->DrawList->VtxBuffer.Size < 6000);  // 2000 circles with rims are over 100 000 vertices
    // The extent and the standardisation the panel reads were computed with the data.
    const ui::DataViewInput input = app::data_view_input(state);
    REQUIRE(input.bounds.has_value());
    CHECK(input.bounds->x_min == Approx(-3));
    CHECK(input.bounds->x_max == Approx(1999 * 0.003 - 3));
    CHECK(input.standardization.mean == Approx(standardization_of(*state.original_data()).mean));
    std::remove(csv.c_str());
}
