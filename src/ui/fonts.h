// Fonts for the UI and for exported pictures: DejaVu Sans from Debian's fonts-dejavu-core (Latin,
// Greek for β/ε/θ, and math symbols), falling back to ImGui's built-in font if it is missing.
#pragma once

#include <imgui.h>

namespace optiviz::ui {

// Adds the UI font at `pixel_size` to `atlas` (call before the atlas is built). Returns false when
// the TrueType file is missing and the built-in font was used instead.
bool add_ui_font(ImFontAtlas& atlas, float pixel_size);

// Light theme that matches the pictures' white paper.
void apply_style(ImGuiStyle& style);

}  // namespace optiviz::ui
