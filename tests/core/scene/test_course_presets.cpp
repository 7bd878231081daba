// The course's presets each make a claim in their caption; these tests check it numerically on the
// preset's own scene (surface, data, runs and steps).
#include "support/catch.h"

#include <cmath>
#include <memory>

#include "core/scene/presets.h"
#include "core/optimizers/simulation.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

namespace {

struct Ran {
    std::unique_ptr<LossSurface> surface;
    std::vector<Trajectory> runs;
};

Ran run_preset(std::string_view name) {
    const Scene scene = make_preset(name);
    validate_scene(scene);
    Ran r;
    const SurfaceInfo& info = find_surface(scene.surface);
    std::shared_ptr<const Dataset> data;
    if (info.needs_data) data = std::make_shared<const Dataset>(scene.data.load(info.binary_labels));
    r.surface = make_surface(scene.surface, scene.surface_params, data, scene.expression);
    for (const RunSpec& run : scene.runs) {
        RunConfig config = run.config;
        config.steps = scene.steps;
        r.runs.push_back(run_trajectory(*r.surface, config, scene.start));
    }
    return r;
}

double distance(const Trajectory& t, Eigen::Vector2d p) { return std::hypot(t.x.back() - p.x(), t.y.back() - p.y()); }

// Mean distance to `p` over the last `rows` rows: how far a bouncing run stays on average.
double settled_distance(const Trajectory& t, Eigen::Vector2d p, std::size_t rows) {
    double sum = 0;
    for (std::size_t k = t.size() - rows; k < t.size(); ++k) sum += std::hypot(t.x[k] - p.x(), t.y[k] - p.y());
    return sum / static_cast<double>(rows);
}

}  // namespace

TEST_CASE("house-prices: Adam at lr 0.001 barely moves; a tuned lr fits y = 3x + 2", "[presets][course]") {
    const Ran r = run_preset("house-prices");
    const Eigen::Vector2d fit = r.surface->minima().at(0);
    CHECK(std::abs(fit.x() - 3.0) < 0.5);  // the data's recipe
    CHECK(std::abs(fit.y() - 2.0) < 0.5);
    const Trajectory& course = r.runs[0];
    CHECK(std::hypot(course.x.back(), course.y.back()) < 300 * 0.001 * 1.5);  // about lr per step
    CHECK(distance(course, fit) > 3.0);
    CHECK(distance(r.runs[1], fit) < 0.05);  // tuned Adam
    CHECK(distance(r.runs[2], fit) < 0.05);  // gradient descent
}

TEST_CASE("bias-correction: the uncorrected first step is lr·(1−β1)/√(1−β2), the corrected one lr", "[presets][course]") {
    const Ran r = run_preset("bias-correction");
    REQUIRE(r.runs.size() == 2);
    const double lr = 0.05;
    for (int c = 0; c < 2; ++c) {
        const auto& with = c == 0 ? r.runs[0].x : r.runs[0].y;
        const auto& without = c == 0 ? r.runs[1].x : r.runs[1].y;
        CHECK(std::abs(with[1] - with[0]) == Approx(lr).epsilon(1e-6));
        CHECK(std::abs(without[1] - without[0]) == Approx(lr * 0.1 / std::sqrt(0.001)).epsilon(1e-6));
    }
    CHECK(r.runs[0].size() == 21);
}

TEST_CASE("lr-decay: every decaying schedule settles closer than the fixed lr; plateau reduces", "[presets][course]") {
    const Ran r = run_preset("lr-decay");
    REQUIRE(r.runs.size() == 4);
    const Eigen::Vector2d fit = r.surface->minima().at(0);
    const double fixed = settled_distance(r.runs[0], fit, 100);
    for (std::size_t i = 1; i < 4; ++i) {
        INFO("run " << i << ": " << settled_distance(r.runs[i], fit, 100) << " against " << fixed);
        CHECK(settled_distance(r.runs[i], fit, 100) < 0.7 * fixed);
        CHECK(r.runs[i].lr.back() < r.runs[0].lr.back());
    }
    CHECK(r.runs[0].lr.back() == 0.05);
}

TEST_CASE("stopping: the gradient, loss-change and budget rules end the same run at different steps", "[presets][course]") {
    const Ran r = run_preset("stopping");
    REQUIRE(r.runs.size() == 3);
    const Trajectory &gradient = r.runs[0], &loss = r.runs[1], &budget = r.runs[2];
    CHECK(gradient.stop_reason == StopReason::GradientNorm);
    CHECK(loss.stop_reason == StopReason::LossChange);
    CHECK(budget.stop_reason == StopReason::None);
    CHECK(budget.size() == 3001);
    CHECK(gradient.size() < 3001);
    CHECK(loss.size() < 3001);
    CHECK(gradient.size() != loss.size());
    CHECK(std::hypot(gradient.gx.back(), gradient.gy.back()) <= 0.01);
    // Up to each stop the runs are the same run.
    const std::size_t common = std::min(gradient.size(), loss.size());
    CHECK(gradient.x[common - 1] == budget.x[common - 1]);
    CHECK(loss.x[common - 1] == budget.x[common - 1]);
}

TEST_CASE("quasi-newton: L-BFGS reaches Rosenbrock's minimum; Adam is still in the valley", "[presets][course]") {
    const Ran r = run_preset("quasi-newton");
    REQUIRE(r.runs.size() == 2);
    CHECK(distance(r.runs[0], {1.0, 1.0}) < 1e-4);
    CHECK(distance(r.runs[1], {1.0, 1.0}) > 0.05);
    long evaluations = 0;
    for (long e : r.runs[0].evaluations) evaluations += e;
    CHECK(evaluations < 300);  // a few per step, line search included
}
