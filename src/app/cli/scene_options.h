// Scene options shared by `optiviz` (the window) and `optiviz render`:
//   --scene FILE.json  |  --surface NAME [--param K=V]... [--data FILE.csv]
//                         [--run OPT[:key=value,...]]... [--start X,Y] [--steps N]
//   [--trajectory FILE.csv[:label=LABEL]]...  your own runs, added after the scene's (app/derived/imported_runs.h)
//   [--step K]   playback position to show (default: the end)
//   [--overlay NAME[:key=value,...]]...  overlays on the landscape (--gradient-field: --overlay gradient-field)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/scene/scene.h"

namespace optiviz::cli {

struct SceneOptions {
    std::optional<std::string> scene_path;  // "-": the scene is standard input (stdin_text)
    std::optional<std::string> surface;
    std::optional<std::string> expr;  // your own f(x, y) instead of --surface
    std::vector<std::string> params;
    std::optional<std::string> data;  // "-": the CSV is standard input (stdin_text), kept inline in the scene
    std::optional<std::string> columns;
    std::optional<std::string> decimal;  // the data file's decimal mark: "." or ","
    std::vector<std::string> runs;
    std::vector<std::string> trajectories;  // your own runs: FILE.csv[:label=LABEL] or "-" (app/derived/imported_runs.h)
    std::optional<std::string> start;
    std::optional<std::string> steps;
    std::optional<std::string> step;
    std::optional<std::string> preset;  // a teaching preset's scene (see optiviz list)
    // The model surface (--surface model): a shipped data set, a network, the plane (pca,
    // random, three-points); core/models/model_choice.h.
    std::optional<std::string> dataset, model, plane;
    // Runs logged by a training script (scripts/optiviz_log.py), one file a run (repeatable).
    std::vector<std::string> snapshots;
    std::vector<std::string> overlays;  // "NAME[:key=value,...]" (ui/overlay.h's registry)
    bool gradient_field = false;        // the same as --overlay gradient-field
    std::optional<std::string> glyphs_of;  // 1-based run whose step glyphs to draw (text: checked as a whole number)
    bool glyph_trail = false;      // and along its path
    std::optional<std::string> layout;  // map | 3d | both
    std::optional<std::string> camera;  // YAW,PITCH,DISTANCE (radians, radians, model units)
    bool linear_height = false;         // 3-D height ∝ loss
    bool no_mesh_contours = false;
    std::optional<std::string> stdin_text;  // standard input, read by the caller when --scene, --data or a --trajectory is "-"

    // Whether an option reads standard input ("-"). Throws std::invalid_argument when two do.
    bool reads_stdin() const;

    // Whether any option was given (not counting stdin_text): the window then shows that scene,
    // not the last session's.
    bool given() const;
};

// The scene the options describe: the scene file, or the default scene with the options applied
// (a surface without --run keeps the six default runs). Throws std::invalid_argument with one line.
// What a scene file's reading noticed without refusing it (unknown keys) goes to `warnings`.
Scene build_scene(const SceneOptions& options, std::vector<std::string>* warnings = nullptr);

// "gradient-field" or "gradient-field:spacing=4,opacity=0.8" → (name, settings), checked against the
// overlay registry. Throws std::invalid_argument with one line.
std::pair<std::string, ParamOverrides> parse_overlay_spec(const std::string& text);

}  // namespace optiviz::cli
