// Scene files are checked against core/io/limits.h before any number becomes an integer, and share one
// validation with the command line.
#include "support/catch.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include <string>

#include "core/io/limits.h"
#include "core/surfaces/logistic_surface.h"
#include "core/scene/scene.h"
#include "core/analysis/sweep.h"
#include "core/io/text_escape.h"

using namespace optiviz;
using nlohmann::json;

namespace {

json base_scene() { return json::parse(scene_to_json(default_scene())); }

std::string error_of(const json& scene) {
    try {
        scene_from_json(scene.dump(), "s.json");
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(loaded)";
}

}  // namespace

TEST_CASE("counts out of range are refused before conversion", "[scene][limits]") {
    json s = base_scene();
    s["steps"] = 1e27;
    CHECK(error_of(s) == "s.json: steps must be a whole number from 0 to 1000000, got 1e+27");
    s["steps"] = -5;
    CHECK(error_of(s) == "s.json: steps must be a whole number from 0 to 1000000, got -5");
    s["steps"] = 2.5;
    CHECK(error_of(s) == "s.json: steps must be a whole number from 0 to 1000000, got 2.5");
    s["steps"] = "many";
    CHECK(error_of(s) == "s.json: steps: expected a number, got \"many\"");
    s = base_scene();
    s["runs"][0]["cloud"] = 1e9;
    CHECK(error_of(s) == "s.json: runs[0].cloud must be a whole number from 0 to 1024, got 1000000000.0");
    s = base_scene();
    s["runs"][0]["schedule"]["t_max"] = 9223372036854775807LL;
    CHECK(error_of(s) == "s.json: runs[0].schedule.t_max must be a whole number from 0 to 1000000000000, got 9223372036854775807");
    s = base_scene();
    s["runs"][0]["batch_size"] = -1;
    CHECK(error_of(s) == "s.json: runs[0].batch_size must be a whole number from 0 to 10000000, got -1");
    s = base_scene();
    s["runs"][0]["seed"] = 18446744073709551615ULL;  // the largest seed is fine
    CHECK(error_of(s) == "(loaded)");
    s["runs"][0]["color"] = 1e300;
    CHECK(error_of(s) == "s.json: runs[0].color must be a whole number from 0 to 16777215, got 1e+300");
}

TEST_CASE("a synthetic dataset's rows are bounded (logistic and mse alike)", "[scene][limits]") {
    json s = base_scene();
    s["surface"] = {{"name", "logistic"}, {"params", json::object()}, {"data", {{"synthetic", {{"rows", -1}}}}}};
    CHECK(error_of(s) == "s.json: surface.data.synthetic.rows must be a whole number from 2 to 10000000, got -1");
    s["surface"]["data"]["synthetic"]["rows"] = 1e12;
    CHECK(error_of(s) == "s.json: surface.data.synthetic.rows must be a whole number from 2 to 10000000, got 1000000000000.0");
    s["surface"]["data"]["synthetic"]["rows"] = 1000000000000LL;
    CHECK(error_of(s) == "s.json: surface.data.synthetic.rows must be a whole number from 2 to 10000000, got 1000000000000");
    s["surface"]["data"]["synthetic"]["rows"] = 100;
    CHECK(error_of(s) == "(loaded)");
}

TEST_CASE("glyph_run must name a run, as on the command line", "[scene][limits]") {
    json s = base_scene();
    s["glyph_run"] = 99;
    CHECK(error_of(s) == "s.json: glyph_run must be a whole number from -1 to 63, got 99");
    s["glyph_run"] = 6;  // the default scene has runs 0..5
    CHECK(error_of(s) == "s.json: glyph_run must be -1 (none) or a run from 0 to 5, got 6");
    s["glyph_run"] = 5;
    CHECK(error_of(s) == "(loaded)");
}

TEST_CASE("an overlay's run index is checked as a number before it becomes one", "[scene][limits]") {
    json s = base_scene();  // runs 0..5
    s["overlays"]["step-glyphs"]["run"] = 1e30;
    CHECK(error_of(s) == "s.json: overlays.step-glyphs.run must be a run from 0 to 5, got 1e30");
    s["overlays"]["step-glyphs"]["run"] = -1e30;
    CHECK(error_of(s) == "s.json: overlays.step-glyphs.run must be a run from 0 to 5, got -1e30");
    s["overlays"]["step-glyphs"]["run"] = 2.5;  // within the runs, but not one of them
    CHECK(error_of(s) == "s.json: overlays.step-glyphs.run must be a run from 0 to 5, got 2.5");
    s["overlays"]["step-glyphs"]["run"] = 5;
    CHECK(error_of(s) == "(loaded)");
}

TEST_CASE("a number beyond a double's range is refused with its line and column", "[scene][limits]") {
    std::string text = base_scene().dump(1);
    const std::size_t steps = text.find("\"steps\": ");
    REQUIRE(steps != std::string::npos);
    text.replace(steps + 9, text.find(',', steps) - steps - 9, "1e400");
    const std::size_t at = text.find("1e400");
    const std::size_t line_start = text.rfind('\n', at) + 1;
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    try {
        scene_from_json(text, "s.json");
        FAIL("loaded");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "s.json: line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1) +
                                           ": number overflow: 1e400 is beyond the largest number (1.8e308)");
    }
}

TEST_CASE("views must be finite, drawable and not degenerate", "[scene][limits]") {
    json s = base_scene();
    s["view"] = {-1e308, 1e308, -1e308, 1e308};
    s["glyph_run"] = 0;
    CHECK(error_of(s) == "s.json: the view: coordinates must be within +-1e30, got -1e308");
    s["view"] = {0, 1e39, 0, 1};
    CHECK(error_of(s) == "s.json: the view: coordinates must be within +-1e30, got 1e39");
    s["view"] = {1, 1.0000000000000002, 0, 1};
    CHECK(error_of(s) == "s.json: the view is too narrow for its position: each side must span more than 1e-12 of its "
                         "largest coordinate");
    s["view"] = {1, 1, 0, 1};
    CHECK(error_of(s) == "s.json: the view must have x_max > x_min and y_max > y_min");
    CHECK_THROWS_WITH(scene_from_json(base_scene().dump().replace(base_scene().dump().find("\"view\":[") + 8, 1, "1e400,"),
                                      "s.json"),
                      Catch::Contains("number overflow"));
    s["view"] = {-1e-9, 1e-9, -1e-9, 1e-9};  // small but well resolved
    CHECK(error_of(s) == "(loaded)");
}

TEST_CASE("trajectory memory is checked before anything is allocated", "[scene][limits]") {
    Scene scene = default_scene();
    scene.runs.resize(1);
    scene.steps = 1'000'000;
    // A cloud's 1024 particles are paths the app stores besides the run's (their module counts them).
    CHECK_THROWS_WITH(validate_scene(scene, 1024), "the scene's runs: 1000000 steps x 1025 particles need 39101 MB; the limit is "
                                                   "1024 MB (fewer steps, runs or cloud particles)");
    scene.steps = 20'000;  // 20 001 × 1025 × 40 bytes = 782 MB
    CHECK_NOTHROW(validate_scene(scene, 1024));
    CHECK_THROWS_WITH(validate_scene(scene, 1400), Catch::Contains("x 1401 particles"));  // 1069 MB
    scene.runs.assign(65, scene.runs[0]);
    scene.runs.resize(65);
    CHECK_THROWS_WITH(validate_scene(scene), "at most 64 runs, got 65");
}

TEST_CASE("run specs share the scene's limits", "[scene][limits]") {
    CHECK_THROWS_WITH(parse_run_spec("adam:cloud=5000", 0), "--run adam cloud must be at most 1024, got 5000");
    CHECK_THROWS_WITH(parse_run_spec("adam:t_max=99999999999999999999", 0),
                      "--run adam t_max must be a whole number from 1 to 1000000000000, got 99999999999999999999");
    CHECK_THROWS_WITH(parse_run_spec("adam:amsgrad=2", 0), "adam: amsgrad must be 0 or 1, got 2");
    CHECK(parse_run_spec("adam:amsgrad=1", 0).config.hyper.at("amsgrad") == 1.0);
}

TEST_CASE("scene errors are one printable line even for binary input", "[scene][limits]") {
    for (const std::string& text : {std::string("{\"format\":\"optiviz-scene\",\x1B[2J"), std::string("\xFF\xFE{\0}", 5),
                                   std::string(100000, '['), std::string("{\"format\":\"optiviz-scene\",\"surface\":{\"name\":\"\x1B]0;x\x07\"}}")}) {
        try {
            scene_from_json(text, "s.json");
            FAIL("loaded");
        } catch (const std::invalid_argument& e) {
            INFO(printable(e.what(), 400));
            CHECK(is_printable_line(e.what()));
            CHECK(std::string(e.what()).size() < 400);
        }
    }
}

TEST_CASE("generated datasets refuse more rows than the limit before allocating", "[dataset][limits]") {
    SyntheticDatasetSpec spec;
    spec.rows = static_cast<std::size_t>(-1);  // what rows: -1 became before scenes were range-checked
    CHECK_THROWS_WITH(make_classification_dataset(spec), "classification dataset: at most 10000000 rows");
    CHECK_THROWS_WITH(make_synthetic_dataset(spec), "synthetic dataset: at most 10000000 rows");
}

TEST_CASE("fuzz findings: run specs and sweep axes quote raw bytes escaped", "[scene][fuzz]") {
    CHECK_THROWS_WITH(parse_run_spec("ada\x04", 0), Catch::StartsWith("unknown optimizer 'ada\\x04'"));
    CHECK_THROWS_WITH(parse_run_spec("adam:l\x1B[r=1", 0), Catch::StartsWith("adam has no parameter 'l\\x1B[r'"));
    CHECK_THROWS_WITH(parse_run_spec("adam:schedule=\xFF", 0), Catch::StartsWith("unknown schedule '\\xFF'"));
    CHECK_THROWS_WITH(parse_sweep_axis("rms\x89rop:centered=1,cloud=8,spread=0.2,label=x", "--x"),
                      "--x: expected NAME=LO:HI:lin|log:COUNT, got 'rms\\x89rop:centered=1,cloud=8,spread=0.2,label=x'");
}

TEST_CASE("a scene of countless empty runs is refused while parsing, before its tree is built", "[scene][limits]") {
    auto scene_with_runs = [](long runs) {
        std::string text = R"({"format": "optiviz-scene", "version": 2, "surface": {"name": "rosenbrock"}, "runs": [)";
        for (long i = 0; i < runs; ++i) text += i ? ",{}" : "{}";
        return text + "]}";
    };
    // Three containers are the scene, its surface and its runs: the first past the bound is refused, and
    // a file at the bound gets to the run limit's own message.
    CHECK_THROWS_WITH(scene_from_json(scene_with_runs(limits::kMaxSceneContainers), "many.json"),
                      Catch::Contains("at most 100000 objects and arrays"));
    CHECK_THROWS_WITH(scene_from_json(scene_with_runs(limits::kMaxSceneContainers - 3), "many.json"), !Catch::Contains("objects and arrays"));
}
