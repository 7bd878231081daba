#include "app/app_state.h"

#include "app/derived/imported_runs.h"
#include "app/derived/view_inputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/scene/presets.h"
#include "core/surfaces/surface_registry.h"
#include "ui/overlay.h"

namespace optiviz::app {

namespace {

bool file_exists(const std::string& path) { return std::ifstream(path).good(); }


}  // namespace

AppState::AppState(Scene scene) : scene_(std::move(scene)) {
    ui::adopt_retired_keys(scene_);  // a preset's or an older file's module settings (none: nothing)
    ui::validate_scene_with_modules(scene_);
    history.reset(scene_);
    derived_.set_surface(scene_, build_surface(scene_));
    derived_.update(scene_);
    playback.step = scene_.step >= 0 ? static_cast<double>(scene_.step) : static_cast<double>(scene_.steps);
}

void AppState::set_message(std::string text, bool error) {
    panel.message = std::move(text);
    panel.message_is_error = error;
}

void AppState::refresh(std::chrono::steady_clock::duration budget) {
    bool started = derived_.update(scene_);
    adopt_model_start();
    const auto& surface = derived_.surface();
    if (!surface.error().empty() && surface.requested_key() && surface.requested_key() != refused_) {
        // Refuse the edit: the scene goes back to the surface the picture shows.
        refused_ = surface.requested_key();
        const SurfaceKey& good = *surface.value_key();
        scene_.surface = good.surface;
        if (find_surface(good.surface).takes_expression) scene_.expression = good.expression;
        scene_.surface_params = good.params;
        if (find_surface(good.surface).needs_data) scene_.data = good.data;
        set_message(surface.error(), true);
        started = derived_.update(scene_) || started;
    }
    if (started && budget > std::chrono::steady_clock::duration::zero()) {
        derived_.settle(budget);
        derived_.update(scene_);  // a new surface that arrived in time starts its runs this frame too
        derived_.settle(budget / 2);
    }
    if (scene_.view_is_default && !derived_.busy()) {
        // A new surface, scene or preset, or the fit key: frame the start, the minima and the paths
        // once they are known (once, so the view never jumps while the start is dragged).
        scene_.view = fit_to_runs(*this);
        scene_.view_is_default = false;
    }
}

void AppState::finish(bool stop_at_error) {
    for (;;) {
        refresh();
        if (stop_at_error && !first_run_error().empty()) return;
        if (!derived_.busy()) return;
        if (stop_at_error) derived_.settle(std::chrono::milliseconds(20));
        else derived_.wait();
    }
}

const Trajectory* AppState::trajectory(std::size_t run) const { return keyed_trajectory(run).trajectory; }

AppState::KeyedTrajectory AppState::keyed_trajectory(std::size_t run) const {
    if (run >= derived_.runs() || run >= scene_.runs.size()) return {};
    const auto& artifact = derived_.run(run);
    if (!artifact.error().empty() || !artifact.value() || !artifact.value_key()) return {};
    return {artifact.value().get(), &*artifact.value_key()};
}

const std::vector<Trajectory>* AppState::cloud(std::size_t run) const {
    if (run >= derived_.runs() || run >= scene_.runs.size()) return nullptr;
    const auto& artifact = derived_.cloud(run);
    if (!artifact.error().empty() || !artifact.value() || artifact.value()->empty()) return nullptr;
    return artifact.value().get();
}

void AppState::adopt_model_start() {
    if (scene_.surface != models::kModelSurface || !derived_.model()) return;
    for (std::size_t i = 0; i < scene_.runs.size(); ++i)
        if (const Trajectory* path = derived_.model()->path(i); path && path->size() > 0) {
            scene_.start = {path->x[0], path->y[0]};
            return;
        }
}

std::string AppState::run_error(std::size_t run) const {
    if (scene_.surface == models::kModelSurface && derived_.model())
        if (std::string error = derived_.model()->error(run); !error.empty()) return error;
    if (run >= derived_.runs()) return {};
    if (!derived_.run(run).error().empty()) return derived_.run(run).error();
    return derived_.cloud(run).error();
}

bool AppState::run_pending(std::size_t run) const {
    return run < derived_.runs() && (derived_.run(run).pending() || derived_.cloud(run).pending());
}

std::string AppState::first_run_error() const {
    for (std::size_t i = 0; i < scene_.runs.size(); ++i) {
        const std::string error = run_error(i);
        if (!error.empty()) return "run " + std::to_string(i + 1) + " (" + run_label(scene_.runs[i]) + "): " + error;
    }
    return {};
}

ViewRect AppState::view() const { return scene_.view_is_default ? surface().default_view() : scene_.view; }

void AppState::set_start(const Eigen::Vector2d& start) {
    if (start.allFinite()) scene_.start = start;
}

void AppState::set_view(const ViewRect& view) {
    if (!(view.x_max > view.x_min) || !(view.y_max > view.y_min)) return;
    const double w = view.x_max - view.x_min, h = view.y_max - view.y_min;
    if (!std::isfinite(w) || !std::isfinite(h) || w < 1e-12 || w > 1e12) return;  // keep zoom within what doubles show
    scene_.view = view;
    scene_.view_is_default = false;
}

void AppState::reset_view() { scene_.view_is_default = true; }

bool AppState::open_scene(Scene scene, const std::string& what) {
    try {
        // The surface is built first, so a scene that cannot be opened replaces nothing.
        ui::adopt_retired_keys(scene);  // an older file's (or a preset's) module settings
        ui::validate_scene_with_modules(scene);  // module names and settings too (core stores any)
        BuiltSurface built = build_surface(scene);
        scene_ = std::move(scene);
        derived_.set_surface(scene_, std::move(built));
        refused_.reset();
        playback.step = scene_.step >= 0 ? static_cast<double>(scene_.step) : 0.0;
        playback.playing = scene_.step < 0;
        set_message(what, false);
        return true;
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
}

bool AppState::open_preset(const std::string& name) {
    try {
        const Preset& preset = find_preset(name);
        Scene scene = make_preset(name);
        scene.step = -1;  // a preset plays from the start
        return open_scene(std::move(scene), std::string(preset.caption));
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
}

bool AppState::load_scene_file(const std::string& path) {
    try {
        const std::string text = read_regular_file(path, "scene file", limits::kMaxSceneFileBytes);
        std::vector<std::string> warnings;  // unknown keys: loaded, and said
        if (!open_scene(scene_from_json(text, path, {folder_of(path), &warnings}), "loaded " + path)) return false;
        if (!warnings.empty()) set_message(warnings.front(), true);
        panel.scene_path = path;
        panel.last_file = path;
        return true;
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
}

bool AppState::save_scene_file(const std::string& path) {
    Scene saved = scene_;
    saved.step = shown_step();
    const bool replacing = file_exists(path);
    try {
        write_file_atomically(path, scene_to_json(saved));
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
    set_message((replacing ? "replaced " : "saved ") + path, false);
    panel.last_file = path;
    return true;
}

bool AppState::export_csv(const std::string& path) {
    const bool replacing = file_exists(path);
    try {
        write_file_atomically(path, trajectories_csv(*this));
    } catch (const std::exception& e) {
        set_message(e.what(), true);
        return false;
    }
    set_message((replacing ? "replaced " : "wrote ") + path, false);
    return true;
}

void AppState::open_dropped_file(const std::string& path) {
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
        load_scene_file(path);
        return;
    }
    if (is_trajectory_file(path)) {  // a header naming step, x and y: your own run, not data
        add_trajectory_file(*this, path);
        return;
    }
    use_data_file(path);
}

void AppState::use_data_file(const std::string& path) {
    // The surface job reads the file; a file it cannot use is refused there (the scene goes back).
    if (!find_surface(scene_.surface).needs_data) {
        scene_.surface = "mse";
        scene_.surface_params.clear();
    }
    scene_.data.kind = DatasetChoice::Kind::File;
    scene_.data.path = path;
    scene_.data.checksum = 0;
    scene_.view_is_default = true;
    panel.data_file = path;
    panel.last_file = path;
    set_message("reading " + path, false);
}

void AppState::run_commands(const ui::PanelCommands& commands) {
    if (commands.undo) {
        if (auto earlier = history.undo(scene_)) scene_ = std::move(*earlier);
    } else if (commands.redo) {
        if (auto later = history.redo(scene_)) scene_ = std::move(*later);
    }
    if (commands.reset_view) reset_view();
    if (!commands.preset.empty()) {
        open_preset(commands.preset);
        return;
    }
    if (!commands.open_data.empty()) use_data_file(commands.open_data);
    if (!commands.open_trajectory.empty()) add_trajectory_file(*this, commands.open_trajectory);
    if (commands.export_csv) export_csv(panel.csv_path);
    if (commands.save_scene) save_scene_file(panel.scene_path);
    if (commands.load_scene) load_scene_file(panel.scene_path);
}

void AppState::advance(double seconds) {
    if (!playback.playing) return;
    playback.step = std::min(playback.step + playback.speed * std::max(seconds, 0.0), static_cast<double>(last_step()));
    if (playback.step >= static_cast<double>(last_step())) playback.playing = false;
}

long AppState::last_step() const {
    long last = scene_.runs.empty() ? 0 : scene_.steps;  // diverged runs end early; the horizon is still the scene's
    for (std::size_t i = 0; i < scene_.runs.size(); ++i)
        if (const Trajectory* t = trajectory(i)) last = std::max(last, static_cast<long>(t->size()) - 1);
    return last;
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::string trajectories_csv(const AppState& state) {
    std::string out = "run,label,step,x,y,loss,grad_norm\n";
    char line[256];
    const Scene& scene = state.scene();
    for (std::size_t r = 0; r < scene.runs.size(); ++r) {
        const Trajectory* t = state.trajectory(r);
        if (!t) continue;
        const std::string label = csv_field(run_label(scene.runs[r]));
        for (std::size_t k = 0; k < t->size(); ++k) {
            std::snprintf(line, sizeof line, "%zu,", r);
            out += line;
            out += label;  // any length: not through the fixed buffer
            std::snprintf(line, sizeof line, ",%zu,%.17g,%.17g,%.17g,%.17g\n", k, t->x[k], t->y[k], t->loss[k],
                          std::hypot(t->gx[k], t->gy[k]));
            out += line;
        }
    }
    return out;
}

}  // namespace optiviz::app
