#include "ui/panels/slider.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace optiviz::ui {

double slider_grab_fraction(double value, double min, double max, bool logarithmic) {
    if (!(max > min)) return 0.5;
    const double v = std::clamp(value, min, max);
    if (!logarithmic) return (v - min) / (max - min);
    if (min > 0) return std::log(v / min) / std::log(max / min);
    // ImGui maps a logarithmic range that starts at zero close to log(1 + v); near enough to pick a side.
    return std::log1p(v - min) / std::log1p(max - min);
}

namespace {

// The slider's frame within the last item (ImGui puts the label after the frame).
struct Frame {
    ImVec2 lo, hi;
};

Frame last_slider_frame(const char* label) {
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    const float label_width = ImGui::CalcTextSize(label, nullptr, true).x;
    const float right = label_width > 0 ? hi.x - label_width - ImGui::GetStyle().ItemInnerSpacing.x : hi.x;
    return {lo, {right, hi.y}};
}

// Draws `text` inside `frame`, on the side away from the grab at `fraction`.
void draw_value_beside_grab(const Frame& frame, const char* text, double fraction) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = frame.hi.x - frame.lo.x;
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float half = width / 2 - style.GrabMinSize / 2 - style.FramePadding.x;
    float x = frame.lo.x + (width - size.x) / 2;  // centred, as ImGui draws it, when a half is too narrow
    if (size.x <= half) x = fraction < 0.5 ? frame.hi.x - style.FramePadding.x - size.x : frame.lo.x + style.FramePadding.x;
    ImGui::GetWindowDrawList()->AddText({x, frame.lo.y + style.FramePadding.y}, ImGui::GetColorU32(ImGuiCol_Text), text);
}

double as_double(ImGuiDataType type, const void* data) {
    switch (type) {
        case ImGuiDataType_Float: return *static_cast<const float*>(data);
        case ImGuiDataType_Double: return *static_cast<const double*>(data);
        case ImGuiDataType_S32: return *static_cast<const int*>(data);
        default: return 0.0;
    }
}

}  // namespace

bool slider_scalar(const char* label, ImGuiDataType type, void* value, const void* min, const void* max,
                   const char* format, ImGuiSliderFlags flags) {
    const ImGuiID id = ImGui::GetID(label);
    const bool typing = ImGui::TempInputIsActive(id);
    if (!typing) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 0));
    const bool changed = ImGui::SliderScalar(label, type, value, min, max, format, flags);
    if (typing) return changed;
    ImGui::PopStyleColor();
    // The label (ImGui drew it in the hidden colour) where ImGui puts it, then the value beside the grab.
    const Frame frame = last_slider_frame(label);
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* label_end = ImGui::FindRenderedTextEnd(label);
    if (label_end != label) {
        ImGui::GetWindowDrawList()->AddText({frame.hi.x + style.ItemInnerSpacing.x, frame.lo.y + style.FramePadding.y},
                                            ImGui::GetColorU32(ImGuiCol_Text), label, label_end);
    }
    char text[64];
    ImGui::DataTypeFormatString(text, sizeof text, type, value, format ? format : ImGui::DataTypeGetInfo(type)->PrintFmt);
    const double fraction = slider_grab_fraction(as_double(type, value), as_double(type, min), as_double(type, max),
                                                 (flags & ImGuiSliderFlags_Logarithmic) != 0);
    draw_value_beside_grab(frame, text, fraction);
    return changed;
}

bool slider_int(const char* label, int* value, int min, int max, const char* format, ImGuiSliderFlags flags) {
    return slider_scalar(label, ImGuiDataType_S32, value, &min, &max, format, flags);
}

bool slider_float(const char* label, float* value, float min, float max, const char* format, ImGuiSliderFlags flags) {
    return slider_scalar(label, ImGuiDataType_Float, value, &min, &max, format, flags);
}

}  // namespace optiviz::ui
