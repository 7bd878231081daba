#include "ui/tune_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/limits.h"
#include "core/optimizer.h"

namespace optiviz::ui {

namespace {

const char* const kObjectiveLabels[] = {"median final loss", "worst final loss", "steps to tolerance",
                                        "distance to a minimum"};

// Parameters some run's optimizer can tune besides lr (switches excluded), in registry order.
std::vector<std::string> second_candidates(const Scene& scene) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const RunSpec& run : scene.runs)
        for (const ParamSpec& spec : find_optimizer(run.config.optimizer).params) {
            const std::string name(spec.name);
            if (spec.kind == ParamKind::Flag || name == "lr" || !seen.insert(name).second) continue;
            names.push_back(name);
        }
    return names;
}

}  // namespace

void draw_tune_table(const TuneStatus& status) {
    if (status.rows.empty()) return;
    ImGui::Text("Tuned: %ld steps, %d starts each, by %s", status.budget, status.starts, status.objective.c_str());
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("tuned", 5, flags)) return;
    ImGui::TableSetupColumn("run", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("lr", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("also", ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn("score", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("div.", ImGuiTableColumnFlags_WidthStretch, 0.7f);
    ImGui::TableHeadersRow();
    for (const TuneRow& row : status.rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(row.run.c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%d settings tried; median final loss %.4g", row.tried, row.median_loss);
        ImGui::TableNextColumn();
        if (!row.found) {
            ImGui::TextDisabled("none");
            for (int c = 0; c < 3; ++c) ImGui::TableNextColumn();
            continue;
        }
        ImGui::Text("%.3g", row.lr);
        ImGui::TableNextColumn();
        if (row.second_param.empty()) ImGui::TextDisabled("-");
        else ImGui::Text("%s %.3g", row.second_param.c_str(), row.second);
        ImGui::TableNextColumn();
        ImGui::Text("%.3g", row.score);
        ImGui::TableNextColumn();
        ImGui::Text("%d/%d", row.diverged, status.starts);
    }
    ImGui::EndTable();
}

TuneRequests draw_tune_panel(TuneSettings& settings, const Scene& scene, const TuneStatus& status) {
    TuneRequests requests;
    if (scene.runs.empty()) {
        ImGui::TextDisabled("add a run to tune it");
        return requests;
    }
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    settings.run = std::clamp(settings.run, 0, static_cast<int>(scene.runs.size()) - 1);
    const std::string current = run_label(scene.runs[static_cast<std::size_t>(settings.run)]);
    if (ImGui::BeginCombo("run to tune", current.c_str())) {
        for (std::size_t i = 0; i < scene.runs.size(); ++i)
            if (ImGui::Selectable((run_label(scene.runs[i]) + "##tune" + std::to_string(i)).c_str(), static_cast<int>(i) == settings.run))
                settings.run = static_cast<int>(i);
        ImGui::EndCombo();
    }
    int budget = static_cast<int>(std::min<long>(settings.budget, limits::kSliderMaxSteps));
    if (ImGui::SliderInt("budget (steps)", &budget, 10, static_cast<int>(limits::kSliderMaxSteps), "%d",
                         ImGuiSliderFlags_Logarithmic))
        settings.budget = std::clamp<long>(budget, 1, limits::kMaxSteps);
    ImGui::SliderInt("starts", &settings.starts, 1, limits::kSliderMaxCloud);
    settings.starts = std::clamp(settings.starts, 1, limits::kMaxTuneStarts);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("particles per setting: the start and the run's cloud around it");
    float spread = static_cast<float>(settings.spread);
    if (ImGui::SliderFloat("start jitter", &spread, 0.0f, 2.0f, "%.3g")) settings.spread = std::max(0.0f, spread);
    ImGui::Combo("objective", &settings.objective, kObjectiveLabels, 4);
    const auto candidates = second_candidates(scene);
    if (ImGui::BeginCombo("also tune", settings.second.empty() ? "(lr only)" : settings.second.c_str())) {
        if (ImGui::Selectable("(lr only)", settings.second.empty())) settings.second.clear();
        for (const std::string& name : candidates)
            if (ImGui::Selectable(name.c_str(), name == settings.second)) settings.second = name;
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("over its slider range, for the runs whose optimizer has it");
    ImGui::SliderInt("refinements", &settings.refine, 0, 8);
    ImGui::PopItemWidth();

    ImGui::BeginDisabled(status.running);
    requests.tune_run = ImGui::Button("Tune run");
    ImGui::SameLine();
    requests.tune_all = ImGui::Button("Tune all");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("every run with the same budget, starts and objective: a fair race");
    ImGui::EndDisabled();
    if (status.running) {
        ImGui::ProgressBar(status.progress, {ImGui::GetContentRegionAvail().x * 0.7f, 0}, "tuning...");
        ImGui::SameLine();
        if (ImGui::Button("Cancel##tune")) requests.cancel = true;
    }
    if (!status.message.empty()) {
        if (status.message_is_error) ImGui::TextColored({0.85f, 0.15f, 0.1f, 1}, "%s", status.message.c_str());
        else ImGui::TextWrapped("%s", status.message.c_str());
    }
    if (!status.rows.empty()) ImGui::TextDisabled("the table of tuned settings is beside the loss plot");
    return requests;
}

}  // namespace optiviz::ui
