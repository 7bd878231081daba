// The overlay registry: one line per overlay, in drawing order (the first is drawn lowest).
// To add one: write src/ui/overlays/NAME.cpp defining `const OverlayModule kNameOverlay{...}` (CMake
// picks up every file in this folder) and add one line `X(kNameOverlay)` to the list below.
#include <stdexcept>

#include "ui/overlay.h"

namespace optiviz::ui {

#define OPTIVIZ_OVERLAYS(X)                                    \
    X(kBasinMapOverlayModule) /* overlays/basin_map.cpp */        \
    X(kGradientFieldOverlay)  /* overlays/gradient_field.cpp */   \
    X(kParticleCloudOverlayModule) /* overlays/particle_cloud.cpp */ \
    X(kStepGlyphsOverlayModule) /* overlays/step_glyphs.cpp */    \
    X(kMeshOptionsOverlayModule) /* overlays/mesh_options.cpp */  \
    /* end of the list */

#define OPTIVIZ_DECLARE(module) extern const OverlayModule module;
OPTIVIZ_OVERLAYS(OPTIVIZ_DECLARE)
#undef OPTIVIZ_DECLARE

std::span<const OverlayModule> overlay_registry() {
#define OPTIVIZ_ENTRY(module) module,
    static const OverlayModule kOverlays[] = {OPTIVIZ_OVERLAYS(OPTIVIZ_ENTRY)};
#undef OPTIVIZ_ENTRY
    return kOverlays;
}

const OverlayModule* find_overlay(std::string_view name) {
    for (const OverlayModule& module : overlay_registry())
        if (module.name == name) return &module;
    return nullptr;
}

void validate_overlays(const std::map<std::string, ParamOverrides>& overlays) {
    for (const auto& [name, settings] : overlays) {
        const OverlayModule* module = find_overlay(name);
        if (!module) {
            std::string known;
            for (const OverlayModule& m : overlay_registry()) known += (known.empty() ? "" : ", ") + std::string(m.name);
            throw std::invalid_argument("unknown overlay '" + name + "' (known: " + known + ")");
        }
        ParamValues(std::string("overlay ") + name, module->params, settings);  // throws on a bad setting
    }
}

void draw_overlays(const OverlayContext& context, const std::map<std::string, ParamOverrides>& overlays, OverlayLayer layer) {
    for (const OverlayModule& module : overlay_registry()) {
        const auto on = overlays.find(std::string(module.name));
        if (on == overlays.end() || !module.draw || module.layer != layer) continue;
        try {
            module.draw(context, ParamValues(module.name, module.params, on->second));
        } catch (const std::invalid_argument&) {
            // Refused settings (a hand-edited scene): the overlay stays off rather than guess.
        }
    }
}

void apply_surface_modules(const std::map<std::string, ParamOverrides>& overlays, SurfaceViewInput& input) {
    for (const OverlayModule& module : overlay_registry()) {
        if (!module.apply_3d) continue;
        const auto on = overlays.find(std::string(module.name));
        if (on == overlays.end() && module.layer != OverlayLayer::Surface3D) continue;
        try {
            module.apply_3d(ParamValues(module.name, module.params, on == overlays.end() ? ParamOverrides{} : on->second), input);
        } catch (const std::invalid_argument&) {
            // Refused settings (a hand-edited scene): the input keeps its defaults.
        }
    }
}

void draw_mesh_overlays(const MeshOverlayContext& context, const std::map<std::string, ParamOverrides>& overlays) {
    for (const OverlayModule& module : overlay_registry()) {
        const auto on = overlays.find(std::string(module.name));
        if (on == overlays.end() || !module.draw_3d) continue;
        try {
            module.draw_3d(context, ParamValues(module.name, module.params, on->second));
        } catch (const std::invalid_argument&) {
            // Refused settings (a hand-edited scene): the module stays off rather than guess.
        }
    }
}

double overlay_extra_paths(const Scene& scene) {
    double paths = 0;
    for (const OverlayModule& module : overlay_registry()) {
        const auto on = scene.overlays.find(std::string(module.name));
        if (on == scene.overlays.end() || !module.extra_paths) continue;
        try {
            paths += module.extra_paths(ParamValues(module.name, module.params, on->second), scene);
        } catch (const std::invalid_argument&) {
            // Refused settings compute nothing (validate_overlays says why).
        }
    }
    return paths;
}

void validate_scene_with_modules(const Scene& scene) {
    validate_scene(scene, overlay_extra_paths(scene));
    validate_overlays(scene.overlays);
}

void adopt_retired_keys(Scene& scene) {
    // Each retired key names the module that took it over where the module is defined (the module's
    // own file says what it adopts); this list only routes them.
    for (const OverlayModule& module : overlay_registry())
        if (module.adopt) module.adopt(scene.retired, scene.overlays);
    scene.retired.clear();
}

}  // namespace optiviz::ui
