// The scene format's version and the file's place: a newer format is refused, unknown keys are
// named in one warning, a relative data path is found beside the scene file, and every scene
// names its format early enough for the desktop's MIME magic.
#include "support/catch.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/scene/presets.h"
#include "core/scene/scene.h"

using namespace optiviz;
using nlohmann::json;

namespace {

json saved_default() { return json::parse(scene_to_json(default_scene())); }

std::string refusal(const std::string& text) {
    try {
        scene_from_json(text, "s.json", SceneFileContext{});
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a scene from a newer optiviz is refused with both versions named", "[scene][version]") {
    json j = saved_default();
    CHECK(j["version"] == kSceneFormatVersion);
    j["version"] = kSceneFormatVersion + 98;
    CHECK(refusal(j.dump()) == "s.json: written by a newer optiviz (format " + std::to_string(kSceneFormatVersion + 98) +
                                   "); this one reads " + std::to_string(kSceneFormatVersion));
    for (const json& bad : {json("1"), json(0), json(1.5), json(-3)}) {
        j["version"] = bad;
        INFO(bad.dump());
        CHECK(refusal(j.dump()).find("version must be a whole number from 1") != std::string::npos);
    }
    j["version"] = kSceneFormatVersion;
    CHECK(refusal(j.dump()).empty());
    j.erase("version");  // written by hand: format 1
    CHECK(refusal(j.dump()).empty());
}

TEST_CASE("unknown keys are ignored and named in one warning", "[scene][version]") {
    json j = saved_default();
    j["colour"] = "red";
    j["surface"]["shape"] = 3;
    j["runs"][1]["note"] = "fast";
    std::vector<std::string> warnings;
    const Scene scene = scene_from_json(j.dump(), "s.json", {"", &warnings});
    CHECK(scene == scene_from_json(saved_default().dump(), "s.json"));
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == "s.json: unknown keys ignored: colour, surface.shape, runs[1].note");
}

TEST_CASE("scenes optiviz writes, and older ones, give no warning", "[scene][version]") {
    std::vector<Scene> scenes{default_scene()};
    for (const Preset& preset : preset_registry()) scenes.push_back(preset.make());
    for (const Scene& scene : scenes) {
        std::vector<std::string> warnings;
        INFO(scene.surface);
        const std::string text = scene_to_json(scene);
        CHECK(scene_from_json(text, "s.json", {"", &warnings}) == scene_from_json(text, "s.json"));
        CHECK(warnings.empty());
        // The desktop tells a scene from other JSON by this text within its first 4096 bytes
        // (packaging/io.github.optiviz.optiviz.mime.xml).
        const auto at = text.find("\"format\": \"optiviz-scene\"");
        CHECK(at != std::string::npos);
        CHECK(at < 4096 - 30);
    }
    json old = saved_default();
    old["gradient_field"] = true;  // before overlays
    std::vector<std::string> warnings;
    scene_from_json(old.dump(), "old.json", {"", &warnings});
    CHECK(warnings.empty());
}

TEST_CASE("a relative data path is found beside the scene file", "[scene][paths]") {
    json j = saved_default();
    j["surface"]["name"] = "mse";
    j["surface"]["data"] = {{"file", "points.csv"}, {"columns", {"x", "y"}}};
    CHECK(scene_from_json(j.dump(), "s.json", {"/home/ann/scenes", nullptr}).data.path == "/home/ann/scenes/points.csv");
    CHECK(scene_from_json(j.dump(), "s.json", {"scenes", nullptr}).data.path == "scenes/points.csv");
    CHECK(scene_from_json(j.dump(), "s.json").data.path == "points.csv");  // no folder: as written
    j["surface"]["data"]["file"] = "../data/points.csv";
    CHECK(scene_from_json(j.dump(), "s.json", {"/home/ann/scenes", nullptr}).data.path == "/home/ann/data/points.csv");
    j["surface"]["data"]["file"] = "/srv/points.csv";
    CHECK(scene_from_json(j.dump(), "s.json", {"/home/ann/scenes", nullptr}).data.path == "/srv/points.csv");
    j["surface"]["data"] = "points.csv";  // a bare path, as written by hand
    CHECK(scene_from_json(j.dump(), "s.json", {"/home/ann", nullptr}).data.path == "/home/ann/points.csv");
    CHECK(folder_of("/home/ann/s.json") == "/home/ann");
    CHECK(folder_of("s.json") == ".");
}
