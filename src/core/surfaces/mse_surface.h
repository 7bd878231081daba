// Linear regression's mean squared error as a surface over (w, b):
//   L(w, b) = mean_i (w·x_i + b − y_i)²
// The loss of a linear model is a quadratic in (w, b), so it is evaluated from sufficient
// statistics in O(1) per point whatever the number of rows. Statistics are centred on the means
// (x̄, ȳ) and written as a sum of non-negative terms, so that a good fit does not lose its digits to
// cancellation:
//   L = (w·x̄ + b − ȳ)² + Vxx·(w − w*)² + R,   w* = Cxy/Vxx,  R = mean((Δy − w*·Δx)²)
#pragma once

#include <memory>

#include "core/surfaces/dataset.h"
#include "core/surfaces/loss_surface.h"

namespace optiviz {

struct RegressionStats {
    double mean_x = 0, mean_y = 0;
    double var_x = 0, cov_xy = 0, var_y = 0;  // population (1/n) moments about the means
    double slope = 0;         // w* = cov_xy / var_x (0 when every x is equal)
    double residual_var = 0;  // R: the loss at the least-squares fit

    static RegressionStats of_rows(const Dataset& data, const std::uint32_t* rows, std::size_t count);
    static RegressionStats of_all(const Dataset& data);
};

class MseSurface final : public LossSurface {
public:
    explicit MseSurface(std::shared_ptr<const Dataset> data);

    std::string_view name() const override { return "mse"; }
    void evaluate(PointsView points, LossAndGradient out) const override;
    std::vector<Eigen::Vector2d> minima() const override;  // the least-squares solution (closed form)
    ViewRect default_view() const override;

    bool supports_minibatches() const override { return true; }
    std::size_t row_count() const override { return data_->size(); }
    std::unique_ptr<MinibatchPlan> plan_minibatches(std::size_t batch_size, std::uint64_t seed,
                                                    long steps) const override;
    void evaluate_minibatch(const MinibatchPlan& plan, long step, PointsView points,
                            LossAndGradient out) const override;

    const Dataset& data() const { return *data_; }
    const RegressionStats& stats() const { return stats_; }

private:
    std::shared_ptr<const Dataset> data_;
    RegressionStats stats_;
};

}  // namespace optiviz
