// Writes scenes through optiviz's own writer (scene_to_json) for tests/packaging/check_scene_schema.sh,
// which validates them against packaging/optiviz-scene.schema.json:
//
//   optiviz_write_scenes write DIR DATA_DIR   every preset, every surface, and scenes that use every
//                                              part of the format (sweep, tune, imported runs, the model
//                                              surface, overlays, schedules, data kinds, the 3-D camera);
//                                              each is read back first, so only scenes optiviz accepts are written
//   optiviz_write_scenes refused FILE...      exit 0 when optiviz refuses or warns about every file (the
//                                              scenes the schema rejects must not load silently)
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/models/model_choice.h"
#include "core/models/model_presets.h"
#include "core/scene/presets.h"
#include "core/scene/scene.h"
#include "core/surfaces/surface_registry.h"

namespace {

using namespace optiviz;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument(path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Writes the scene as the app saves it, after checking optiviz reads it back without a warning.
void write_scene(const Scene& scene, const std::string& dir, const std::string& name) {
    const std::string text = scene_to_json(scene);
    std::vector<std::string> warnings;
    scene_from_json(text, name, SceneFileContext{"", &warnings});
    if (!warnings.empty()) throw std::invalid_argument(warnings.front());
    std::ofstream out(dir + "/" + name + ".json", std::ios::binary);
    out << text;
    if (!out) throw std::invalid_argument(dir + "/" + name + ".json: cannot be written");
}

// Every analysis setting off its default: the sweep map on, a tune search, overlays, the 3-D view.
Scene analysis_scene() {
    Scene s = default_scene();
    s.sweep.on = true;
    s.sweep.run = 5;  // Adam
    s.sweep.x_param = "lr";
    s.sweep.y_param = "beta1";
    s.sweep.resolution = 4096;
    s.sweep.starts = 1024;
    s.sweep.metric = SweepMetric::Distance;
    s.sweep.aggregate = Aggregate::Worst;
    s.tune.run = 2;
    s.tune.budget_is_scene_steps = false;
    s.tune.budget = 1'000'000;
    s.tune.starts = 1024;
    s.tune.objective = TuneObjective::WorstLoss;
    s.tune.allow_diverged = true;
    s.tune.second = "momentum";
    s.tune.refine = kMaxTuneRefine;
    s.overlays["gradient-field"] = {};
    s.overlays["step-glyphs"] = {{"run", 3}, {"trail", 1}};
    s.overlays["basin-map"] = {{"resolution", 64}, {"starts", 4}};
    s.layout = Scene::Layout::Both;
    s.camera.yaw = 1.2;
    s.camera.target = {0.5, -0.25, 1.0};
    s.overlays["mesh-3d"] = {{"contours", 0}, {"linear_height", 1}};  // the 3-D view's mesh options module
    s.view_is_default = false;
    s.view = {-2, 2, -1, 3};
    s.step = 1'000;
    s.steps = 2'000;
    s.caption = "every analysis setting off its default";
    return s;
}

// One run per schedule and stopping rule, with clipping, mini-batches, a label, and a particle cloud.
Scene schedule_scene() {
    Scene s = default_scene();
    s.surface = "mse";
    s.runs.clear();
    for (const char* text : {"sgd:lr=0.01,schedule=step,gamma=0.5,step_size=100", "adam:lr=0.05,schedule=exp,gamma=0.99",
                             "rmsprop:lr=0.01,schedule=cosine,t_max=500,eta_min=0.001", "sgd:lr=0.1,schedule=plateau",
                             "adam:lr=0.05,clip_norm=1,batch_size=8,label=clipped",
                             "sgd:lr=0.01"})
        s.runs.push_back(parse_run_spec(text, s.runs.size()));
    // The particle cloud is a module's setting (ui/overlays/particle_cloud.cpp), written under its name.
    s.overlays["particle-cloud"] = {{"particles", 1024}, {"spread", 0.5}, {"run", 5}};
    s.runs[0].config.stop = {1e-4, 1e-8, 20, true};
    s.runs[1].visible = false;
    s.runs[2].color = 0xFFFFFF;
    s.runs[4].config.seed = UINT64_MAX;  // scene files take every 64-bit seed
    s.steps = 500;
    s.data.synthetic.rows = 200;
    s.data.synthetic.seed = 7;
    return s;
}

// Runs read from files: inline points with and without a loss, and a label and run name.
Scene imported_scene() {
    Scene s = default_scene();
    s.runs.resize(2);
    auto path = std::make_shared<ImportedPath>();
    path->label = "my run";
    path->run = "3";
    path->x = {-1.5, -1.0, 0.0, 1.0};
    path->y = {2.0, 1.0, 0.5, 1.0};
    path->loss = {100, 10, 1, 0};
    RunSpec own;
    own.imported.path = path;
    own.color = 0x112233;
    s.runs.push_back(own);
    auto bare = std::make_shared<ImportedPath>(*path);
    bare->loss.clear();
    bare->label.clear();
    bare->source = kStandardInputName;
    RunSpec piped;
    piped.imported.path = bare;
    piped.label = "from a pipe";
    s.runs.push_back(piped);
    s.overlays["step-glyphs"] = {{"run", 3}};
    return s;
}

// Data-driven surfaces with each kind of dataset (a file small enough to travel inline).
std::vector<std::pair<std::string, Scene>> data_scenes(const std::string& data_dir) {
    std::vector<std::pair<std::string, Scene>> scenes;
    Scene anscombe = default_scene();
    anscombe.surface = "mse";
    anscombe.runs.resize(1);
    anscombe.data.kind = DatasetChoice::Kind::Anscombe;
    anscombe.data.anscombe = 4;
    anscombe.data.standardize = true;
    scenes.emplace_back("data-anscombe", anscombe);
    Scene file = anscombe;
    file.data = DatasetChoice{};
    file.data.kind = DatasetChoice::Kind::File;
    file.data.path = data_dir + "/linear.csv";
    scenes.emplace_back("data-file", file);
    Scene logistic = anscombe;
    logistic.surface = "logistic";
    logistic.data = DatasetChoice{};
    logistic.data.synthetic.outliers = 3;
    scenes.emplace_back("data-logistic", logistic);
    Scene expr = default_scene();
    expr.surface = "expr";
    expr.expression = "a*x^2 + y^2";
    expr.surface_params = {{"a", 3}};
    scenes.emplace_back("expression", expr);
    return scenes;
}

Scene model_scene_with_choices() {
    Scene s = models::model_scene();
    s.model.plane = "random";
    s.model.plane_seed = 42;
    s.model.test_fraction = 0.9;
    s.model.split_seed = 3;
    return s;
}

int write_all(const std::string& dir, const std::string& data_dir) {
    for (const Preset& preset : preset_registry()) write_scene(make_preset(preset.name), dir, "preset-" + std::string(preset.name));
    for (const SurfaceInfo& surface : surface_registry()) {
        Scene s = default_scene();
        s.surface = std::string(surface.name);
        s.steps = 100;
        write_scene(s, dir, "surface-" + std::string(surface.name));
    }
    write_scene(default_scene(), dir, "default");
    write_scene(analysis_scene(), dir, "analysis");
    write_scene(schedule_scene(), dir, "schedules");
    write_scene(imported_scene(), dir, "imported");
    write_scene(model_scene_with_choices(), dir, "model");
    for (const auto& [name, scene] : data_scenes(data_dir)) write_scene(scene, dir, name);
    return 0;
}

// 0 when every file is refused or warned about; 1 naming the first that loads silently.
int expect_refused(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
        std::vector<std::string> warnings;
        try {
            scene_from_json(read_text(argv[i]), argv[i], SceneFileContext{"", &warnings});
        } catch (const std::invalid_argument&) {
            continue;
        }
        if (warnings.empty()) {
            std::cerr << argv[i] << ": optiviz reads it without a warning, but the schema rejects it\n";
            return 1;
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "write" && argc == 4) return write_all(argv[2], argv[3]);
        if (mode == "refused") return expect_refused(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "optiviz_write_scenes: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: optiviz_write_scenes write DIR DATA_DIR | refused FILE...\n";
    return 2;
}
