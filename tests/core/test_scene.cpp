#include <catch2/catch.hpp>

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
