#include "support/catch.h"

#include <cmath>
#include <map>
#include <set>

#include "core/presentation/color_scale.h"
#include "core/scene/presets.h"
#include "core/scene/scene.h"

#include <nlohmann/json.hpp>

using namespace optiviz;

TEST_CASE("scenes round-trip through JSON", "[scene]") {
    Scene scene = default_scene();
    scene.surface = "quadratic";
    scene.surface_params = {{"b", 25.0}, {"c", 1.5}};
    scene.start = {0.25, -1.75};
    scene.steps = 321;
    scene.step = 17;
    scene.view = {-3, 3, -2, 2};
    scene.view_is_default = false;
    scene.runs[1].config.schedule.kind = ScheduleKind::Cosine;
    scene.runs[1].config.schedule.t_max = 50;
    scene.runs[1].config.clip_norm = 2.5;
    scene.runs[1].visible = false;
    scene.runs[1].label = "mine";
    const Scene back = scene_from_json(scene_to_json(scene), "s.json");
    CHECK(back.surface == "quadratic");
    CHECK(back.surface_params == scene.surface_params);
    CHECK(back.start == scene.start);
    CHECK(back.steps == 321);
    CHECK(back.step == 17);
    CHECK(back.view.x_min == -3);
    REQUIRE(back.runs.size() == scene.runs.size());
    CHECK(back.runs[1].config.schedule.kind == ScheduleKind::Cosine);
    CHECK(back.runs[1].config.schedule.t_max == 50);
    CHECK(back.runs[1].config.clip_norm == 2.5);
    CHECK_FALSE(back.runs[1].visible);
    CHECK(back.runs[1].label == "mine");
    CHECK(back.runs[2].config.hyper == scene.runs[2].config.hyper);
    CHECK(back.runs[3].color == scene.runs[3].color);
    // The 3-D layout and camera, and the teaching overlays, are part of the scene.
    Scene s3 = default_scene();
    s3.layout = Scene::Layout::Both;
    s3.camera.yaw = 1.25;
    s3.camera.distance = 7.5;
    s3.overlays["gradient-field"] = {{"spacing", 4.0}};
    s3.overlays["not-in-core"] = {};  // core keeps any name: only the app knows the overlay registry
    s3.overlays["step-glyphs"] = {{"run", 2}};
    const Scene b3 = scene_from_json(scene_to_json(s3), "s.json");
    CHECK(b3.layout == Scene::Layout::Both);
    CHECK(b3.camera.yaw == 1.25);
    CHECK(b3.camera.distance == 7.5);
    CHECK(b3.overlays == s3.overlays);
}

TEST_CASE("scenes saved before overlays existed still switch the gradient field on", "[scene]") {
    std::string text = scene_to_json(default_scene());
    const auto at = text.find("\"overlays\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("\"overlays\": {}").size(), "\"gradient_field\": true");
    // Core keeps the retired key for the app, which hands it to the gradient field's module
    // (tests/app/window/test_scene_settings.cpp): core knows no overlay's name.
    const Scene old = scene_from_json(text, "old.json");
    CHECK(old.overlays.empty());
    CHECK(old.retired == ParamOverrides{{"gradient_field", 1}});
    CHECK(scene_from_json(scene_to_json(default_scene()), "new.json").overlays.empty());
}

TEST_CASE("a scene without a view opens framed to its runs, and a malformed view is still refused", "[scene]") {
    Scene saved = default_scene();
    saved.view = {-9, 9, -7, 7};
    saved.view_is_default = false;
    auto without_view = nlohmann::json::parse(scene_to_json(saved));
    REQUIRE(without_view.erase("view") == 1);
    const Scene opened = scene_from_json(without_view.dump(), "hand-written.json");
    CHECK(opened.view_is_default);  // the app and render frame it to the runs (view_framing.h)
    CHECK(opened.runs.size() == saved.runs.size());
    CHECK_FALSE(scene_from_json(scene_to_json(saved), "saved.json").view_is_default);
    auto bad_view = nlohmann::json::parse(scene_to_json(saved));
    bad_view["view"] = {1, 2, 3};
    CHECK_THROWS_WITH(scene_from_json(bad_view.dump(), "bad.json"), Catch::Contains("view must be [x_min, x_max, y_min, y_max]"));
}

TEST_CASE("scene and run errors are one line naming the source", "[scene]") {
    CHECK_THROWS_WITH(scene_from_json("{ nope", "a.json"), Catch::StartsWith("a.json: ") && !Catch::Contains("\n"));
    CHECK_THROWS_WITH(scene_from_json("{\"format\": \"other\"}", "a.json"), "a.json: not an optiviz scene file");
    std::string text = scene_to_json(default_scene());
    text.replace(text.find("rosenbrock"), 10, "nowhere");
    CHECK_THROWS_WITH(scene_from_json(text, "a.json"), Catch::StartsWith("a.json: unknown surface 'nowhere'"));
    CHECK_THROWS_WITH(parse_run_spec("adam:lr=-1", 0), Catch::Contains("lr must be >= 0"));
    CHECK_THROWS_WITH(parse_run_spec("adam:lr", 0), Catch::Contains("expected key=value"));
    CHECK_THROWS_WITH(parse_run_spec("adam:momentum=0.9", 0), Catch::Contains("adam has no parameter 'momentum'"));
    CHECK_THROWS_WITH(parse_run_spec("lion", 0), Catch::StartsWith("unknown optimizer 'lion'"));
    const RunSpec run = parse_run_spec("sgd:lr=0.01,momentum=0.9,schedule=step,gamma=0.5,label=heavy ball", 3);
    CHECK(run.config.hyper.at("momentum") == 0.9);
    CHECK(run.config.schedule.kind == ScheduleKind::Step);
    CHECK(run.label == "heavy ball");
    CHECK(run.color == run_palette(3));
    CHECK(run_label(parse_run_spec("sgd:lr=0.01,momentum=0.9", 0)) == "Momentum lr=0.01");
}

TEST_CASE("every scene field survives save and load", "[scene]") {
    // Every field away from its default, so a field the writer forgets cannot pass unnoticed.
    Scene scene;
    scene.surface = "mse";
    scene.surface_params = {};
    scene.data.kind = DatasetChoice::Kind::Synthetic;
    scene.data.synthetic = {123, 1.5, -0.25, 0.75, 3.0, 4.0, 2, 6.0, 99};
    scene.data.standardize = true;
    RunSpec run = parse_run_spec("adam:lr=0.03,beta1=0.8,beta2=0.95,amsgrad=1", 0);
    run.label = "mine";
    run.color = 0x123456;
    run.visible = false;
    run.config.schedule.kind = ScheduleKind::Step;
    run.config.schedule.gamma = 0.7;
    run.config.schedule.step_size = 33;
    run.config.schedule.t_max = 44;
    run.config.schedule.eta_min = 1e-4;
    run.config.clip_norm = 2.5;
    run.config.batch_size = 16;
    run.config.seed = 5;
    scene.runs = {run, parse_run_spec("sgd:lr=0.002,momentum=0.9,nesterov=1", 1)};
    scene.start = {0.125, -1.625};
    scene.steps = 321;
    scene.view = {-3, 2, -2.5, 4};
    scene.view_is_default = false;
    scene.step = 17;
    scene.caption = "a caption";
    scene.overlays["gradient-field"] = {{"spacing", 30.0}};
    scene.overlays["step-glyphs"] = {{"run", 1}, {"trail", 1}};
    scene.overlays["particle-cloud"] = {{"particles", 7}, {"spread", 0.3}, {"run", -1}};  // -1: every run
    scene.layout = Scene::Layout::Both;
    scene.camera.yaw = 1.25;
    scene.camera.pitch = 0.5;
    scene.camera.distance = 7.5;
    scene.camera.target = {0.1, -0.2, 0.3};
    scene.overlays["mesh-3d"] = {{"contours", 0}, {"linear_height", 1}};  // core stores any module's settings
    const Scene back = scene_from_json(scene_to_json(scene), "s.json");
    CHECK(back.surface == scene.surface);
    CHECK(back.data == scene.data);
    CHECK(back.runs == scene.runs);
    CHECK(back.camera == scene.camera);
    CHECK(back == scene);
}

TEST_CASE("plateau schedules, stopping rules and bias correction survive run specs and scene files", "[scene]") {
    const RunSpec run = parse_run_spec(
        "adam:bias_correction=0,schedule=plateau,factor=0.5,patience=3,threshold=0.01,threshold_mode=abs,cooldown=2,"
        "min_lr=1e-4,tol=1e-6,loss_tol=1e-7,loss_patience=4",
        0);
    const LrSchedule& s = run.config.schedule;
    CHECK(s.kind == ScheduleKind::Plateau);
    CHECK(s.factor == 0.5);
    CHECK(s.patience == 3);
    CHECK(s.threshold == 0.01);
    CHECK(s.threshold_mode == ThresholdMode::Abs);
    CHECK(s.cooldown == 2);
    CHECK(s.min_lr == 1e-4);
    CHECK(run.config.stop.grad_tol == 1e-6);
    CHECK(run.config.stop.loss_tol == 1e-7);
    CHECK(run.config.stop.loss_patience == 4);
    CHECK(run.config.hyper.at("bias_correction") == 0.0);
    Scene scene = default_scene();
    scene.runs[0] = run;
    const Scene back = scene_from_json(scene_to_json(scene), "s.json");
    const RunConfig& c = back.runs[0].config;
    CHECK(c.schedule.kind == ScheduleKind::Plateau);
    CHECK(c.schedule.factor == 0.5);
    CHECK(c.schedule.patience == 3);
    CHECK(c.schedule.threshold == 0.01);
    CHECK(c.schedule.threshold_mode == ThresholdMode::Abs);
    CHECK(c.schedule.cooldown == 2);
    CHECK(c.schedule.min_lr == 1e-4);
    CHECK(c.stop.grad_tol == 1e-6);
    CHECK(c.stop.loss_tol == 1e-7);
    CHECK(c.stop.loss_patience == 4);
    CHECK(c.hyper.at("bias_correction") == 0.0);
    CHECK_THROWS_WITH(parse_run_spec("adam:schedule=plateau,factor=1.5", 0), Catch::Contains("factor"));
    CHECK_THROWS_WITH(parse_run_spec("adam:threshold_mode=max", 0), Catch::Contains("threshold mode"));
    CHECK_THROWS_WITH(parse_run_spec("adam:loss_patience=0", 0), Catch::Contains("loss_patience must be a whole number from 1 to"));
    CHECK_THROWS_WITH(parse_run_spec("sgd:bias_correction=0", 0), Catch::Contains("bias_correction"));
}

TEST_CASE("the eight run colours stay apart for normal, deutan and protan vision (CIEDE2000)", "[scene][color]") {
    for (std::size_t i = 0; i < kRunPaletteSize; ++i)
        for (std::size_t j = i + 1; j < kRunPaletteSize; ++j) {
            const std::uint32_t a = run_palette(i), b = run_palette(j);
            INFO("colours " << i << " and " << j);
            CHECK(delta_e_2000(a, b) >= 18.0);
            CHECK(delta_e_2000(simulate_color_vision(a, ColorVision::Deutan), simulate_color_vision(b, ColorVision::Deutan)) >= 10.0);
            CHECK(delta_e_2000(simulate_color_vision(a, ColorVision::Protan), simulate_color_vision(b, ColorVision::Protan)) >= 10.0);
        }
    for (std::size_t i = 0; i < kRunPaletteSize; ++i)
        for (std::size_t a = 0; a < 10; ++a) CHECK(delta_e(run_palette(i), area_palette(a)) >= 25.0);  // basins never look like runs
    CHECK(run_palette(kRunPaletteSize) == run_palette(0));
    // The colour science itself: white is L* 100, a dichromat sees red and green alike.
    CHECK(srgb_to_lab(0xFFFFFF)[0] == Approx(100.0).margin(0.01));
    CHECK(delta_e(0x000000, 0xFFFFFF) == Approx(100.0).margin(0.01));
    CHECK(delta_e(simulate_color_vision(0xCC3333, ColorVision::Deutan), simulate_color_vision(0x999900, ColorVision::Deutan)) <
          delta_e(0xCC3333, 0x999900) / 2);
}

TEST_CASE("a run's colour is its position's, in every preset and run list", "[scene][color]") {
    auto check = [](const Scene& scene) {
        for (std::size_t i = 0; i < scene.runs.size(); ++i) {
            INFO("run " << i);
            CHECK(scene.runs[i].color == run_palette(i));
        }
    };
    check(default_scene());
    for (const Preset& preset : preset_registry()) check(make_preset(preset.name));
    std::vector<RunSpec> runs = {parse_run_spec("sgd", 0), parse_run_spec("adam", 1), parse_run_spec("sgd:lr=0.1", 2)};
    assign_default_colors(runs);
    CHECK(runs[0].color == run_palette(0));
    CHECK(runs[1].color == run_palette(1));
    CHECK(runs[2].color == run_palette(2));
    // A run added to a scene takes the first colour no run has.
    CHECK(default_run_color(runs[0].config, {run_palette(0), run_palette(2)}) == run_palette(1));
}

TEST_CASE("legend labels name every setting in which runs of one optimizer differ", "[scene][label]") {
    Scene scene;
    for (const char* spec : {"adam:lr=0.1", "adam:lr=0.1,bias_correction=0", "lbfgs:lr=1", "lbfgs:lr=1,line_search=1",
                             "sgd:lr=0.01", "adam:lr=0.05,amsgrad=1", "adam:lr=0.05,clip_norm=1", "sgd:lr=0.01",
                             "sgd:lr=0.01,momentum=0.9", "adam:lr=0.05,schedule=step"})
        scene.runs.push_back(parse_run_spec(spec, scene.runs.size()));
    const std::vector<std::string> labels = run_labels(scene);
    REQUIRE(labels.size() == scene.runs.size());
    // The setting is named on the run that does not have the default; the default run reads plainly.
    CHECK(labels[0] == "Adam lr=0.1");
    CHECK(labels[1] == "Adam lr=0.1, no bias correction");
    CHECK(labels[2] == "L-BFGS lr=1");
    CHECK(labels[3] == "L-BFGS lr=1, strong Wolfe");
    CHECK(labels[4] == "SGD lr=0.01");
    CHECK(labels[5] == "Adam lr=0.05, AMSGrad");
    CHECK(labels[6] == "Adam lr=0.05, clip |g| <= 1");
    CHECK(labels[7] == "SGD lr=0.01 #2");           // identical runs are numbered
    CHECK(labels[8] == "Momentum lr=0.01");         // another kind: nothing to add
    CHECK(labels[9] == "Adam lr=0.05, step decay \u00D70.1 every 10");
    const std::set<std::string> distinct(labels.begin(), labels.end());
    CHECK(distinct.size() == labels.size());
    // A single run, or runs of different optimizers, keep the short label.
    Scene two;
    two.runs = {parse_run_spec("adam:lr=0.1,bias_correction=0", 0), parse_run_spec("sgd", 1)};
    CHECK(run_labels(two) == std::vector<std::string>{"Adam lr=0.1", "SGD lr=0.01"});
    // The user's own labels stay, numbered only when repeated.
    two.runs[0].label = two.runs[1].label = "mine";
    CHECK(run_labels(two) == std::vector<std::string>{"mine", "mine #2"});
    // Stopping rules are settings too.
    Scene stops;
    stops.runs = {parse_run_spec("adam:lr=0.02,loss_tol=1e-5,loss_patience=5", 0), parse_run_spec("adam:lr=0.02", 1)};
    CHECK(run_labels(stops)[0] == "Adam lr=0.02, stop: loss change < 1e-5 for 5 steps");
    CHECK(run_labels(stops)[1] == "Adam lr=0.02");
}

TEST_CASE("every preset's legend entries are distinct", "[scene][label]") {
    for (const Preset& preset : preset_registry()) {
        const Scene scene = make_preset(preset.name);
        const std::vector<std::string> labels = run_labels(scene);
        const std::set<std::string> distinct(labels.begin(), labels.end());
        INFO(preset.name);
        CHECK(distinct.size() == labels.size());
    }
}

TEST_CASE("a typed function is the picture's title, as typed and prettified", "[scene][label]") {
    CHECK(pretty_expression("x^2 + 3*y^2") == "x\u00B2 + 3\u00B7y\u00B2");
    CHECK(pretty_expression("x**10 - y") == "x\u00B9\u2070 - y");
    CHECK(pretty_expression("exp(-x^(1/2))") == "exp(-x^(1/2))");
    Scene scene;
    scene.surface = "expr";
    scene.expression = "sin(x)*y^2";
    CHECK(scene_title(scene) == "f(x, y) = sin(x)\u00B7y\u00B2");
    scene.surface = "rosenbrock";
    CHECK(scene_title(scene).rfind("Rosenbrock", 0) == 0);
}
