#pragma once
// ImGui's sliders, with the value drawn where the grab is not.
//
// ImGui centres a slider's value on its frame, so a grab near the middle sits right at the number
// (issue 23.9: "slider values are not drawn under the grab"). These take ImGui's arguments, draw
// ImGui's own widget (same input, rounding and keyboard editing) with its text hidden, and then draw
// the value in the half of the frame away from the grab: right-aligned while the grab is in the left
// half, left-aligned while it is in the right half. A value too wide for its half stays centred.
// While the slider is being typed into (Ctrl+click), ImGui's own text field shows as usual.

#include <imgui.h>

namespace optiviz::ui {

bool slider_int(const char* label, int* value, int min, int max, const char* format = "%d", ImGuiSliderFlags flags = 0);
bool slider_float(const char* label, float* value, float min, float max, const char* format = "%.3f",
                  ImGuiSliderFlags flags = 0);
bool slider_scalar(const char* label, ImGuiDataType type, void* value, const void* min, const void* max,
                   const char* format = nullptr, ImGuiSliderFlags flags = 0);

// Where the grab's centre is along the frame, 0 (left) to 1 (right), for a linear or logarithmic
// slider. For the side the value is drawn on; exact for linear ranges and logarithmic ones above zero.
double slider_grab_fraction(double value, double min, double max, bool logarithmic);

}  // namespace optiviz::ui
