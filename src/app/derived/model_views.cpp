#include "app/derived/model_views.h"

#include <cstdio>
#include <algorithm>
#include <string>

#include "core/presentation/number_text.h"

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

// A row is "far off the plane" when its distance from the plane is more than this share of the
// run's travel (the distance between its first and last parameters): its projected point may then
// sit far from where the run really is, so the path is drawn faint there.
constexpr double kFarOffPlane = 0.25;

std::string percent_of(double part, double whole) {
    return whole > 0 ? percent(std::min(part / whole, 9.99)) : "0%";
}

// The status words of a model run: how far it has got while it trains again, and in words what
// happened once it ran all its steps; other ends (diverged, stopped by a rule) and earlier playback
// steps keep the 2-D runs' words.
std::string model_status(const ModelScene& model, std::size_t i, const ui::RunView& view, long step, long steps) {
    const Trajectory& t = *view.trajectory;
    const std::size_t k = std::min(static_cast<std::size_t>(std::max(step, 0L)), t.size() - 1);
    const std::string loss = "loss " + format_number(t.loss[k], 3);
    const ModelScene::Progress progress = model.progress(i);
    if (progress.training)
        return "training: step " + std::to_string(std::max(progress.rows - 1, 0L)) + " of " + std::to_string(progress.total - 1) +
               ", " + loss;
    if (t.outcome != Outcome::MaxSteps || k + 1 != t.size() || static_cast<long>(k) < steps) return "";
    std::string text = "all " + std::to_string(steps) + " steps trained, " + loss;
    if (const Trajectory* test = model.test_path(i); test && k < test->loss.size())
        text += "\ntest loss " + format_number(test->loss[k], 3);
    return text;
}

// Each row's distance from the plane in the tooltip, and the rows far off it drawn faint.
void mark_off_plane_rows(const ModelScene& model, std::size_t i, double travelled, ui::RunView& view) {
    const std::vector<models::PlaneProjection>* rows = model.projections(i);
    if (!rows) return;
    view.point_notes.clear();
    view.faint_rows.clear();
    bool any_far = false;
    for (const models::PlaneProjection& p : *rows) {
        const bool far = travelled > 0 && p.distance > kFarOffPlane * travelled;
        any_far = any_far || far;
        view.faint_rows.push_back(far ? 1 : 0);
        view.point_notes.push_back("off the plane by " + format_number(p.distance, 3) + " (" + percent_of(p.distance, travelled) +
                                   " of the run's travel" + (far ? ": drawn faint)" : ")"));
    }
    if (!any_far) view.faint_rows.clear();
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
    bool any_faint = false;
    for (std::size_t i = 0; i < input.runs.size() && i < state.scene().runs.size(); ++i) {
        ui::RunView& view = input.runs[i];
        if (!view.trajectory || view.trajectory->size() == 0) continue;
        view.status = model_status(*model, i, view, input.step, input.steps);
        if (const auto off = model->off_plane(i)) {
            // The largest distance as a share of the run's travel, one token: "≤12% off plane".
            view.label += " · ≤" + percent_of(off->largest, off->travelled) + " off plane";
            mark_off_plane_rows(*model, i, off->travelled, view);
            any_faint = any_faint || (view.visible && !view.faint_rows.empty());
        }
    }
    if (any_faint)
        input.overlay_legend.emplace_back(0x9A9A9Au, "faint dashed: more than " + percent(kFarOffPlane) +
                                                         " of the run's travel off the plane (not where the map shows it)");
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
