// Properties of the update rules that hold independently of any reference data.
#include "support/catch.h"

#include <cmath>

#include "core/optimizer.h"

using namespace optiviz;

namespace {

struct OneParticle {
    double x, y, gx, gy;
    std::vector<double> state;
    std::vector<double*> sx, sy;
    OneParticle(const Optimizer& o, double x0, double y0) : x(x0), y(y0), gx(0), gy(0) {
        state.assign(static_cast<std::size_t>(2 * o.state_arrays()), 0.0);
        for (int k = 0; k < o.state_arrays(); ++k) {
            sx.push_back(&state[static_cast<std::size_t>(2 * k)]);
            sy.push_back(&state[static_cast<std::size_t>(2 * k + 1)]);
        }
    }
    void step(const Optimizer& o, long t, double lr, double grad_x, double grad_y) {
        gx = grad_x;
        gy = grad_y;
        o.step({t, lr}, {1, &x, &y, &gx, &gy, sx.data(), sy.data()});
    }
};

}  // namespace

TEST_CASE("plain SGD moves against the gradient by lr times it", "[optimizers]") {
    auto sgd = make_optimizer("sgd", {{"lr", 0.1}});
    sgd->prepare(1);
    OneParticle p(*sgd, 1.0, 2.0);
    p.step(*sgd, 1, 0.1, 3.0, -4.0);
    CHECK(p.x == Approx(1.0 - 0.3));
    CHECK(p.y == Approx(2.0 + 0.4));
}

TEST_CASE("SGD momentum: the first buffer is the raw gradient, dampening applies afterwards", "[optimizers]") {
    auto sgd = make_optimizer("sgd", {{"momentum", 0.9}, {"dampening", 0.5}});
    sgd->prepare(2);
    OneParticle p(*sgd, 0.0, 0.0);
    p.step(*sgd, 1, 1.0, 1.0, 0.0);
    CHECK(p.x == Approx(-1.0));  // buffer = g, not (1 − dampening)·g
    p.step(*sgd, 2, 1.0, 1.0, 0.0);
    CHECK(p.x == Approx(-1.0 - (0.9 + 0.5)));
}

TEST_CASE("Adam's first step has size lr in every coordinate, whatever the gradient's scale", "[optimizers]") {
    auto adam = make_optimizer("adam", {{"eps", 0.0}});
    adam->prepare(1);
    OneParticle p(*adam, 0.0, 0.0);
    p.step(*adam, 1, 0.01, 1e6, -1e-6);
    CHECK(p.x == Approx(-0.01).epsilon(1e-12));
    CHECK(p.y == Approx(0.01).epsilon(1e-12));
}

TEST_CASE("AdamW shrinks the point by lr·wd before the Adam step", "[optimizers]") {
    auto adamw = make_optimizer("adamw", {{"weight_decay", 0.5}, {"eps", 0.0}});
    adamw->prepare(1);
    OneParticle p(*adamw, 2.0, 0.0);
    p.step(*adamw, 1, 0.1, 1.0, 1.0);
    CHECK(p.x == Approx(2.0 * (1 - 0.05) - 0.1));
    CHECK(adamw->decoupled_weight_decay());
    CHECK_FALSE(make_optimizer("adam", {})->decoupled_weight_decay());
}

TEST_CASE("RAdam's first steps are unrectified momentum steps", "[optimizers]") {
    auto radam = make_optimizer("radam", {});
    radam->prepare(1);
    OneParticle p(*radam, 0.0, 0.0);
    p.step(*radam, 1, 0.1, 5.0, 0.0);
    CHECK(p.x == Approx(-0.1 * 5.0));  // m̂ = g on the first step
}

TEST_CASE("optimizer construction errors", "[optimizers]") {
    CHECK_THROWS_WITH(make_optimizer("sgd", {{"nesterov", 1.0}}),
                      "sgd: nesterov needs momentum > 0 and dampening = 0");
    CHECK_THROWS_WITH(make_optimizer("newton", {}), Catch::StartsWith("unknown optimizer 'newton' (known: sgd"));
    auto adam = make_optimizer("adam", {});
    adam->prepare(3);
    OneParticle p(*adam, 0.0, 0.0);
    CHECK_THROWS_AS(p.step(*adam, 4, 0.1, 1.0, 1.0), std::logic_error);
}

TEST_CASE("state arrays follow the switches", "[optimizers]") {
    CHECK(make_optimizer("sgd", {})->state_arrays() == 0);
    CHECK(make_optimizer("sgd", {{"momentum", 0.9}})->state_arrays() == 1);
    CHECK(make_optimizer("adam", {{"amsgrad", 1}})->state_arrays() == 3);
    CHECK(make_optimizer("rmsprop", {{"momentum", 0.9}, {"centered", 1}})->state_arrays() == 3);
    for (const auto& info : optimizer_registry()) {
        auto o = info.make(ParamValues(info.name, info.params, {}));
        CHECK(o->name() == info.name);
        CHECK(o->state_names().size() == static_cast<std::size_t>(o->state_arrays()));
    }
}

TEST_CASE("Adam without bias correction is the course form lr·m/(√v + ε)", "[optimizers]") {
    auto adam = make_optimizer("adam", {{"bias_correction", 0.0}, {"eps", 0.0}});
    adam->prepare(2);
    OneParticle p(*adam, 0.0, 0.0);
    p.step(*adam, 1, 0.01, 2.0, -3.0);
    // m = 0.1·g, v = 0.001·g²: the first step is lr·0.1/√0.001 ≈ 3.16·lr, not lr.
    CHECK(p.x == Approx(-0.01 * 0.1 / std::sqrt(0.001)).epsilon(1e-12));
    CHECK(p.y == Approx(0.01 * 0.1 / std::sqrt(0.001)).epsilon(1e-12));
    CHECK(make_optimizer("adamw", {{"bias_correction", 0.0}})->rule().find("no bias correction") != std::string::npos);
    CHECK(make_optimizer("adam", {})->rule().find("1−β1^t") != std::string::npos);
}

TEST_CASE("Rprop grows the step while the sign holds and skips the step after a flip", "[optimizers]") {
    auto rprop = make_optimizer("rprop", {{"eta_minus", 0.5}, {"eta_plus", 2.0}, {"step_size_max", 0.3}});
    rprop->prepare(4);
    OneParticle p(*rprop, 0.0, 0.0);
    p.step(*rprop, 1, 0.1, 3.0, -1.0);  // step size starts at lr
    CHECK(p.x == Approx(-0.1));
    CHECK(p.y == Approx(0.1));
    p.step(*rprop, 2, 0.1, 5.0, -1.0);  // same signs: 0.2 each
    CHECK(p.x == Approx(-0.3));
    p.step(*rprop, 3, 0.1, 1.0, 1.0);  // x: 0.4 clamped to 0.3; y flips: step halves to 0.1 and is skipped
    CHECK(p.x == Approx(-0.6));
    CHECK(p.y == Approx(0.3));
    p.step(*rprop, 4, 0.1, 1.0, 1.0);  // y: prev was zeroed, so the size stays 0.1
    CHECK(p.y == Approx(0.2));
    CHECK_THROWS_WITH(make_optimizer("rprop", {{"step_size_min", 2.0}, {"step_size_max", 1.0}}),
                      Catch::Contains("step_size_min must be <= step_size_max"));
}

// Adam's bias-correction tables are memoised per thread by (kind, β, steps) in a direct-mapped
// memo (core/adam_family.cpp). Preparing for 1, 2, …, 2000 steps in turn puts keys that differ only
// in their steps into shared slots, and each optimizer must still get the table it was prepared
// for: a shorter one throws at its last step, one of the other kind changes the step.
TEST_CASE("Adam gets the bias corrections it was prepared for, whatever it prepared before", "[optimizers]") {
    const double beta = 0.9, lr = 0.1, g = 3.0;
    for (long steps = 1; steps <= 2000; ++steps) {
        auto adam = make_optimizer("adam", {{"lr", lr}, {"beta1", beta}, {"beta2", beta}, {"eps", 0.0}});
        adam->prepare(steps);
        OneParticle p(*adam, 0.0, 0.0);
        // From zero state, step t moves by lr/(1 − βᵗ) · (1 − β)g / (√((1 − β)g²) / √(1 − βᵗ)).
        REQUIRE_NOTHROW(p.step(*adam, steps, lr, g, g));
        const double bc = 1.0 - std::pow(beta, static_cast<double>(steps));
        REQUIRE(p.x == Approx(-lr / bc * (1.0 - beta) * g / (std::sqrt((1.0 - beta) * g * g) / std::sqrt(bc))).epsilon(1e-12));
    }
}
