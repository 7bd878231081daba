#include "app/window/document.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>

#include <imgui.h>

#include "app/window/scene_history.h"
#include "app/window/settings.h"
#include "ui/canvas/imgui_compat.h"

namespace optiviz::app {

bool Document::modified(const Scene& now) const { return marked_ || !same_edit(now, saved_); }

void Document::saved_as(const std::string& path, const Scene& now) {
    path_ = path;
    saved_ = now;
    marked_ = false;
}

bool SessionKeeper::keep(const Scene& scene, const Document& document, double seconds, bool now, std::string* problem) {
    if (path_.empty()) return false;
    const bool modified = document.modified(scene);
    const bool changed = !kept_ || !same_edit(*kept_, scene) || kept_path_ != document.path() || kept_modified_ != modified;
    if (!changed || (!now && seconds - last_write_ < interval_)) return false;
    last_write_ = seconds;
    try {
        save_session(path_, Session{scene, document.path(), modified});
    } catch (const std::exception& e) {
        if (problem && !failed_) *problem = e.what();
        failed_ = true;
        return false;
    }
    kept_ = scene;
    kept_path_ = document.path();
    kept_modified_ = modified;
    return true;
}

QuitAnswer QuitQuestion::draw(const std::string& save_path) {
    constexpr const char* kTitle = "Unsaved changes";
    if (asked_) {
        ImGui::OpenPopup(kTitle);
        asked_ = false;
        showing_ = true;
    }
    if (!showing_) return QuitAnswer::None;
    QuitAnswer answer = QuitAnswer::None;
    const ImVec2 centre(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f);
    ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextUnformatted("The scene has changes that are not saved.");
        ImGui::Text("Save them to %s before closing?", save_path.c_str());
        ImGui::Spacing();
        if (ImGui::Button("Save") || ui::key_pressed(ImGuiKey_Enter, false)) answer = QuitAnswer::Save;
        ImGui::SameLine();
        if (ImGui::Button("Discard")) answer = QuitAnswer::Discard;
        ImGui::SameLine();
        if (ImGui::Button("Cancel") || ui::key_pressed(ImGuiKey_Escape, false)) answer = QuitAnswer::Cancel;
        if (answer != QuitAnswer::None) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    } else {
        answer = QuitAnswer::Cancel;  // closed some other way
    }
    if (answer != QuitAnswer::None) showing_ = false;
    return answer;
}

std::string window_title(const std::string& path, bool modified) {
    const std::string mark = modified ? "*" : "";
    if (path.empty()) return mark + "optiviz";
    return mark + std::filesystem::path(path).filename().string() + " \u2014 optiviz";
}

std::vector<std::string> installed_icon_files(const std::string& executable) {
    std::vector<std::string> files;
    const std::filesystem::path prefix = std::filesystem::path(executable).parent_path().parent_path();
    for (const int size : {256, 128, 64, 48, 32, 16}) {
        const std::string edge = std::to_string(size);
        const std::filesystem::path file = prefix / "share/icons/hicolor" / (edge + "x" + edge) / "apps/optiviz.png";
        std::error_code error;
        if (std::filesystem::is_regular_file(file, error)) files.push_back(file.string());
    }
    return files;
}

bool is_scene_file(const std::string& path) {
    if (path.size() < 5) return false;
    std::string suffix = path.substr(path.size() - 5);
    std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return suffix == ".json";
}

}  // namespace optiviz::app
