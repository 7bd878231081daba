// The overlays' part of the side panel: a checkbox per registered overlay and, while it is on, its
// settings as sliders (built from the module's ParamTable). Edits Scene::overlays in place.
#pragma once

#include "core/scene/scene.h"

namespace optiviz::ui {

// Returns true when an overlay was switched or one of its settings changed.
bool draw_overlay_panel(Scene& scene);

}  // namespace optiviz::ui
