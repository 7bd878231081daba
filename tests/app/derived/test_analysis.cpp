// The window's background analyses, headless: jobs start, restart when their inputs change, hand
// back results that equal direct runs, and apply a clicked sweep cell to the run.
#include "ui/overlays/step_glyphs.h"
#include "support/catch.h"

#include <chrono>
#include <thread>

#include "app/derived/analysis.h"
#include "app/window/app_frame.h"
#include "app/export/map_pictures.h"
#include "core/io/limits.h"
#include "core/analysis/particle_cloud.h"
#include "ui/overlays/particle_cloud.h"
#include "support/headless_imgui.h"

using namespace optiviz;

namespace {

// Calls update until the jobs have finished (or 20 s passed).
void settle(app::Analysis& analysis, const app::AppState& state, const ViewRect& view) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    do {
        analysis.update(state, view);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } while ((analysis.status().basin_running || analysis.status().sweep_running) &&
             std::chrono::steady_clock::now() < deadline);
    analysis.update(state, view);
}

Scene small_scene() {
    Scene scene = default_scene();
    scene.surface = "himmelblau";
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.1", 1)};
    scene.start = {0.3, -0.4};
    scene.steps = 150;
    scene.view_is_default = true;
    return scene;
}

}  // namespace

TEST_CASE("the basin overlay equals run_basins over the shown view", "[app][analysis]") {
    app::AppState state(small_scene());
    state.finish();
    app::Analysis analysis;
    state.scene().overlays["basin-map"];  // on, with its defaults
    state.scene().overlays["basin-map"]["run"] = 0;
    state.scene().overlays["basin-map"]["resolution"] = 24;
    const ViewRect view{-6, 6, -6, 6};
    settle(analysis, state, view);
    REQUIRE(analysis.basins() != nullptr);
    RunConfig config = state.scene().runs[0].config;
    config.steps = state.scene().steps;
    const BasinResult direct = run_basins(state.surface(), config, view, 24);
    CHECK(analysis.basins()->basin == direct.basin);
    CHECK(analysis.basins_changed());
    CHECK_FALSE(analysis.basins_changed());  // reported once
    CHECK(analysis.basin_starts() == 1);
    CHECK(analysis.status().basin_progress == 0.0f);  // nothing running

    // What the map does not depend on changes nothing: the start, the camera, the overlays, the
    // layout, colours, labels, playback. No job restarts.
    state.set_start({2.5, 1.5});
    state.scene().camera.yaw += 1.0;
    state.scene().overlays["gradient-field"] = {};
    state.scene().layout = Scene::Layout::Both;
    state.scene().runs[0].color = 0x123456;
    state.scene().runs[0].label = "renamed";
    ui::set_step_glyphs(state.scene(), {0, false});
    state.playback.step = 17;
    state.finish();
    settle(analysis, state, view);
    CHECK(analysis.basin_starts() == 1);
    // What it depends on restarts it: the run's settings, the view.
    state.scene().runs[0].config.hyper["lr"] = 0.02;
    settle(analysis, state, view);
    CHECK(analysis.basin_starts() == 2);
    settle(analysis, state, {-5, 5, -5, 5});
    CHECK(analysis.basin_starts() == 3);
}

TEST_CASE("basin progress counts the starts that finished", "[app][analysis]") {
    app::AppState state(small_scene());
    app::Analysis analysis;
    state.scene().overlays["basin-map"];  // on, with its defaults
    state.scene().overlays["basin-map"]["resolution"] = 64;
    state.scene().steps = 2000;
    state.finish();
    analysis.update(state, {-6, 6, -6, 6});
    float seen = 0;
    while (analysis.status().basin_running) {
        seen = std::max(seen, analysis.status().basin_progress);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        analysis.update(state, {-6, 6, -6, 6});
    }
    CHECK(seen > 0.0f);   // it moved before the end...
    CHECK(seen <= 1.0f);  // ...and never past it
    REQUIRE(analysis.basins() != nullptr);
}

TEST_CASE("the sweep map refreshes when the start moves and a click applies a cell", "[app][analysis]") {
    app::AppState state(small_scene());
    state.finish();
    app::Analysis analysis;
    state.scene().sweep.on = true;
    state.scene().sweep.run = 1;
    state.scene().sweep.x_param = "lr";
    state.scene().sweep.x_lo = 1e-3;
    state.scene().sweep.x_hi = 0.5;
    state.scene().sweep.x_log = true;
    state.scene().sweep.y_param = "beta1";
    state.scene().sweep.y_lo = 0.0;
    state.scene().sweep.y_hi = 0.95;
    state.scene().sweep.y_log = false;
    state.scene().sweep.resolution = 12;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep != nullptr);
    const CellResult before = analysis.status().sweep->at(5, 5);

    state.set_start({-1.0, 2.0});
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep != nullptr);
    CHECK(analysis.status().sweep->at(5, 5).x != before.x);  // recomputed from the new start

    ui::AnalysisRequests requests;
    requests.apply_cell = std::pair<int, int>{7, 3};
    analysis.apply(requests, state);
    const SweepResult& sweep = *analysis.status().sweep;
    const auto& hyper = state.scene().runs[1].config.hyper;
    CHECK(hyper.at("lr") == sweep.x_axis.values()[7]);
    CHECK(hyper.at("beta1") == sweep.y_axis.values()[3]);
    // The run now is exactly that cell's run.
    state.finish();
    REQUIRE(state.trajectory(1) != nullptr);
    CHECK(state.trajectory(1)->x.back() == sweep.at(7, 3).x);
    CHECK(state.trajectory(1)->y.back() == sweep.at(7, 3).y);
}

TEST_CASE("cancelling the sweep stops it and shows nothing stale", "[app][analysis]") {
    app::AppState state(small_scene());
    app::Analysis analysis;
    state.scene().sweep.on = true;
    state.scene().sweep.run = 1;
    state.scene().sweep.x_param = "beta2";
    state.scene().sweep.x_lo = 0.9;
    state.scene().sweep.x_hi = 0.999;
    state.scene().sweep.y_param = "beta1";
    state.scene().sweep.y_lo = 0;
    state.scene().sweep.y_hi = 0.9;
    state.scene().sweep.resolution = 256;  // cell by cell: long enough to cancel
    analysis.update(state, {});
    REQUIRE(analysis.status().sweep_running);
    ui::AnalysisRequests requests;
    requests.cancel_sweep = true;
    analysis.apply(requests, state);
    CHECK_FALSE(analysis.status().sweep_running);
    CHECK_FALSE(state.scene().sweep.on);
    CHECK(analysis.status().sweep == nullptr);
    // Nothing stale arrives later either.
    for (int i = 0; i < 50; ++i) {
        analysis.update(state, {});
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(analysis.status().sweep == nullptr);
}

TEST_CASE("particle clouds are deterministic and drawn with their run", "[app][analysis]") {
    const auto a = cloud_starts({1.0, 2.0}, 5, 0.1);
    CHECK(a == cloud_starts({1.0, 2.0}, 5, 0.1));
    CHECK(a[0] != a[1]);
    CHECK_THROWS(cloud_starts({0, 0}, -1, 0.1));
    Scene scene = small_scene();
    ui::set_particle_cloud(scene, {6, 0.5, 0});
    app::AppState state(scene);
    state.finish();
    REQUIRE(state.cloud(0) != nullptr);
    REQUIRE(state.cloud(0)->size() == 6);
    CHECK(state.cloud(1) == nullptr);
    CHECK((*state.cloud(0))[2].x[0] == cloud_starts(scene.start, 6, 0.5)[2].x());
    // Each particle is the run from its own start, exactly.
    RunConfig config = app::run_config(scene, 0);
    config.seed += 3;
    CHECK((*state.cloud(0))[2].x == run_trajectory(state.surface(), config, cloud_starts(scene.start, 6, 0.5)[2]).x);
    // A cloud follows its run's settings: a new learning rate recomputes it.
    const std::vector<Trajectory> before = *state.cloud(0);
    state.scene().runs[0].config.hyper["lr"] = 0.002;
    state.finish();
    REQUIRE(state.cloud(0) != nullptr);
    CHECK((*state.cloud(0))[2].x[5] != before[2].x[5]);
    // Scenes keep the cloud.
    const Scene back = scene_from_json(scene_to_json(state.scene()), "s.json");
    CHECK(ui::particle_cloud(back) == ui::ParticleCloudSettings{6, 0.5, 0});
    // The frame draws without GL.
    test::HeadlessImGui imgui;
    app::Analysis analysis;
    app::FrameOptions options;
    options.analysis = &analysis;
    imgui.frame([&] { app::draw_app_frame(state, [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; }, options); });
    CHECK(ImGui::GetDrawData()->TotalVtxCount > 0);
}

TEST_CASE("the window's maps run K starts per cell; the aggregate redraws without rerunning", "[app][analysis][aggregate]") {
    app::AppState state(small_scene());
    state.finish();
    app::Analysis analysis;
    state.scene().overlays["basin-map"];  // on, with its defaults
    state.scene().overlays["basin-map"]["resolution"] = 10;
    state.scene().overlays["basin-map"]["starts"] = 4;
    state.scene().overlays["basin-map"]["spread"] = 0.5;
    const ViewRect view{-6, 6, -6, 6};
    settle(analysis, state, view);
    REQUIRE(analysis.basins() != nullptr);
    RunConfig config = state.scene().runs[0].config;
    config.steps = state.scene().steps;
    const BasinResult direct = run_basins(state.surface(), config, view, 10, 0.0, {}, MultiStart{4, 0.5});
    CHECK(analysis.basins()->basin == direct.basin);
    CHECK(analysis.basins()->agree == direct.agree);
    CHECK(analysis.basin_starts() == 1);
    CHECK(analysis.basins_changed());
    // The aggregate only recolours: no new job, but the texture is due again, with the new colours.
    state.scene().overlays["basin-map"]["worst"] = 1;
    settle(analysis, state, view);
    CHECK(analysis.basin_starts() == 1);
    CHECK(analysis.basins_changed());
    CHECK_FALSE(analysis.basins_changed());
    CHECK(analysis.basin_colors() == app::basin_colors(direct, config.steps, Aggregate::Worst));
    CHECK(analysis.basin_colors() != app::basin_colors(direct, config.steps, Aggregate::Median));  // it matters here
    // K and the spread are inputs of the result: a new job.
    state.scene().overlays["basin-map"]["starts"] = 5;
    settle(analysis, state, view);
    CHECK(analysis.basin_starts() == 2);
    state.scene().overlays["basin-map"]["spread"] = 0.25;
    settle(analysis, state, view);
    CHECK(analysis.basin_starts() == 3);
    CHECK(analysis.basins()->starts == MultiStart{5, 0.25});

    state.scene().overlays.erase("basin-map");
    state.scene().sweep.on = true;
    state.scene().sweep.run = 1;
    state.scene().sweep.x_param = "lr";
    state.scene().sweep.x_lo = 1e-3;
    state.scene().sweep.x_hi = 0.5;
    state.scene().sweep.x_log = true;
    state.scene().sweep.y_param = "beta1";
    state.scene().sweep.y_lo = 0.0;
    state.scene().sweep.y_hi = 0.95;
    state.scene().sweep.resolution = 6;
    state.scene().sweep.starts = 3;
    state.scene().sweep.spread = 0.2;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep != nullptr);
    const SweepResult* sweep = analysis.status().sweep;
    CHECK(sweep->starts == MultiStart{3, 0.2});
    REQUIRE(analysis.status().sweep_map != nullptr);
    CHECK(analysis.status().sweep_map->title.find("median of 3 starts") != std::string::npos);
    state.scene().sweep.aggregate = Aggregate::Worst;
    settle(analysis, state, {});
    CHECK(analysis.status().sweep == sweep);  // the same result, redrawn
    CHECK(analysis.status().sweep_map->title.find("worst of 3 starts") != std::string::npos);
    state.scene().sweep.starts = 2;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep != nullptr);
    CHECK(analysis.status().sweep->starts.count == 2);
}

TEST_CASE("the analysis panel keeps starts per cell within the limits", "[app][analysis][aggregate]") {
    Scene scene = small_scene();
    test::HeadlessImGui imgui;
    scene.overlays["basin-map"] = {{"starts", 3000}};  // refused by the module's table: the panel starts from defaults
    scene.sweep.on = true;
    scene.sweep.starts = limits::kMaxMapStarts + 5;
    imgui.frame([&] {
        ImGui::Begin("panel");
        ui::draw_analysis_panel(scene, {});
        ImGui::End();
    });
    CHECK(scene.sweep.starts == limits::kMaxMapStarts);
    CHECK(scene.sweep.spread == kDefaultSweepSpread);  // untouched without input
    CHECK(scene.overlays.at("basin-map").at("starts") == 3000);  // the panel writes only on an edit
}

TEST_CASE("the sweep restarts for a non-swept setting of its run, never for the swept ones or a cell click",
          "[app][analysis][keys]") {
    app::AppState state(small_scene());
    state.finish();
    app::Analysis analysis;
    state.scene().sweep.on = true;
    state.scene().sweep.run = 1;
    state.scene().sweep.x_param = "lr";
    state.scene().sweep.x_lo = 1e-3;
    state.scene().sweep.x_hi = 0.5;
    state.scene().sweep.x_log = true;
    state.scene().sweep.y_param = "beta1";
    state.scene().sweep.y_lo = 0.0;
    state.scene().sweep.y_hi = 0.95;
    state.scene().sweep.resolution = 6;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep != nullptr);
    REQUIRE(analysis.sweep_starts() == 1);
    const SweepResult* first = analysis.status().sweep;
    auto& hyper = state.scene().runs[1].config.hyper;
    // The run's own values of the two swept parameters: every cell sets its own, the map cannot change...
    hyper["lr"] = 0.02;
    settle(analysis, state, {});
    hyper["beta1"] = 0.5;
    settle(analysis, state, {});
    CHECK(analysis.sweep_starts() == 1);
    CHECK(analysis.status().sweep == first);
    // ... but its marker follows them.
    REQUIRE(analysis.status().sweep_map != nullptr);
    REQUIRE(analysis.status().sweep_map->marker.has_value());
    CHECK(analysis.status().sweep_map->marker->first == 0.02);
    CHECK(analysis.status().sweep_map->marker->second == 0.5);
    // Applying a cell sets both: no restart either.
    ui::AnalysisRequests requests;
    requests.apply_cell = std::pair<int, int>{4, 2};
    analysis.apply(requests, state);
    settle(analysis, state, {});
    CHECK(analysis.sweep_starts() == 1);
    CHECK(analysis.status().sweep == first);
    // A parameter the sweep does not set changes every cell: the sweep restarts, and its cells say so.
    const CellResult before = first->at(2, 2);
    hyper["beta2"] = 0.9;
    settle(analysis, state, {});
    CHECK(analysis.sweep_starts() == 2);
    REQUIRE(analysis.status().sweep != nullptr);
    CHECK(analysis.status().sweep->at(2, 2).loss != before.loss);
    // So do the run's other settings and the horizon.
    state.scene().runs[1].config.clip_norm = 1.0;
    settle(analysis, state, {});
    CHECK(analysis.sweep_starts() == 3);
    state.scene().steps = 90;
    settle(analysis, state, {});
    CHECK(analysis.sweep_starts() == 4);
}

TEST_CASE("the sweep map's picture is rebuilt when what it shows changes, by value", "[app][analysis][keys]") {
    app::AppState state(small_scene());
    state.finish();
    app::Analysis analysis;
    state.scene().sweep.on = true;
    state.scene().sweep.run = 1;
    state.scene().sweep.x_param = "lr";
    state.scene().sweep.x_lo = 1e-3;
    state.scene().sweep.x_hi = 0.5;
    state.scene().sweep.x_log = true;
    state.scene().sweep.y_param = "beta1";
    state.scene().sweep.y_lo = 0.0;
    state.scene().sweep.y_hi = 0.95;
    state.scene().sweep.resolution = 6;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep_map != nullptr);
    CHECK(analysis.sweep_map_builds() == 1);
    for (int i = 0; i < 20; ++i) analysis.update(state, {});
    CHECK(analysis.sweep_map_builds() == 1);
    // The same sweep computed again (cancelled, then asked for with the same settings) is a new object
    // with the same key: the same picture.
    ui::AnalysisRequests cancel;
    cancel.cancel_sweep = true;
    analysis.apply(cancel, state);
    state.scene().sweep.on = true;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep_map != nullptr);
    CHECK(analysis.sweep_starts() == 2);
    CHECK(analysis.sweep_map_builds() == 1);
    // What it shows: the metric, the aggregate and the run's marker each rebuild it.
    state.scene().sweep.metric = SweepMetric::Steps;
    analysis.update(state, {});
    CHECK(analysis.sweep_map_builds() == 2);
    state.scene().sweep.aggregate = Aggregate::Worst;
    analysis.update(state, {});
    CHECK(analysis.sweep_map_builds() == 3);
    state.scene().runs[1].config.hyper["lr"] = 0.02;
    analysis.update(state, {});
    CHECK(analysis.sweep_map_builds() == 4);
    REQUIRE(analysis.status().sweep_map->marker.has_value());
    CHECK(analysis.status().sweep_map->marker->first == 0.02);
}

TEST_CASE("a rebuilt sweep map asks for its texture once and never shows a stale one", "[app][analysis][sweep]") {
    app::AppState state(small_scene());
    state.finish();
    app::Analysis analysis;
    state.scene().sweep.on = true;
    state.scene().sweep.run = 1;
    state.scene().sweep.x_param = "lr";
    state.scene().sweep.x_lo = 1e-3;
    state.scene().sweep.x_hi = 0.5;
    state.scene().sweep.x_log = true;
    state.scene().sweep.y_param = "beta1";
    state.scene().sweep.y_lo = 0.0;
    state.scene().sweep.y_hi = 0.95;
    state.scene().sweep.resolution = 6;
    settle(analysis, state, {});
    REQUIRE(analysis.status().sweep_map != nullptr);
    CHECK(analysis.sweep_map_changed());
    CHECK_FALSE(analysis.sweep_map_changed());  // once
    const auto texture = reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(5));
    analysis.set_sweep_texture(texture);
    CHECK(analysis.status().sweep_map->cells_texture == texture);
    analysis.update(state, {});
    CHECK(analysis.status().sweep_map->cells_texture == texture);  // kept while nothing changes
    // New colours (another metric): the old texture goes with the old picture until the new one is uploaded.
    state.scene().sweep.metric = SweepMetric::Steps;
    analysis.update(state, {});
    CHECK(analysis.sweep_map_changed());
    CHECK(analysis.status().sweep_map->cells_texture == nullptr);
}

TEST_CASE("an imported run cannot be the basin or sweep map's run: a message and no map", "[app][analysis][imported]") {
    Scene scene = small_scene();
    RunSpec mine;
    mine.label = "mine";
    mine.imported.path = std::make_shared<const ImportedPath>(ImportedPath{"", "mine", "", {0.3, 0.2, 0.1}, {-0.4, -0.3, -0.2}, {}});
    scene.runs.push_back(mine);
    CHECK(ui::offered_runs(scene, true) == std::vector<std::size_t>{0, 1});  // the maps' menus leave it out
    CHECK(ui::offered_runs(scene, false) == std::vector<std::size_t>{0, 1, 2});  // the glyphs' menu does not
    ui::BasinMapSettings basins;
    basins.run = 2;
    basins.resolution = 6;
    ui::set_basin_map(scene, basins);
    app::AppState state(scene);
    state.finish();
    app::Analysis analysis;
    settle(analysis, state, state.view());
    CHECK(analysis.basins() == nullptr);
    CHECK(analysis.basin_starts() == 0);  // never analysed with default settings
    CHECK_THAT(analysis.status().message, Catch::Contains("basin map maps a simulated run: mine is imported from a file"));
    // The panel draws the refusal and offers no axes for it.
    test::HeadlessImGui imgui;
    state.scene().sweep.on = true;
    state.scene().sweep.run = 2;
    state.scene().overlays.erase("basin-map");
    settle(analysis, state, state.view());
    CHECK(analysis.sweep_starts() == 0);
    CHECK(analysis.status().sweep == nullptr);
    CHECK_THAT(analysis.status().message, Catch::Contains("sweep map maps a simulated run: mine"));
    imgui.frame([&] {
        ImGui::Begin("panel");
        ui::draw_analysis_panel(state.scene(), analysis.status());
        ImGui::End();
    });
    CHECK(state.scene().sweep.y_param.empty());  // the axes were not filled from the imported run's default optimizer
    // A simulated run maps as before, and the message goes.
    state.scene().sweep.on = false;
    basins.run = 1;
    ui::set_basin_map(state.scene(), basins);
    settle(analysis, state, state.view());
    CHECK(analysis.basins() != nullptr);
    CHECK(analysis.basin_starts() == 1);
    CHECK(analysis.status().message.empty());
}
