#include "support/catch.h"

#include <cmath>
#include <map>
#include <set>

#include "core/color_scale.h"
#include "core/presets.h"
#include "core/scene.h"

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
    s3.glyph_run = 2;
    const Scene b3 = scene_from_json(scene_to_json(s3), "s.json");
    CHECK(b3.layout == Scene::Layout::Both);
    CHECK(b3.camera.yaw == 1.25);
    CHECK(b3.camera.distance == 7.5);
    CHECK(b3.overlays == s3.overlays);
    CHECK(b3.glyph_run == 2);
}

TEST_CASE("scenes saved before overlays existed still switch the gradient field on", "[scene]") {
    std::string text = scene_to_json(default_scene());
    const auto at = text.find("\"overlays\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("\"overlays\": {}").size(), "\"gradient_field\": true");
    const Scene old = scene_from_json(text, "old.json");
    REQUIRE(old.overlays.size() == 1);
    CHECK(old.overlays.count("gradient-field") == 1);
    CHECK(old.overlays.at("gradient-field").empty());
    CHECK(scene_from_json(scene_to_json(default_scene()), "new.json").overlays.empty());
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
    run.cloud = 7;
    run.cloud_spread = 0.3;
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
    scene.glyph_run = 1;
    scene.glyph_trail = true;
    scene.layout = Scene::Layout::Both;
    scene.camera.yaw = 1.25;
    scene.camera.pitch = 0.5;
    scene.camera.distance = 7.5;
    scene.camera.target = {0.1, -0.2, 0.3};
    scene.mesh_contours = false;
    scene.linear_height = true;
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
    CHECK_THROWS_WITH(parse_run_spec("adam:loss_patience=0", 0), Catch::Contains("loss patience"));
    CHECK_THROWS_WITH(parse_run_spec("sgd:bias_correction=0", 0), Catch::Contains("bias_correction"));
}

TEST_CASE("run colours stay apart from each other, from viridis and from white, also for colour-blind readers", "[scene][color]") {
    for (std::size_t i = 0; i < kRunPaletteSize; ++i) {
        const std::uint32_t c = run_palette(i);
        INFO("colour " << i);
        const auto lab = srgb_to_lab(c);
        CHECK(std::hypot(lab[1], lab[2]) >= 40.0);  // a hue, not a grey
        CHECK(delta_e(c, 0xFFFFFF) >= 45.0);       // not the contours' or the start ring's white
        double nearest_viridis = 1e9;
        for (int k = 0; k <= 100; ++k) nearest_viridis = std::min(nearest_viridis, delta_e(c, viridis_rgb(k / 100.0)));
        CHECK(nearest_viridis >= 30.0);  // visible on every part of the colormap
        for (std::size_t j = i + 1; j < kRunPaletteSize; ++j)
            for (const ColorVision vision : {ColorVision::Normal, ColorVision::Protan, ColorVision::Deutan}) {
                INFO("with colour " << j << ", vision " << static_cast<int>(vision));
                CHECK(delta_e(simulate_color_vision(c, vision), simulate_color_vision(run_palette(j), vision)) >= 20.0);
            }
        for (std::size_t a = 0; a < 10; ++a) CHECK(delta_e(c, area_palette(a)) >= 25.0);  // basins never look like runs
    }
    CHECK(run_palette(kRunPaletteSize) == run_palette(0));
    // The colour science itself: white is L* 100, a dichromat sees red and green alike.
    CHECK(srgb_to_lab(0xFFFFFF)[0] == Approx(100.0).margin(0.01));
    CHECK(delta_e(0x000000, 0xFFFFFF) == Approx(100.0).margin(0.01));
    CHECK(delta_e(simulate_color_vision(0xCC3333, ColorVision::Deutan), simulate_color_vision(0x999900, ColorVision::Deutan)) <
          delta_e(0xCC3333, 0x999900) / 2);
}

TEST_CASE("an optimizer keeps its colour across presets and run lists", "[scene][color]") {
    std::map<std::string, std::set<std::uint32_t>> colours;  // label kind -> colours seen
    auto record = [&](const Scene& scene) {
        std::set<std::uint32_t> in_scene;
        for (const RunSpec& run : scene.runs) {
            in_scene.insert(run.color);
            std::string kind = run.config.optimizer;
            if (kind == "sgd" && run.config.hyper.count("momentum")) kind = run.config.hyper.count("nesterov") ? "nesterov" : "momentum";
            // The first run of each kind in a scene has the kind's colour.
            bool first = true;
            for (const RunSpec& other : scene.runs) {
                if (&other == &run) break;
                std::string other_kind = other.config.optimizer;
                if (other_kind == "sgd" && other.config.hyper.count("momentum"))
                    other_kind = other.config.hyper.count("nesterov") ? "nesterov" : "momentum";
                first = first && other_kind != kind;
            }
            if (first) colours[kind].insert(run.color);
        }
        CHECK(in_scene.size() == scene.runs.size());  // runs of one scene never share a colour
    };
    record(default_scene());
    for (const Preset& preset : preset_registry()) record(make_preset(preset.name));
    for (const auto& [kind, seen] : colours) {
        INFO(kind);
        CHECK(seen.size() == 1);
    }
    CHECK(colours.at("adam") == std::set<std::uint32_t>{run_palette(5)});
    CHECK(colours.at("sgd") == std::set<std::uint32_t>{run_palette(0)});
    // A second plain SGD run takes the first free colour, not Adam's.
    std::vector<RunSpec> runs = {parse_run_spec("sgd", 0), parse_run_spec("adam", 1), parse_run_spec("sgd:lr=0.1", 2)};
    assign_default_colors(runs);
    CHECK(runs[0].color == run_palette(0));
    CHECK(runs[1].color == run_palette(5));
    CHECK(runs[2].color == run_palette(1));
}
