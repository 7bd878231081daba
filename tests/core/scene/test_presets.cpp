// Each teaching preset's caption is a claim; these run the preset and check it numerically.
#include "support/catch.h"

#include <cmath>
#include <set>

#include "core/analysis/particle_cloud.h"
#include "core/scene/presets.h"
#include "core/surfaces/surface_registry.h"
#include "ui/overlay.h"
#include "ui/overlays/particle_cloud.h"

using namespace optiviz;

namespace {

struct Ran {
    Scene scene;
    std::unique_ptr<LossSurface> surface;
    std::vector<Trajectory> runs;
    std::vector<std::vector<Trajectory>> clouds;
};

// Analytic presets only (the regression preset needs the app's dataset plumbing).
Ran run_preset(std::string_view name) {
    Ran r;
    r.scene = make_preset(name);
    ui::adopt_retired_keys(r.scene);  // the presets' cloud= run keys: the particle-cloud module's settings
    r.surface = make_surface(r.scene.surface, r.scene.surface_params);
    for (std::size_t i = 0; i < r.scene.runs.size(); ++i) {
        RunConfig config = r.scene.runs[i].config;
        config.steps = r.scene.steps;
        r.runs.push_back(run_trajectory(*r.surface, config, r.scene.start));
        const ui::RunCloud cloud = ui::cloud_of_run(r.scene, i);
        r.clouds.push_back(run_cloud(*r.surface, config, r.scene.start, cloud.particles, cloud.spread));
    }
    return r;
}

int sign_changes(const Trajectory& t, std::size_t steps) {
    int changes = 0;
    for (std::size_t k = 1; k <= steps && k < t.size(); ++k) changes += (t.y[k] > 0) != (t.y[k - 1] > 0);
    return changes;
}

double distance(const Trajectory& t, std::size_t k, Eigen::Vector2d p) { return std::hypot(t.x[k] - p.x(), t.y[k] - p.y()); }

}  // namespace

TEST_CASE("narrow-valley: SGD zig-zags at every step, momentum swings a few times, Adam heads along", "[presets]") {
    const Ran r = run_preset("narrow-valley");
    REQUIRE(r.runs.size() == 3);
    CHECK(sign_changes(r.runs[0], 30) >= 28);  // across the valley at every step
    const int momentum = sign_changes(r.runs[1], 30);
    CHECK(momentum >= 1);
    CHECK(momentum <= 6);
    CHECK(sign_changes(r.runs[2], 30) <= 2);
}

TEST_CASE("saddle: on the ridge GD stalls at the saddle point; the cloud 0.01 off it rolls off", "[presets]") {
    const Ran r = run_preset("saddle");
    REQUIRE(r.runs.size() == 1);
    const Trajectory& ridge = r.runs[0];
    CHECK(distance(ridge, ridge.size() - 1, {0, 0}) < 1e-3);
    REQUIRE(r.clouds[0].size() >= 10);
    int rolled = 0;
    for (const Trajectory& p : r.clouds[0]) rolled += std::abs(p.y.back()) > 1.0 || p.outcome == Outcome::Diverged;
    CHECK(rolled >= static_cast<int>(r.clouds[0].size()) - 1);
}

TEST_CASE("plateau: SGD bounces and Adam settles next to the start; momentum crosses dips", "[presets]") {
    const Ran r = run_preset("plateau");
    REQUIRE(r.runs.size() == 3);
    const Trajectory &sgd = r.runs[0], &momentum = r.runs[1], &adam = r.runs[2];
    const std::size_t n = sgd.size() - 1;
    CHECK(distance(sgd, n, r.scene.start) < 0.5);
    // A 2-cycle: the point two steps back is the same, the one step back is not.
    CHECK(std::hypot(sgd.x[n] - sgd.x[n - 2], sgd.y[n] - sgd.y[n - 2]) < 1e-6);
    CHECK(std::hypot(sgd.x[n] - sgd.x[n - 1], sgd.y[n] - sgd.y[n - 1]) > 0.1);
    CHECK(adam.outcome == Outcome::Converged);
    CHECK(distance(adam, adam.size() - 1, r.scene.start) < 0.5);
    CHECK(distance(momentum, momentum.size() - 1, r.scene.start) > 3.5);  // four dips of width ~1
}

TEST_CASE("too-large-lr: below 2/lambda GD converges, above it every step overshoots more", "[presets]") {
    const Ran r = run_preset("too-large-lr");
    REQUIRE(r.runs.size() == 2);
    const Trajectory &below = r.runs[0], &above = r.runs[1];
    CHECK(below.outcome != Outcome::Diverged);
    CHECK(below.loss.back() < 1e-3 * below.loss.front());
    CHECK(above.outcome == Outcome::Diverged);
    for (std::size_t k = 1; k < above.size(); ++k) CHECK(std::abs(above.y[k]) > std::abs(above.y[k - 1]));
}

TEST_CASE("many-minima: each run settles in a dip near the start, none at the centre, the cloud in several", "[presets]") {
    const Ran r = run_preset("many-minima");
    for (const Trajectory& t : r.runs) {
        CHECK(t.loss.back() > 1.0);                          // not the global minimum (loss 0)
        CHECK(distance(t, t.size() - 1, r.scene.start) < 1.5);  // a nearby dip
    }
    std::set<std::pair<long, long>> dips;  // Rastrigin's dips sit near whole numbers
    for (const auto& cloud : r.clouds)
        for (const Trajectory& p : cloud) dips.insert({std::lround(p.x.back()), std::lround(p.y.back())});
    CHECK(dips.size() >= 3);
    CHECK(dips.count({0, 0}) == 0);
}

TEST_CASE("himmelblau-four: the same optimizer from different starts ends in different minima", "[presets]") {
    const Ran r = run_preset("himmelblau-four");
    const auto minima = r.surface->minima();
    std::set<std::size_t> reached;
    for (const Trajectory& p : r.clouds[0])
        for (std::size_t m = 0; m < minima.size(); ++m)
            if (distance(p, p.size() - 1, minima[m]) < 0.05) reached.insert(m);
    CHECK(reached.size() >= 3);
}
