#include "app/derived/view_inputs.h"
#include "app/derived/model_views.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

#include "core/analysis/step_explanation.h"
#include "core/presentation/view_framing.h"
#include "ui/canvas/draw_style.h"
#include "ui/overlay.h"
#include "ui/overlays/step_glyphs.h"
#include "core/surfaces/surface_registry.h"

namespace optiviz::app {

namespace {

// The lowest loss among the surface's known minima (its global minimum when the list holds it).
std::optional<double> best_known_loss(const AppState& state) {
    std::optional<double> best;
    for (const auto& m : state.surface().minima()) {
        const double v = state.surface().value(m.x(), m.y());
        if (std::isfinite(v) && (!best || v < *best)) best = v;
    }
    return best;
}

}  // namespace

RunSpec shown_run(const RunSpec& run, const RunKey& key) {
    RunSpec shown = run;
    shown.config = key.config;
    return shown;
}

ViewRect fit_to_runs(const AppState& state) {
    std::vector<const Trajectory*> paths;
    for (std::size_t i = 0; i < state.scene().runs.size(); ++i) {
        if (!state.scene().runs[i].visible) continue;
        if (const Trajectory* t = state.trajectory(i)) paths.push_back(t);
        if (const auto* cloud = state.cloud(i))
            for (const Trajectory& particle : *cloud) paths.push_back(&particle);
    }
    return frame_view(state.surface().default_view(), state.scene().start, state.surface().minima(), paths);
}

ui::LandscapeInput landscape_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::LandscapeInput input;
    const SurfaceInfo& info = find_surface(scene.surface);
    input.title = scene_title(scene);
    input.caption = scene.caption;
    input.surface = &state.surface();
    input.overlays = scene.overlays;
    if (const auto glyphs = ui::step_glyphs(scene); glyphs && static_cast<std::size_t>(glyphs->run) < scene.runs.size()) {
        const auto run = static_cast<std::size_t>(glyphs->run);
        const AppState::KeyedTrajectory shown = state.keyed_trajectory(run);
        if (shown.trajectory) {
            const Trajectory& t = *shown.trajectory;
            // At the last row there is no step after it: explain the last step taken.
            const auto k = std::min(static_cast<std::size_t>(std::max(state.shown_step(), 0L)), t.size() >= 2 ? t.size() - 2 : 0);
            if (k + 1 < t.size() && k < t.rate_x.size()) {
                // The trajectory is explained by the settings that made it, which are the scene's
                // only once its new trajectory (if any is being computed) has arrived.
                const StepExplanation e = explain_step(shown.key->config, t, k);
                input.equations.push_back(run_label(shown_run(scene.runs[run], *shown.key)) + ": " + e.rule);
                input.equations.insert(input.equations.end(), e.lines.begin(), e.lines.end());
                for (const auto& note : e.notes) input.equations.push_back("note: " + note);
            }
        }
    }
    if (info.needs_data) {
        input.x_label = std::string("w (slope)");
        input.y_label = std::string("b");
    }
    input.view = state.view();
    input.minima = state.surface().minima();
    input.start = scene.start;
    input.step = state.shown_step();
    input.steps = scene.steps;
    input.best_loss = best_known_loss(state);
    input.runs = run_views(state, true);
    add_model_landscape(state, input);
    return input;
}

// Two runs whose paths part within this many steps are two paths (momentum's first step is SGD's).
constexpr long kSharedPathMinSteps = 10;

std::string shared_path_note(const SharedPath& shared, const Trajectory& path, const Trajectory& followed) {
    const std::string other = "run " + std::to_string(shared.with + 1);
    const std::string step = std::to_string(shared.until_step);
    if (shared.whole) return "same path as " + other;
    if (shared.so_far) return "same path as " + other + " so far";
    if (shared.until_step + 1 == static_cast<long>(path.size())) return "on " + other + "'s path up to step " + step;
    if (shared.until_step + 1 == static_cast<long>(followed.size())) return "same path as " + other + ", which ends at step " + step;
    return "same path as " + other + " until step " + step;
}

std::vector<ui::RunView> run_views(const AppState& state, bool with_clouds) {
    const Scene& scene = state.scene();
    std::vector<ui::RunView> views;
    // Labels and stopping rules name the settings each path shown was computed with (the scene's,
    // once computed), told apart from the scene's other runs (no two alike).
    Scene shown;
    std::vector<const Trajectory*> paths;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) {
        const AppState::KeyedTrajectory keyed = state.keyed_trajectory(i);
        shown.runs.push_back(keyed.key ? shown_run(scene.runs[i], *keyed.key) : scene.runs[i]);
        paths.push_back(keyed.trajectory);
    }
    const std::vector<std::string> labels = run_labels(shown);
    // Paths within a ten-thousandth of the view of each other look like one line.
    const ViewRect& v = scene.view;
    const double tolerance = 1e-4 * std::max(v.x_max - v.x_min, v.y_max - v.y_min);
    std::vector<const Trajectory*> visible_paths;
    for (std::size_t i = 0; i < scene.runs.size(); ++i) visible_paths.push_back(scene.runs[i].visible ? paths[i] : nullptr);
    const std::vector<SharedPath> shared = shared_paths(visible_paths, tolerance, state.shown_step(), kSharedPathMinSteps);
    std::vector<int> followers(scene.runs.size(), 0);
    for (std::size_t i = 0; i < scene.runs.size(); ++i) {
        ui::RunView& view = views.emplace_back();
        view.trajectory = paths[i];
        view.color = scene.runs[i].color;
        view.label = labels[i];
        view.visible = scene.runs[i].visible;
        view.cloud = with_clouds ? state.cloud(i) : nullptr;
        view.stop = shown.runs[i].config.stop;
        view.dash = ui::run_dash(i);
        if (shared[i].with < 0) continue;
        view.shared_note = shared_path_note(shared[i], *paths[i], *paths[static_cast<std::size_t>(shared[i].with)]);
        // Followers of one path alternate dashes and dots, so each shows through the others.
        const int k = followers[static_cast<std::size_t>(shared[i].with)]++;
        view.dash = 1 + k % 2;
    }
    return views;
}

ui::SurfaceViewInput surface_view_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::SurfaceViewInput input;
    const SurfaceInfo& info = find_surface(scene.surface);
    input.title = (info.takes_expression ? scene_title(scene) : std::string(info.title)) +
                  " in 3-D (drag: orbit; right-drag: pan; wheel: zoom)";
    input.view = state.view();
    input.height_scale = 0.6f;
    input.camera = scene.camera;
    ui::apply_surface_modules(scene.overlays, input);  // the mesh options and any 3-D module
    input.overlays = scene.overlays;                   // modules that draw on the mesh (the clouds)
    input.step = state.shown_step();
    input.minima = state.surface().minima();
    input.start = scene.start;
    input.runs = run_views(state, true);
    input.surface = &state.surface();
    input.steps = scene.steps;
    input.best_loss = best_known_loss(state);
    add_model_surface(state, input);
    return input;
}

ui::DataViewInput data_view_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::DataViewInput input;
    if (!state.original_data()) return input;
    input.data = state.original_data().get();
    input.standardized = scene.data.standardize;
    input.classification = find_surface(scene.surface).binary_labels;
    // The axes carry the data's own names: the CSV's columns (by header name, or "column N").
    if (scene.data.kind == DatasetChoice::Kind::File) {
        auto name = [](const std::string& column) {
            return !column.empty() && column.find_first_not_of("0123456789") == std::string::npos ? "column " + column : column;
        };
        input.x_label = name(scene.data.columns.x);
        input.y_label = name(scene.data.columns.y);
    }
    if (scene.data.standardize) input.x_label += " (fit on its standardised values)";
    if (input.classification) input.y_label = input.y_label + " (0/1) and P(" + input.y_label + " = 1)";
    input.standardization = state.built_surface().standardization;  // computed with the data, not per frame
    input.bounds = state.built_surface().data_bounds;
    input.step = state.shown_step();
    const auto minima = state.surface().minima();
    if (!minima.empty()) input.least_squares = minima.front();
    input.runs = run_views(state);
    input.residuals_of = state.panel.residuals_of;
    char title[256];
    std::snprintf(title, sizeof title, "%s, %zu rows%s", state.original_data()->source.c_str(), state.original_data()->size(),
                  scene.data.standardize ? " (fit on standardised x)" : "");
    input.title = title;
    // Epochs: for the first mini-batch run, where the current step falls.
    for (const RunSpec& run : scene.runs) {
        if (run.config.batch_size == 0) continue;
        const std::size_t n = state.original_data()->size();
        const std::size_t batch = std::min(run.config.batch_size, n);
        const std::size_t per_epoch = (n + batch - 1) / batch;
        const auto step = static_cast<std::size_t>(std::max(state.shown_step(), 0L));
        std::snprintf(title, sizeof title, "\n%s: epoch %zu, batch %zu/%zu", run_label(run).c_str(),
                      step / per_epoch + 1, step % per_epoch + 1, per_epoch);
        input.title += title;
        break;
    }
    return input;
}

ui::LossPlotInput loss_plot_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::LossPlotInput input;
    input.steps = scene.steps;
    input.step = state.shown_step();
    input.runs = run_views(state);
    // The floor is the best known loss: the surface's global minimum. When runs go lower (the list of
    // minima is incomplete, or the surface has none), the floor sits a little under the lowest loss any
    // run reaches (1% of the losses' range), so the lowest run does not plunge to the bottom of the log axis.
    const std::optional<double> known = best_known_loss(state);
    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    for (std::size_t i = 0; i < scene.runs.size(); ++i)
        for (double f : state.trajectory(i) ? state.trajectory(i)->loss : std::vector<double>{}) {
            lowest = std::min(lowest, f);
            highest = std::max(highest, f);
        }
    double floor = known.value_or(0.0);
    if (std::isfinite(lowest) && (!known || lowest < *known)) {
        const double margin = std::max(1e-12 * (1.0 + std::abs(lowest)), 0.01 * (highest - lowest));
        floor = (known || lowest < 0) ? lowest - margin : 0.0;
    }
    // A surface whose minimum is 0 plots the loss itself; others plot the gap to the floor.
    input.floor = std::abs(floor) > 1e-12 ? floor : 0.0;
    add_model_loss_plot(state, input);
    return input;
}

}  // namespace optiviz::app
