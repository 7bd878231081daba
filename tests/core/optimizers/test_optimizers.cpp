// Properties of the update rules that hold independently of any reference data.
#include "support/catch.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "core/optimizers/fused_ensemble.h"
#include "core/optimizers/fused_rule.h"
#include "core/optimizers/optimizer.h"
#include "core/optimizers/optimizer_rules.h"

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
// memo (core/optimizers/adam_family.cpp). Preparing for 1, 2, …, 2000 steps in turn puts keys that differ only
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

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Three particles through `steps` steps of a gradient that changes sign (so that momentum, sign
// logic and AMSGrad's maximum all act), with a per-particle lr from step 5 on: the points and every
// state array, in order.
std::vector<double> run_three(const Optimizer& o, long steps) {
    std::vector<double> x{0.5, -1.0, 2.0}, y{1.0, 0.25, -3.0}, gx(3), gy(3), lr{0.01, 0.02, 0.005};
    const auto arrays = static_cast<std::size_t>(o.state_arrays());
    std::vector<double> state(2 * 3 * arrays, 0.0);
    std::vector<double*> sx, sy;
    for (std::size_t k = 0; k < arrays; ++k) {
        sx.push_back(state.data() + 6 * k);
        sy.push_back(state.data() + 6 * k + 3);
    }
    for (long t = 1; t <= steps; ++t) {
        for (std::size_t i = 0; i < 3; ++i) {
            gx[i] = 2.0 * x[i] + std::sin(3.0 * static_cast<double>(t));
            gy[i] = y[i] * y[i] * y[i] - 0.5;
        }
        ParticleSpan span{3, x.data(), y.data(), gx.data(), gy.data(), sx.data(), sy.data()};
        if (t >= 5) span.lr = lr.data();
        o.step({t, 0.01}, span);
    }
    std::vector<double> all = x;
    all.insert(all.end(), y.begin(), y.end());
    all.insert(all.end(), state.begin(), state.end());
    return all;
}

template <class Rule>
void check_rule_alone(std::string_view name, const ParamOverrides& overrides) {
    INFO(name);
    const OptimizerInfo& info = find_optimizer(name);
    const ParamValues values(info.name, info.params, overrides);
    const auto registered = info.make(values);
    const auto alone = rules::make_rule_optimizer<Rule>(values);
    registered->prepare(40);
    alone->prepare(40);
    CHECK(alone->state_names() == registered->state_names());
    CHECK(alone->weight_decay() == registered->weight_decay());
    CHECK(fused::has_fused_rule(alone->fused_rule()) == fused::has_fused_rule(registered->fused_rule()));
    const std::vector<double> a = run_three(*registered, 40), b = run_three(*alone, 40);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("value " << i << ": " << a[i] << " against " << b[i]);
        CHECK(same_bits(a[i], b[i]));
    }
}

}  // namespace

// What a new optimizer needs: its rule and a registry row whose make is make_rule_optimizer. Each
// registry optimizer, rebuilt that way (no teaching code), steps bit for bit as the registry's own.
TEST_CASE("a rule and a registry row make an optimizer that steps as the registry's own", "[optimizers]") {
    check_rule_alone<rules::SgdRule>("sgd", {{"momentum", 0.9}, {"nesterov", 1}});
    check_rule_alone<rules::SgdRule>("sgd", {{"momentum", 0.5}, {"dampening", 0.2}, {"weight_decay", 0.1}});
    check_rule_alone<rules::AdagradRule>("adagrad", {{"lr_decay", 0.1}, {"initial_accumulator_value", 0.2}});
    check_rule_alone<rules::RmspropRule>("rmsprop", {{"centered", 1}});
    check_rule_alone<rules::RmspropRule>("rmsprop", {{"momentum", 0.9}});
    check_rule_alone<rules::AdadeltaRule>("adadelta", {{"rho", 0.8}});
    check_rule_alone<rules::AdamRule>("adam", {{"amsgrad", 1}, {"beta1", 0.8}});
    check_rule_alone<rules::AdamaxRule>("adamax", {});
    check_rule_alone<rules::NadamRule>("nadam", {{"momentum_decay", 0.01}});
    check_rule_alone<rules::RadamRule>("radam", {});
    check_rule_alone<rules::RpropRule>("rprop", {{"eta_plus", 1.5}});
}

// The fused kernel receives each hyperparameter by name: a value read into the wrong field would
// show here (and in the goldens), not as a silently shifted constant.
TEST_CASE("the fused rule carries the optimizer's named hyperparameters", "[optimizers][fused]") {
    const auto adadelta = make_optimizer("adadelta", {{"rho", 0.7}, {"eps", 1e-4}, {"weight_decay", 0.2}});
    const FusedRule delta = adadelta->fused_rule();
    const auto& a = std::get<rules::AdadeltaRule::Params>(delta.params);
    CHECK(a.rho == 0.7);
    CHECK(a.eps == 1e-4);
    const auto adamw = make_optimizer("adamw", {{"beta1", 0.8}, {"beta2", 0.95}, {"eps", 1e-6}, {"weight_decay", 0.3}, {"amsgrad", 1}});
    const FusedRule rule = adamw->fused_rule();
    const auto& w = std::get<rules::AdamRule::Params>(rule.params);
    CHECK(w.beta1 == 0.8);
    CHECK(w.beta2 == 0.95);
    CHECK(w.eps == 1e-6);
    CHECK(w.decoupled_weight_decay == 0.3);
    CHECK(rule.flag);
    const FusedRule adam = make_optimizer("adam", {{"weight_decay", 0.3}})->fused_rule();
    CHECK(std::get<rules::AdamRule::Params>(adam.params).decoupled_weight_decay == 0.0);
    const FusedRule sgd = make_optimizer("sgd", {{"momentum", 0.6}, {"dampening", 0.1}})->fused_rule();
    const auto& s = std::get<rules::SgdRule::Params>(sgd.params);
    CHECK(s.momentum == 0.6);
    CHECK(s.dampening == 0.1);
    CHECK_FALSE(fused::has_fused_rule(make_optimizer("rprop", {})->fused_rule()));
    CHECK_FALSE(fused::has_fused_rule(make_optimizer("lbfgs", {})->fused_rule()));
}
