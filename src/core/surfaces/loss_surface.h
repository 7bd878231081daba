// A loss surface f: R² → R with an analytic gradient, evaluated on batches of points.
//
// Batch-first: every evaluation takes N points as two arrays (structure of arrays) so that one
// code path serves a single trajectory and an ensemble of 100 000 particles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/scene/param_spec.h"

namespace optiviz {

// N points as two arrays of `count` doubles.
struct PointsView {
    std::size_t count = 0;
    const double* x = nullptr;
    const double* y = nullptr;
};

// Output arrays of `count` doubles each; none may be null.
struct LossAndGradient {
    double* loss = nullptr;
    double* gx = nullptr;
    double* gy = nullptr;
};

// An axis-aligned rectangle in parameter space (x to the right, y up).
struct ViewRect {
    double x_min = -1, x_max = 1, y_min = -1, y_max = 1;
    bool operator==(const ViewRect&) const = default;
};

// Data-driven surfaces prepare their mini-batch gradients ahead of a run; see LossSurface.
class MinibatchPlan {
public:
    virtual ~MinibatchPlan() = default;
    long steps = 0;              // plans cover steps 0 .. steps-1
    std::size_t batch_size = 0;  // rows per batch (the last batch of an epoch may be smaller)
    std::size_t batches_per_epoch = 0;
};

namespace fused {
struct Chunk;
}

class LossSurface {
public:
    virtual ~LossSurface() = default;

    virtual std::string_view name() const = 0;

    // Full objective: loss and gradient at every point. Non-finite inputs give non-finite outputs,
    // never an exception.
    virtual void evaluate(PointsView points, LossAndGradient out) const = 0;

    // Known minimizers (global ones first). Empty when the surface has none (saddle, or a quadratic
    // that is not positive definite).
    virtual std::vector<Eigen::Vector2d> minima() const = 0;

    // The rectangle a first look should show.
    virtual ViewRect default_view() const = 0;

    // Relative cost of evaluating one point (1 for analytic surfaces and the MSE's sufficient
    // statistics; the number of rows for the logistic loss). Heatmaps sample more coarsely when high.
    virtual std::size_t cost_per_point() const { return 1; }

    // What one loss-and-gradient evaluation costs next to a built-in analytic surface's (1), for the
    // work bounds of sweeps, basin maps and tuning (core/io/limits.h), which count evaluations and
    // multiply them by `factor`. `size` names what makes it cost more ("a 1000-node expression"),
    // for the refusal's message; empty when factor is 1.
    struct EvaluationCost {
        double factor = 1.0;
        std::string size;
    };
    virtual EvaluationCost evaluation_cost() const { return {}; }

    // Mini-batch support (data-driven surfaces only).
    virtual bool supports_minibatches() const { return false; }
    virtual std::size_t row_count() const { return 0; }
    // Plans batches for `steps` steps: rows are shuffled per epoch with `seed` and taken in order,
    // without replacement within an epoch. Throws std::invalid_argument for analytic surfaces.
    virtual std::unique_ptr<MinibatchPlan> plan_minibatches(std::size_t batch_size, std::uint64_t seed,
                                                            long steps) const;
    // Loss and gradient of step `step`'s mini-batch (0 <= step < plan.steps).
    virtual void evaluate_minibatch(const MinibatchPlan& plan, long step, PointsView points,
                                    LossAndGradient out) const;

    // Core-internal (core/optimizers/fused_ensemble.h): analytic surfaces run an ensemble's chunk with their
    // formula compiled into the optimizer's loop. Others have no such kernel and never get called.
    virtual bool has_fused_kernel() const { return false; }
    virtual void run_fused(const fused::Chunk&) const {}

    // Convenience for single points (tests, UI hover). Not for hot loops.
    double value(double x, double y) const;
    Eigen::Vector2d gradient(double x, double y) const;
};

}  // namespace optiviz
