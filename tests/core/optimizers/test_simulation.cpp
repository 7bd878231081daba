#include "support/catch.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/surfaces/mse_surface.h"
#include "core/optimizers/optimizer.h"
#include "core/analysis/step_explanation.h"
#include "core/optimizers/simulation.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

namespace {

bool all_finite(const Trajectory& t) {
    for (std::size_t k = 0; k < t.size(); ++k)
        if (!std::isfinite(t.x[k]) || !std::isfinite(t.y[k]) || !std::isfinite(t.loss[k])) return false;
    return true;
}

}  // namespace

TEST_CASE("a trajectory has steps+1 rows starting at the start point", "[simulation]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.optimizer = "adam";
    c.hyper = {{"lr", 0.05}};
    c.steps = 1000;
    const Trajectory t = run_trajectory(*s, c, {-1.5, 2.0});
    REQUIRE(t.size() == 1001);
    CHECK(t.x[0] == -1.5);
    CHECK(t.y[0] == 2.0);
    CHECK(t.loss[0] == s->value(-1.5, 2.0));
    CHECK(t.loss.back() < t.loss.front() / 1000);
    CHECK(t.outcome == Outcome::MaxSteps);
}

TEST_CASE("divergence is an outcome: rows stop at the last finite point", "[simulation]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.hyper = {{"lr", 10.0}};
    c.steps = 100;
    const Trajectory t = run_trajectory(*s, c, {-1.5, 2.0});
    CHECK(t.outcome == Outcome::Diverged);
    CHECK(t.diverged_step == static_cast<long>(t.size()));
    CHECK(t.size() < 101);
    CHECK(all_finite(t));
}

TEST_CASE("gradient descent on ½λx² converges exactly for 0 < lr < 2/λ", "[simulation]") {
    const double lambda = 4.0;  // quadratic a = λ, b = λ
    const auto s = make_surface("quadratic", {{"a", lambda}, {"b", lambda}});
    for (double lr : {0.05, 0.3, 0.49}) {
        RunConfig c;
        c.hyper = {{"lr", lr}};
        c.steps = 2000;
        c.stop.grad_tol = 1e-10;
        const Trajectory t = run_trajectory(*s, c, {1.0, -1.0});
        INFO("lr " << lr);
        CHECK(t.outcome == Outcome::Converged);
    }
    for (double lr : {0.51, 0.8}) {
        RunConfig c;
        c.hyper = {{"lr", lr}};
        c.steps = 2000;
        const Trajectory t = run_trajectory(*s, c, {1.0, -1.0});
        INFO("lr " << lr);
        CHECK(t.outcome == Outcome::Diverged);
        CHECK(all_finite(t));
    }
}

TEST_CASE("stop_at_convergence ends the rows at the converged step", "[simulation]") {
    const auto s = make_surface("quadratic", {{"a", 1.0}, {"b", 1.0}});
    RunConfig c;
    c.hyper = {{"lr", 0.5}};
    c.steps = 1000;
    c.stop.grad_tol = 1e-6;
    c.stop.stop_at_convergence = true;
    const Trajectory t = run_trajectory(*s, c, {1.0, 1.0});
    CHECK(t.outcome == Outcome::Converged);
    CHECK(static_cast<long>(t.size()) == t.converged_step + 1);
    CHECK(std::hypot(t.gx.back(), t.gy.back()) <= 1e-6);
    c.stop.stop_at_convergence = false;
    CHECK(run_trajectory(*s, c, {1.0, 1.0}).size() == 1001);
}

TEST_CASE("an ensemble is many independent trajectories, on any number of threads", "[simulation]") {
    const auto s = make_surface("himmelblau", {});
    RunConfig c;
    c.optimizer = "adam";
    c.hyper = {{"lr", 0.1}, {"amsgrad", 1}};
    c.steps = 200;
    std::vector<double> xs, ys;
    for (int i = 0; i < 1000; ++i) {
        xs.push_back(-5.0 + 0.01 * i);
        ys.push_back(4.0 - 0.008 * i);
    }
    const EnsembleResult one = run_ensemble(*s, c, xs, ys, {1});
    const EnsembleResult two = run_ensemble(*s, c, xs, ys, {2});
    CHECK(one.x == two.x);
    CHECK(one.y == two.y);
    for (int i : {0, 257, 999}) {
        const Trajectory t = run_trajectory(*s, c, {xs[static_cast<std::size_t>(i)], ys[static_cast<std::size_t>(i)]});
        CHECK(one.x[static_cast<std::size_t>(i)] == t.x.back());  // bit for bit: one code path
        CHECK(one.loss[static_cast<std::size_t>(i)] == t.loss.back());
    }
}

TEST_CASE("diverged particles in an ensemble freeze and do not disturb the others", "[simulation]") {
    const auto s = make_surface("quadratic", {{"a", 1.0}, {"b", 1.0}});
    RunConfig c;
    c.hyper = {{"lr", 1.5}};  // |1 − lr| < 1: converges slowly from small starts... for a=1
    c.steps = 50;
    const std::vector<double> xs = {1.0, 1e7, std::numeric_limits<double>::quiet_NaN()};
    const std::vector<double> ys = {1.0, 1.0, 0.0};
    const EnsembleResult r = run_ensemble(*s, c, xs, ys);
    CHECK(r.outcome[2] == Outcome::Diverged);
    CHECK(r.last_step[2] == -1);
    CHECK(std::isfinite(r.x[0]));
    CHECK(std::isfinite(r.x[1]));
}

TEST_CASE("cancelling an ensemble throws instead of returning a partial result", "[simulation]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.steps = 10;
    std::atomic<bool> cancel{true};
    std::vector<double> xs(5000, 0.0), ys(5000, 0.0);
    EnsembleOptions options;
    options.cancel = &cancel;
    CHECK_THROWS_WITH(run_ensemble(*s, c, xs, ys, options), "cancelled");
}

TEST_CASE("mini-batch runs are reproducible by seed and noisier than full batch", "[simulation][minibatch]") {
    auto data = std::make_shared<const Dataset>(make_synthetic_dataset({}));
    const MseSurface s(data);
    RunConfig c;
    c.hyper = {{"lr", 0.05}};
    c.steps = 100;
    c.batch_size = 4;
    c.seed = 3;
    const Trajectory a = run_trajectory(s, c, {0.0, 0.0});
    const Trajectory b = run_trajectory(s, c, {0.0, 0.0});
    CHECK(a.x == b.x);
    c.seed = 4;
    CHECK(run_trajectory(s, c, {0.0, 0.0}).x != a.x);
    c.batch_size = 0;
    const Trajectory full = run_trajectory(s, c, {0.0, 0.0});
    CHECK(full.x != a.x);
    // Full-batch gradient descent on MSE decreases the loss monotonically at this lr.
    for (std::size_t k = 1; k < full.size(); ++k) CHECK(full.loss[k] <= full.loss[k - 1]);
    // A batch as large as the dataset is full batch.
    c.batch_size = data->size();
    const Trajectory whole = run_trajectory(s, c, {0.0, 0.0});
    CHECK(whole.x.back() == Approx(full.x.back()).epsilon(1e-12));
}

TEST_CASE("run validation names the problem", "[simulation]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.steps = -1;
    CHECK_THROWS_WITH(validate_run(*s, c), Catch::Contains("steps must be >= 0"));
    c.steps = 1;
    c.batch_size = 8;
    CHECK_THROWS_WITH(validate_run(*s, c), Catch::Contains("has no data"));
    c.batch_size = 0;
    c.hyper = {{"nesterov", 1}};
    CHECK_THROWS_WITH(validate_run(*s, c), Catch::Contains("nesterov needs momentum"));
}

TEST_CASE("recorded optimizer state explains every step", "[simulation][teaching]") {
    const auto s = make_surface("rosenbrock", {});
    // SGD with momentum: buffer_1 = g_0, buffer_{k+1} = μ·buffer_k + g_k, and the step is −lr·buffer.
    RunConfig sgd;
    sgd.hyper = {{"lr", 1e-3}, {"momentum", 0.9}};
    sgd.steps = 50;
    sgd.record_state = true;
    const Trajectory t = run_trajectory(*s, sgd, {-1.5, 2.0});
    REQUIRE(t.state_names == std::vector<std::string_view>{"momentum_buffer"});
    REQUIRE(t.rate_x.size() == 50);
    double buffer = 0;
    for (std::size_t k = 0; k < 50; ++k) {
        buffer = k == 0 ? t.gx[0] : 0.9 * buffer + t.gx[k];
        CHECK(t.state_at(k, 0, 0) == Approx(buffer).epsilon(1e-12));
        CHECK(t.x[k + 1] - t.x[k] == Approx(-t.rate_x[k] * t.state_at(k, 0, 0)).epsilon(1e-9));
    }
    // Adam: the step is −(effective rate) × first moment, coordinate by coordinate.
    RunConfig adam;
    adam.optimizer = "adam";
    adam.hyper = {{"lr", 0.05}};
    adam.steps = 50;
    adam.record_state = true;
    const Trajectory a = run_trajectory(*s, adam, {-1.5, 2.0});
    REQUIRE(a.state_names.size() == 2);
    for (std::size_t k = 0; k < 50; ++k) {
        CHECK(a.x[k + 1] - a.x[k] == Approx(-a.rate_x[k] * a.state_at(k, 0, 0)).epsilon(1e-9));
        CHECK(a.y[k + 1] - a.y[k] == Approx(-a.rate_y[k] * a.state_at(k, 0, 1)).epsilon(1e-9));
    }
    // Every optimizer records one state row, two rates and a learning rate per step.
    for (const auto& info : optimizer_registry()) {
        RunConfig c;
        c.optimizer = std::string(info.name);
        c.steps = 20;
        c.record_state = true;
        const Trajectory r = run_trajectory(*s, c, {-1.0, 1.0});
        INFO(info.name);
        CHECK(r.rate_x.size() == r.size() - 1);
        CHECK(r.state.size() == (r.size() - 1) * 2 * r.state_names.size());
        CHECK(r.lr.size() == r.size() - 1);
        for (double rate : r.rate_x) CHECK(std::isfinite(rate));
    }
}

namespace {

// Every optimizer, and every switch that changes which state the step reads.
std::vector<std::pair<std::string, ParamOverrides>> every_optimizer_variant() {
    std::vector<std::pair<std::string, ParamOverrides>> variants;
    for (const auto& info : optimizer_registry()) variants.push_back({std::string(info.name), {}});
    variants.push_back({"sgd", {{"momentum", 0.9}}});
    variants.push_back({"sgd", {{"momentum", 0.8}, {"dampening", 0.3}}});
    variants.push_back({"sgd", {{"momentum", 0.9}, {"nesterov", 1}}});
    variants.push_back({"adagrad", {{"lr_decay", 0.1}, {"initial_accumulator_value", 0.5}}});
    variants.push_back({"rmsprop", {{"centered", 1}}});
    variants.push_back({"rmsprop", {{"momentum", 0.5}}});
    variants.push_back({"rmsprop", {{"momentum", 0.5}, {"centered", 1}}});
    variants.push_back({"adam", {{"amsgrad", 1}}});
    variants.push_back({"adamw", {{"amsgrad", 1}, {"weight_decay", 0.1}}});
    return variants;
}

}  // namespace

TEST_CASE("every optimizer's recorded state and effective rate reproduce its actual step", "[simulation][teaching]") {
    const auto s = make_surface("rosenbrock", {});
    for (const auto& [name, hyper] : every_optimizer_variant()) {
        RunConfig c;
        c.optimizer = name;
        c.hyper = hyper;
        if (name == "sgd") c.hyper["lr"] = 5e-4;  // 0.01 leaves Rosenbrock's valley
        c.steps = 40;
        c.record_state = true;
        const Trajectory t = run_trajectory(*s, c, {-1.2, 1.5});
        const auto optimizer = make_optimizer(name, c.hyper);
        optimizer->prepare(c.steps);
        const std::size_t arrays = t.state_names.size();
        INFO(name << " " << t.state_names.size() << " state arrays");
        REQUIRE(t.size() == 41);
        REQUIRE(t.rate_x.size() == 40);
        for (std::size_t k = 0; k + 1 < t.size(); ++k) {
            const StepInfo info{static_cast<long>(k) + 1, t.lr[k]};
            for (int c_ = 0; c_ < 2; ++c_) {
                const double* state = t.state.data() + k * 2 * arrays + static_cast<std::size_t>(c_) * arrays;
                const double theta = c_ == 0 ? t.x[k] : t.y[k], next = c_ == 0 ? t.x[k + 1] : t.y[k + 1];
                double g = c_ == 0 ? t.gx[k] : t.gy[k];
                if (optimizer->weight_decay() != 0 && !optimizer->decoupled_weight_decay()) g += optimizer->weight_decay() * theta;
                const double rate = c_ == 0 ? t.rate_x[k] : t.rate_y[k];
                double predicted = -rate * optimizer->step_direction(info, g, state);
                if (optimizer->decoupled_weight_decay()) predicted += theta * (1.0 - t.lr[k] * optimizer->weight_decay()) - theta;
                // θ' − θ loses the low bits of θ: allow rounding of θ, not of the step.
                CHECK(std::abs((next - theta) - predicted) <= 1e-13 * std::max(1.0, std::abs(theta)) + 1e-12 * std::abs(predicted));
            }
        }
        // The declared direction is one of the state arrays, and the trajectory carries it.
        CHECK(t.direction_state == optimizer->direction_state());
        CHECK(t.direction_state < static_cast<int>(arrays));
        // The equations name the rule and carry the step's own numbers.
        const StepExplanation e = explain_step(c, t, 5);
        CHECK(e.rule.find("torch.optim.") == 0);
        CHECK(e.lines.size() >= 4);
    }
}

TEST_CASE("the direction glyph reads the declared state, oriented like a gradient", "[simulation][teaching]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.optimizer = "rmsprop";
    c.hyper = {{"momentum", 0.5}, {"centered", 1}};
    c.steps = 3;
    c.record_state = true;
    const Trajectory t = run_trajectory(*s, c, {-1.2, 1.5});
    REQUIRE(t.direction_state == 2);
    CHECK(t.state_names[2] == "momentum_buffer");
    CHECK(t.direction_at(1, 1) == t.state_at(1, 2, 1));
    CHECK(t.direction_label() == "-momentum_buffer");
    c.hyper = {};
    CHECK_FALSE(run_trajectory(*s, c, {-1.2, 1.5}).has_direction());  // plain RMSprop moves along g
}

TEST_CASE("the step equations carry the step's own numbers", "[simulation][teaching]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.optimizer = "adam";
    c.hyper = {{"lr", 0.05}};
    c.steps = 30;
    c.record_state = true;
    const Trajectory t = run_trajectory(*s, c, {-1.5, 2.0});
    char expected[64];
    for (std::size_t k : {0u, 7u, 29u}) {
        const StepExplanation e = explain_step(c, t, k);
        CHECK(e.rule.find("torch.optim.Adam") == 0);
        std::string all;
        for (const auto& line : e.lines) all += line + "\n";
        std::snprintf(expected, sizeof expected, "θ' = (%.6g, %.6g)", t.x[k + 1], t.y[k + 1]);  // trace's row k+1
        CHECK(all.find(expected) != std::string::npos);
        std::snprintf(expected, sizeof expected, "= (%.6g, %.6g)", t.state_at(k, 0, 0), t.state_at(k, 0, 1));  // m
        CHECK(all.find(expected) != std::string::npos);
        std::snprintf(expected, sizeof expected, "t = %zu,", k + 1);
        CHECK(all.find(expected) == 0);
    }
    CHECK_THROWS(explain_step(c, t, 30));  // no step after the last row
    RunConfig plain = c;
    plain.record_state = false;
    CHECK_THROWS_WITH(explain_step(plain, run_trajectory(*s, plain, {-1.5, 2.0}), 0), Catch::Contains("without the optimizer's state"));
    // SGD with momentum mentions the course form.
    RunConfig sgd;
    sgd.hyper = {{"lr", 1e-3}, {"momentum", 0.9}};
    sgd.steps = 5;
    sgd.record_state = true;
    const StepExplanation m = explain_step(sgd, run_trajectory(*s, sgd, {-1.5, 2.0}), 2);
    REQUIRE_FALSE(m.notes.empty());
    CHECK(m.notes[0].find("course form") != std::string::npos);
}

TEST_CASE("the loss-change rule stops a run after loss_patience flat steps and says so", "[simulation]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.optimizer = "adam";
    c.hyper = {{"lr", 0.01}};
    c.steps = 5000;
    c.stop.grad_tol = 0;
    c.stop.loss_tol = 1e-6;
    c.stop.loss_patience = 3;
    const Trajectory t = run_trajectory(*s, c, {-1.0, 1.0});
    REQUIRE(t.stop_reason == StopReason::LossChange);
    REQUIRE(t.stopped_step > 3);
    CHECK(static_cast<long>(t.size()) == t.stopped_step + 1);
    const std::size_t k = t.size() - 1;
    for (std::size_t j = k - 2; j <= k; ++j) CHECK(std::abs(t.loss[j] - t.loss[j - 1]) < 1e-6);
    // Not earlier: before the stop there is no run of three flat steps.
    int flat = 0;
    for (std::size_t j = 1; j < k; ++j) {
        flat = std::abs(t.loss[j] - t.loss[j - 1]) < 1e-6 ? flat + 1 : 0;
        CHECK(flat < 3);
    }
    CHECK(describe_stop(t, c.stop) == "stopped at step " + std::to_string(t.stopped_step) + " (loss change < 1e-6 for 3 steps)");
    // An ensemble stops each particle by the same rule.
    const double sx[2] = {-1.0, 0.5}, sy[2] = {1.0, 0.5};
    const EnsembleResult e = run_ensemble(*s, c, sx, sy, {.threads = 1});
    CHECK(e.last_step[0] == t.stopped_step);
    CHECK(e.stop_reason[0] == StopReason::LossChange);
    CHECK(e.x[0] == t.x.back());
    // The gradient rule only marks the step unless asked to stop.
    RunConfig g = c;
    g.stop = {};
    g.stop.grad_tol = 1e-3;
    const Trajectory marked = run_trajectory(*s, g, {-1.0, 1.0});
    CHECK(marked.stop_reason == StopReason::GradientNorm);
    CHECK(marked.stopped_step == -1);
    CHECK(marked.size() == 5001);
    CHECK(describe_stop(marked, g.stop).rfind("converged at step", 0) == 0);
}

TEST_CASE("the plateau schedule runs per particle and records each step's lr", "[simulation][schedule]") {
    const auto s = make_surface("himmelblau", {});
    RunConfig c;
    c.optimizer = "sgd";
    c.hyper = {{"lr", 0.01}};
    c.steps = 200;
    c.schedule.kind = ScheduleKind::Plateau;
    c.schedule.patience = 2;
    c.schedule.factor = 0.5;
    c.schedule.threshold = 0.5;
    c.schedule.threshold_mode = ThresholdMode::Abs;
    const Trajectory t = run_trajectory(*s, c, {0.0, 0.0});
    REQUIRE(t.lr.size() == 200);
    // Replay the tracker on the recorded losses: it must give the recorded rates.
    PlateauTracker p;
    double lr = 0.01;
    int reductions = 0;
    for (std::size_t k = 0; k < 200; ++k) {
        CHECK(t.lr[k] == lr);
        const double next = p.step(c.schedule, t.loss[k], lr);
        reductions += next != lr;
        lr = next;
    }
    CHECK(reductions >= 2);
    // Two particles of one ensemble reduce on their own losses: each matches its own trajectory.
    const double sx[2] = {0.0, -4.0}, sy[2] = {0.0, 4.0};
    const EnsembleResult e = run_ensemble(*s, c, sx, sy, {.threads = 1});
    const Trajectory other = run_trajectory(*s, c, {-4.0, 4.0});
    CHECK(e.x[0] == t.x.back());
    CHECK(e.x[1] == other.x.back());
    CHECK(e.y[1] == other.y.back());
}

TEST_CASE("L-BFGS runs per particle in ensembles and counts its evaluations", "[simulation][lbfgs]") {
    const auto s = make_surface("rosenbrock", {});
    RunConfig c;
    c.optimizer = "lbfgs";
    c.hyper = {{"line_search", 1}, {"history_size", 5}};
    c.steps = 40;
    const std::vector<Eigen::Vector2d> starts = {{-1.5, 2.0}, {0.5, -0.5}, {2.0, 2.0}};
    std::vector<double> sx, sy;
    std::vector<Trajectory> alone;
    for (const auto& p : starts) {
        sx.push_back(p.x());
        sy.push_back(p.y());
        alone.push_back(run_trajectory(*s, c, p));
    }
    // Each particle of an ensemble keeps its own history and line search: identical to its own run.
    const EnsembleResult e = run_ensemble(*s, c, sx, sy, {.threads = 1});
    for (std::size_t i = 0; i < starts.size(); ++i) {
        CHECK(e.x[i] == alone[i].x.back());
        CHECK(e.y[i] == alone[i].y.back());
    }
    // Strong Wolfe makes at least one extra evaluation per moving step; none without it.
    const Trajectory& t = alone[0];
    REQUIRE(t.evaluations.size() == 40);
    CHECK(t.evaluations[0] >= 2);
    long total = 0;
    for (long k : t.evaluations) total += k;
    CHECK(total > 40);
    CHECK(std::abs(t.x.back() - 1.0) < 1e-4);  // Rosenbrock's minimum, where Adam needs thousands of steps
    RunConfig plain = c;
    plain.hyper = {{"lr", 0.1}};
    for (long k : run_trajectory(*s, plain, {-1.5, 2.0}).evaluations) CHECK(k == 1);
    // It evaluates the full objective itself: no clipping, no mini-batches.
    RunConfig clipped = c;
    clipped.clip_norm = 1.0;
    CHECK_THROWS_WITH(validate_run(*s, clipped), Catch::Contains("no mini-batches or clipping"));
    CHECK(run_trajectory(*s, RunConfig{}, {0, 0}).evaluations.empty());
}
