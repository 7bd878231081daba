// Fonts for the UI and for exported pictures: DejaVu Sans from Debian's fonts-dejavu-core (Latin,
// Greek for β/ε/θ, and math symbols), falling back to ImGui's built-in font if it is missing.
#pragma once

#include <imgui.h>

#include <string>

namespace optiviz::ui {

// Adds the UI font at `pixel_size` to `atlas` (call before the atlas is built). Returns false when
// the TrueType file is missing and the built-in font was used instead.
bool add_ui_font(ImFontAtlas& atlas, float pixel_size);

// The TrueType file add_ui_font loads, or "" when it is missing (then ImGui's built-in font is used).
// Vector export draws text from the same file, so its glyphs and metrics match the pictures'.
std::string ui_font_file();

// Light theme that matches the pictures' white paper.
void apply_style(ImGuiStyle& style);

}  // namespace optiviz::ui
