#include "app/view_inputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "core/step_explanation.h"
#include "core/surface_registry.h"

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

ui::LandscapeInput landscape_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::LandscapeInput input;
    const SurfaceInfo& info = find_surface(scene.surface);
    input.title = std::string(info.title) + "   " + std::string(info.formula);
    input.caption = scene.caption;
    input.surface = &state.surface();
    input.overlays = scene.overlays;
    input.glyph_run = scene.glyph_run;
    input.glyph_trail = scene.glyph_trail;
    if (scene.glyph_run >= 0 && static_cast<std::size_t>(scene.glyph_run) < scene.runs.size() &&
        static_cast<std::size_t>(scene.glyph_run) < state.trajectories().size()) {
        const auto run = static_cast<std::size_t>(scene.glyph_run);
        const Trajectory& t = state.trajectories()[run];
        // At the last row there is no step after it: explain the last step taken.
        const auto k = std::min(static_cast<std::size_t>(std::max(state.shown_step(), 0L)), t.size() >= 2 ? t.size() - 2 : 0);
        if (k + 1 < t.size() && k < t.rate_x.size()) {
            RunConfig config = scene.runs[run].config;
            config.steps = scene.steps;
            const StepExplanation e = explain_step(config, t, k);
            input.equations.push_back(run_label(scene.runs[run]) + ": " + e.rule);
            input.equations.insert(input.equations.end(), e.lines.begin(), e.lines.end());
            for (const auto& note : e.notes) input.equations.push_back("note: " + note);
        }
    }
    if (info.needs_data) {
        input.x_label = std::string("w (slope)");
        input.y_label = std::string("b");
    }
    input.view = scene.view;
    input.minima = state.surface().minima();
    input.start = scene.start;
    input.step = state.shown_step();
    input.steps = scene.steps;
    input.best_loss = best_known_loss(state);
    input.runs = run_views(state, true);
    return input;
}

std::vector<ui::RunView> run_views(const AppState& state, bool with_clouds) {
    const Scene& scene = state.scene();
    std::vector<ui::RunView> views;
    for (std::size_t i = 0; i < scene.runs.size() && i < state.trajectories().size(); ++i)
        views.push_back({&state.trajectories()[i], scene.runs[i].color, run_label(scene.runs[i]), scene.runs[i].visible,
                         with_clouds && i < state.clouds().size() && !state.clouds()[i].empty() ? &state.clouds()[i] : nullptr});
    return views;
}

ui::SurfaceViewInput surface_view_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::SurfaceViewInput input;
    const SurfaceInfo& info = find_surface(scene.surface);
    input.title = std::string(info.title) + " in 3-D (drag: orbit; right-drag: pan; wheel: zoom)";
    input.view = scene.view;
    input.height_scale = 0.6f;
    input.camera = scene.camera;
    input.contours = scene.mesh_contours;
    input.linear_height = scene.linear_height;
    input.step = state.shown_step();
    input.minima = state.surface().minima();
    input.start = scene.start;
    input.runs = run_views(state);
    return input;
}

ui::DataViewInput data_view_input(const AppState& state) {
    const Scene& scene = state.scene();
    ui::DataViewInput input;
    if (!state.original_data()) return input;
    input.data = state.original_data().get();
    input.standardized = scene.data.standardize;
    input.classification = find_surface(scene.surface).binary_labels;
    input.standardization = standardization_of(*state.original_data());
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
    double floor = 0.0;
    bool have_floor = false;
    for (const auto& m : state.surface().minima()) {
        const double v = state.surface().value(m.x(), m.y());
        floor = have_floor ? std::min(floor, v) : v;
        have_floor = true;
    }
    input.runs = run_views(state);
    for (std::size_t i = 0; i < scene.runs.size() && i < state.trajectories().size(); ++i) {
        for (double f : state.trajectories()[i].loss)
            if (f < floor || !have_floor) {
                floor = have_floor ? std::min(floor, f) : f;
                have_floor = true;
            }
    }
    // A surface whose minimum is 0 plots the loss itself; others plot the gap to the best known loss.
    input.floor = (have_floor && std::abs(floor) > 1e-12) ? floor : 0.0;
    if (input.floor != 0.0) input.floor -= 1e-12 * std::max(1.0, std::abs(input.floor));
    return input;
}

}  // namespace optiviz::app
