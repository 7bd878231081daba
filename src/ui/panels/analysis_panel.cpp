#include "ui/panels/analysis_panel.h"
#include "ui/panels/slider.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/io/limits.h"
#include "core/optimizers/optimizer.h"

namespace optiviz::ui {

namespace {

const char* const kMetrics[] = {"final loss", "steps to converge", "distance to a minimum"};

}  // namespace

std::vector<std::size_t> offered_runs(const Scene& scene, bool simulated_only) {
    std::vector<std::size_t> offered;
    for (std::size_t i = 0; i < scene.runs.size(); ++i)
        if (!simulated_only || !scene.runs[i].imported) offered.push_back(i);
    return offered;
}

bool run_combo(const char* label, int& index, const Scene& scene, bool simulated_only) {
    bool changed = false;
    index = std::clamp(index, 0, std::max(0, static_cast<int>(scene.runs.size()) - 1));
    const std::vector<std::size_t> offered = offered_runs(scene, simulated_only);
    const bool current_offered = std::find(offered.begin(), offered.end(), static_cast<std::size_t>(index)) != offered.end();
    const std::string current = scene.runs.empty() ? "(no runs)"
                                : current_offered  ? run_label(scene.runs[static_cast<std::size_t>(index)])
                                                   : "(choose a simulated run)";
    if (ImGui::BeginCombo(label, current.c_str())) {
        for (std::size_t i : offered)
            if (ImGui::Selectable((run_label(scene.runs[i]) + "##" + std::to_string(i)).c_str(), static_cast<int>(i) == index)) {
                changed = index != static_cast<int>(i);
                index = static_cast<int>(i);
            }
        ImGui::EndCombo();
    }
    if (simulated_only && ImGui::IsItemHovered()) ImGui::SetTooltip("runs imported from a file are not offered: their optimizer settings are unknown");
    return changed;
}

namespace {

// A parameter of the run's optimizer that can be swept (not a switch), with its slider range.
bool axis_editor(const char* label, const OptimizerInfo& info, std::string& param, double& lo, double& hi, bool& log) {
    bool changed = false;
    if (ImGui::BeginCombo(label, param.c_str())) {
        for (const ParamSpec& spec : info.params) {
            if (spec.kind == ParamKind::Flag) continue;
            if (ImGui::Selectable(std::string(spec.name).c_str(), spec.name == param)) {
                param = std::string(spec.name);
                lo = spec.ui_min;
                hi = spec.ui_max;
                log = spec.log_scale;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::PushID(label);
    double range[2] = {lo, hi};
    if (ImGui::InputScalarN("range", ImGuiDataType_Double, range, 2, nullptr, nullptr, "%.3g",
                            ImGuiInputTextFlags_EnterReturnsTrue) &&
        range[1] > range[0] && (!log || range[0] > 0)) {
        lo = range[0];
        hi = range[1];
        changed = true;
    }
    ImGui::SameLine();
    changed = ImGui::Checkbox("log", &log) || changed;
    if (log && lo <= 0) lo = std::max(hi * 1e-4, 1e-12);
    ImGui::PopID();
    return changed;
}

}  // namespace

void multi_start_editor(const char* id, int& starts, double& spread, Aggregate& aggregate, const char* spread_tip,
                        const char* aggregate_tip) {
    ImGui::PushID(id);
    slider_int("starts per cell", &starts, 1, limits::kSliderMaxMapStarts);
    starts = std::clamp(starts, 1, limits::kMaxMapStarts);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("K runs per cell from jittered starts (and mini-batch seeds), as Tune judges a setting");
    if (starts > 1) {
        double value = spread;
        if (ImGui::InputDouble("spread", &value, 0, 0, "%.3g", ImGuiInputTextFlags_EnterReturnsTrue) && std::isfinite(value) &&
            value >= 0)
            spread = value;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", spread_tip);
        int index = aggregate == Aggregate::Worst ? 1 : 0;
        const char* const names[] = {"median", "worst"};
        if (ImGui::Combo("of the starts", &index, names, 2)) aggregate = index == 1 ? Aggregate::Worst : Aggregate::Median;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", aggregate_tip);
    }
    ImGui::PopID();
}

namespace {

// Keeps the axes on parameters the swept run's optimizer has (x falls back to lr, y to its next one).
void keep_axes_valid(SweepSettings& settings, const OptimizerInfo& info) {
    auto valid = [&](const std::string& name) {
        for (const auto& spec : info.params)
            if (spec.name == name && spec.kind != ParamKind::Flag) return true;
        return false;
    };
    if (!valid(settings.x_param)) settings.x_param = "lr", settings.x_lo = 1e-5, settings.x_hi = 10, settings.x_log = true;
    if (!valid(settings.y_param) || settings.y_param == settings.x_param) {
        for (const auto& spec : info.params)
            if (spec.kind != ParamKind::Flag && spec.name != settings.x_param) {
                settings.y_param = std::string(spec.name);
                settings.y_lo = spec.ui_min;
                settings.y_hi = spec.ui_max;
                settings.y_log = spec.log_scale;
                break;
            }
    }
}

}  // namespace

void fill_sweep_axes(Scene& scene) {
    if (scene.runs.empty()) return;
    SweepSettings& s = scene.sweep;
    s.run = std::clamp(s.run, 0, static_cast<int>(scene.runs.size()) - 1);
    keep_axes_valid(s, find_optimizer(scene.runs[static_cast<std::size_t>(s.run)].config.optimizer));
}

AnalysisRequests draw_analysis_panel(Scene& scene, const AnalysisStatus& status) {
    AnalysisRequests requests;
    if (scene.runs.empty()) {
        ImGui::TextDisabled("add a run to map basins or sweep hyperparameters");
        return requests;
    }
    ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    SweepSettings& settings = scene.sweep;
    if (status.basin_running) ImGui::ProgressBar(status.basin_progress, {-1, 0}, "computing basins...");
    ImGui::Checkbox("sweep map", &settings.on);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("run a grid of settings of two hyperparameters from the current start");
    if (settings.on) {
        run_combo("sweep run", settings.run, scene, /*simulated_only=*/true);
        const RunSpec& run = scene.runs[static_cast<std::size_t>(settings.run)];
        if (run.imported) {  // the analysis refuses it too (app/derived/analysis.cpp), with the message below
            if (!status.message.empty()) ImGui::TextColored({0.85f, 0.15f, 0.1f, 1}, "%s", status.message.c_str());
            ImGui::PopItemWidth();
            return requests;
        }
        const OptimizerInfo& info = find_optimizer(run.config.optimizer);
        keep_axes_valid(settings, info);
        axis_editor("x", info, settings.x_param, settings.x_lo, settings.x_hi, settings.x_log);
        axis_editor("y", info, settings.y_param, settings.y_lo, settings.y_hi, settings.y_log);
        slider_int("cells per side", &settings.resolution, 8, limits::kSliderMaxSweepResolution);
        settings.resolution = std::clamp(settings.resolution, 1, limits::kMaxAxisCount);
        int metric = static_cast<int>(settings.metric);
        if (ImGui::Combo("colour by", &metric, kMetrics, 3)) settings.metric = static_cast<SweepMetric>(metric);
        multi_start_editor("sweep starts", settings.starts, settings.spread, settings.aggregate,
                           "start jitter (standard deviation, parameter units)",
                           "what a cell shows of its runs: the median, or the worst (any diverged run makes it diverged)");
        if (status.sweep_running) {
            ImGui::ProgressBar(status.sweep_progress, {ImGui::GetContentRegionAvail().x * 0.7f, 0});
            ImGui::SameLine();
            if (ImGui::Button("Cancel")) requests.cancel_sweep = true;
        }
        if (status.sweep_map) ImGui::TextDisabled("the map is in its own window: drag it anywhere");
    }
    if (!status.message.empty()) ImGui::TextColored({0.85f, 0.15f, 0.1f, 1}, "%s", status.message.c_str());
    ImGui::PopItemWidth();
    return requests;
}

AnalysisRequests draw_sweep_map(const AnalysisStatus& status, ImVec2 size) {
    AnalysisRequests requests;
    if (!status.sweep_map || !status.sweep) return requests;
    const GridMapActions actions = draw_grid_map(*status.sweep_map, size, true);
    const SweepResult& sweep = *status.sweep;
    if (actions.hovered_x >= 0) {
        const CellResult& c = sweep.at(actions.hovered_x, actions.hovered_y);
        ImGui::BeginTooltip();
        ImGui::Text("%s = %.4g\n%s = %.4g", sweep.x_axis.param.c_str(),
                    sweep.x_axis.values()[static_cast<std::size_t>(actions.hovered_x)], sweep.y_axis.param.c_str(),
                    sweep.y_axis.values()[static_cast<std::size_t>(actions.hovered_y)]);
        const std::string outcome = c.outcome == Outcome::Diverged ? "diverged at step " + std::to_string(c.last_step + 1)
                                    : c.converged_step >= 0        ? "converged at step " + std::to_string(c.converged_step)
                                                                   : "did not converge";
        const auto runs = sweep.runs_of(sweep.index(actions.hovered_x, actions.hovered_y));
        if (runs.size() > 1) {
            ImGui::Text("final loss: median %.4g, worst %.4g of %zu starts\n%d diverged, %d converged",
                        aggregate_value(runs, SweepMetric::FinalLoss, Aggregate::Median, {}),
                        aggregate_value(runs, SweepMetric::FinalLoss, Aggregate::Worst, {}), runs.size(), diverged_count(runs),
                        converged_count(runs));
            ImGui::TextDisabled("the run from the start itself:");
        }
        ImGui::Text("final loss %.4g at (%.4g, %.4g)\n%s", c.loss, c.x, c.y, outcome.c_str());
        ImGui::TextDisabled("click: give the run these values");
        ImGui::EndTooltip();
    }
    if (actions.clicked_x >= 0) requests.apply_cell = std::pair<int, int>{actions.clicked_x, actions.clicked_y};
    return requests;
}

}  // namespace optiviz::ui
