#include "support/catch.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/mse_surface.h"
#include "core/optimizer.h"
#include "core/step_explanation.h"
#include "core/simulation.h"
#include "core/surface_registry.h"

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
    // Every optimizer records one state row and two rates per step.
    for (const auto& info : optimizer_registry()) {
        RunConfig c;
        c.optimizer = std::string(info.name);
        c.steps = 20;
        c.record_state = true;
        const Trajectory r = run_trajectory(*s, c, {-1.0, 1.0});
        INFO(info.name);
        CHECK(r.rate_x.size() == r.size() - 1);
        CHECK(r.state.size() == (r.size() - 1) * 2 * r.state_names.size());
        for (double rate : r.rate_x) CHECK(std::isfinite(rate));
    }
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
