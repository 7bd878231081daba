#include "app/derived/model_views.h"

#include <cstdio>
#include <string>

#include "core/models/model_choice.h"

namespace optiviz::app {

namespace {

const ModelScene* shown_model(const AppState& state) {
    if (state.scene().surface != models::kModelSurface) return nullptr;
    const ModelScene* model = state.derived().model();
    return model && model->plane() ? model : nullptr;
}

std::string percent(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100.0 * share);
    return text;
}

std::string short_number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2g", v);
    return text;
}

}  // namespace

void add_model_landscape(const AppState& state, ui::LandscapeInput& input) {
    const ModelScene* model = shown_model(state);
    if (!model) return;
    const models::ParameterPlane& plane = model->plane()->plane;
    switch (plane.kind) {
        case models::PlaneKind::Pca:
            input.x_label = "PC1";
            input.y_label = "PC2";
            input.title += "  ·  PCA plane: PC1 " + percent(plane.explained_u) + " + PC2 " + percent(plane.explained_v) +
                           " of the paths' variance";
            break;
        case models::PlaneKind::Random:
            input.x_label = "filter-normalised direction 1";
            input.y_label = "dir. 2";
            input.title += "  ·  random plane around run 1's end";
            break;
        case models::PlaneKind::ThreePoints:
            input.x_label = "towards run 1's end";
            input.y_label = "run 2";
            input.title += "  ·  plane through the start and runs 1 and 2's ends";
            break;
    }
    for (std::size_t i = 0; i < input.runs.size() && i < state.scene().runs.size(); ++i)
        if (const auto off = model->off_plane(i))
            input.runs[i].label += " · off plane ≤" + short_number(off->largest) + " of " + short_number(off->travelled);
}

void add_model_loss_plot(const AppState& state, ui::LossPlotInput& input) {
    const ModelScene* model = shown_model(state);
    if (!model) return;
    const std::size_t runs = input.runs.size();
    for (std::size_t i = 0; i < runs && i < state.scene().runs.size(); ++i) {
        const Trajectory* test = model->test_path(i);
        // A run that diverged has its training curve marked off the top; its test curve would say it again.
        if (!test || !input.runs[i].visible || test->outcome == Outcome::Diverged) continue;
        ui::RunView view = input.runs[i];
        view.trajectory = test;
        view.label += " test";
        view.dash = 2;  // dotted: the same run's held-out rows
        view.shared_note.clear();
        view.cloud = nullptr;
        input.runs.push_back(std::move(view));
    }
}

}  // namespace optiviz::app
