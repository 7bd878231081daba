// The 3-D view's mesh options as a module: its parameters (two switches), its panel (the two
// checkboxes of the 3-D section), its serialisation (the scene's module map; older scene files' top-level
// "mesh_contours" and "linear_height" are adopted) and its drawing, which is what it asks of the mesh:
// contour lines and the height scale of the rendered surface and of every path and marker riding on it.
#include "ui/overlays/mesh_options.h"

#include <imgui.h>

#include "ui/overlay.h"
#include "ui/views/surface_view.h"

namespace optiviz::ui {

namespace {

constexpr ParamSpec kParams[] = {
    {"contours", "contours", 1, 0, 1, false, false, 0, 1, false, ParamKind::Flag, "contour lines on the 3-D mesh"},
    {"linear_height", "linear height", 0, 0, 1, false, false, 0, 1, false, ParamKind::Flag,
     "height proportional to the loss (off: its log scale, like the colours)"},
};

MeshOptions from_values(const ParamValues& v) { return {v.flag("contours"), v.flag("linear_height")}; }

ParamOverrides to_overrides(const MeshOptions& o) {
    return {{"contours", o.contours ? 1.0 : 0.0}, {"linear_height", o.linear_height ? 1.0 : 0.0}};
}

void apply_mesh_options(const ParamValues& settings, SurfaceViewInput& input) {
    const MeshOptions options = from_values(settings);
    input.contours = options.contours;
    input.linear_height = options.linear_height;
}

// The two switches on one line, as the 3-D section showed them before they were a module.
bool mesh_panel(const Scene& scene, ParamOverrides& settings) {
    MeshOptions o = mesh_options(scene);
    const MeshOptions before = o;
    ImGui::Checkbox("contours", &o.contours);
    ImGui::SameLine();
    ImGui::Checkbox("linear height", &o.linear_height);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("height proportional to the loss (off: its log scale, like the colours)");
    if (o == before) return false;
    settings = to_overrides(o);
    return true;
}

// Scene files before the module kept the two switches at the top level.
void adopt_mesh_keys(const ParamOverrides& retired, std::map<std::string, ParamOverrides>& overlays) {
    for (const char* key : {"mesh_contours", "linear_height"}) {
        const auto it = retired.find(key);
        if (it == retired.end()) continue;
        const std::string setting = std::string(key) == "mesh_contours" ? "contours" : "linear_height";
        overlays[std::string(kMeshOptionsModule)][setting] = it->second != 0 ? 1.0 : 0.0;
    }
}

}  // namespace

MeshOptions mesh_options(const Scene& scene) {
    const auto it = scene.overlays.find(std::string(kMeshOptionsModule));
    if (it == scene.overlays.end()) return {};
    try {
        return from_values(ParamValues(kMeshOptionsModule, kParams, it->second));
    } catch (const std::invalid_argument&) {
        return {};  // refused settings (the CLI and scene files refuse them before they get here)
    }
}

void set_mesh_options(Scene& scene, const MeshOptions& options) {
    scene.overlays[std::string(kMeshOptionsModule)] = to_overrides(options);
}

extern const OverlayModule kMeshOptionsOverlayModule;
const OverlayModule kMeshOptionsOverlayModule{kMeshOptionsModule,
                                              "3-D mesh",
                                              "contour lines on the 3-D mesh, and its height: the loss's log scale or the loss",
                                              kParams,
                                              nullptr,
                                              mesh_panel,
                                              OverlayLayer::Surface3D,
                                              adopt_mesh_keys,
                                              apply_mesh_options};

}  // namespace optiviz::ui
