// The particle cloud's contract: particle k is exactly the serial run from cloud start k with
// mini-batch seed seed + k + 1 (whole paths, outcomes included), and its end equals the batched
// ensemble's result for that particle. A batched implementation of run_cloud must keep all of it.
#include "support/catch.h"

#include <atomic>
#include <string>

#include "core/particle_cloud.h"
#include "core/surface_registry.h"

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
