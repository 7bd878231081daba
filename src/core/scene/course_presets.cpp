#include "core/scene/course_presets.h"

#include "core/surfaces/surface_registry.h"

namespace optiviz::course {

namespace {

Scene make(const char* surface, Eigen::Vector2d start, long steps, std::initializer_list<const char*> runs) {
    Scene scene;
    scene.surface = surface;
    scene.start = start;
    scene.steps = steps;
    for (const char* run : runs) scene.runs.push_back(parse_run_spec(run, scene.runs.size(), &scene.retired));  // clouds: retired keys the app adopts
    scene.view = make_surface(scene.surface, {})->default_view();
    scene.view_is_default = true;
    return scene;
}

}  // namespace

Scene house_prices() {
    Scene s = make("mse", {0.0, 0.0}, 300,
                   {"adam:lr=0.001,label=Adam lr 0.001 (the course's)", "adam:lr=0.1,label=Adam lr 0.1 (tuned)",
                    "sgd:lr=0.05,label=gradient descent lr 0.05"});
    s.data.kind = DatasetChoice::Kind::Synthetic;
    s.data.synthetic.rows = 100;
    s.data.synthetic.slope = 3.0;
    s.data.synthetic.intercept = 2.0;
    s.data.synthetic.noise = 1.0;
    s.data.synthetic.x_offset = 1.0;  // sizes in [0, 2]
    s.data.synthetic.x_scale = 1.0;
    s.data.synthetic.seed = 42;
    s.view = {-1.0, 5.0, -1.0, 4.0};
    s.view_is_default = false;
    return s;
}

Scene bias_correction() {
    Scene s = make("quadratic", {-1.5, 1.0}, 20,
                   {"adam:lr=0.05,label=Adam (bias-corrected)", "adam:lr=0.05,bias_correction=0,label=Adam without bias correction"});
    s.surface_params = {{"a", 1.0}, {"b", 10.0}, {"c", 0.0}};
    s.view = {-2.0, 0.5, -0.6, 1.4};
    s.view_is_default = false;
    return s;
}

Scene lr_decay() {
    Scene s = make("mse", {-1.0, 3.0}, 400,
                   {"sgd:lr=0.05,batch_size=4,seed=3,label=fixed lr",
                    "sgd:lr=0.05,batch_size=4,seed=3,schedule=step,step_size=100,gamma=0.3,label=step decay",
                    "sgd:lr=0.05,batch_size=4,seed=3,schedule=exp,gamma=0.99,label=exponential decay",
                    "sgd:lr=0.05,batch_size=4,seed=3,schedule=plateau,patience=20,factor=0.5,threshold=0.001,"
                    "label=plateau (adaptive)"});
    return s;
}

Scene stopping() {
    return make("rosenbrock", {-1.5, 2.0}, 3000,
                {"adam:lr=0.02,tol=0.01,stop_at_tol=1,label=stop when |grad| <= 0.01",
                 "adam:lr=0.02,loss_tol=1e-5,loss_patience=5,label=stop when the loss changes < 1e-5 for 5 steps",
                 "adam:lr=0.02,tol=0,label=the step budget (3000)"});
}

Scene quasi_newton() {
    return make("rosenbrock", {-1.5, 2.0}, 100,
                {"lbfgs:line_search=1,label=L-BFGS (strong Wolfe)", "adam:lr=0.05,label=Adam lr 0.05"});
}

}  // namespace optiviz::course
