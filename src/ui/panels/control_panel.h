// The side panel: surface and its parameters, the runs with sliders built from each optimizer's
// parameter table, playback, and export. It edits the scene in place (ImGui's immediate style);
// the app derives everything else from the scene, so the panel reports no changes, only commands.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/scene/param_spec.h"
#include "core/scene/scene.h"

namespace optiviz::ui {

struct Playback {
    double step = 0.0;     // fractional, so slow speeds advance smoothly
    bool playing = true;
    double speed = 250.0;  // steps per second of wall time (1 .. 10 000)
};

// What a file chosen in a native dialog is for (the app shows the dialog; see app/window/file_dialog.h).
enum class FilePurpose { OpenScene, SaveScene, OpenData, ExportPicture, ExportTrajectories, ExportAnimation, OpenTrajectory };

struct PanelState {
    std::string png_path = "optiviz.png";
    std::string csv_path = "optiviz-trajectories.csv";
    std::string scene_path = "optiviz-scene.json";
    bool export_window_size = true;
    int export_width = 1920, export_height = 1080;
    int residuals_of = -1;     // data panel: show the residuals of this run (-1: none)
    // Drafts: what is typed in a field before Enter (or Load) applies it to the scene.
    std::string data_file;     // data panel: a CSV to load...
    std::string trajectory_file;  // runs: your own run's CSV to add (ui/panels/imported_run_panel.h)
    std::array<std::string, 2> data_columns;  // ... and its x and y columns
    std::string message;       // last result or error, shown at the bottom
    bool message_is_error = false;
    bool show_keys = false;    // the shortcut help window (F1)
    std::vector<std::string> recent_files;  // newest first (the app fills it from its settings)
    std::string last_file;     // the last scene or data file opened or saved (the app remembers it)
    std::string expression;    // your own f(x, y) as typed, before Enter applies it
    // The scene's values the drafts above were made from. When the scene's value changes any other way
    // (undo, redo, opening a scene, a refused edit), its draft is replaced by it: a field never shows
    // a function or a file other than the one on screen, and Enter never re-applies a stale one.
    std::string expression_of, data_file_of;
    std::array<std::string, 2> data_columns_of;
    bool file_dialogs = false; // the app can show native file dialogs: "..." buttons beside the paths
};

// What the user asked for that is not an edit of the scene: commands the app carries out.
// (Edits need no report: the app derives everything from the scene by key.)
struct PanelCommands {
    bool reset_view = false;
    bool export_png = false;
    bool export_animation = false;  // open the "Export animation" window
    bool export_csv = false;
    bool save_scene = false;
    bool load_scene = false;
    bool undo = false;
    bool redo = false;
    std::string preset;  // a teaching preset to open (empty: none)
    std::string open_data;  // a CSV to use as the data (AppState::use_data_file; empty: none)
    std::string open_trajectory;  // a trajectory CSV whose runs to add (app/derived/imported_runs.h; empty: none)
    std::optional<FilePurpose> choose_file;  // a "..." button: show the file dialog for this
};

// What the panel shows about the derived results (read-only).
struct PanelStatus {
    long last_step = 0;
    std::vector<std::string> run_errors;  // per run: why its settings could not be run ("" if fine)
    std::vector<bool> run_pending;        // per run: being computed
    bool can_undo = false, can_redo = false;
};

// A slider (or checkbox) for one parameter, built from its spec. Returns true when `value` changed;
// values typed outside the valid range are refused (the old value stays).
bool param_slider(const ParamSpec& spec, double& value);

// Same, reading/writing an overrides map (absent keys show the default).
bool param_slider(const ParamSpec& spec, ParamOverrides& values);

// Replaces each draft whose scene value changed since it was made (see PanelState::expression_of).
void follow_scene(const Scene& scene, PanelState& panel);

// Edits `scene` in place and returns the commands asked for.
PanelCommands draw_control_panel(Scene& scene, Playback& playback, PanelState& panel, const PanelStatus& status);

}  // namespace optiviz::ui
