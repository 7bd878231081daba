// The 3-D view's mesh options as a module (ui/overlays/mesh_options.cpp): settings in the scene's module
// map, saved and undone like any edit, defaults for a scene without them, older files' top-level keys
// adopted, and what the module asks of the mesh reaching the 3-D view's render request.
#include <optional>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "app/app_state.h"
#include "app/export/picture.h"
#include "support/catch.h"
#include "support/recording_canvas.h"
#include "ui/canvas/draw_style.h"
#include "ui/canvas/fonts.h"
#include "ui/overlay.h"
#include "ui/overlays/mesh_options.h"

using namespace optiviz;
using nlohmann::json;

namespace {

Scene small_scene() {
    Scene scene = default_scene();
    scene.surface = "himmelblau";
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.1", 1)};
    assign_default_colors(scene.runs);
    scene.steps = 40;
    scene.layout = Scene::Layout::Surface3D;
    return scene;
}

// The request the 3-D view makes of the mesh renderer when `scene` is drawn as the 3-D picture.
ui::SurfaceImageRequest mesh_request(const Scene& scene) {
    app::AppState state(scene);
    state.finish();
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
    std::optional<ui::SurfaceImageRequest> seen;
    app::PictureSources sources;
    sources.heatmap = [](const ui::HeatmapRequest&) { return ui::HeatmapImage{}; };
    sources.surface_image = [&](const ui::SurfaceImageRequest& request) {
        seen = request;
        return ui::SurfaceImage{};
    };
    test::RecordingCanvas canvas(800, 600);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos({0, 0});
    ImGui::SetNextWindowSize({800, 600});
    ImGui::Begin("##picture", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings);
    {
        ui::CanvasRoute route(canvas);
        app::draw_picture(state, app::PictureView::Surface3D, {800, 600}, sources);
    }
    ImGui::End();
    ImGui::Render();
    ImGui::DestroyContext(context);
    REQUIRE(seen);
    return *seen;
}

}  // namespace

TEST_CASE("the mesh options round-trip through a saved scene in the module map", "[modules][mesh3d]") {
    Scene scene = small_scene();
    CHECK(ui::mesh_options(scene) == ui::MeshOptions{true, false});  // a scene without them: the defaults
    ui::set_mesh_options(scene, {false, true});
    const json saved = json::parse(scene_to_json(scene));
    CHECK(saved.at("overlays").at("mesh-3d").at("contours") == 0);
    CHECK(saved.at("overlays").at("mesh-3d").at("linear_height") == 1);
    CHECK_FALSE(saved.contains("mesh_contours"));  // no longer a scene field
    CHECK_FALSE(saved.contains("linear_height"));
    const Scene back = scene_from_json(saved.dump(), "saved.json");
    CHECK(ui::mesh_options(back) == ui::MeshOptions{false, true});
    ui::set_mesh_options(scene, {true, true});
    CHECK(ui::mesh_options(scene_from_json(scene_to_json(scene), "s.json")) == ui::MeshOptions{true, true});
    CHECK_NOTHROW(ui::validate_overlays(back.overlays));
    scene.overlays["mesh-3d"]["linear_height"] = 2;  // a flag is 0 or 1
    CHECK_THROWS_WITH(ui::validate_overlays(scene.overlays), Catch::Contains("linear_height"));
}

TEST_CASE("older scenes' mesh_contours and linear_height go to the mesh module", "[modules][mesh3d]") {
    json j = json::parse(scene_to_json(small_scene()));
    j["version"] = 1;
    j["mesh_contours"] = false;
    j["linear_height"] = true;
    std::vector<std::string> warnings;
    Scene old = scene_from_json(j.dump(), "old.json", {"", &warnings});
    CHECK(warnings.empty());  // read, not unknown
    CHECK(old.overlays.empty());  // core names no module
    ui::adopt_retired_keys(old);
    CHECK(old.retired.empty());
    CHECK(ui::mesh_options(old) == ui::MeshOptions{false, true});
    // Only one of them: the other keeps its default.
    j.erase("mesh_contours");
    Scene half = scene_from_json(j.dump(), "old.json");
    ui::adopt_retired_keys(half);
    CHECK(ui::mesh_options(half) == ui::MeshOptions{true, true});
    // Opened in the window, the same; a scene with neither opens with the defaults.
    app::AppState state(small_scene());
    j["mesh_contours"] = false;
    REQUIRE(state.open_scene(scene_from_json(j.dump(), "old.json"), "opened"));
    CHECK(ui::mesh_options(state.scene()) == ui::MeshOptions{false, true});
    j.erase("mesh_contours");
    j.erase("linear_height");
    REQUIRE(state.open_scene(scene_from_json(j.dump(), "old.json"), "opened"));
    CHECK(ui::mesh_options(state.scene()) == ui::MeshOptions{true, false});
}

TEST_CASE("undo restores the mesh options", "[modules][mesh3d][undo]") {
    app::AppState state(small_scene());
    state.history.reset(state.scene());
    ui::set_mesh_options(state.scene(), {false, false});
    state.history.record(state.scene(), false);
    ui::set_mesh_options(state.scene(), {false, true});
    state.history.record(state.scene(), false);
    ui::PanelCommands undo;
    undo.undo = true;
    state.run_commands(undo);
    CHECK(ui::mesh_options(state.scene()) == ui::MeshOptions{false, false});
    state.run_commands(undo);
    CHECK(ui::mesh_options(state.scene()) == ui::MeshOptions{true, false});
    ui::PanelCommands redo;
    redo.redo = true;
    state.run_commands(redo);
    state.run_commands(redo);
    CHECK(ui::mesh_options(state.scene()) == ui::MeshOptions{false, true});
}

TEST_CASE("the mesh options reach the 3-D view's mesh request", "[modules][mesh3d][views]") {
    Scene scene = small_scene();
    ui::SurfaceImageRequest request = mesh_request(scene);
    CHECK(request.contours);
    CHECK_FALSE(request.linear_height);
    ui::set_mesh_options(scene, {false, true});
    request = mesh_request(scene);
    CHECK_FALSE(request.contours);
    CHECK(request.linear_height);
    ui::set_mesh_options(scene, {true, true});
    request = mesh_request(scene);
    CHECK(request.contours);
    CHECK(request.linear_height);
}
