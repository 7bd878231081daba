#include "core/models/model_presets.h"

namespace optiviz::models {

namespace {

RunSpec run(const char* optimizer, ParamOverrides hyper) {
    RunSpec spec;
    spec.config.optimizer = optimizer;
    spec.config.hyper = std::move(hyper);
    return spec;
}

Scene digits_scene(const char* network, std::vector<RunSpec> runs, long steps) {
    Scene scene;
    scene.surface = std::string(kModelSurface);
    scene.model.dataset = "digits";
    scene.model.model = network;
    scene.runs = std::move(runs);
    assign_default_colors(scene.runs);
    scene.steps = steps;
    scene.view_is_default = true;
    return scene;
}

}  // namespace

Scene model_scene() {
    return digits_scene("mlp:hidden=16,activation=tanh",
                        {run("sgd", {{"lr", 0.1}}), run("sgd", {{"lr", 0.1}, {"momentum", 0.9}}),
                         run("rmsprop", {{"lr", 0.003}}), run("adam", {{"lr", 0.01}})},
                        200);
}

Scene digits_adam_vs_momentum() {
    return digits_scene("mlp:hidden=16,activation=tanh",
                        {run("adam", {{"lr", 0.01}}), run("sgd", {{"lr", 0.1}, {"momentum", 0.9}}), run("sgd", {{"lr", 0.1}})},
                        200);
}

Scene network_lr_too_large() {
    return digits_scene("mlp:hidden=16,activation=relu",
                        {run("sgd", {{"lr", 1.0}}), run("sgd", {{"lr", 3.0}}), run("sgd", {{"lr", 10.0}})}, 200);
}

Scene momentum_real_landscape() {
    return digits_scene("mlp:hidden=16,activation=tanh",
                        {run("sgd", {{"lr", 0.1}}), run("sgd", {{"lr", 0.1}, {"momentum", 0.9}}),
                         run("sgd", {{"lr", 0.1}, {"momentum", 0.99}})},
                        200);
}

}  // namespace optiviz::models
