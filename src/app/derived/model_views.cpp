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

// A logged run's words: what was logged (its rows are snapshots, not steps), and its loss only
// when it is known.
std::string logged_status(const ModelScene::Logged& logged, std::size_t row, double loss) {
    std::string text = "logged: " + std::to_string(logged.snapshots) + " snapshots, steps " + std::to_string(logged.first_step) +
                       "–" + std::to_string(logged.last_step);
    if (static_cast<long>(row) + 1 < logged.snapshots) text += "\nshown: snapshot " + std::to_string(row + 1);
    if (logged.loss_known) text += (static_cast<long>(row) + 1 < logged.snapshots ? ", loss " : "\nloss ") + format_number(loss, 3);
    else text += "\nno loss logged";
    return text;
}

// The status words of a model run: how far it has got while it trains again, and in words what
// happened once it ran all its steps; other ends (diverged, stopped by a rule) and earlier playback
// steps keep the 2-D runs' words.
std::string model_status(const ModelScene& model, std::size_t i, const ui::RunView& view, long step, long steps, bool logged_scene) {
    const Trajectory& t = *view.trajectory;
    const std::size_t k = std::min(static_cast<std::size_t>(std::max(step, 0L)), t.size() - 1);
    const std::string loss = "loss " + format_number(t.loss[k], 3);
    if (const auto logged = logged_scene ? model.logged(i) : std::nullopt) return logged_status(*logged, k, t.loss[k]);
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

// The plane's axis names and the title's note on it.
struct PlaneAxes {
    std::string x, y, title_note;
};

PlaneAxes plane_axes(const models::ParameterPlane& plane) {
    switch (plane.kind) {
        case models::PlaneKind::Pca:
            return {"PC1", "PC2",
                    "  ·  PCA plane: PC1 " + percent(plane.explained_u) + " + PC2 " + percent(plane.explained_v) + " of the paths' variance"};
        case models::PlaneKind::Random:
            return {"filter-normalised direction 1", "dir. 2", "  ·  random plane around run 1's end"};
        case models::PlaneKind::ThreePoints:
            return {"towards run 1's end", "run 2", "  ·  plane through the start and runs 1 and 2's ends"};
    }
    return {"x", "y", ""};
}

// Each run's status words, its distance from the plane in its label and tooltips, and its rows far
// off the plane marked faint; true when a visible run has such rows.
bool annotate_model_runs(const AppState& state, const ModelScene& model, long step, long steps, std::vector<ui::RunView>& runs) {
    bool any_faint = false;
    for (std::size_t i = 0; i < runs.size() && i < state.scene().runs.size(); ++i) {
        ui::RunView& view = runs[i];
        if (!view.trajectory || view.trajectory->size() == 0) continue;
        view.status = model_status(model, i, view, step, steps, !state.scene().model.snapshots.empty());
        if (const auto off = model.off_plane(i)) {
            // The largest distance as a share of the run's travel, one token: "≤12% off plane".
            view.label += " · ≤" + percent_of(off->largest, off->travelled) + " off plane";
            mark_off_plane_rows(model, i, off->travelled, view);
            any_faint = any_faint || (view.visible && !view.faint_rows.empty());
        }
    }
    return any_faint;
}

}  // namespace

void add_model_surface(const AppState& state, ui::SurfaceViewInput& input) {
    const ModelScene* model = shown_model(state);
    if (!model) return;
    // The plane's note goes before the view's own words (" in 3-D (drag: orbit; ...)").
    const std::size_t own_words = std::min(input.title.find(" in 3-D"), input.title.size());
    input.title.insert(own_words, plane_axes(model->plane()->plane).title_note);
    annotate_model_runs(state, *model, input.step, input.steps, input.runs);
}

void add_model_landscape(const AppState& state, ui::LandscapeInput& input) {
    const ModelScene* model = shown_model(state);
    if (!model) return;
    const models::ParameterPlane& plane = model->plane()->plane;
    const PlaneAxes axes = plane_axes(plane);
    input.x_label = axes.x;
    input.y_label = axes.y;
    input.title += axes.title_note;
    if (annotate_model_runs(state, *model, input.step, input.steps, input.runs))
        input.overlay_legend.emplace_back(0x9A9A9Au, "faint dashed: more than " + percent(kFarOffPlane) +
                                                         " of the run's travel off the plane (not where the map shows it)");
}

void add_model_loss_plot(const AppState& state, ui::LossPlotInput& input) {
    const ModelScene* model = shown_model(state);
    if (!model) return;
    // A logged run without a loss (none logged, nothing to evaluate) has no curve to draw: its rows
    // carry a placeholder, which a flat line at 1 would present as a loss.
    std::string unknown;
    for (std::size_t i = 0; i < input.runs.size() && !state.scene().model.snapshots.empty(); ++i)
        if (const auto logged = model->logged(i); logged && !logged->loss_known) {
            unknown += (unknown.empty() ? "" : ", ") + input.runs[i].label;
            input.runs[i].trajectory = nullptr;
        }
    if (!unknown.empty()) input.title = "no loss logged for " + unknown + ": no curve to draw";
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
