// What the window frame hands its views, seen on the drawing itself: real headless ImGui frames
// (no GL) whose views draw onto a recording canvas. The frame's wiring is what these hold: one
// highlighted run that every panel brings forward, and the tuned budget marked on the loss plot.
#include "support/catch.h"

#include <cfloat>
#include <map>
#include <memory>
#include <string>

#include "app/window/app_frame.h"
#include "app/derived/tuning.h"
#include "support/headless_imgui.h"
#include "support/recording_canvas.h"
#include "ui/canvas/draw_style.h"

using namespace optiviz;

namespace {

Scene three_runs() {
    Scene scene = default_scene();
    scene.runs.clear();
    for (const char* text : {"sgd:lr=0.001,momentum=0.9", "adam:lr=0.05", "rprop:lr=0.01"})
        scene.runs.push_back(parse_run_spec(text, scene.runs.size()));
    assign_default_colors(scene.runs);
    scene.steps = 200;
    scene.tune.starts = 4;
    scene.tune.refine = 1;
    return scene;
}

struct Harness {
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state{three_runs()};
    app::Tuning tuning;
    std::function<void()> body = [this] {
        app::FrameOptions options;
        options.tuning = &tuning;
        const app::FrameResult result =
            app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; }, options);
        state.run_commands(result.commands);
        tuning.apply(result.tune, state);
        tuning.update(state);
    };
    Harness() {
        state.finish();
        imgui.io().MousePos = {-FLT_MAX, -FLT_MAX};
    }
    // One frame, its views' drawing recorded.
    std::unique_ptr<test::RecordingCanvas> recorded_frame() {
        auto canvas = std::make_unique<test::RecordingCanvas>(1440.0f, 900.0f);
        ui::CanvasRoute route(*canvas);
        imgui.frame(body);
        return canvas;
    }
};

bool same_box(const test::Box& a, const test::Box& b) { return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1; }

// Per clip rectangle holding lines of every run's colour (the map's plot, the loss plot's): the run
// whose line was drawn last, and whether that line is wider than any other run's in that rectangle.
struct PanelFront {
    int last_run = -1;
    bool widest = false;
};

std::vector<PanelFront> panel_fronts(const test::RecordingCanvas& canvas, const Scene& scene) {
    std::map<ImU32, int> run_of;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) run_of[ui::rgb(scene.runs[i].color)] = static_cast<int>(i);
    std::vector<test::Box> clips;
    for (const auto& line : canvas.lines)
        if (run_of.count(line.color) && std::none_of(clips.begin(), clips.end(), [&](const test::Box& b) { return same_box(b, line.clip); }))
            clips.push_back(line.clip);
    std::vector<PanelFront> fronts;
    for (const test::Box& clip : clips) {
        std::vector<float> width(scene.runs.size(), 0.0f);
        std::vector<int> lines(scene.runs.size(), 0);
        int last_order = -1, last_run = -1;
        for (const auto& line : canvas.lines) {
            const auto it = run_of.find(line.color);
            if (it == run_of.end() || !same_box(line.clip, clip)) continue;
            width[static_cast<std::size_t>(it->second)] = std::max(width[static_cast<std::size_t>(it->second)], line.thickness);
            ++lines[static_cast<std::size_t>(it->second)];
            if (line.order > last_order) last_order = line.order, last_run = it->second;
        }
        // A panel of every run's paths or curves (not the legend's short swatches).
        if (*std::min_element(lines.begin(), lines.end()) < 10) continue;
        bool widest = true;
        for (std::size_t i = 0; i < width.size(); ++i)
            if (static_cast<int>(i) != last_run) widest = widest && width[static_cast<std::size_t>(last_run)] > width[i];
        fronts.push_back({last_run, widest});
    }
    return fronts;
}

// The loss plot's legend entry of `label`: the lowest text reading exactly the label (the map's
// legend rows add the status below it).
const test::RecordedText* loss_legend_entry(const test::RecordingCanvas& canvas, const std::string& label) {
    const test::RecordedText* found = nullptr;
    for (const auto& t : canvas.texts)
        if (t.text == label && (!found || t.box.y0 > found->box.y0)) found = &t;
    return found;
}

}  // namespace

TEST_CASE("hovering a loss-plot legend entry brings that run forward in the map and the loss plot", "[app][frame]") {
    Harness h;
    const auto before = h.recorded_frame();
    CHECK(h.state.highlighted_run == -1);
    const auto fronts_before = panel_fronts(*before, h.state.scene());
    REQUIRE(fronts_before.size() >= 2);  // the map and the loss plot
    for (const PanelFront& f : fronts_before) CHECK(f.last_run != 0);  // run 1 is drawn first unless brought forward

    const std::string label = app::run_views(h.state).front().label;
    const test::RecordedText* entry = loss_legend_entry(*before, label);
    REQUIRE(entry != nullptr);
    CHECK(entry->box.y0 > 900 * 0.6f);  // in the loss plot, below the map
    h.imgui.io().MousePos = {(entry->box.x0 + entry->box.x1) / 2, (entry->box.y0 + entry->box.y1) / 2};
    h.imgui.frame(h.body);  // the loss plot sees the hover: every view reads it from the next frame
    CHECK(h.state.highlighted_run == 0);
    const auto during = h.recorded_frame();
    const auto fronts = panel_fronts(*during, h.state.scene());
    REQUIRE(fronts.size() >= 2);
    for (const PanelFront& f : fronts) {
        CHECK(f.last_run == 0);
        CHECK(f.widest);
    }

    h.imgui.io().MousePos = {-FLT_MAX, -FLT_MAX};  // the mouse leaves: nothing is brought forward
    h.imgui.frame(h.body);
    CHECK(h.state.highlighted_run == -1);
}

TEST_CASE("after Tune all on another budget the loss plot draws the dashed tuned-on line", "[app][frame][tune]") {
    Harness h;
    auto tuned_label = [](const test::RecordingCanvas& c) -> const test::RecordedText* {
        for (const auto& t : c.texts)
            if (t.text.rfind("tuned on ", 0) == 0) return &t;
        return nullptr;
    };
    CHECK(tuned_label(*h.recorded_frame()) == nullptr);

    h.state.scene().tune.budget_is_scene_steps = false;
    h.state.scene().tune.budget = 50;
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    h.tuning.wait(h.state);
    h.imgui.frame(h.body);
    REQUIRE(h.tuning.last() != nullptr);
    const auto canvas = h.recorded_frame();
    const test::RecordedText* label = tuned_label(*canvas);
    REQUIRE(label != nullptr);
    CHECK(label->text == "tuned on 50 steps");
    // The dashes: vertical ink lines at one x, a quarter of the way along the 200-step axis, beside the label.
    std::map<float, int> dashes_at;
    for (const auto& line : canvas->lines)
        if (line.color == ui::kInk && line.a.x == line.b.x && line.b.y > line.a.y && line.clip.y0 > 900 * 0.6f) ++dashes_at[line.a.x];
    float x = -1;
    int most = 0;
    for (const auto& [at, count] : dashes_at)
        if (count > most) most = count, x = at;
    CHECK(most >= 5);
    CHECK(std::abs(label->box.x0 - x) < 40.0f);
}
