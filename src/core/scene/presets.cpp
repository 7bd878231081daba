#include "core/scene/registry_lookup.h"
#include "core/scene/presets.h"

#include <stdexcept>
#include <string>

#include "core/scene/course_presets.h"
#include "core/models/model_presets.h"
#include "core/surfaces/surface_registry.h"

namespace optiviz {

namespace {

Scene base(const char* surface, ParamOverrides params, Eigen::Vector2d start, long steps,
           std::initializer_list<const char*> runs) {
    Scene scene;
    scene.surface = surface;
    scene.surface_params = std::move(params);
    scene.start = start;
    scene.steps = steps;
    for (const char* run : runs) scene.runs.push_back(parse_run_spec(run, scene.runs.size(), &scene.retired));  // clouds: retired keys the app adopts
    assign_default_colors(scene.runs);
    scene.view = make_surface(scene.surface, scene.surface_params)->default_view();
    scene.view_is_default = true;
    return scene;
}

Scene narrow_valley() {
    Scene s = base("quadratic", {{"a", 1.0}, {"b", 40.0}, {"c", 0.0}}, {-1.8, 0.6}, 150,
                   {"sgd:lr=0.045,label=SGD (zig-zags)", "sgd:lr=0.01,momentum=0.9,label=Momentum", "adam:lr=0.1"});
    s.view = {-2.2, 0.6, -1.0, 1.0};
    s.view_is_default = false;
    return s;
}

Scene rosenbrock() { return default_scene(); }

Scene saddle() {
    // One run: every run shares the start, so a second run on the ridge would draw the same path. The
    // noise is the run's cloud of starts jittered by 0.01.
    Scene s = base("saddle", {}, {1.5, 0.0}, 80, {"sgd:lr=0.05,cloud=12,spread=0.01,label=GD on the ridge (cloud: 0.01 off it)"});
    return s;
}

Scene plateau() {
    Scene s = base("ackley", {}, {4.3, 3.9}, 400, {"sgd:lr=0.05", "sgd:lr=0.05,momentum=0.9", "adam:lr=0.05"});
    return s;
}

Scene too_large() {
    return base("quadratic", {{"a", 1.0}, {"b", 10.0}, {"c", 0.0}}, {-1.5, 1.0}, 60,
                {"sgd:lr=0.19,label=lr 0.19 < 2/λ = 0.2", "sgd:lr=0.25,label=lr 0.25 > 2/λ: diverges"});
}

Scene many_minima() {
    return base("rastrigin", {}, {2.3, -1.7}, 300,
                {"sgd:lr=0.002,cloud=16,spread=0.3", "sgd:lr=0.002,momentum=0.9", "adam:lr=0.05"});
}

Scene minibatch_noise() {
    Scene s = base("mse", {}, {-1.0, 3.0}, 400,
                   {"sgd:lr=0.02,label=full batch", "sgd:lr=0.02,batch_size=8,seed=1,label=batch 8",
                    "sgd:lr=0.02,batch_size=1,seed=1,label=batch 1"});
    return s;
}

Scene himmelblau_four() {
    return base("himmelblau", {}, {0.3, -0.4}, 300, {"sgd:lr=0.01,cloud=40,spread=2.5,label=SGD from 41 starts"});
}

constexpr Preset kPresets[] = {
    {"narrow-valley", "Narrow valley",
     "An ill-conditioned bowl (curvatures 1 and 40): plain gradient descent zig-zags across the valley at every step; "
     "momentum swings across it only a few times; Adam heads along it.",
     narrow_valley},
    {"rosenbrock", "Rosenbrock's valley",
     "Rosenbrock's curved valley: reaching the valley floor is easy, following it to the minimum at (1, 1) is hard.",
     rosenbrock},
    {"saddle", "Saddle point",
     "A saddle: started exactly on the ridge, gradient descent stalls at the saddle point; the slightest noise (the "
     "faint cloud) rolls off it.",
     saddle},
    {"plateau", "Plateau",
     "Ackley's outer plateau is a field of shallow dips: SGD bounces between two points of the first dip and Adam "
     "settles in it, next to the start; momentum builds speed and crosses four dips before it settles.",
     plateau},
    {"too-large-lr", "Too large a learning rate",
     "Gradient descent on curvature λ = 10 converges for lr < 2/λ = 0.2 and overshoots more at every step beyond it.",
     too_large},
    {"many-minima", "Many local minima",
     "Rastrigin's many local minima: each run settles in a nearby dip, and where depends on where it starts (the "
     "cloud); none finds the centre.",
     many_minima},
    {"minibatch-noise", "Mini-batch noise",
     "Mini-batches: the smaller the batch, the noisier the path (and the fitted line) around the least-squares answer.",
     minibatch_noise},
    {"himmelblau-four", "Himmelblau's four minima",
     "Himmelblau's four minima: the same optimizer from different starts ends in different minima.", himmelblau_four},
    // The course's presets (issue 14); each claim is checked in tests/core/scene/test_course_presets.cpp.
    {"house-prices", "House prices (the course's recipe)",
     "y = 3x + 2 + noise fitted by y = w·x + b: Adam at the course's lr 0.001 moves about 0.001 per step and is far "
     "from (3, 2) after 300 steps; a tuned lr gets there.",
     course::house_prices},
    {"bias-correction", "Adam's bias correction",
     "The first 20 steps of Adam with and without bias correction: uncorrected, m and v start near 0 and the first "
     "step is lr·(1−β1)/√(1−β2) ≈ 3.2·lr instead of lr.",
     course::bias_correction},
    {"lr-decay", "Learning-rate decay",
     "Noisy mini-batches (batch 4): a fixed lr keeps bouncing around the fit; step, exponential and plateau decay "
     "shrink the steps and settle closer.",
     course::lr_decay},
    {"stopping", "Stopping rules",
     "The same Adam run under three stopping rules: the gradient norm, the loss no longer dropping, and the step "
     "budget. The paths coincide until each rule stops its run; the run that stopped first is drawn on top.",
     course::stopping},
    {"quasi-newton", "Quasi-Newton (L-BFGS)",
     "Rosenbrock's valley: L-BFGS builds a curvature model from past gradients and reaches (1, 1) in a few dozen "
     "steps; Adam is still following the valley after 100.",
     course::quasi_newton},
    // Real models (issue 25); each claim is checked in tests/core/models/test_model_presets.cpp.
    {"digits-adam-vs-momentum", "Digits: Adam against SGD with momentum",
     "A 16-unit tanh network on the handwritten digits: Adam (lr 0.01) and SGD with momentum 0.9 (lr 0.1) both "
     "reach a training loss under 0.05 in 200 steps; plain SGD at the same lr is still above 0.2.",
     models::digits_adam_vs_momentum},
    {"network-lr-too-large", "A learning rate too large for a network",
     "SGD on a 16-unit ReLU network on the digits: lr 1 trains well; lr 3 trains too but ends with three times the "
     "test loss; lr 10 diverges within 15 steps.",
     models::network_lr_too_large},
    {"momentum-real-landscape", "Momentum on a real landscape",
     "SGD at lr 0.1 on the digits: with momentum 0.9 it is lower after 50 steps than without after 200; momentum "
     "0.99 is no faster, and its test loss ends more than twice as high.",
     models::momentum_real_landscape},
};

}  // namespace

std::span<const Preset> preset_registry() { return kPresets; }

const Preset& find_preset(std::string_view name) { return find_by_name<Preset>(kPresets, name, "preset"); }

Scene make_preset(std::string_view name) {
    const Preset& preset = find_preset(name);
    Scene scene = preset.make();
    scene.caption = std::string(preset.caption);
    // A run's colour is its position's, in every preset, the course's ones included.
    assign_default_colors(scene.runs);
    return scene;
}

}  // namespace optiviz
