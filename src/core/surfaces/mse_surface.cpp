#include "core/surfaces/mse_surface.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/optimizers/minibatch_sampler.h"

namespace optiviz {

namespace {

// Two passes (means, then centred moments) keep the statistics accurate for offset data.
RegressionStats compute_stats(const Dataset& data, const std::uint32_t* rows, std::size_t count) {
    auto row = [&](std::size_t k) { return rows ? rows[k] : k; };
    RegressionStats s;
    for (std::size_t k = 0; k < count; ++k) {
        s.mean_x += data.x[row(k)];
        s.mean_y += data.y[row(k)];
    }
    s.mean_x /= static_cast<double>(count);
    s.mean_y /= static_cast<double>(count);
    for (std::size_t k = 0; k < count; ++k) {
        const double dx = data.x[row(k)] - s.mean_x;
        const double dy = data.y[row(k)] - s.mean_y;
        s.var_x += dx * dx;
        s.cov_xy += dx * dy;
        s.var_y += dy * dy;
    }
    s.var_x /= static_cast<double>(count);
    s.cov_xy /= static_cast<double>(count);
    s.var_y /= static_cast<double>(count);
    s.slope = s.var_x > 0 ? s.cov_xy / s.var_x : 0.0;
    for (std::size_t k = 0; k < count; ++k) {
        const double r = (data.y[row(k)] - s.mean_y) - s.slope * (data.x[row(k)] - s.mean_x);
        s.residual_var += r * r;
    }
    s.residual_var /= static_cast<double>(count);
    return s;
}

void evaluate_with(const RegressionStats& s, PointsView p, LossAndGradient out) {
    for (std::size_t i = 0; i < p.count; ++i) {
        const double w = p.x[i];
        const double r0 = w * s.mean_x + p.y[i] - s.mean_y;  // residual of the mean point
        const double dw = w - s.slope;
        out.loss[i] = r0 * r0 + s.var_x * dw * dw + s.residual_var;
        out.gx[i] = 2.0 * (r0 * s.mean_x + s.var_x * dw);
        out.gy[i] = 2.0 * r0;
    }
}

struct MsePlan final : MinibatchPlan {
    std::vector<RegressionStats> per_step;
};

}  // namespace

RegressionStats RegressionStats::of_rows(const Dataset& data, const std::uint32_t* rows, std::size_t count) {
    return compute_stats(data, rows, count);
}

RegressionStats RegressionStats::of_all(const Dataset& data) { return compute_stats(data, nullptr, data.size()); }

MseSurface::MseSurface(std::shared_ptr<const Dataset> data) : data_(std::move(data)) {
    if (!data_ || data_->size() < 2) throw std::invalid_argument("mse: needs a dataset with at least 2 rows");
    stats_ = RegressionStats::of_all(*data_);
}

void MseSurface::evaluate(PointsView points, LossAndGradient out) const { evaluate_with(stats_, points, out); }

std::vector<Eigen::Vector2d> MseSurface::minima() const {
    if (!(stats_.var_x > 0)) return {};  // every x equal: a line of minimizers, no single one
    const double w = stats_.slope;
    return {{w, stats_.mean_y - w * stats_.mean_x}};
}

ViewRect MseSurface::default_view() const {
    const auto m = minima();
    const Eigen::Vector2d c = m.empty() ? Eigen::Vector2d(0, stats_.mean_y) : m.front();
    const double half = std::max({3.0, 1.5 * std::abs(c.x()), 1.5 * std::abs(c.y())});
    return {c.x() - half, c.x() + half, c.y() - half, c.y() + half};
}

std::unique_ptr<MinibatchPlan> MseSurface::plan_minibatches(std::size_t batch_size, std::uint64_t seed,
                                                            long steps) const {
    MinibatchSampler sampler(data_->size(), batch_size, seed);
    auto plan = std::make_unique<MsePlan>();
    plan->steps = steps;
    plan->batch_size = sampler.batch_size();
    plan->batches_per_epoch = sampler.batches_per_epoch();
    plan->per_step.reserve(static_cast<std::size_t>(std::max(0L, steps)));
    for (long t = 0; t < steps; ++t) {
        const auto rows = sampler.next();
        plan->per_step.push_back(RegressionStats::of_rows(*data_, rows.data(), rows.size()));
    }
    return plan;
}

void MseSurface::evaluate_minibatch(const MinibatchPlan& plan, long step, PointsView points,
                                    LossAndGradient out) const {
    const auto& mse_plan = dynamic_cast<const MsePlan&>(plan);
    evaluate_with(mse_plan.per_step.at(static_cast<std::size_t>(step)), points, out);
}

}  // namespace optiviz
