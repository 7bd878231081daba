// The fused ensemble kernel against the generic path: every analytic surface × every fused
// optimizer and its switches, bit for bit, with particles that diverge, start at NaN or inf,
// converge, or stop at convergence.
#include "support/catch.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/optimizers/fused_ensemble.h"
#include "core/optimizers/lr_schedule.h"
#include "core/optimizers/optimizer.h"
#include "core/optimizers/simulation.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

namespace {

struct Case {
    std::string optimizer;
    ParamOverrides hyper;
    double clip_norm = 0.0;
    ScheduleKind schedule = ScheduleKind::Constant;
};

// Every fused optimizer with each of its switches, weight decay (coupled and decoupled),
// clipping and a schedule.
std::vector<Case> cases() {
    return {
        {"sgd", {{"lr", 1e-3}}},
        {"sgd", {{"lr", 1e-3}, {"momentum", 0.9}}},
        {"sgd", {{"lr", 1e-3}, {"momentum", 0.9}, {"nesterov", 1}}, 1.0},
        {"sgd", {{"lr", 1e-3}, {"momentum", 0.5}, {"dampening", 0.3}, {"weight_decay", 0.1}}},
        {"adagrad", {{"lr", 0.1}}},
        {"adagrad", {{"lr", 0.1}, {"lr_decay", 0.01}, {"initial_accumulator_value", 0.1}, {"weight_decay", 0.05}}, 2.0},
        {"rmsprop", {{"lr", 1e-2}}},
        {"rmsprop", {{"lr", 1e-2}, {"centered", 1}}},
        {"rmsprop", {{"lr", 1e-3}, {"momentum", 0.9}}, 0.5},
        {"rmsprop", {{"lr", 1e-3}, {"centered", 1}, {"momentum", 0.5}, {"weight_decay", 0.1}}},
        {"adadelta", {}},
        {"adadelta", {{"weight_decay", 0.1}}, 1.0},
        {"adam", {{"lr", 0.05}}},
        {"adam", {{"lr", 0.05}, {"amsgrad", 1}}, 1.0},
        {"adam", {{"lr", 0.05}, {"bias_correction", 0}, {"weight_decay", 0.1}}},
        {"adam", {{"lr", 0.05}}, 0.0, ScheduleKind::Cosine},
        {"adamw", {{"lr", 0.05}}},
        {"adamw", {{"lr", 0.05}, {"amsgrad", 1}, {"weight_decay", 0.3}}, 0.0, ScheduleKind::Step},
        {"adamax", {{"lr", 0.05}}},
        {"adamax", {{"lr", 0.05}, {"weight_decay", 0.1}}, 1.0},
        {"nadam", {{"lr", 0.05}}},
        {"nadam", {{"lr", 0.05}, {"weight_decay", 0.1}, {"momentum_decay", 0.01}}},
        {"radam", {{"lr", 0.05}}},
        {"radam", {{"lr", 0.05}, {"weight_decay", 0.1}}, 1.0},
    };
}

// Starts on a grid over the view and beyond it, plus the hard ones: NaN, inf, far out, a minimum
// (converged at row 0), exact zeros.
void starts_for(const LossSurface& s, std::vector<double>& xs, std::vector<double>& ys) {
    const ViewRect v = s.default_view();
    for (int r = 0; r < 19; ++r)
        for (int c = 0; c < 16; ++c) {
            xs.push_back(v.x_min + (v.x_max - v.x_min) * (c - 3) / 10.0);
            ys.push_back(v.y_min + (v.y_max - v.y_min) * (r - 3) / 12.0);
        }
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    xs.insert(xs.end(), {nan, 0.0, inf, 1e7, -0.0, 0.0});
    ys.insert(ys.end(), {0.0, nan, 1.0, -1e7, 0.0, -0.0});
    for (const auto& m : s.minima()) {
        xs.push_back(m.x());
        ys.push_back(m.y());
    }
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// The index of the first particle whose results differ in any bit, or -1.
long first_difference(const EnsembleResult& a, const EnsembleResult& b) {
    if (a.x.size() != b.x.size()) return 0;
    for (std::size_t i = 0; i < a.x.size(); ++i)
        if (!same_bits(a.x[i], b.x[i]) || !same_bits(a.y[i], b.y[i]) || !same_bits(a.loss[i], b.loss[i]) ||
            a.last_step[i] != b.last_step[i] || a.outcome[i] != b.outcome[i] ||
            a.converged_step[i] != b.converged_step[i] || a.stop_reason[i] != b.stop_reason[i])
            return static_cast<long>(i);
    return -1;
}

}  // namespace

TEST_CASE("the fused kernel equals the generic path bit for bit on every surface × optimizer", "[simulation][fused]") {
    long diverged_late = 0, converged = 0, stopped = 0, pairs = 0;
    for (const SurfaceInfo& info : surface_registry()) {
        if (info.needs_data) continue;
        const auto surface = make_surface(info.name, {});
        std::vector<double> xs, ys;
        starts_for(*surface, xs, ys);
        const std::vector<Case> all = cases();
        for (std::size_t index = 0; index < all.size(); ++index) {
            const Case& c = all[index];
            for (const bool stop_at_convergence : {false, true}) {
                RunConfig config;
                config.optimizer = c.optimizer;
                config.hyper = c.hyper;
                config.clip_norm = c.clip_norm;
                config.schedule.kind = c.schedule;
                config.steps = 120;
                config.stop.grad_tol = 1e-3;
                config.stop.stop_at_convergence = stop_at_convergence;
                config.stop.divergence_bound = 1e6;
                INFO(info.name << " × " << c.optimizer << " case " << index << " stop " << stop_at_convergence);
                REQUIRE(ensemble_runs_fused(*surface, config));
                const EnsembleResult fused = run_ensemble(*surface, config, xs, ys, {.threads = 2});
                const EnsembleResult generic = run_ensemble_generic(*surface, config, xs, ys, {.threads = 1});
                const long diff = first_difference(fused, generic);
                INFO("first differing particle " << diff);
                CHECK(diff == -1);
                // The same with one learning rate per particle, from tiny to far too large.
                if (c.schedule == ScheduleKind::Constant) {
                    std::vector<double> lrs(xs.size());
                    for (std::size_t i = 0; i < lrs.size(); ++i) lrs[i] = std::pow(10.0, -4.0 + 5.0 * static_cast<double>(i % 37) / 36.0);
                    EnsembleOptions options{.threads = 1};
                    options.learning_rates = lrs;
                    const EnsembleResult fused_lr = run_ensemble(*surface, config, xs, ys, options);
                    const EnsembleResult generic_lr = run_ensemble_generic(*surface, config, xs, ys, options);
                    const long diff_lr = first_difference(fused_lr, generic_lr);
                    INFO("per-particle lr: first differing particle " << diff_lr);
                    CHECK(diff_lr == -1);
                    for (std::size_t i = 0; i < xs.size(); ++i) {
                        diverged_late += fused_lr.outcome[i] == Outcome::Diverged && fused_lr.last_step[i] > 0;
                        converged += fused_lr.outcome[i] == Outcome::Converged;
                        stopped += fused_lr.outcome[i] == Outcome::Converged && fused_lr.last_step[i] < config.steps;
                    }
                }
                if (!stop_at_convergence) {
                    // A run whose last lean block has one row (rows 1 .. kLeanBlock in one block,
                    // then one row alone), on one thread, so the second chunk reuses the first's memory.
                    RunConfig short_run = config;
                    short_run.steps = fused::kLeanBlock + 2;
                    const EnsembleResult fused_short = run_ensemble(*surface, short_run, xs, ys, {.threads = 1});
                    const EnsembleResult generic_short = run_ensemble_generic(*surface, short_run, xs, ys, {.threads = 1});
                    const long diff_short = first_difference(fused_short, generic_short);
                    INFO(short_run.steps << " steps, one thread: first differing particle " << diff_short);
                    CHECK(diff_short == -1);
                }
                ++pairs;
            }
        }
    }
    CHECK(pairs == 11 * static_cast<long>(cases().size()) * 2);
    // The cases really exercise the careful paths.
    CHECK(diverged_late > 1000);
    CHECK(converged > 1000);
    CHECK(stopped > 1000);
}

TEST_CASE("the fused kernel takes analytic surfaces and leaves the rest to the generic path", "[simulation][fused]") {
    const auto rosenbrock = make_surface("rosenbrock", {});
    RunConfig config;
    config.optimizer = "adam";
    CHECK(ensemble_runs_fused(*rosenbrock, config));
    for (const char* generic_only : {"lbfgs", "rprop"}) {
        config.optimizer = generic_only;
        CHECK_FALSE(ensemble_runs_fused(*rosenbrock, config));
    }
    config.optimizer = "adam";
    config.schedule.kind = ScheduleKind::Plateau;
    CHECK_FALSE(ensemble_runs_fused(*rosenbrock, config));
    config.schedule.kind = ScheduleKind::Constant;
    config.stop.loss_tol = 1e-9;
    CHECK_FALSE(ensemble_runs_fused(*rosenbrock, config));
    config.stop.loss_tol = 0;
    CHECK_FALSE(ensemble_runs_fused(*make_surface("mse", {}), config));
    CHECK_FALSE(ensemble_runs_fused(*make_surface("expr", {}, nullptr, "x^2 + y^2"), config));
}

TEST_CASE("per-particle hyperparameters: each particle equals a run of its own values", "[simulation][fused]") {
    struct Sweep {
        const char* surface;
        const char* optimizer;
        const char* a;
        std::vector<double> a_values;
        const char* b;
        std::vector<double> b_values;
    };
    const std::vector<Sweep> sweeps = {
        {"rosenbrock", "adam", "beta2", {0.9, 0.99, 0.999}, "beta1", {0.0, 0.5, 0.9}},
        {"himmelblau", "sgd", "momentum", {0.0, 0.5, 0.9}, "weight_decay", {0.0, 0.1}},
        {"rosenbrock", "rmsprop", "alpha", {0.9, 0.99}, "momentum", {0.0, 0.9}},
        {"beale", "radam", "beta2", {0.9, 0.999}, "eps", {1e-8, 1e-3}},
        {"booth", "nadam", "momentum_decay", {0.004, 0.1}, "beta1", {0.8, 0.95}},
        {"rosenbrock", "adam", "amsgrad", {0.0, 1.0}, "beta1", {0.5, 0.9}},  // a switch: one batch per setting
        {"mse", "adam", "beta2", {0.9, 0.999}, "beta1", {0.0, 0.9}},         // generic path, one batch per variant
    };
    for (const Sweep& s : sweeps) {
        INFO(s.surface << " " << s.optimizer << " " << s.a << " × " << s.b);
        const auto surface = make_surface(s.surface, {});
        RunConfig config;
        config.optimizer = s.optimizer;
        config.hyper = {{"lr", 0.01}};
        config.steps = 200;
        std::vector<double> xs, ys, as, bs;
        for (double a : s.a_values)
            for (double b : s.b_values)
                for (const auto& start : {Eigen::Vector2d(-1.5, 2.0), Eigen::Vector2d(0.5, -0.5)}) {
                    as.push_back(a);
                    bs.push_back(b);
                    xs.push_back(start.x());
                    ys.push_back(start.y());
                }
        const ParticleParam params[] = {{s.a, as}, {s.b, bs}};
        EnsembleOptions options{.threads = 2};
        options.particle_params = params;
        const EnsembleResult batched = run_ensemble(*surface, config, xs, ys, options);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            RunConfig own = config;
            own.hyper[s.a] = as[i];
            own.hyper[s.b] = bs[i];
            const double sx[1] = {xs[i]}, sy[1] = {ys[i]};
            const EnsembleResult single = run_ensemble_generic(*surface, own, sx, sy, {.threads = 1});
            INFO("particle " << i);
            CHECK(same_bits(batched.x[i], single.x[0]));
            CHECK(same_bits(batched.y[i], single.y[0]));
            CHECK(same_bits(batched.loss[i], single.loss[0]));
            CHECK(batched.outcome[i] == single.outcome[0]);
            CHECK(batched.last_step[i] == single.last_step[0]);
        }
    }
}

TEST_CASE("per-particle hyperparameters are checked like any other value", "[simulation][fused]") {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig config;
    config.optimizer = "adam";
    const std::vector<double> xs{0, 1}, ys{0, 1}, good{0.5, 0.9}, bad{0.5, 1.0}, one{0.5};
    auto run_with = [&](const char* name, const std::vector<double>& values) {
        const ParticleParam params[] = {{name, values}};
        EnsembleOptions options;
        options.particle_params = params;
        return run_ensemble(*surface, config, xs, ys, options);
    };
    CHECK_NOTHROW(run_with("beta1", good));
    CHECK_THROWS_WITH(run_with("beta1", bad), Catch::Contains("beta1"));
    CHECK_THROWS_WITH(run_with("beta1", one), Catch::Contains("one per particle"));
    CHECK_THROWS_WITH(run_with("momentum", good), Catch::Contains("momentum"));
}

TEST_CASE("a lean block that leaves the bound and comes back is run again carefully", "[simulation][fused]") {
    // SGD with lr 0.9 on Rastrigin jumps about: |x| <= 0.8·|x| + 57, so paths cross |x| = 100 and come
    // back within a row. Judged only at a block's end, such an excursion would go unseen.
    const auto surface = make_surface("rastrigin", {});
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.9}};
    config.steps = 200;
    config.stop.grad_tol = 0;
    std::vector<double> xs, ys;
    for (int i = 0; i < 300; ++i) {
        xs.push_back(-5.0 + 10.0 * i / 299.0);
        ys.push_back(4.0 - 8.0 * ((i * 37) % 300) / 299.0);
    }
    // Unbounded, the paths do leave |x| <= 100 and come back the next row.
    long excursions = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        RunConfig free_run = config;
        free_run.stop.divergence_bound = 1e300;
        const Trajectory t = run_trajectory(*surface, free_run, {xs[i], ys[i]});
        for (std::size_t r = 1; r + 1 < t.x.size(); ++r) {
            const bool out = std::abs(t.x[r]) > 100 || std::abs(t.y[r]) > 100;
            const bool back = std::abs(t.x[r + 1]) <= 100 && std::abs(t.y[r + 1]) <= 100;
            excursions += out && back;
        }
    }
    REQUIRE(excursions > 50);
    config.stop.divergence_bound = 100;
    const EnsembleResult fused = run_ensemble(*surface, config, xs, ys, {.threads = 2});
    const EnsembleResult generic = run_ensemble_generic(*surface, config, xs, ys, {.threads = 1});
    CHECK(first_difference(fused, generic) == -1);
    long diverged = 0;
    for (const Outcome o : fused.outcome) diverged += o == Outcome::Diverged;
    CHECK(diverged > 100);
    // One particle per ensemble: a block is run again only for its own particle's events, so an
    // excursion that is back by the block's end must be caught by the block's running maximum.
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double sx[1] = {xs[i]}, sy[1] = {ys[i]};
        const EnsembleResult one = run_ensemble(*surface, config, sx, sy, {.threads = 1});
        INFO("particle " << i);
        CHECK(one.outcome[0] == generic.outcome[i]);
        CHECK(one.last_step[0] == generic.last_step[i]);
        CHECK(same_bits(one.x[0], generic.x[i]));
    }
}

TEST_CASE("beyond a formula's finite box the lean rows hand over to careful ones", "[simulation][fused]") {
    // b = 1e100 shrinks Rosenbrock's finite box to about 1e25, far inside a divergence bound of 1e300:
    // particles that run away pass the box long before the bound, and their losses overflow.
    const auto surface = make_surface("rosenbrock", {{"b", 1e100}});
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 1e-103}};
    config.steps = 300;
    config.stop.divergence_bound = 1e300;
    std::vector<double> xs, ys;
    for (int i = 0; i < 200; ++i) {
        xs.push_back(-2.0 + 4.0 * i / 199.0);
        ys.push_back(10.0 * ((i * 13) % 200 - 100));
    }
    const EnsembleResult fused = run_ensemble(*surface, config, xs, ys, {.threads = 2});
    const EnsembleResult generic = run_ensemble_generic(*surface, config, xs, ys, {.threads = 1});
    CHECK(first_difference(fused, generic) == -1);
    long diverged_late = 0, beyond_box = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        diverged_late += generic.outcome[i] == Outcome::Diverged && generic.last_step[i] > 1;
        beyond_box += std::abs(generic.x[i]) > 1e26 || std::abs(generic.y[i]) > 1e26;
    }
    CHECK(diverged_late > 10);
    CHECK(beyond_box > 10);
}

TEST_CASE("a one-row last block whose end leaves the bound is judged again row by row", "[simulation][fused]") {
    // SGD on the quadratic with lr 3/a doubles |x| each step (x ← x − 3x = −2x). With B = kLeanBlock,
    // every start lies within a factor 2 below 1e6 / 2^(B + 1), so every path crosses the bound at
    // row B + 2 and not before: the block of rows 1 .. B stands, the one-row block of row B + 1 ends
    // beyond the bound and runs again carefully, and every particle must report row B + 1 as its
    // last finite row.
    constexpr long kB = fused::kLeanBlock;
    const auto surface = make_surface("quadratic", {{"a", 1.0}, {"b", 1.0}, {"c", 0.0}});
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 3.0}};
    config.steps = kB + 2;  // rows 1 .. B in a lean block, row B + 1 alone, row B + 2 judged
    config.stop.grad_tol = 0;
    config.stop.divergence_bound = 1e6;
    std::vector<double> xs, ys;
    for (int i = 0; i < 300; ++i) {
        xs.push_back(1e6 / std::pow(2.0, static_cast<double>(kB) + 1.05 + 0.9 * i / 299.0));
        ys.push_back(0.5 * xs.back());
    }
    const EnsembleResult fused = run_ensemble(*surface, config, xs, ys, {.threads = 1});
    const EnsembleResult generic = run_ensemble_generic(*surface, config, xs, ys, {.threads = 1});
    CHECK(first_difference(fused, generic) == -1);
    long at_last_row = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) at_last_row += fused.outcome[i] == Outcome::Diverged && fused.last_step[i] == kB + 1;
    CHECK(at_last_row == static_cast<long>(xs.size()));
}
