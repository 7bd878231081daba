#include "ui/panels/overlay_panel.h"

#include <imgui.h>

#include "ui/panels/control_panel.h"
#include "ui/overlay.h"

namespace optiviz::ui {

bool draw_overlay_panel(Scene& scene) {
    bool changed = false;
    for (const OverlayModule& module : overlay_registry()) {
        if (module.layer == OverlayLayer::Surface3D) continue;  // in the 3-D view's section
        const std::string name(module.name);
        ImGui::PushID(name.c_str());
        bool on = scene.overlays.count(name) > 0;
        if (ImGui::Checkbox(std::string(module.title).c_str(), &on)) {
            if (on) scene.overlays[name];  // on, with default settings
            else scene.overlays.erase(name);
            changed = true;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(module.help).c_str());
        if (on && (module.panel || !module.params.empty())) {
            ImGui::Indent();
            if (module.panel) changed |= module.panel(scene, scene.overlays[name]);
            else
                for (const ParamSpec& spec : module.params) changed |= param_slider(spec, scene.overlays[name]);
            ImGui::Unindent();
        }
        ImGui::PopID();
    }
    return changed;
}

bool draw_surface_module_panels(Scene& scene) {
    bool changed = false;
    for (const OverlayModule& module : overlay_registry()) {
        if (module.layer != OverlayLayer::Surface3D) continue;
        const std::string name(module.name);
        ImGui::PushID(name.c_str());
        // Edited on a copy: a module left at its defaults adds nothing to the scene.
        ParamOverrides settings = scene.overlays.count(name) ? scene.overlays.at(name) : ParamOverrides{};
        bool edited = false;
        if (module.panel) edited = module.panel(scene, settings);
        else
            for (const ParamSpec& spec : module.params) edited |= param_slider(spec, settings);
        if (edited) scene.overlays[name] = std::move(settings);
        changed |= edited;
        ImGui::PopID();
    }
    return changed;
}

}  // namespace optiviz::ui
