// Particle clouds as a module (ui/overlays/particle_cloud.cpp): its settings in the scene's module map
// (saved, refused out of range), older scenes' and run specs' per-run clouds adopted, the cloud's key
// (its module's settings and its run's, nothing else), the trajectory memory budget counting its
// particles, and where it is drawn: under the paths, in its run's colour, in the map and on the mesh.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/cli/scene_options.h"
#include "app/export/picture.h"
#include "core/analysis/particle_cloud.h"
#include "core/presentation/color_scale.h"
#include "core/scene/presets.h"
#include "core/surfaces/surface_registry.h"
#include "support/catch.h"
#include "support/recording_canvas.h"
#include "ui/canvas/draw_style.h"
#include "ui/canvas/fonts.h"
#include "ui/overlay.h"
#include "ui/overlays/particle_cloud.h"

using namespace optiviz;
using nlohmann::json;

namespace {

Scene small_scene() {
    Scene scene = default_scene();
    scene.surface = "himmelblau";
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.1", 1), parse_run_spec("rmsprop:lr=0.01", 2)};
    assign_default_colors(scene.runs);
    scene.start = {0.3, -0.4};
    scene.steps = 40;
    return scene;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The scene as the window and `render --scene` open a file: read, then the retired keys adopted.
Scene opened(const std::string& text, std::vector<std::string>* warnings = nullptr) {
    Scene scene = scene_from_json(text, "old.json", {"", warnings});
    ui::adopt_retired_keys(scene);
    return scene;
}

}  // namespace

TEST_CASE("the particle cloud's settings round-trip through a saved scene in the module map", "[modules][cloud]") {
    Scene scene = small_scene();
    CHECK_FALSE(ui::particle_cloud(scene));  // off until asked for
    ui::set_particle_cloud(scene, {24, 0.35, 2});
    const json saved = json::parse(scene_to_json(scene));
    CHECK(saved.at("overlays").at("particle-cloud").at("particles") == 24);
    CHECK(saved.at("overlays").at("particle-cloud").at("spread") == 0.35);
    CHECK(saved.at("overlays").at("particle-cloud").at("run") == 2);
    for (const json& run : saved.at("runs")) CHECK_FALSE(run.contains("cloud"));  // no longer a run's field
    std::vector<std::string> warnings;
    const Scene back = opened(saved.dump(), &warnings);
    CHECK(warnings.empty());
    CHECK(ui::particle_cloud(back) == ui::ParticleCloudSettings{24, 0.35, 2});
    CHECK(back == scene);
    ui::set_particle_cloud(scene, {1, 0, ui::kEveryRun});
    CHECK(ui::particle_cloud(opened(scene_to_json(scene))) == ui::ParticleCloudSettings{1, 0, ui::kEveryRun});
    // Boundaries of each setting: the largest accepted and the first refused.
    struct Bound {
        const char* key;
        double accepted, refused;
    };
    for (const Bound& b : {Bound{"particles", 1024, 1025}, Bound{"particles", 0, -1}, Bound{"spread", 0, -0.001},
                           Bound{"run", -1, -2}, Bound{"run", 63, 64}, Bound{"particles", 3, 2.5}}) {
        INFO(b.key << " " << b.accepted << " / " << b.refused);
        scene.overlays["particle-cloud"] = {{b.key, b.accepted}};
        CHECK_NOTHROW(ui::validate_overlays(scene.overlays));
        scene.overlays["particle-cloud"] = {{b.key, b.refused}};
        CHECK_THROWS_WITH(ui::validate_overlays(scene.overlays), Catch::Contains(b.key));
        CHECK_FALSE(ui::particle_cloud(scene));  // refused settings compute and draw nothing
    }
    // The run index follows its run as runs come and go; "every run" stays every run.
    ui::set_particle_cloud(scene, {8, 0.1, 2});
    scene.runs.erase(scene.runs.begin());
    run_removed(scene, 0);
    CHECK(ui::particle_cloud(scene)->run == 1);
    ui::set_particle_cloud(scene, {8, 0.1, ui::kEveryRun});
    scene.runs.insert(scene.runs.begin(), parse_run_spec("sgd", 0));
    run_inserted(scene, 0);
    CHECK(ui::particle_cloud(scene)->run == ui::kEveryRun);
    CHECK_NOTHROW(ui::validate_scene_with_modules(scene));
}

TEST_CASE("older scenes' per-run clouds go to the particle-cloud module", "[modules][cloud]") {
    const std::string data = OPTIVIZ_TEST_DATA_DIR;
    // A scene saved before the module (format 2), one run with a cloud: that run's cloud, exactly.
    std::vector<std::string> warnings;
    const Scene one = opened(read_text(data + "/scene_with_cloud_format2.json"), &warnings);
    CHECK(warnings.empty());  // read, not unknown
    CHECK(one.retired.empty());
    CHECK(ui::particle_cloud(one) == ui::ParticleCloudSettings{16, 0.25, 1});
    CHECK(ui::cloud_of_run(one, 1) == ui::RunCloud{16, 0.25});
    CHECK(ui::cloud_of_run(one, 0) == ui::RunCloud{});
    // Several runs with clouds (8 at 0.5, 16 at 0.25, 16 at 0.75): one cloud for every run, the
    // largest, the first of equal ones, with its spread.
    const Scene several = opened(read_text(data + "/scene_with_clouds_format2.json"));
    CHECK(ui::particle_cloud(several) == ui::ParticleCloudSettings{16, 0.25, ui::kEveryRun});
    // Core alone keeps them as retired keys (it names no module).
    const Scene read = scene_from_json(read_text(data + "/scene_with_clouds_format2.json"), "old.json");
    CHECK(read.overlays.empty());
    CHECK(read.retired.at("runs[2].cloud") == 16);
    CHECK(read.retired.at("runs[2].cloud_spread") == 0.75);
    // Run 10 sorts before run 2 as text: the first run still wins a tie.
    json j = json::parse(scene_to_json(small_scene()));
    for (int i = 3; i < 12; ++i) j["runs"].push_back(j["runs"][0]);
    j["runs"][2]["cloud"] = 5;
    j["runs"][2]["cloud_spread"] = 0.2;
    j["runs"][10]["cloud"] = 5;
    j["runs"][10]["cloud_spread"] = 0.9;
    CHECK(ui::particle_cloud(opened(j.dump())) == ui::ParticleCloudSettings{5, 0.2, ui::kEveryRun});
    j["runs"][10]["cloud"] = 6;
    CHECK(ui::particle_cloud(opened(j.dump())) == ui::ParticleCloudSettings{6, 0.9, ui::kEveryRun});
    // A cloud of 0 is no cloud; a scene with none has the module off.
    j["runs"][2]["cloud"] = 0;
    CHECK(ui::particle_cloud(opened(j.dump())) == ui::ParticleCloudSettings{6, 0.9, 10});
    j["runs"][10]["cloud"] = 0;
    CHECK_FALSE(ui::particle_cloud(opened(j.dump())));
}

TEST_CASE("a run spec's cloud= and spread= become the particle-cloud module's settings", "[modules][cloud][cli]") {
    cli::SceneOptions options;
    options.runs = {"sgd:lr=0.01", "adam:lr=0.1,cloud=12,spread=0.3"};
    options.steps = "20";
    const Scene scene = cli::build_scene(options);
    CHECK(scene.retired.empty());
    CHECK(ui::particle_cloud(scene) == ui::ParticleCloudSettings{12, 0.3, 1});
    options.runs = {"sgd:lr=0.01,cloud=4", "adam:lr=0.1,cloud=12,spread=0.3"};
    CHECK(ui::particle_cloud(cli::build_scene(options)) == ui::ParticleCloudSettings{12, 0.3, ui::kEveryRun});
    options.runs = {"sgd:lr=0.01,cloud=4"};  // the spread's default
    CHECK(ui::particle_cloud(cli::build_scene(options)) == ui::ParticleCloudSettings{4, 0.1, 0});
    // --overlay comes after the runs: it wins.
    options.runs = {"sgd:lr=0.01,cloud=4", "adam:lr=0.1"};
    options.overlays = {"particle-cloud:particles=9,run=1"};
    CHECK(ui::particle_cloud(cli::build_scene(options)) == ui::ParticleCloudSettings{9, 0.1, 1});
    // Checked as before, and refused where no scene could hold them.
    CHECK_THROWS_WITH(parse_run_spec("adam:cloud=1025", 0), Catch::Contains("at most 1024"));
    CHECK_THROWS_WITH(parse_run_spec("adam:spread=-1", 0, nullptr), Catch::Contains("spread"));
    CHECK_THROWS_WITH(parse_run_spec("adam:cloud=3", 0), Catch::Contains("need a scene"));
    // The presets that show clouds keep them.
    Scene saddle = make_preset("saddle");
    ui::adopt_retired_keys(saddle);
    CHECK(ui::particle_cloud(saddle) == ui::ParticleCloudSettings{12, 0.01, 0});
}

TEST_CASE("a cloud is recomputed when its module's settings or its run change, and only then", "[modules][cloud][keys]") {
    Scene scene = small_scene();
    ui::set_particle_cloud(scene, {6, 0.2, ui::kEveryRun});
    app::AppState state(scene);
    state.finish();
    struct Edit {
        const char* what;
        void (*apply)(Scene&);
        bool recomputes_run0;
    };
    const Edit edits[] = {
        {"particles", [](Scene& s) { s.overlays["particle-cloud"]["particles"] = 7; }, true},
        {"spread", [](Scene& s) { s.overlays["particle-cloud"]["spread"] = 0.3; }, true},
        {"run 0's lr", [](Scene& s) { s.runs[0].config.hyper["lr"] = 0.02; }, true},
        {"the start", [](Scene& s) { s.start = {0.1, -0.2}; }, true},
        {"the horizon", [](Scene& s) { s.steps = 41; }, true},
        {"run: only run 1", [](Scene& s) { s.overlays["particle-cloud"]["run"] = 1; }, true},  // run 0 loses its cloud
        {"run 1's lr", [](Scene& s) { s.runs[1].config.hyper["lr"] = 0.2; }, false},
        {"run 0 hidden", [](Scene& s) { s.runs[0].visible = false; }, false},
        {"run 0's colour", [](Scene& s) { s.runs[0].color = 0x123456; }, false},
        {"step glyphs of run 0", [](Scene& s) { s.overlays["step-glyphs"] = {{"run", 0}}; }, false},
        {"the gradient field", [](Scene& s) { s.overlays["gradient-field"]; }, false},
        {"the playback step", [](Scene& s) { s.step = 10; }, false},
        {"the caption", [](Scene& s) { s.caption = "clouds"; }, false},
        {"the view", [](Scene& s) { s.view = {-3, 3, -3, 3}, s.view_is_default = false; }, false},
    };
    for (const Edit& edit : edits) {
        INFO(edit.what);
        state.open_scene(scene, "reset");
        state.finish();
        REQUIRE(state.cloud(0) != nullptr);
        const std::vector<Trajectory>* before = state.cloud(0);
        const auto key = state.derived().cloud(0).value_key();
        edit.apply(state.scene());
        state.finish();
        const auto& after = state.derived().cloud(0);
        CHECK((after.value_key() != key) == edit.recomputes_run0);
        CHECK((state.cloud(0) != before) == edit.recomputes_run0);
        // What is shown was computed from the settings shown.
        const ui::RunCloud asked = ui::cloud_of_run(state.scene(), 0);
        CHECK(after.value_key()->count == asked.particles);
        CHECK(after.value_key()->spread == asked.spread);
        if (asked.particles > 0) {
            REQUIRE(state.cloud(0) != nullptr);
            CHECK(state.cloud(0)->size() == static_cast<std::size_t>(asked.particles));
            CHECK((*state.cloud(0))[0].x[0] == cloud_starts(state.scene().start, asked.particles, asked.spread)[0].x());
        }
    }
}

TEST_CASE("the trajectory memory budget counts every cloud's particles", "[modules][cloud][limits]") {
    Scene scene = small_scene();
    scene.runs[2] = parse_run_spec("sgd:lr=0.01", 2);
    ImportedPath own;
    own.x = {0, 1};
    own.y = {0, 1};
    scene.runs[2].imported.path = std::make_shared<const ImportedPath>(own);  // a run read from a file: no cloud
    CHECK(ui::overlay_extra_paths(scene) == 0);
    ui::set_particle_cloud(scene, {100, 0.1, ui::kEveryRun});
    CHECK(ui::overlay_extra_paths(scene) == 200);  // the two simulated runs
    ui::set_particle_cloud(scene, {100, 0.1, 1});
    CHECK(ui::overlay_extra_paths(scene) == 100);
    ui::set_particle_cloud(scene, {100, 0.1, 2});
    CHECK(ui::overlay_extra_paths(scene) == 0);
    // 20 000 steps: 1024 particles around one run fit (about 0.8 GB), around two they do not.
    scene.runs.resize(2);
    scene.steps = 20'000;
    ui::set_particle_cloud(scene, {1024, 0.1, 0});
    CHECK_NOTHROW(ui::validate_scene_with_modules(scene));
    ui::set_particle_cloud(scene, {1024, 0.1, ui::kEveryRun});
    CHECK_THROWS_WITH(ui::validate_scene_with_modules(scene), Catch::Contains("20000 steps x 2050 particles"));
    // The window refuses to open it and keeps what it shows; the command line says the same.
    app::AppState state(small_scene());
    CHECK_FALSE(state.open_scene(scene, "opened"));
    CHECK_FALSE(ui::particle_cloud(state.scene()));
    cli::SceneOptions options;
    options.runs = {"sgd:lr=0.01,cloud=1024", "adam:lr=0.1,cloud=1024"};
    options.steps = "20000";
    CHECK_THROWS_WITH(cli::build_scene(options), Catch::Contains("20000 steps x 2050 particles"));
}

namespace {

struct Drawn {
    test::RecordingCanvas canvas{800, 600};
    std::vector<Trajectory> cloud0, cloud1;  // the clouds as computed
};

// `scene` drawn as the picture `view` on a recording canvas (the 3-D mesh: its samples, no texture).
std::unique_ptr<Drawn> draw(const Scene& scene, app::PictureView view) {
    auto drawn = std::make_unique<Drawn>();
    app::AppState state(scene);
    state.finish();
    if (state.cloud(0)) drawn->cloud0 = *state.cloud(0);
    if (state.cloud(1)) drawn->cloud1 = *state.cloud(1);
    const FieldGrid grid = sample_field(state.surface(), state.view(), 48, 48);
    ImGuiContext* context = ImGui::CreateContext();
    ImGui::SetCurrentContext(context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = {800, 600};
    io.DeltaTime = 1.0f / 60.0f;
    ui::add_ui_font(*io.Fonts, app::picture_font_size(600));
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    app::PictureSources sources;
    sources.heatmap = [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; };
    sources.surface_image = [&](const ui::SurfaceImageRequest&) { return ui::SurfaceImage{nullptr, &grid}; };
    ImGui::NewFrame();
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize({800, 600});
    ImGui::Begin("##picture", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings);
    {
        ui::CanvasRoute route(drawn->canvas);
        app::draw_picture(state, view, {800, 600}, sources);
    }
    ImGui::End();
    ImGui::Render();
    ImGui::DestroyContext(context);
    return drawn;
}

int count_shapes(const test::RecordingCanvas& c, ImU32 color) {
    return static_cast<int>(std::count_if(c.shapes.begin(), c.shapes.end(), [&](const test::RecordedShape& s) { return s.color == color; }));
}

}  // namespace

TEST_CASE("clouds are drawn under the paths in their run's colour, in the map and on the mesh", "[modules][cloud][views]") {
    Scene scene = small_scene();
    scene.step = 20;
    ui::set_particle_cloud(scene, {5, 0.3, 1});
    const ImU32 trail1 = ui::rgb(scene.runs[1].color, 150), dot1 = ui::rgb(scene.runs[1].color, 200);
    const ImU32 trail0 = ui::rgb(scene.runs[0].color, 150), dot0 = ui::rgb(scene.runs[0].color, 200);
    for (const app::PictureView view : {app::PictureView::Landscape, app::PictureView::Surface3D}) {
        INFO((view == app::PictureView::Landscape ? "map" : "3-D"));
        auto drawn = draw(scene, view);
        const test::RecordingCanvas& c = drawn->canvas;
        REQUIRE(drawn->cloud1.size() == 5);
        CHECK(drawn->cloud0.empty());  // run 1's cloud only
        // Each particle: its path so far, thin, and a dot where it is now (the mesh may hide a few).
        const int dots = count_shapes(c, dot1);
        if (view == app::PictureView::Landscape) CHECK(dots == 5);
        else CHECK((dots >= 1 && dots <= 5));
        CHECK(count_shapes(c, dot0) == 0);
        int trail_lines = 0, first_trail = 1 << 30;
        for (const test::RecordedLine& line : c.lines) {
            CHECK(line.color != trail0);
            if (line.color != trail1) continue;
            ++trail_lines;
            first_trail = std::min(first_trail, line.order);
            CHECK(line.thickness <= 1.5f);
        }
        CHECK(trail_lines >= 5);
        // Under every run's path: the runs' opaque lines come after the clouds.
        int first_path = 1 << 30;
        for (const test::RecordedLine& line : c.lines)
            if (line.color == ui::rgb(scene.runs[2].color)) first_path = std::min(first_path, line.order);
        CHECK(first_trail < first_path);
        // The dots are the particles where they are at the shown step: as many places as particles.
        std::set<std::pair<int, int>> places;
        for (const test::RecordedShape& s : c.shapes)
            if (s.color == dot1) places.insert({static_cast<int>((s.box.x0 + s.box.x1) * 2), static_cast<int>((s.box.y0 + s.box.y1) * 2)});
        CHECK(places.size() == static_cast<std::size_t>(dots));
    }
    // Every run: a cloud around each visible run, none drawn for a hidden one.
    ui::set_particle_cloud(scene, {5, 0.3, ui::kEveryRun});
    scene.runs[2].visible = false;
    auto drawn = draw(scene, app::PictureView::Landscape);
    CHECK(count_shapes(drawn->canvas, dot0) == 5);
    CHECK(count_shapes(drawn->canvas, dot1) == 5);
    CHECK(count_shapes(drawn->canvas, ui::rgb(scene.runs[2].color, 200)) == 0);
    // Off: nothing.
    scene.overlays.erase("particle-cloud");
    drawn = draw(scene, app::PictureView::Landscape);
    CHECK(count_shapes(drawn->canvas, dot0) == 0);
    CHECK(count_shapes(drawn->canvas, dot1) == 0);
}
