// The particle cloud's contract: particle k is exactly the serial run from cloud start k with
// mini-batch seed seed + k + 1 (whole paths, outcomes included), and its end equals the batched
// ensemble's result for that particle. A batched implementation of run_cloud must keep all of it.
#include "support/catch.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "core/io/limits.h"
#include "core/analysis/particle_cloud.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

namespace {

void check_equal_paths(const Trajectory& a, const Trajectory& b) {
    CHECK(a.x == b.x);
    CHECK(a.y == b.y);
    CHECK(a.loss == b.loss);
    CHECK(a.gx == b.gx);
    CHECK(a.gy == b.gy);
    CHECK(a.lr == b.lr);
    CHECK(a.outcome == b.outcome);
    CHECK(a.converged_step == b.converged_step);
    CHECK(a.diverged_step == b.diverged_step);
}

}  // namespace

TEST_CASE("every cloud particle is the serial run from its start with its own seed", "[cloud]") {
    struct Case {
        const char* surface;
        const char* optimizer;
        ParamOverrides hyper;
        std::size_t batch_size;
        double spread;
    };
    const Case cases[] = {
        {"rosenbrock", "adam", {{"lr", 0.05}}, 0, 0.3},
        {"rosenbrock", "sgd", {{"lr", 0.0015}, {"momentum", 0.9}}, 0, 0.5},  // about half diverge
        {"mse", "sgd", {{"lr", 0.05}}, 8, 0.0},                            // only the seeds differ
    };
    for (const Case& c : cases) {
        CAPTURE(c.surface, c.optimizer);
        const auto surface = make_surface(c.surface, {});
        RunConfig config;
        config.optimizer = c.optimizer;
        config.hyper = c.hyper;
        config.steps = 300;
        config.batch_size = c.batch_size;
        config.seed = 11;
        const Eigen::Vector2d start = c.batch_size > 0 ? Eigen::Vector2d(0.5, -0.5) : Eigen::Vector2d(-1.5, 2.0);
        const int count = 8;
        const auto cloud = run_cloud(*surface, config, start, count, c.spread);
        const auto starts = cloud_starts(start, count, c.spread);
        REQUIRE(cloud.size() == static_cast<std::size_t>(count));
        for (std::size_t k = 0; k < cloud.size(); ++k) {
            CAPTURE(k);
            RunConfig own = config;
            own.seed = config.seed + k + 1;
            check_equal_paths(cloud[k], run_trajectory(*surface, own, starts[k]));
        }
        if (c.batch_size > 0) CHECK(cloud[0].x != cloud[1].x);  // the seeds are used
        int diverged = 0;
        for (const Trajectory& t : cloud) diverged += t.outcome == Outcome::Diverged ? 1 : 0;
        if (std::string(c.optimizer) == "sgd" && c.batch_size == 0) {
            CHECK(diverged > 0);  // divergence is part of what must match
            CHECK(diverged < count);
        }

        // The batched engine agrees on where each particle ends (full batch: one seed for all).
        if (c.batch_size == 0) {
            std::vector<double> sx, sy;
            for (const auto& s : starts) {
                sx.push_back(s.x());
                sy.push_back(s.y());
            }
            const EnsembleResult r = run_ensemble(*surface, config, sx, sy);
            for (std::size_t k = 0; k < cloud.size(); ++k) {
                CHECK(r.x[k] == cloud[k].x.back());
                CHECK(r.loss[k] == cloud[k].loss.back());
                CHECK(r.outcome[k] == cloud[k].outcome);
            }
        }
    }
}

TEST_CASE("cloud starts are seeded by the particle alone and scale with the spread", "[cloud]") {
    const auto a = cloud_starts({1.0, 2.0}, 4, 0.5), b = cloud_starts({1.0, 2.0}, 6, 1.0);
    for (std::size_t k = 0; k < 4; ++k) {
        CHECK(b[k].x() - 1.0 == Approx(2 * (a[k].x() - 1.0)));
        CHECK(b[k].y() - 2.0 == Approx(2 * (a[k].y() - 2.0)));
    }
    CHECK(cloud_starts({1.0, 2.0}, 3, 0.0)[2] == Eigen::Vector2d(1.0, 2.0));
    CHECK_THROWS_WITH(cloud_starts({0, 0}, 1025, 0.1), Catch::Contains("from 0 to 1024"));
    CHECK_THROWS_WITH(cloud_starts({0, 0}, 2, -1.0), Catch::Contains("spread"));
    std::atomic<bool> cancel{true};
    CHECK_THROWS_WITH(run_cloud(*make_surface("booth", {}), RunConfig{}, {0, 0}, 3, 0.1, &cancel), "cancelled");
}

// ---- Clouds as one batched ensemble with recorded paths (run_ensemble_paths) ----

namespace {

// Everything a recorded path holds, including what the teaching views read.
void check_same_path(const Trajectory& a, const Trajectory& b) {
    check_equal_paths(a, b);
    CHECK(a.stop_reason == b.stop_reason);
    CHECK(a.stopped_step == b.stopped_step);
    CHECK(a.evaluations == b.evaluations);
    CHECK(a.state_names == b.state_names);
    CHECK(a.state == b.state);
    CHECK(a.rate_x == b.rate_x);
    CHECK(a.rate_y == b.rate_y);
    CHECK(a.direction_state == b.direction_state);
}

struct Starts {
    std::vector<double> x, y;
    Eigen::Vector2d at(std::size_t i) const { return {x[i], y[i]}; }
};

// n starts spread over a square of half-width `spread` around `center` (a fixed pattern).
Starts grid_starts(Eigen::Vector2d center, std::size_t n, double spread) {
    Starts s;
    for (std::size_t i = 0; i < n; ++i) {
        const double u = static_cast<double>(i % 7) / 3.0 - 1.0, v = static_cast<double>(i % 5) / 2.0 - 1.0;
        s.x.push_back(center.x() + spread * u + 1e-3 * static_cast<double>(i));
        s.y.push_back(center.y() + spread * v);
    }
    return s;
}

}  // namespace

TEST_CASE("recorded ensemble paths are run_trajectory for every particle, on any number of threads", "[cloud][ensemble]") {
    struct Case {
        const char* name;
        const char* surface;
        const char* optimizer;
        ParamOverrides hyper;
        Eigen::Vector2d center;
        double spread;
        void (*tweak)(RunConfig&);
    };
    const Case cases[] = {
        {"adam, step schedule, recorded state", "rosenbrock", "adam", {{"lr", 0.05}}, {-1.5, 2.0}, 0.3,
         [](RunConfig& c) {
             c.schedule.kind = ScheduleKind::Step;
             c.schedule.step_size = 40;
             c.record_state = true;
         }},
        {"nesterov with clipping and weight decay", "himmelblau", "sgd",
         {{"lr", 0.01}, {"momentum", 0.9}, {"nesterov", 1}, {"weight_decay", 0.01}}, {0.0, 0.0}, 2.0,
         [](RunConfig& c) { c.clip_norm = 5.0; }},
        {"sgd, a diverging subset", "rosenbrock", "sgd", {{"lr", 0.0015}, {"momentum", 0.9}}, {-1.5, 2.0}, 0.5,
         [](RunConfig&) {}},
        {"L-BFGS with line search, recorded state", "rosenbrock", "lbfgs", {{"line_search", 1}, {"history_size", 5}},
         {-1.0, 1.0}, 1.0, [](RunConfig& c) { c.record_state = true; }},
        {"rprop", "beale", "rprop", {}, {1.0, 1.0}, 0.5, [](RunConfig&) {}},
        {"adam, plateau schedule", "rosenbrock", "adam", {{"lr", 0.5}}, {-1.0, 1.0}, 1.0,
         [](RunConfig& c) {
             c.schedule.kind = ScheduleKind::Plateau;
             c.schedule.patience = 3;
         }},
        {"adagrad, loss-change rule", "booth", "adagrad", {{"lr", 0.5}}, {0.0, 0.0}, 3.0,
         [](RunConfig& c) {
             c.stop.loss_tol = 1e-3;
             c.stop.loss_patience = 3;
         }},
        {"sgd stopping at convergence", "booth", "sgd", {{"lr", 0.05}}, {0.0, 0.0}, 3.0,
         [](RunConfig& c) {
             c.stop.grad_tol = 1e-6;
             c.stop.stop_at_convergence = true;
         }},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const auto surface = make_surface(c.surface, {});
        RunConfig config;
        config.optimizer = c.optimizer;
        config.hyper = c.hyper;
        config.steps = 250;
        c.tweak(config);
        const std::size_t n = 37;  // more than two recording chunks, the last one short
        const Starts starts = grid_starts(c.center, n, c.spread);
        std::vector<Trajectory> serial;
        for (std::size_t i = 0; i < n; ++i) serial.push_back(run_trajectory(*surface, config, starts.at(i)));
        for (int threads : {1, 2, 3}) {
            CAPTURE(threads);
            const auto paths = run_ensemble_paths(*surface, config, starts.x, starts.y, {.threads = threads});
            REQUIRE(paths.size() == n);
            for (std::size_t i = 0; i < n; ++i) {
                CAPTURE(i);
                check_same_path(paths[i], serial[i]);
            }
        }
        // The particles really differ, and the ends agree with the unrecorded ensemble.
        CHECK(serial[0].x != serial[n - 1].x);
        const EnsembleResult r = run_ensemble(*surface, config, starts.x, starts.y);
        for (std::size_t i = 0; i < n; ++i) {
            CAPTURE(i);
            CHECK(r.x[i] == serial[i].x.back());
            CHECK(r.y[i] == serial[i].y.back());
            CHECK(r.outcome[i] == serial[i].outcome);
        }
        if (config.record_state) CHECK(!serial[n - 1].state.empty());
        if (std::string(c.name) == "sgd, a diverging subset") {
            int diverged = 0;
            for (const Trajectory& t : serial) diverged += t.outcome == Outcome::Diverged ? 1 : 0;
            CHECK(diverged > 0);
            CHECK(diverged < static_cast<int>(n));
        }
        if (std::string(c.name) == "sgd stopping at convergence") CHECK(serial[1].stopped_step > 0);
        if (std::string(c.name) == "adam, plateau schedule") CHECK(serial[2].lr.front() != serial[2].lr.back());
        if (std::string(c.name) == "adagrad, loss-change rule") CHECK(serial[2].stop_reason == StopReason::LossChange);
        if (std::string(c.optimizer) == "lbfgs") CHECK(!serial[3].evaluations.empty());
    }
}

TEST_CASE("recorded ensembles take a mini-batch seed and a learning rate per particle", "[cloud][ensemble][minibatch]") {
    for (const char* name : {"mse", "logistic"}) {
        CAPTURE(name);
        const auto surface = make_surface(name, {});
        RunConfig config;
        config.optimizer = "rmsprop";
        config.hyper = {{"lr", 0.01}};
        config.batch_size = 5;
        config.clip_norm = 0.5;
        config.steps = 200;
        config.seed = 3;
        const std::size_t n = 20;
        const Starts starts = grid_starts({0.5, -0.5}, n, 0.0);
        std::vector<std::uint64_t> seeds;
        std::vector<double> lrs;
        for (std::size_t i = 0; i < n; ++i) {
            seeds.push_back(100 + 7 * i);
            lrs.push_back(0.005 * static_cast<double>(1 + i % 3));
        }
        const auto paths = run_ensemble_paths(*surface, config, starts.x, starts.y, {.threads = 2, .learning_rates = lrs, .seeds = seeds});
        const EnsembleResult ends = run_ensemble(*surface, config, starts.x, starts.y, {.learning_rates = lrs, .seeds = seeds});
        REQUIRE(paths.size() == n);
        for (std::size_t i = 0; i < n; ++i) {
            CAPTURE(i);
            RunConfig own = config;
            own.seed = seeds[i];
            own.hyper["lr"] = lrs[i];
            check_same_path(paths[i], run_trajectory(*surface, own, starts.at(i)));
            CHECK(ends.x[i] == paths[i].x.back());
            CHECK(ends.loss[i] == paths[i].loss.back());
        }
        // Particles 0 and 3 share a start and an lr: only their seeds tell them apart.
        CHECK(paths[0].x != paths[3].x);
        CHECK(paths[0].lr == paths[3].lr);
    }
}

TEST_CASE("recorded ensembles refuse what they cannot hold or do", "[cloud][ensemble]") {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig config;
    config.steps = limits::kMaxSteps;
    const std::vector<double> xs(1024, 0.0), ys(1024, 0.0);
    // 1024 × 10^6 rows would be 40 GB: refused before any work.
    CHECK_THROWS_WITH(run_ensemble_paths(*surface, config, xs, ys), Catch::Contains("the limit is 1024 MB"));
    config.steps = 10;
    const std::vector<std::uint64_t> seeds(3, 1);
    CHECK_THROWS_WITH(run_ensemble_paths(*surface, config, xs, ys, {.seeds = seeds}), Catch::Contains("seeds"));
    CHECK_THROWS_WITH(run_ensemble(*surface, config, xs, ys, {.seeds = seeds}), Catch::Contains("seeds"));
    const std::vector<double> betas(1024, 0.5);
    const ParticleParam momentum{"momentum", betas};
    CHECK_THROWS_WITH(run_ensemble_paths(*surface, config, xs, ys, {.particle_params = {&momentum, 1}}),
                      Catch::Contains("no other parameters"));
    CHECK(run_ensemble_paths(*surface, config, xs, ys).size() == 1024);
}

TEST_CASE("a mini-batch cloud with a schedule and clipping is the serial runs, ends included", "[cloud]") {
    const auto surface = make_surface("mse", {});
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 0.1}};
    config.schedule.kind = ScheduleKind::Cosine;
    config.schedule.t_max = 50;
    config.clip_norm = 1.0;
    config.batch_size = 4;
    config.steps = 150;
    config.seed = 42;
    const Eigen::Vector2d start(2.0, -1.0);
    const int count = 24;
    std::atomic<long> progress{0};
    const auto cloud = run_cloud(*surface, config, start, count, 0.2, nullptr, &progress);
    CHECK(progress == count);
    const auto starts = cloud_starts(start, count, 0.2);
    std::vector<double> sx, sy;
    std::vector<std::uint64_t> seeds;
    REQUIRE(cloud.size() == static_cast<std::size_t>(count));
    for (std::size_t k = 0; k < cloud.size(); ++k) {
        CAPTURE(k);
        RunConfig own = config;
        own.seed = config.seed + k + 1;
        check_same_path(cloud[k], run_trajectory(*surface, own, starts[k]));
        sx.push_back(starts[k].x());
        sy.push_back(starts[k].y());
        seeds.push_back(own.seed);
    }
    CHECK(cloud[0].lr[10] != cloud[0].lr[40]);  // the schedule is applied
    // The unrecorded batched ensemble, with the same seeds, ends where each particle ends.
    const EnsembleResult r = run_ensemble(*surface, config, sx, sy, {.seeds = seeds});
    for (std::size_t k = 0; k < cloud.size(); ++k) {
        CHECK(r.x[k] == cloud[k].x.back());
        CHECK(r.y[k] == cloud[k].y.back());
    }
}

namespace {

// A bowl that raises the cancel flag at its N-th evaluation and counts evaluations (thread-safe), so
// a test sees how much work a cloud does after being told to stop, with no clocks involved.
class CancellingBowl : public LossSurface {
public:
    CancellingBowl(std::atomic<bool>& cancel, long at) : cancel_(cancel), at_(at) {}
    std::string_view name() const override { return "cancelling-bowl"; }
    void evaluate(PointsView points, LossAndGradient out) const override {
        if (++calls_ == at_) cancel_ = true;
        for (std::size_t i = 0; i < points.count; ++i) {
            out.loss[i] = points.x[i] * points.x[i] + points.y[i] * points.y[i];
            out.gx[i] = 2 * points.x[i];
            out.gy[i] = 2 * points.y[i];
        }
    }
    std::vector<Eigen::Vector2d> minima() const override { return {{0, 0}}; }
    ViewRect default_view() const override { return {-1, 1, -1, 1}; }
    long calls() const { return calls_; }

private:
    std::atomic<bool>& cancel_;
    long at_;
    mutable std::atomic<long> calls_{0};
};

}  // namespace

TEST_CASE("a cloud stops within a few hundred steps of being cancelled", "[cloud]") {
    std::atomic<bool> cancel{false};
    const CancellingBowl bowl(cancel, 1000);
    RunConfig config;
    config.hyper["lr"] = 1e-9;  // barely moves: nothing converges or diverges
    config.steps = 100'000;     // 64 particles: 4 chunks × 100 001 evaluations if it never stopped
    CHECK_THROWS_WITH(run_cloud(bowl, config, {0.5, 0.5}, 64, 0.1, &cancel), "cancelled");
    CHECK(bowl.calls() >= 1000);
    // Each chunk in progress notices within 256 steps; the next chunks never start.
    const long threads = std::max(1u, std::thread::hardware_concurrency());
    CHECK(bowl.calls() <= 1000 + 256 * threads);
}
