// The model surface's part of the control panel: the data set, the network (hidden layers and
// activation) and the plane the landscape is drawn on. Edits the scene in place, the ImGui way;
// the keyed stages (app/derived/model_scene.h) retrain what changed.
#pragma once

#include "core/scene/scene.h"

namespace optiviz::ui {

// Draws the section for a model scene. Returns true when the data set, the network or the plane
// changed (the caller frames the new picture).
bool draw_model_section(Scene& scene);

// The combo entry that turns any scene into the model scene (core/models/model_presets.h: the
// digits, a 16-unit tanh network, four runs). Returns true when chosen.
bool model_surface_selectable(Scene& scene);

}  // namespace optiviz::ui
