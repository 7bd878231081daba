#include "ui/panels/tune_panel.h"
#include "ui/panels/slider.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/analysis/tune.h"

namespace optiviz::ui {

namespace {

const char* const kObjectiveLabels[] = {"median final loss", "worst final loss", "steps to tolerance",
                                        "distance to a minimum"};

// A number in a table cell: 3 significant digits, never cut ("6.69e-05", "0.00209", "inf"). The one
// place this panel turns numbers into text.
std::string table_number(double v) { return format_number(v, 3); }

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

TuneTable tune_table(const TuneStatus& status) {
    const bool also = std::any_of(status.rows.begin(), status.rows.end(),
                                  [](const TuneRow& row) { return !row.second_param.empty(); });
    TuneTable table;
    table.columns = also ? std::vector<std::string>{"run", "lr", "also", "score", "div."}
                         : std::vector<std::string>{"run", "lr", "score", "div."};
    for (const TuneRow& row : status.rows) {
        std::vector<std::string> line{row.winner ? row.run + " (winner)" : row.run, table_number(row.lr)};
        if (also) line.push_back(row.second_param.empty() ? "-" : row.second_param + " " + table_number(row.second));
        line.push_back(row.found ? table_number(row.score) : "none");
        line.push_back(std::to_string(row.diverged) + "/" + std::to_string(status.starts));
        table.rows.push_back(std::move(line));
    }
    return table;
}

namespace {

const ImVec4 kWarning{0.75f, 0.35f, 0.0f, 1.0f};

// What the table was computed on, and every way it no longer fits what the window shows.
void draw_table_header(const TuneStatus& status) {
    ImGui::TextWrapped("Tuned on %ld steps, %d starts each, by %s%s", status.budget, status.starts,
                       status.objective.c_str(),
                       status.objective.find(kAllowDivergedSuffix) == std::string::npos
                           ? "; settings with diverged starts rank below those without"
                           : "; settings with diverged starts allowed to win");
    if (status.shown_steps != status.budget)
        ImGui::TextColored(kWarning, "The runs show %ld steps, not the %ld tuned on.", status.shown_steps, status.budget);
    if (!status.stale.empty()) ImGui::TextColored(kWarning, "Stale: %s.", status.stale.c_str());
    for (const TuneRow& row : status.rows)
        if (row.every_diverged) {
            ImGui::TextColored(kWarning, "%s: every setting tried diverged somewhere; the one shown is the least bad.",
                               row.run.c_str());
        }
}

void draw_row_tooltip(const TuneRow& row, int starts) {
    if (!ImGui::IsItemHovered()) return;
    std::string text = std::to_string(row.tried) + " settings tried; at the one shown, median final loss " +
                       table_number(row.median_loss) + ", " + std::to_string(row.diverged) + " of " +
                       std::to_string(starts) + " starts diverged";
    if (!row.found) text += "\nno setting has a score: nothing applied";
    if (row.winner) text += "\nthe race's winner";
    if (!row.stale.empty()) text += "\nstale: " + row.stale;
    ImGui::SetTooltip("%s", text.c_str());
}

}  // namespace

void draw_tune_table(const TuneStatus& status) {
    if (status.rows.empty()) return;
    draw_table_header(status);
    // Columns fit their widest cell; a narrow panel scrolls the table sideways instead of cutting.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit |
                                  ImGuiTableFlags_ScrollX;
    const TuneTable table = tune_table(status);
    const int columns = static_cast<int>(table.columns.size());
    const float rows_height = ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(table.rows.size() + 2);
    if (!ImGui::BeginTable("tuned", columns, flags, {0, rows_height + ImGui::GetStyle().ScrollbarSize})) return;
    for (const std::string& name : table.columns) ImGui::TableSetupColumn(name.c_str());
    ImGui::TableHeadersRow();
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const TuneRow& row = status.rows[r];
        ImGui::TableNextRow();
        if (row.winner) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(255, 215, 90, 110));
        for (int c = 0; c < columns; ++c) {
            ImGui::TableNextColumn();
            const std::string& text = table.rows[r][static_cast<std::size_t>(c)];
            const bool dim = !row.stale.empty() || (c > 0 && !row.found);
            const bool risky = c == columns - 1 && row.diverged > 0;
            if (risky) ImGui::TextColored(kWarning, "%s", text.c_str());
            else if (dim) ImGui::TextDisabled("%s", text.c_str());
            else ImGui::TextUnformatted(text.c_str());
            if (c == 0) draw_row_tooltip(row, status.starts);
        }
    }
    ImGui::EndTable();
}

TuneRequests draw_tune_panel(Scene& scene, const TuneStatus& status) {
    TuneRequests requests;
    TuneSettings& settings = scene.tune;
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
    ImGui::Checkbox("budget: the scene's steps", &settings.budget_is_scene_steps);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("judge each setting on the %ld steps the runs show (a setting tuned on fewer can blow up later)",
                          scene.steps);
    if (!settings.budget_is_scene_steps) {
        int budget = static_cast<int>(std::min<long>(settings.budget, limits::kSliderMaxSteps));
        if (slider_int("budget (steps)", &budget, 10, static_cast<int>(limits::kSliderMaxSteps), "%d",
                             ImGuiSliderFlags_Logarithmic))
            settings.budget = std::clamp<long>(budget, 1, limits::kMaxSteps);
    }
    slider_int("starts", &settings.starts, 1, limits::kSliderMaxCloud);
    settings.starts = std::clamp(settings.starts, 1, limits::kMaxTuneStarts);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("particles per setting: the start and the run's cloud around it");
    float spread = static_cast<float>(settings.spread);
    if (slider_float("start jitter", &spread, 0.0f, 2.0f, "%.3g")) settings.spread = std::max(0.0f, spread);
    int objective = static_cast<int>(settings.objective);
    if (ImGui::Combo("objective", &objective, kObjectiveLabels, 4)) settings.objective = static_cast<TuneObjective>(objective);
    ImGui::Checkbox("let settings with diverged starts win", &settings.allow_diverged);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("off: a setting where some start diverged never ranks above one where none did");
    const auto candidates = second_candidates(scene);
    if (ImGui::BeginCombo("also tune", settings.second.empty() ? "(lr only)" : settings.second.c_str())) {
        if (ImGui::Selectable("(lr only)", settings.second.empty())) settings.second.clear();
        for (const std::string& name : candidates)
            if (ImGui::Selectable(name.c_str(), name == settings.second)) settings.second = name;
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("over its slider range, for the runs whose optimizer has it");
    slider_int("refinements", &settings.refine, 0, kMaxTuneRefine);
    settings.refine = std::clamp(settings.refine, 0, kMaxTuneRefine);
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
