#include "ui/panels/imported_run_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace optiviz::ui {

bool draw_imported_run_entry(const RunSpec& run) {
    ImGui::TextWrapped("%s", imported_origin(*run.imported).c_str());
    ImGui::TextDisabled("drawn as recorded: the sliders do not change it");
    return ImGui::Button("Remove");
}

void draw_add_own_run(PanelState& panel, PanelCommands& requests) {
    ImGui::InputTextWithHint("##own-run", "your run: a CSV of x,y[,loss] per step", &panel.trajectory_file);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("optiviz trace output, the trajectory export, or your training loop's log (docs/own-runs.md)");
    if (panel.file_dialogs) {
        ImGui::SameLine();
        if (ImGui::Button("...##own-run")) requests.choose_file = FilePurpose::OpenTrajectory;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("choose a file");
    }
    ImGui::SameLine();
    if (ImGui::Button("Add##own-run") && !panel.trajectory_file.empty()) requests.open_trajectory = panel.trajectory_file;
}

}  // namespace optiviz::ui
