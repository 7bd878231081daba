// Overlay modules: things drawn over the landscape's heatmap and under the runs' paths (the gradient
// field, ...). Each overlay lives in one file, src/ui/overlays/NAME.cpp, and is listed by one line in
// src/ui/overlays/registry.cpp. The scene keeps the overlays that are on, by name, with their settings
// (Scene::overlays); the command line (`--overlay NAME[:k=v,...]`), the panel's checkboxes and
// sliders, and scene files all read the module's ParamTable, so names and ranges are written once.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <imgui.h>

#include "core/scene/param_spec.h"
#include "core/scene/scene.h"
#include "ui/views/landscape_view.h"

namespace optiviz::ui {

// What an overlay may read while drawing. Everything is in screen pixels except `input`'s data.
struct OverlayContext {
    Canvas* draw_list = nullptr;   // clipped to the plot rectangle while the overlay draws
    ImVec2 plot_min, plot_max;        // the plot rectangle (screen pixels)
    PlotMapping map;                  // data <-> screen for that rectangle
    const LandscapeInput* input = nullptr;  // the surface, runs, playback step, view, ...
    float font_size = 13.0f;          // the text height in pixels: sizes of marks follow it
    float line_scale = 1.0f;          // multiply line widths by this (grows with the export size)
    // Rows the overlay adds to the legend column (colour 0xRRGGBB, text), or null where none is shown.
    std::vector<std::pair<std::uint32_t, std::string>>* legend = nullptr;
};

struct SurfaceViewInput;  // ui/views/surface_view.h
class MeshPlacement;      // ui/views/surface_view.h

// What a module may read while drawing on the 3-D view (over the mesh, before the runs' paths).
struct MeshOverlayContext {
    Canvas* draw_list = nullptr;            // clipped to the mesh's rectangle
    const SurfaceViewInput* input = nullptr;  // the runs, playback step, view, ...
    const MeshPlacement* mesh = nullptr;    // where data points go on the drawn mesh
    float font_size = 13.0f;
};

// Where an overlay is drawn: over the heatmap and under the runs' paths (a field, a map), over the
// paths (marks about one run's step), or not on the map at all: a module of the 3-D view (its mesh
// options), which is always on (absent settings: its defaults), shows its panel in the 3-D view's
// section and applies itself to the 3-D view's input.
enum class OverlayLayer { UnderPaths, OverPaths, Surface3D };

struct OverlayModule {
    std::string_view name;   // key in scenes and on the command line, e.g. "gradient-field"
    std::string_view title;  // panel checkbox label
    std::string_view help;   // one sentence: tooltip and --help
    ParamTable params;       // its settings (may be empty)
    void (*draw)(const OverlayContext&, const ParamValues&) = nullptr;
    // Optional: the module's own controls while it is on, instead of one slider per setting (a run
    // chosen by name, say). Edits `settings` (absent keys: defaults); returns true on a change.
    bool (*panel)(const Scene& scene, ParamOverrides& settings) = nullptr;
    OverlayLayer layer = OverlayLayer::UnderPaths;
    // Optional: takes the retired scene keys this module's settings were once saved under (older scene
    // files) into `overlays`.
    void (*adopt)(const ParamOverrides& retired, std::map<std::string, ParamOverrides>& overlays) = nullptr;
    // Optional: what the module changes in the 3-D view's input (its mesh request, what rides on it).
    void (*apply_3d)(const ParamValues& settings, SurfaceViewInput& input) = nullptr;
    // Optional: what the module draws on the 3-D view while it is on (a landscape overlay whose
    // marks also belong on the mesh: the particle clouds).
    void (*draw_3d)(const MeshOverlayContext&, const ParamValues&) = nullptr;
    // Optional: the trajectories the module has the app compute besides the runs' own (the particle
    // clouds), for the scene's trajectory memory budget (validate_scene's extra_paths).
    double (*extra_paths)(const ParamValues& settings, const Scene& scene) = nullptr;
};

// Every overlay, in drawing order (src/ui/overlays/registry.cpp).
std::span<const OverlayModule> overlay_registry();

// The module called `name`, or nullptr.
const OverlayModule* find_overlay(std::string_view name);

// Throws std::invalid_argument with one line for an unknown overlay name (listing the known ones) or
// a setting its table refuses.
void validate_overlays(const std::map<std::string, ParamOverrides>& overlays);

// Draws the scene's overlays of `layer` that are on, in registry order; an overlay whose settings are
// invalid is skipped (the CLI and the panel refuse such settings before they get here).
void draw_overlays(const OverlayContext& context, const std::map<std::string, ParamOverrides>& overlays,
                   OverlayLayer layer = OverlayLayer::UnderPaths);

// Applies every module with a 3-D hook to `input`: 3-D view modules always (absent settings: their
// defaults), landscape overlays while they are on; refused settings leave the input as it is.
void apply_surface_modules(const std::map<std::string, ParamOverrides>& overlays, SurfaceViewInput& input);

// Draws the modules that are on and draw on the 3-D view, in registry order (refused settings: skipped).
void draw_mesh_overlays(const MeshOverlayContext& context, const std::map<std::string, ParamOverrides>& overlays);

// The trajectories the scene's modules have the app compute besides the runs' own (refused
// settings count nothing: the app computes nothing for them).
double overlay_extra_paths(const Scene& scene);

// validate_scene with the modules' extra paths, then the module names and settings
// (validate_overlays): what the app checks a scene with once its retired keys are adopted.
void validate_scene_with_modules(const Scene& scene);

// Older scene files kept some module settings as scene keys (Scene::retired: "gradient_field",
// "glyph_run", "glyph_trail", a run's "cloud"); this hands them to the modules that now own them and clears them.
// Every reader of scene files in the app calls it after scene_from_json.
void adopt_retired_keys(Scene& scene);

}  // namespace optiviz::ui
