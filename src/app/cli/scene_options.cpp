#include "app/cli/scene_options.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app/app_state.h"
#include "app/derived/imported_runs.h"
#include "app/cli/trace_request.h"
#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "core/io/text_escape.h"
#include "app/derived/view_inputs.h"
#include "core/models/model_presets.h"
#include "core/models/snapshot_log.h"
#include "core/scene/presets.h"
#include "core/surfaces/surface_registry.h"
#include "ui/overlay.h"
#include "ui/overlays/mesh_options.h"
#include "ui/overlays/step_glyphs.h"

namespace optiviz::cli {

std::pair<std::string, ParamOverrides> parse_overlay_spec(const std::string& text) {
    const auto colon = text.find(':');
    const std::string name = text.substr(0, colon);
    ParamOverrides settings;
    for (const std::string& item : spec_items(text)) {
        const auto [key, value] = parse_assignment(item, "--overlay " + name);
        settings[key] = value;
    }
    ui::validate_overlays({{name, settings}});
    return {name, settings};
}

namespace {

const std::string& standard_input(const SceneOptions& options) {
    if (!options.stdin_text) throw std::invalid_argument("standard input is not available here");
    return *options.stdin_text;
}

}  // namespace

bool SceneOptions::given() const {
    return scene_path || surface || expr || !params.empty() || data || columns || decimal || !runs.empty() || start || steps ||
           dataset || model || plane || !snapshots.empty() ||
           step || preset || !overlays.empty() || gradient_field || glyphs_of || glyph_trail || layout || camera ||
           linear_height || no_mesh_contours || !trajectories.empty();
}

bool SceneOptions::reads_stdin() const {
    int readers = (scene_path == "-") + (data == "-");
    for (const std::string& t : trajectories) readers += t == "-";
    if (readers > 1) throw std::invalid_argument("standard input (-) can be read by one option only");
    return readers == 1;
}

namespace {

// --surface model: the model scene's defaults (core/models/model_presets.h) with the data set,
// network and plane the options name.
void apply_model_options(const SceneOptions& options, Scene& scene) {
    const Scene base = models::model_scene();
    scene.runs = base.runs;
    scene.steps = base.steps;
    if (options.dataset) scene.model.dataset = *options.dataset;
    if (options.model) scene.model.model = *options.model;
    if (options.plane) scene.model.plane = *options.plane;
    models::validate_model_choice(scene.model);
}

// --snapshots FILE...: the logged runs on the model surface, one run a file (its "# label:" or its
// file name), with the data set and network the first file names (or --dataset, --model).
void apply_snapshot_options(const SceneOptions& options, Scene& scene) {
    if (!options.runs.empty() || options.surface || options.expr)
        throw std::invalid_argument("--snapshots cannot be combined with --run, --surface or --expr");
    scene.surface = std::string(models::kModelSurface);
    scene.view_is_default = true;
    scene.model = models::ModelChoice{};
    scene.model.snapshots = options.snapshots;
    scene.runs.clear();
    long rows = 1;
    for (const std::string& path : options.snapshots) {
        const models::SnapshotLog log = models::load_snapshot_log(path);
        if (scene.runs.empty()) {
            scene.model.dataset = log.meta.count("dataset") ? log.meta.at("dataset") : "";
            if (log.meta.count("model")) scene.model.model = log.meta.at("model");
        }
        RunSpec run;
        run.label = log.meta.count("label") ? log.meta.at("label") : std::filesystem::path(path).stem().string();
        scene.runs.push_back(run);
        rows = std::max(rows, static_cast<long>(log.rows()));
    }
    assign_default_colors(scene.runs);
    scene.steps = rows - 1;  // a row per snapshot
    if (options.dataset) scene.model.dataset = *options.dataset;
    if (options.model) scene.model.model = *options.model;
    models::validate_model_choice(scene.model);
}

// The scene the options start from: a preset, a scene file, or the default scene with the surface,
// data and runs the options name.
Scene base_scene(const SceneOptions& options, std::vector<std::string>* warnings) {
    Scene scene = default_scene();
    if (options.preset) {
        if (options.scene_path || options.surface || options.expr || !options.params.empty() || options.data ||
            !options.runs.empty())
            throw std::invalid_argument("--preset cannot be combined with --scene, --surface, --expr, --param, --data or --run");
        scene = make_preset(*options.preset);
    } else if (options.scene_path) {
        if (options.surface || options.expr || !options.params.empty() || options.data || !options.runs.empty())
            throw std::invalid_argument("--scene cannot be combined with --surface, --expr, --param, --data or --run");
        if (*options.scene_path == "-") {
            scene = scene_from_json(standard_input(options), "standard input", {"", warnings});
        } else {
            const std::string text = read_regular_file(*options.scene_path, "scene file", limits::kMaxSceneFileBytes);
            scene = scene_from_json(text, printable(*options.scene_path, 200), {folder_of(*options.scene_path), warnings});
        }
    } else {
        if (options.surface && options.expr) throw std::invalid_argument("give --surface or --expr, not both");
        if (options.surface) {
            scene.surface = std::string(find_surface(*options.surface).name);
            scene.view_is_default = true;
        }
        if (options.expr) {
            scene.surface = "expr";
            scene.expression = *options.expr;
            scene.view_is_default = true;
        }
        for (const auto& text : options.params) {
            const auto [key, value] = parse_assignment(text, "--param");
            scene.surface_params[key] = value;
        }
        if (options.data && *options.data == "-") {
            // Standard input can be read once: its rows travel inline in the scene.
            const Dataset rows = parse_dataset_csv(standard_input(options), "standard input",
                                                   options.columns ? parse_columns(*options.columns) : CsvColumns{},
                                                   options.decimal ? parse_decimal_mark(*options.decimal) : '.');
            scene.data.kind = DatasetChoice::Kind::Inline;
            scene.data.rows_x = rows.x;
            scene.data.rows_y = rows.y;
        } else if (options.data) {
            scene.data.kind = DatasetChoice::Kind::File;
            scene.data.path = *options.data;
            if (options.columns) scene.data.columns = parse_columns(*options.columns);
            if (options.decimal) scene.data.decimal = parse_decimal_mark(*options.decimal);
        } else if (options.columns) {
            throw std::invalid_argument("--columns needs --data");
        } else if (options.decimal) {
            throw std::invalid_argument("--decimal needs --data");
        }
        if (!options.snapshots.empty()) apply_snapshot_options(options, scene);
        else if (scene.surface == models::kModelSurface) apply_model_options(options, scene);
        else if (options.dataset || options.model || options.plane)
            throw std::invalid_argument("--dataset, --model and --plane go with --surface model");
        if (!options.runs.empty()) {
            scene.runs.clear();
            // A run's cloud= and spread= go to Scene::retired, adopted below like an older file's.
            for (const auto& text : options.runs) scene.runs.push_back(parse_run_spec(text, scene.runs.size(), &scene.retired));
            assign_default_colors(scene.runs);
        }
    }
    ui::adopt_retired_keys(scene);  // an older file's, a preset's or the --run specs' module settings
    return scene;
}

// The options that adjust any scene: start, steps, playback step, overlays, glyphs, the 3-D view.
void adjust_scene(const SceneOptions& options, Scene& scene) {
    if (options.data && !find_surface(scene.surface).needs_data)
        throw std::invalid_argument("surface '" + scene.surface + "' takes no data file (only mse and logistic do)");
    if (options.start) {
        const auto comma = options.start->find(',');
        if (comma == std::string::npos) throw std::invalid_argument("--start: expected X,Y, got '" + *options.start + "'");
        scene.start = {parse_real(options.start->substr(0, comma), "--start x"),
                       parse_real(options.start->substr(comma + 1), "--start y")};
    }
    if (options.steps) scene.steps = parse_whole_at_most(*options.steps, "--steps", limits::kMaxSteps);
    if (options.step) scene.step = parse_whole_at_most(*options.step, "--step", limits::kMaxSteps);
    for (const std::string& spec : options.trajectories) {
        std::vector<RunSpec> runs = app::imported_runs(spec, options.stdin_text, scene.runs.size());
        scene.runs.insert(scene.runs.end(), runs.begin(), runs.end());
    }
    if (options.gradient_field) scene.overlays.try_emplace("gradient-field");
    for (const auto& text : options.overlays) {
        auto [name, settings] = parse_overlay_spec(text);
        scene.overlays[name] = std::move(settings);
    }
    ui::validate_overlays(scene.overlays);  // a scene file may name overlays this build does not have
    if (options.glyphs_of) {
        const auto run = static_cast<int>(parse_whole_between(*options.glyphs_of, "--glyphs-of", 1, limits::kMaxRuns));
        if (run > static_cast<int>(scene.runs.size())) throw std::invalid_argument("--glyphs-of: no run " + std::to_string(run));
        ui::set_step_glyphs(scene, {run - 1, false});
    }
    if (options.layout) scene.layout = parse_layout(*options.layout);
    if (options.linear_height || options.no_mesh_contours) {
        ui::MeshOptions mesh = ui::mesh_options(scene);
        if (options.linear_height) mesh.linear_height = true;
        if (options.no_mesh_contours) mesh.contours = false;
        ui::set_mesh_options(scene, mesh);
    }
    if (options.camera) {
        const std::string& c = *options.camera;
        const auto a = c.find(','), b = a == std::string::npos ? a : c.find(',', a + 1);
        if (a == std::string::npos || b == std::string::npos)
            throw std::invalid_argument("--camera: expected YAW,PITCH,DISTANCE, got '" + c + "'");
        scene.camera.yaw = parse_real(c.substr(0, a), "--camera yaw");
        scene.camera.pitch = parse_real(c.substr(a + 1, b - a - 1), "--camera pitch");
        scene.camera.distance = parse_real(c.substr(b + 1), "--camera distance");
        scene.camera.orbit(0, 0);  // clamps into range
        scene.camera.zoom(1);
    }
    if (options.glyph_trail) {
        const auto glyphs = ui::step_glyphs(scene);
        if (!glyphs) throw std::invalid_argument("--glyph-trail needs --glyphs-of K");
        ui::set_step_glyphs(scene, {glyphs->run, true});
    }
}

}  // namespace

Scene build_scene(const SceneOptions& options, std::vector<std::string>* warnings) {
    Scene scene = base_scene(options, warnings);
    adjust_scene(options, scene);
    validate_scene(scene, ui::overlay_extra_paths(scene));  // the clouds' paths count too
    if (scene.view_is_default) {
        // Open framed on what matters: the start, the minima and where the runs go.
        app::AppState probe(scene);
        probe.finish(/*stop_at_error=*/true);
        // A run that cannot be computed is bad input: said now, not after the other runs finish.
        if (const std::string error = probe.first_run_error(); !error.empty()) throw std::invalid_argument(error);
        scene.view = app::fit_to_runs(probe);
        scene.view_is_default = false;
    }
    return scene;
}

}  // namespace optiviz::cli
