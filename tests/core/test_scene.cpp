#include "support/catch.h"

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
    s3.gradient_field = true;
    s3.glyph_run = 2;
    const Scene b3 = scene_from_json(scene_to_json(s3), "s.json");
    CHECK(b3.layout == Scene::Layout::Both);
    CHECK(b3.camera.yaw == 1.25);
    CHECK(b3.camera.distance == 7.5);
    CHECK(b3.gradient_field);
    CHECK(b3.glyph_run == 2);
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
    scene.gradient_field = true;
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
