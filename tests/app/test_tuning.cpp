// The window's tuning: Tune run / Tune all as a background job whose best settings become one
// undoable scene edit, through real ImGui frames (no window, no GL).
#include "support/catch.h"

#include "app/app_frame.h"
#include "app/tuning.h"
#include "core/surface_registry.h"
#include "support/headless_imgui.h"

using namespace optiviz;

namespace {

Scene race_scene() {
    Scene scene = default_scene();
    scene.runs.clear();
    for (const char* text : {"sgd:lr=0.0001,momentum=0.9", "adam:lr=0.0001"}) scene.runs.push_back(parse_run_spec(text, 0));
    assign_default_colors(scene.runs);
    return scene;
}

struct Harness {
    test::HeadlessImGui imgui{1440, 900};
    app::AppState state{race_scene()};
    app::Tuning tuning;
    app::FrameResult last;
    std::function<void()> body = [this] {
        app::FrameOptions options;
        options.tuning = &tuning;
        last = app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; }, options);
        state.run_commands(last.commands);
        tuning.apply(last.tune, state);
        tuning.update(state);
    };
    Harness() {
        state.finish();
        tuning.settings.budget = 200;
        tuning.settings.starts = 4;
        tuning.settings.refine = 1;
    }
    void frame() { imgui.frame(body); }
};

// What run_tune alone finds for run i of `scene` with these settings.
double best_lr(const Scene& scene, std::size_t run, const ui::TuneSettings& settings) {
    const auto surface = make_surface(scene.surface, scene.surface_params);
    const TuneResult result = run_tune(*surface, app::tune_request(scene, run, settings));
    REQUIRE(result.best);
    return result.tried[*result.best].lr;
}

}  // namespace

TEST_CASE("Tune all gives every run its best learning rate as one edit that Ctrl+Z undoes", "[app][tune]") {
    Harness h;
    h.frame();
    const Scene before = h.state.scene();
    const double sgd = best_lr(before, 0, h.tuning.settings), adam = best_lr(before, 1, h.tuning.settings);
    REQUIRE(sgd != 1e-4);
    REQUIRE(adam != 1e-4);
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    CHECK(h.tuning.running());
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.state.scene().runs[0].config.hyper.at("lr") == sgd);
    CHECK(h.state.scene().runs[1].config.hyper.at("lr") == adam);
    CHECK(h.state.scene().runs[0].config.hyper.at("momentum") == 0.9);  // not tuned: kept
    const ui::TuneStatus status = h.tuning.status();
    REQUIRE(status.rows.size() == 2);
    CHECK(status.rows[0].run == "1: Momentum");
    CHECK(status.rows[1].run == "2: Adam");
    CHECK(status.rows[1].lr == adam);
    CHECK(status.starts == 4);
    CHECK(status.message.find("applied the best settings to 2 runs") != std::string::npos);
    for (int i = 0; i < 3; ++i) h.frame();  // the table draws

    ui::PanelCommands undo;
    undo.undo = true;
    h.state.run_commands(undo);
    h.frame();
    CHECK(h.state.scene().runs[0].config.hyper.at("lr") == 1e-4);
    CHECK(h.state.scene().runs[1].config.hyper.at("lr") == 1e-4);
}

TEST_CASE("Tune run tunes only the chosen run, with a second parameter where it has one", "[app][tune]") {
    Harness h;
    h.frame();
    h.tuning.settings.run = 1;
    h.tuning.settings.second = "beta1";
    const Scene before = h.state.scene();
    const TuneRequest request = app::tune_request(before, 1, h.tuning.settings);
    REQUIRE(request.second);
    CHECK(request.second->param == "beta1");
    CHECK_FALSE(app::tune_request(before, 0, h.tuning.settings).second);  // sgd has no beta1
    h.tuning.apply(ui::TuneRequests{true, false, false}, h.state);
    h.tuning.wait(h.state);
    h.frame();
    CHECK(h.state.scene().runs[0].config == before.runs[0].config);
    const auto surface = make_surface(before.surface, before.surface_params);
    const TuneResult result = run_tune(*surface, request);
    REQUIRE(result.best);
    CHECK(h.state.scene().runs[1].config.hyper.at("lr") == result.tried[*result.best].lr);
    CHECK(h.state.scene().runs[1].config.hyper.at("beta1") == result.tried[*result.best].second);
    REQUIRE(h.tuning.status().rows.size() == 1);
    CHECK(h.tuning.status().rows[0].second_param == "beta1");
}

TEST_CASE("a cancelled search changes nothing; a run edited meanwhile keeps its edit", "[app][tune]") {
    Harness h;
    h.frame();
    const Scene before = h.state.scene();
    h.tuning.settings.budget = 20000;
    h.tuning.apply(ui::TuneRequests{false, true, false}, h.state);
    h.tuning.apply(ui::TuneRequests{false, false, true}, h.state);
    CHECK_FALSE(h.tuning.running());
    h.frame();
    CHECK(h.state.scene() == before);
    CHECK(h.tuning.status().message == "tuning cancelled");
    CHECK(h.tuning.status().rows.empty());

    // apply_tuned: a run whose settings changed since the search started is skipped.
    app::TuneBatch batch;
    batch.runs = {0, 1};
    batch.before = {before.runs[0].config, before.runs[1].config};
    batch.labels = {"1", "2"};
    for (int i = 0; i < 2; ++i) {
        TuneResult r;
        r.tried.push_back(TuneCandidate{0.25, 0, 0, 1.0, 1.0, 0, 0});
        r.best = 0;
        batch.results.push_back(r);
    }
    Scene scene = before;
    scene.runs[1].config.hyper["lr"] = 0.5;  // edited while tuning
    int skipped = 0;
    CHECK(app::apply_tuned(batch, scene, &skipped) == 1);
    CHECK(skipped == 1);
    CHECK(scene.runs[0].config.hyper.at("lr") == 0.25);
    CHECK(scene.runs[1].config.hyper.at("lr") == 0.5);
}
