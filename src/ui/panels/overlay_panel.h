// The overlays' part of the side panel: a checkbox per registered overlay and, while it is on, its
// settings as sliders (built from the module's ParamTable); the 3-D view's modules have their own
// section. Edits Scene::overlays in place.
#pragma once

#include "core/scene/scene.h"

namespace optiviz::ui {

// Returns true when an overlay was switched or one of its settings changed.
bool draw_overlay_panel(Scene& scene);

// The 3-D view's modules (OverlayLayer::Surface3D, e.g. the mesh options): each one's panel, for the
// 3-D view's section. Returns true when a setting changed.
bool draw_surface_module_panels(Scene& scene);

}  // namespace optiviz::ui
