// The application's state: the scene (the model: panels edit it directly, the ImGui way), what is
// derived from it (keyed artifacts computed in the background, see derived_scene.h), playback, and
// the panel's own fields. Data flows one way: scene → derived results → views; nothing tells the
// state what changed, the keys do.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/derived/derived_scene.h"
#include "app/window/scene_history.h"
#include "core/scene/scene.h"
#include "ui/panels/control_panel.h"

namespace optiviz::app {

class AppState {
public:
    // Builds the scene's surface at once and starts its runs. Throws std::invalid_argument (one line)
    // for a bad scene or a surface that cannot be built (a missing or malformed data file).
    explicit AppState(Scene scene);

    const Scene& scene() const { return scene_; }
    Scene& scene() { return scene_; }

    // Once per frame, after the panels edited the scene and before the views draw. Starts work for
    // what changed; when that started new work, waits up to `budget` so that quick work (a slider
    // drag on an analytic surface) shows in this very frame. A surface edit that failed is refused:
    // the scene's surface fields go back to the last good surface and the message says why.
    void refresh(std::chrono::steady_clock::duration budget = {});
    // Refreshes until everything is computed (pictures, the command line, tests). With
    // `stop_at_error`, returns as soon as a run has failed (see first_run_error).
    void finish(bool stop_at_error = false);

    const LossSurface& surface() const { return *built().surface; }
    std::shared_ptr<const LossSurface> shared_surface() const { return built().surface; }
    // The surface shown with the key it was built from (the scene's, unless a new one is being built).
    KeyedSurface keyed_surface() const { return {built().surface, *derived_.surface().value_key()}; }
    bool has_data() const { return built().original != nullptr; }
    // The data in its own units (data-driven surfaces only; null otherwise).
    const std::shared_ptr<const Dataset>& original_data() const { return built().original; }
    // The surface shown with its data and what is computed once from the data (its extent, ...).
    const BuiltSurface& built_surface() const { return built(); }

    // Run i's trajectory and particle cloud (null while none has been computed or after a failure).
    // While a new one is computed, these are the last good ones, made with earlier settings.
    const Trajectory* trajectory(std::size_t run) const;
    // Run i's trajectory with the key it was computed from (both null when there is none). A view
    // that reads more than the points (the step glyphs read the optimizer's state) uses the key's
    // config: the scene's may already name another optimizer while the new trajectory is computed.
    struct KeyedTrajectory {
        const Trajectory* trajectory = nullptr;
        const RunKey* key = nullptr;
    };
    KeyedTrajectory keyed_trajectory(std::size_t run) const;
    const std::vector<Trajectory>* cloud(std::size_t run) const;
    // Run i's failure for its current settings ("" if none), and whether it is being computed.
    std::string run_error(std::size_t run) const;
    bool run_pending(std::size_t run) const;
    // "run 2 (Adam lr=0.1): message" for the first run (or cloud) that failed; "" if none did.
    std::string first_run_error() const;
    bool busy() const { return derived_.busy(); }
    const DerivedScene& derived() const { return derived_; }

    // The rectangle the landscape is asked to show: the scene's, or the surface's default.
    ViewRect view() const;

    ui::Playback playback;
    ui::PanelState panel;
    // The run whose legend row (in the map or the loss plot) the mouse is over: every view draws it
    // last and wider. The frame sets it; -1 for none.
    int highlighted_run = -1;
    SceneHistory history;  // undo and redo of scene edits (the frame records, commands undo)

    // Direct manipulation from the views.
    void set_start(const Eigen::Vector2d& start);
    void set_view(const ViewRect& view);
    void reset_view();
    void set_camera(const OrbitCamera& camera) { scene_.camera = camera; }

    // Commands. Each reports its result in panel.message; on failure nothing changes. Undo and redo
    // replace the scene with an earlier or later one of the history.
    bool open_scene(Scene scene, const std::string& what);  // replaces the scene (its surface is built first)
    bool open_preset(const std::string& name);
    bool load_scene_file(const std::string& path);
    bool save_scene_file(const std::string& path);
    bool export_csv(const std::string& path);
    // A file dropped on the window: a .json opens as a scene, a trajectory CSV (app/derived/imported_runs.h)
    // is added as a run, anything else is read as the CSV data of a data-driven surface (switching to
    // mse when the surface has none).
    void open_dropped_file(const std::string& path);
    // Reads `path` as the CSV data of a data-driven surface (switching to mse when the surface has
    // none); a file the surface job cannot use is refused there and the data goes back.
    void use_data_file(const std::string& path);
    void run_commands(const ui::PanelCommands& commands);

    // Advances playback by `seconds` of wall time (frame-rate independent).
    void advance(double seconds);
    long last_step() const;  // the last row of the longest run (at least the scene's horizon)
    long shown_step() const { return static_cast<long>(playback.step); }

private:
    const BuiltSurface& built() const { return *derived_.surface().value(); }
    // A model scene's start is where its runs begin on the plane shown (every run starts there).
    void adopt_model_start();
    void set_message(std::string text, bool error);

    Scene scene_;
    DerivedScene derived_;
    std::optional<SurfaceKey> refused_;  // the surface key whose failure was last refused
};

// A CSV field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, with
// quotes doubled ("Adam, ""fast""").
std::string csv_field(const std::string& text);

// Every run's rows as CSV: run,label,step,x,y,loss,grad_norm (runs without a trajectory are skipped;
// labels quoted per RFC 4180).
std::string trajectories_csv(const AppState& state);

}  // namespace optiviz::app
