#include "ui/panels/animation_dialog.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/io/limits.h"

namespace optiviz::ui {

namespace {

constexpr const char* kFormatNames[] = {"GIF", "MP4 (H.264)", "WebM (VP9)"};
constexpr const char* kExtensions[] = {".gif", ".mp4", ".webm"};

int format_index(AnimationFormat format) { return static_cast<int>(format); }

// The frames the settings make (as app/export/animation_export.h plans them), for the dialog's summary.
long frame_count(const AnimationDialog& dialog, long span) {
    if (dialog.by_duration) return std::max(1L, std::lround(static_cast<double>(dialog.duration) * dialog.fps));
    const long k = std::max(dialog.steps_per_frame, 1);
    return span / k + (span % k != 0 ? 2 : 1);
}

}  // namespace

std::string with_animation_extension(const std::string& path, AnimationFormat format) {
    const std::size_t slash = path.find_last_of('/');
    const std::size_t dot = path.find_last_of('.');
    std::string stem = path;
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash + 1)) {
        std::string extension = path.substr(dot);
        std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (extension == ".gif" || extension == ".mp4" || extension == ".webm") stem = path.substr(0, dot);
    }
    return stem + kExtensions[format_index(format)];
}

AnimationDialogActions draw_animation_dialog(AnimationDialog& dialog, const AnimationDialogStatus& status) {
    AnimationDialogActions actions;
    if (!dialog.open) return actions;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos({io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f}, ImGuiCond_Appearing, {0.5f, 0.5f});
    if (!ImGui::Begin("Export animation", &dialog.open,
                      ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return actions;
    }
    const float field = ImGui::GetFontSize() * 14.0f;
    ImGui::BeginDisabled(status.running);
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo("format", kFormatNames[format_index(dialog.format)])) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(kFormatNames[i], i == format_index(dialog.format))) {
                dialog.format = static_cast<AnimationFormat>(i);
                dialog.path = with_animation_extension(dialog.path, dialog.format);
                dialog.fps = dialog.format == AnimationFormat::Gif ? 25 : 30;
            }
        ImGui::EndCombo();
    }
    if (status.file_dialogs) {  // as the panel's path fields: the field, "...", then the label
        const ImGuiStyle& style = ImGui::GetStyle();
        const float button = ImGui::CalcTextSize("...").x + style.FramePadding.x * 2;
        ImGui::SetNextItemWidth(field - button - style.ItemInnerSpacing.x);
        ImGui::InputText("##file", &dialog.path);
        ImGui::SameLine(0, style.ItemInnerSpacing.x);
        if (ImGui::Button("...##file")) actions.choose_file = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("choose a file");
        ImGui::SameLine(0, style.ItemInnerSpacing.x);
        ImGui::TextUnformatted("file");
    } else {
        ImGui::SetNextItemWidth(field);
        ImGui::InputText("file", &dialog.path);
    }
    int size[2] = {dialog.width, dialog.height};
    ImGui::SetNextItemWidth(field);
    if (ImGui::InputInt2("W x H", size)) {
        dialog.width = std::clamp(size[0], 16, 3840);
        dialog.height = std::clamp(size[1], 16, 2160);
    }
    ImGui::SetNextItemWidth(field);
    if (ImGui::InputInt("fps", &dialog.fps)) dialog.fps = std::clamp(dialog.fps, limits::kMinAnimationFps, limits::kMaxAnimationFps);
    if (ImGui::RadioButton("seconds", dialog.by_duration)) dialog.by_duration = true;
    ImGui::SameLine();
    if (ImGui::RadioButton("steps per frame", !dialog.by_duration)) dialog.by_duration = false;
    ImGui::SetNextItemWidth(field);
    if (dialog.by_duration) {
        if (ImGui::InputFloat("length (s)", &dialog.duration, 0.5f, 5.0f, "%.1f"))
            dialog.duration = std::clamp(dialog.duration, 0.1f, 600.0f);
    } else if (ImGui::InputInt("steps a frame", &dialog.steps_per_frame)) {
        dialog.steps_per_frame = static_cast<int>(std::clamp<long>(dialog.steps_per_frame, 1, limits::kMaxSteps));
    }
    const int last = static_cast<int>(std::min<long>(status.last_step, 1000000000L));
    ImGui::Checkbox("whole run", &dialog.whole_run);
    if (!dialog.whole_run) {
        int range[2] = {dialog.from, dialog.to};
        ImGui::SetNextItemWidth(field);
        if (ImGui::InputInt2("from, to", range)) {
            dialog.from = range[0];
            dialog.to = range[1];
        }
    }
    // The range always fits the run being shown (a run may have become shorter since).
    dialog.to = std::clamp(dialog.to, 0, last);
    dialog.from = std::clamp(dialog.from, 0, dialog.to);
    const long from = dialog.whole_run ? 0 : dialog.from, to = dialog.whole_run ? last : dialog.to;
    const long frames = frame_count(dialog, to - from);
    ImGui::TextDisabled("steps %ld to %ld: %ld frames, %.1f s", from, to, frames, static_cast<double>(frames) / dialog.fps);
    // The export refuses more frames than limits.h allows at this size: say so before it is asked.
    const double pixels = static_cast<double>(dialog.width) * static_cast<double>(dialog.height);
    const long max_frames = std::min(limits::kMaxAnimationFrames, static_cast<long>(limits::kMaxAnimationPixels / std::max(pixels, 1.0)));
    if (frames > max_frames)
        ImGui::TextColored({0.9f, 0.3f, 0.2f, 1.0f}, "at %dx%d at most %ld frames: fewer seconds, fps or a smaller size",
                           dialog.width, dialog.height, max_frames);
    ImGui::EndDisabled();

    if (status.running) {
        ImGui::ProgressBar(status.progress, {field, 0});
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) actions.cancel = true;
        ImGui::TextUnformatted(status.activity.c_str());
    } else if (ImGui::Button("Export")) {
        actions.start = true;
    }
    if (!status.message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, status.message_is_error ? ImVec4(0.85f, 0.15f, 0.1f, 1) : ImVec4(0.1f, 0.5f, 0.2f, 1));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + field * 1.6f);
        ImGui::TextUnformatted(status.message.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    ImGui::End();
    return actions;
}

}  // namespace optiviz::ui
