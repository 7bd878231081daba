// A scene: everything needed to reproduce a picture — the surface, the runs with their
// hyperparameters, the start point, the number of steps, the view and the playback step.
// Saved as JSON (scene_to_json / scene_from_json) by the app and read by `optiviz render --scene`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/dataset.h"
#include "core/loss_surface.h"
#include "core/orbit_camera.h"
#include "core/param_spec.h"
#include "core/simulation.h"

namespace optiviz {

struct RunSpec {
    std::string label;           // legend text; empty: derived from the optimizer and lr
    RunConfig config;            // optimizer, hyperparameters, schedule, clipping, mini-batches
    std::uint32_t color = 0;     // 0xRRGGBB
    bool visible = true;
    int cloud = 0;               // extra particles from jittered starts (0..1024), drawn faintly
    double cloud_spread = 0.1;   // standard deviation of the start jitter, in parameter units
};

// Where a data-driven surface's rows come from.
struct DatasetChoice {
    enum class Kind { Synthetic, Anscombe, File, Inline };
    Kind kind = Kind::Synthetic;
    SyntheticDatasetSpec synthetic;  // Kind::Synthetic
    int anscombe = 1;                // Kind::Anscombe: 1..4
    std::string path;                // Kind::File: a CSV file...
    CsvColumns columns;              // ... and which of its columns are x and y
    std::uint64_t checksum = 0;      // Kind::File: FNV-1a of the file when the scene was saved (0: unchecked)
    std::vector<double> rows_x, rows_y;  // Kind::Inline: the rows themselves (small files in saved scenes)
    bool standardize = false;        // fit on x standardised to mean 0, sd 1

    // Builds the dataset (reading the file for Kind::File). With `binary_labels` (logistic), the
    // synthetic generator draws classes 0/1. Throws std::invalid_argument.
    Dataset load(bool binary_labels = false) const;
};

struct Scene {
    std::string surface = "rosenbrock";
    ParamOverrides surface_params;
    DatasetChoice data;          // mse only
    std::vector<RunSpec> runs;
    Eigen::Vector2d start{-1.5, 2.0};
    long steps = 2000;           // every run's horizon (0 .. 1 000 000)
    ViewRect view;               // the landscape's visible rectangle
    bool view_is_default = true; // true: use the surface's default view
    long step = -1;              // playback position; -1: the end of the runs
    std::string caption;         // one line shown under the title (teaching presets)
    // Overlays on the landscape that are on, by module name (ui/overlay.h), with their settings
    // (absent keys: the module's defaults). Core stores any name; the app checks names against the
    // ui's registry. E.g. {"gradient-field": {}}.
    std::map<std::string, ParamOverrides> overlays;
    int glyph_run = -1;          // run whose step glyphs are drawn at the current step (-1: none)
    bool glyph_trail = false;    // also draw −∇f and the momentum along that run's path
    enum class Layout { Map, Surface3D, Both };
    Layout layout = Layout::Map; // the 2-D map, the 3-D surface, or both side by side
    OrbitCamera camera;          // the 3-D view's camera
    bool mesh_contours = true;   // contour lines on the 3-D mesh
    bool linear_height = false;  // 3-D height proportional to the loss (default: its log scale, as the colours)
};

std::string_view layout_name(Scene::Layout layout);  // "map", "3d", "both"
Scene::Layout parse_layout(std::string_view name);    // throws std::invalid_argument

// The scene optiviz opens with: Rosenbrock from (−1.5, 2) with SGD, SGD with momentum, Nesterov,
// AdaGrad, RMSprop and Adam, each in its own colour.
Scene default_scene();

// Colour i of the run palette (index wraps): ten colours chosen to stay apart from each other for
// normal, protan and deutan vision, from every part of viridis (with the paths' dark outline), and
// from white (the contours, the start ring). None is white or grey.
inline constexpr std::size_t kRunPaletteSize = 10;
std::uint32_t run_palette(std::size_t index);

// The colour a run gets unless the user picks one: its optimizer's own colour (plain SGD, momentum,
// Nesterov, AdaGrad, RMSprop, Adam, AdamW, ... always the same, in every preset and picture), or,
// when one of `taken` already has that colour, the first palette colour none of them has.
std::uint32_t default_run_color(const RunConfig& config, const std::vector<std::uint32_t>& taken);

// Gives every run its default colour, in order (presets, the default scene and --run lists use it).
void assign_default_colors(std::vector<RunSpec>& runs);

// "Adam lr=0.05" etc. when RunSpec::label is empty.
std::string run_label(const RunSpec& run);

// Parses "adam" or "adam:lr=0.05,beta1=0.8" (optimizer parameters, plus schedule=, gamma=,
// step_size=, t_max=, eta_min=, clip_norm=, batch_size=, seed=, label=, cloud=, spread=). Validates against the
// optimizer's table. Throws std::invalid_argument with one line.
RunSpec parse_run_spec(const std::string& text, std::size_t index);

// Throws std::invalid_argument with one line for an unknown surface, optimizer or parameter, a
// value out of range, or steps out of range.
void validate_scene(const Scene& scene);

// FNV-1a 64 of a file's bytes; throws std::invalid_argument if it cannot be read.
std::uint64_t file_checksum(const std::string& path);

// Scenes keep data files of up to kInlineRows rows inline (so the scene travels alone); larger files
// are referenced by path with their checksum, which loading verifies.
inline constexpr std::size_t kInlineRows = 2000;

std::string scene_to_json(const Scene& scene);
// Throws std::invalid_argument("scene.json: ...") with one line; `name` names the source.
Scene scene_from_json(const std::string& text, const std::string& name);

}  // namespace optiviz
