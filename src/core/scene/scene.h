// A scene: everything needed to reproduce a picture — the surface, the runs with their
// hyperparameters, the start point, the number of steps, the view and the playback step.
// Saved as JSON (scene_to_json / scene_from_json) by the app and read by `optiviz render --scene`.
// The format is described by packaging/optiviz-scene.schema.json (installed in /usr/share/optiviz/):
// a field added or changed here goes there too; ctest scene_schema validates saved scenes against it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/scene/analysis_settings.h"
#include "core/surfaces/dataset.h"
#include "core/io/imported_trajectory.h"
#include "core/surfaces/loss_surface.h"
#include "core/models/model_choice.h"
#include "core/presentation/orbit_camera.h"
#include "core/scene/param_spec.h"
#include "core/optimizers/simulation.h"

namespace optiviz {

struct RunSpec {
    std::string label;           // legend text; empty: derived from the optimizer and lr
    RunConfig config;            // optimizer, hyperparameters, schedule, clipping, mini-batches
    std::uint32_t color = 0;     // 0xRRGGBB
    bool visible = true;
    // Set: a path read from a file (core/io/imported_trajectory.h), drawn as it is; `config` and the
    // scene's start and horizon do not apply to it (nor a particle cloud).
    ImportedRun imported;
    bool operator==(const RunSpec&) const = default;
};

// Where a data-driven surface's rows come from.
struct DatasetChoice {
    enum class Kind { Synthetic, Anscombe, File, Inline };
    Kind kind = Kind::Synthetic;
    SyntheticDatasetSpec synthetic;  // Kind::Synthetic
    int anscombe = 1;                // Kind::Anscombe: 1..4
    std::string path;                // Kind::File: a CSV file...
    CsvColumns columns;              // ... and which of its columns are x and y
    char decimal = '.';              // Kind::File: the file's decimal mark, '.' or ','
    std::uint64_t checksum = 0;      // Kind::File: FNV-1a of the file when the scene was saved (0: unchecked)
    std::vector<double> rows_x, rows_y;  // Kind::Inline: the rows themselves (small files in saved scenes)
    bool standardize = false;        // fit on x standardised to mean 0, sd 1
    bool operator==(const DatasetChoice&) const = default;

    // Builds the dataset (reading the file for Kind::File). With `binary_labels` (logistic), the
    // synthetic generator draws classes 0/1. Throws std::invalid_argument.
    Dataset load(bool binary_labels = false) const;
};

struct Scene {
    std::string surface = "rosenbrock";
    std::string expression;  // with surface "expr": your own f(x, y) (expression_surface.h)
    ParamOverrides surface_params;
    DatasetChoice data;          // data-driven surfaces (mse, logistic) only
    models::ModelChoice model;   // the model surface ("model") only: the network, its data and its plane
    std::vector<RunSpec> runs;
    Eigen::Vector2d start{-1.5, 2.0};
    long steps = 2000;           // every run's horizon (0 .. 1 000 000)
    ViewRect view;               // the landscape's visible rectangle
    bool view_is_default = true; // true: use the surface's default view
    long step = -1;              // playback position; -1: the end of the runs
    std::string caption;         // one line shown under the title (teaching presets)
    // Overlays on the landscape that are on, by module name (ui/overlay.h), with their settings
    // (absent keys: the module's defaults). Core stores any name; the app checks names against the
    // ui's registry. A setting called "run" is a 0-based run index (or -1: every run): kept valid as
    // runs come and go.
    std::map<std::string, ParamOverrides> overlays;
    // Keys older scene files had that are module settings now ("gradient_field", "glyph_run",
    // "glyph_trail", "mesh_contours", "linear_height", as numbers; a run's particle cloud as
    // "runs[I].cloud" and "runs[I].cloud_spread", from scene files and from run specs' cloud= and
    // spread=): kept as read until the app hands them to their modules.
    ParamOverrides retired;
    enum class Layout { Map, Surface3D, Both };
    Layout layout = Layout::Map; // the 2-D map, the 3-D surface, or both side by side
    OrbitCamera camera;          // the 3-D view's camera
    SweepSettings sweep;         // the sweep map (core/scene/analysis_settings.h)
    TuneSettings tune;           // the Tune panel's search
    // Field by field: what a saved scene must give back when loaded.
    bool operator==(const Scene&) const = default;
};

std::string_view layout_name(Scene::Layout layout);  // "map", "3d", "both"
Scene::Layout parse_layout(std::string_view name);    // throws std::invalid_argument

// The scene optiviz opens with: Rosenbrock from (−1.5, 2) with SGD, SGD with momentum, Nesterov,
// AdaGrad, RMSprop and Adam, each in its own colour.
Scene default_scene();

// Colour i of the run palette (index wraps): Okabe and Ito's eight colours for colour-vision
// deficiency. A run's colour is its position's: run i + 1 has colour i, in every view and export;
// beyond eight runs colours repeat and the views tell runs apart by dash pattern and marker shape.
inline constexpr std::size_t kRunPaletteSize = 8;
std::uint32_t run_palette(std::size_t index);

// The colour a run added to a scene gets unless the user picks one: the first palette colour none of
// `taken` has (the position's colour when runs are added in order), or, with all taken, the next one.
std::uint32_t default_run_color(const RunConfig& config, const std::vector<std::uint32_t>& taken);

// Gives every run its position's colour (presets, the default scene and --run lists use it).
void assign_default_colors(std::vector<RunSpec>& runs);

// Keep the scene's run indices (sweep.run, tune.run, overlays' "run") on the same runs after run
// `index` was removed from scene.runs (indices past it move down; one naming it names the run that
// took its place, or the last) or a run was inserted at `index` (indices from it move up). Call after
// changing scene.runs.
void run_removed(Scene& scene, std::size_t index);
void run_inserted(Scene& scene, std::size_t index);

// "Adam lr=0.05" etc. when RunSpec::label is empty.
std::string run_label(const RunSpec& run);

// The legend's labels for every run of the scene, so no two read the same: run_label, plus every
// setting in which the run differs from another run of the same optimizer (any optimizer parameter
// such as bias correction, AMSGrad, momentum, Nesterov or line search; the schedule; clipping; the
// stopping rule; the mini-batch seed), e.g. "Adam lr=0.1, no bias correction". Runs that still read
// the same are numbered: the second is "... #2". A user's own label is kept, numbered if repeated.
std::vector<std::string> run_labels(const Scene& scene);

// A typed expression as a title shows it: "x^2 + 3*y" -> "x² + 3·y" (integer powers as superscripts,
// '*' as '·'), everything else as typed.
std::string pretty_expression(std::string_view text);

// The picture's title for the scene's function: "Rosenbrock   (a - x)^2 + ..." or, for a typed
// function, "f(x, y) = " and the expression as typed (prettified).
std::string scene_title(const Scene& scene);

// Parses "adam" or "adam:lr=0.05,beta1=0.8" (optimizer parameters, plus schedule=, gamma=,
// step_size=, t_max=, eta_min=, clip_norm=, batch_size=, seed=, label=, cloud=, spread=). Validates against the
// optimizer's table. Throws std::invalid_argument with one line. cloud= and spread= (a particle
// cloud, which is a landscape module's setting now) are checked and written to `retired` as
// "runs[INDEX].cloud" and "runs[INDEX].cloud_spread" (Scene::retired, for the app to hand to the
// module); without `retired` they are refused.
RunSpec parse_run_spec(const std::string& text, std::size_t index, ParamOverrides* retired = nullptr);

// The particle paths a scene's retired run keys ask for (the sum of every "runs[I].cloud"), for
// validate_scene's budget before the app has handed them to their module.
double retired_cloud_paths(const ParamOverrides& retired);

// Throws std::invalid_argument with one line for an unknown surface, optimizer or parameter, a
// value out of range, or steps out of range.
// Scene files and the command line share this validation (and the limits in core/io/limits.h).
// `extra_paths`: trajectories stored besides the runs' own (the particle clouds modules ask for,
// counted by the app), within the same trajectory memory budget.
void validate_scene(const Scene& scene, double extra_paths = 0);

// Throws std::invalid_argument("WHAT must be finite" / "... too wide" / "... too narrow ...") for a
// rectangle that cannot be drawn: non-finite, max <= min, a side wider than the largest double, or
// a side spanning so few representable values that pixels would share coordinates.
void validate_view(const ViewRect& view, const std::string& what);

// Throws std::invalid_argument when a schedule's step_size or t_max exceeds limits::kMaxSchedulePeriod
// (larger periods overflow the schedule's arithmetic).
void validate_schedule_period(const LrSchedule& schedule);

// FNV-1a 64 of a file's bytes; throws std::invalid_argument if it cannot be read.
std::uint64_t file_checksum(const std::string& path);

// Scenes keep data files of up to kInlineRows rows inline (so the scene travels alone); larger files
// are referenced by path with their checksum, which loading verifies.
inline constexpr std::size_t kInlineRows = 2000;

// The scene format this build writes ("version" in the file) and the newest it reads. Version 2 added
// "sweep" and "tune" (absent in version 1 files: their defaults, everything off) and moved the step
// glyphs into "overlays" (version 1's "glyph_run" and "glyph_trail" are still read, as Scene::retired).
inline constexpr int kSceneFormatVersion = 2;

std::string scene_to_json(const Scene& scene);
// Throws std::invalid_argument("scene.json: ...") with one line; `name` names the source.
Scene scene_from_json(const std::string& text, const std::string& name);

// Reading a scene from a file: where the file is and what the reader noticed without refusing it.
struct SceneFileContext {
    std::string folder;  // the scene file's folder: a relative data path resolves against it ("": kept as written)
    std::vector<std::string>* warnings = nullptr;  // receives one line per problem that did not stop the reading
};
// As above, and: a scene written by a newer optiviz ("version" above kSceneFormatVersion) is refused
// ("written by a newer optiviz (format 2); this one reads 1"), since its meaning may have changed;
// keys this version does not know are ignored and named in one warning ("unknown keys ignored:
// colour, runs[0].note"); a missing version is 1 (scenes written by hand).
Scene scene_from_json(const std::string& text, const std::string& name, const SceneFileContext& context);

// The folder of a scene file's path, for SceneFileContext::folder ("." for a bare file name).
std::string folder_of(const std::string& path);

}  // namespace optiviz
