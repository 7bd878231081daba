#include "ui/panels/model_panel.h"

#include <imgui.h>

#include <array>
#include <string>

#include "core/models/model_presets.h"
#include "core/models/network.h"
#include "core/models/table_data.h"

namespace optiviz::ui {

namespace {

constexpr std::array<const char*, 6> kHidden = {"", "8", "16", "32", "16x8", "32x16"};
constexpr std::array<models::Activation, 3> kActivations = {models::Activation::Tanh, models::Activation::Relu,
                                                           models::Activation::Sigmoid};
constexpr std::array<const char*, 3> kPlanes = {"pca", "random", "three-points"};

std::string hidden_text(const models::ModelSpec& spec) {
    std::string text;
    for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
        if (i > 0) text += 'x';
        text += std::to_string(spec.hidden[i]);
    }
    return text;
}

std::string spec_text(const std::string& hidden, models::Activation activation) {
    if (hidden.empty()) return "linear";
    return "mlp:hidden=" + hidden + ",activation=" + std::string(models::activation_name(activation));
}

bool dataset_combo(models::ModelChoice& choice) {
    bool changed = false;
    if (ImGui::BeginCombo("data set", choice.dataset.c_str())) {
        for (const models::BuiltinDataset& set : models::builtin_datasets()) {
            if (ImGui::Selectable(std::string(set.name).c_str(), set.name == choice.dataset) && set.name != choice.dataset) {
                choice.dataset = std::string(set.name);
                choice.loss.clear();  // the data set's own loss
                changed = true;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(set.description).c_str());
        }
        ImGui::EndCombo();
    }
    return changed;
}

bool network_combos(models::ModelChoice& choice) {
    const models::ModelSpec spec = models::parse_model_spec(choice.model);
    std::string hidden = hidden_text(spec);
    models::Activation activation = spec.activation;
    bool changed = false;
    if (ImGui::BeginCombo("hidden layers", hidden.empty() ? "none" : hidden.c_str())) {
        for (const char* option : kHidden)
            if (ImGui::Selectable(*option ? option : "none", hidden == option) && hidden != option) hidden = option, changed = true;
        ImGui::EndCombo();
    }
    if (!hidden.empty() && ImGui::BeginCombo("activation", std::string(models::activation_name(activation)).c_str())) {
        for (models::Activation a : kActivations)
            if (ImGui::Selectable(std::string(models::activation_name(a)).c_str(), a == activation) && a != activation)
                activation = a, changed = true;
        ImGui::EndCombo();
    }
    if (changed) choice.model = spec_text(hidden, activation);
    return changed;
}

bool plane_combo(models::ModelChoice& choice) {
    bool changed = false;
    if (ImGui::BeginCombo("plane", choice.plane.c_str())) {
        for (const char* option : kPlanes)
            if (ImGui::Selectable(option, choice.plane == option) && choice.plane != option) choice.plane = option, changed = true;
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("pca: the runs' first two principal components (shared by every run)\n"
                          "random: filter-normalised random directions around run 1's end\n"
                          "three-points: the start and the ends of runs 1 and 2");
    return changed;
}

}  // namespace

bool draw_model_section(Scene& scene) {
    models::ModelChoice& choice = scene.model;
    bool changed = dataset_combo(choice);
    changed = network_combos(choice) || changed;
    changed = plane_combo(choice) || changed;
    ImGui::TextWrapped("Runs train every parameter; the map is the training loss on the plane and the paths their "
                       "projections onto it.");
    return changed;
}

bool model_surface_selectable(Scene& scene) {
    const bool on = scene.surface == models::kModelSurface;
    if (!ImGui::Selectable("A network on real data (digits, ...)", on) || on) return false;
    const Scene model = models::model_scene();
    scene.surface = model.surface;
    scene.surface_params.clear();
    scene.data = DatasetChoice{};
    scene.model = model.model;
    scene.runs = model.runs;
    scene.steps = model.steps;
    scene.view_is_default = true;
    return true;
}

}  // namespace optiviz::ui
