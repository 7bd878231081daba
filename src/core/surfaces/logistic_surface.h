// Logistic regression's cross-entropy as a surface over (w, b), for labels y ∈ {0, 1}:
//   L(w, b) = mean_i [ log(1 + e^{z_i}) − y_i z_i ],   z_i = w·x_i + b
// Unlike the MSE it has no finite set of sufficient statistics, so a point costs O(rows); the
// heatmap samples it more coarsely (cost_per_point) and the shader interpolates.
#pragma once

#include <memory>

#include "core/surfaces/dataset.h"
#include "core/surfaces/loss_surface.h"

namespace optiviz {

class LogisticSurface final : public LossSurface {
public:
    // Throws std::invalid_argument if a label is not 0 or 1 (naming the row) or one class is missing.
    explicit LogisticSurface(std::shared_ptr<const Dataset> data);

    std::string_view name() const override { return "logistic"; }
    void evaluate(PointsView points, LossAndGradient out) const override;
    // The minimiser by Newton's method (the loss is convex); empty when the classes are separable
    // (the loss then keeps falling as |w| grows, with no minimum).
    std::vector<Eigen::Vector2d> minima() const override { return minima_; }
    ViewRect default_view() const override;
    std::size_t cost_per_point() const override { return data_->size(); }

    bool supports_minibatches() const override { return true; }
    std::size_t row_count() const override { return data_->size(); }
    std::unique_ptr<MinibatchPlan> plan_minibatches(std::size_t batch_size, std::uint64_t seed,
                                                    long steps) const override;
    void evaluate_minibatch(const MinibatchPlan& plan, long step, PointsView points,
                            LossAndGradient out) const override;

    const Dataset& data() const { return *data_; }

private:
    std::shared_ptr<const Dataset> data_;
    std::vector<Eigen::Vector2d> minima_;
};

// A built-in classification dataset: x spread around 0, labels drawn with P(y = 1) = σ(slope·x + intercept).
Dataset make_classification_dataset(const SyntheticDatasetSpec& spec);

}  // namespace optiviz
