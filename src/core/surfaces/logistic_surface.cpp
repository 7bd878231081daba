#include "core/surfaces/logistic_surface.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Cholesky>

#include "core/io/limits.h"
#include "core/optimizers/minibatch_sampler.h"
#include "core/runtime/random.h"

namespace optiviz {

namespace {

// log(1 + e^z) without overflow.
inline double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }
inline double sigmoid(double z) {
    if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

// Loss and gradient at (w, b) over rows[0..count) (all rows when rows is null).
void evaluate_rows(const Dataset& d, const std::uint32_t* rows, std::size_t count, double w, double b, double& loss,
                   double& gw, double& gb) {
    double l = 0, a = 0, c = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = rows ? rows[k] : k;
        const double z = w * d.x[i] + b;
        l += softplus(z) - d.y[i] * z;
        const double r = sigmoid(z) - d.y[i];
        a += r * d.x[i];
        c += r;
    }
    const auto n = static_cast<double>(count);
    loss = l / n;
    gw = a / n;
    gb = c / n;
}

struct LogisticPlan final : MinibatchPlan {
    std::vector<std::uint32_t> rows;  // steps × batch_size (the last batch of an epoch may be shorter)
    std::vector<std::size_t> offsets;  // start of step t's rows; offsets[steps] = rows.size()
};

}  // namespace

LogisticSurface::LogisticSurface(std::shared_ptr<const Dataset> data) : data_(std::move(data)) {
    if (!data_ || data_->size() < 2) throw std::invalid_argument("logistic: needs a dataset with at least 2 rows");
    bool zero = false, one = false;
    for (std::size_t i = 0; i < data_->size(); ++i) {
        const double y = data_->y[i];
        if (y != 0.0 && y != 1.0)
            throw std::invalid_argument("logistic: labels must be 0 or 1, row " + std::to_string(i + 1) + " has " +
                                        std::to_string(y));
        zero = zero || y == 0.0;
        one = one || y == 1.0;
    }
    if (!zero || !one) throw std::invalid_argument("logistic: the data needs both labels, 0 and 1");
    // Newton's method with the exact Hessian mean(σ(1−σ)·[x², x; x, 1]).
    Eigen::Vector2d p(0, 0);
    bool converged = false;
    for (int iteration = 0; iteration < 100 && !converged; ++iteration) {
        Eigen::Matrix2d H = Eigen::Matrix2d::Zero();
        Eigen::Vector2d g = Eigen::Vector2d::Zero();
        for (std::size_t i = 0; i < data_->size(); ++i) {
            const double x = data_->x[i], s = sigmoid(p.x() * x + p.y()), v = s * (1 - s);
            g += Eigen::Vector2d((s - data_->y[i]) * x, s - data_->y[i]);
            H += v * Eigen::Matrix2d{{x * x, x}, {x, 1.0}};
        }
        const Eigen::Vector2d step = H.ldlt().solve(g);
        if (!step.allFinite()) break;
        p -= step;
        converged = step.norm() < 1e-13 * std::max(1.0, p.norm());
        if (p.norm() > 1e6) break;  // separable classes: w runs off to infinity
    }
    if (converged && p.allFinite()) minima_.push_back(p);
}

void LogisticSurface::evaluate(PointsView p, LossAndGradient out) const {
    for (std::size_t i = 0; i < p.count; ++i)
        evaluate_rows(*data_, nullptr, data_->size(), p.x[i], p.y[i], out.loss[i], out.gx[i], out.gy[i]);
}

ViewRect LogisticSurface::default_view() const {
    const Eigen::Vector2d c = minima_.empty() ? Eigen::Vector2d(0, 0) : minima_.front();
    const double half = std::max({3.0, 1.5 * std::abs(c.x()), 1.5 * std::abs(c.y())});
    return {c.x() - half, c.x() + half, c.y() - half, c.y() + half};
}

std::unique_ptr<MinibatchPlan> LogisticSurface::plan_minibatches(std::size_t batch_size, std::uint64_t seed,
                                                                 long steps) const {
    MinibatchSampler sampler(data_->size(), batch_size, seed);
    auto plan = std::make_unique<LogisticPlan>();
    plan->steps = steps;
    plan->batch_size = sampler.batch_size();
    plan->batches_per_epoch = sampler.batches_per_epoch();
    if (static_cast<double>(steps) * static_cast<double>(sampler.batch_size()) > 2e8)
        throw std::invalid_argument("logistic: steps × batch size is too large to plan (at most 2e8 rows)");
    plan->offsets.reserve(static_cast<std::size_t>(std::max(0L, steps)) + 1);
    for (long t = 0; t < steps; ++t) {
        plan->offsets.push_back(plan->rows.size());
        const auto rows = sampler.next();
        plan->rows.insert(plan->rows.end(), rows.begin(), rows.end());
    }
    plan->offsets.push_back(plan->rows.size());
    return plan;
}

void LogisticSurface::evaluate_minibatch(const MinibatchPlan& plan, long step, PointsView p, LossAndGradient out) const {
    const auto& lp = dynamic_cast<const LogisticPlan&>(plan);
    const auto t = static_cast<std::size_t>(step);
    const std::uint32_t* rows = lp.rows.data() + lp.offsets.at(t);
    const std::size_t count = lp.offsets.at(t + 1) - lp.offsets.at(t);
    for (std::size_t i = 0; i < p.count; ++i) evaluate_rows(*data_, rows, count, p.x[i], p.y[i], out.loss[i], out.gx[i], out.gy[i]);
}

Dataset make_classification_dataset(const SyntheticDatasetSpec& spec) {
    if (spec.rows < 2) throw std::invalid_argument("classification dataset: needs at least 2 rows");
    if (spec.rows > limits::kMaxDataRows)
        throw std::invalid_argument("classification dataset: at most " + std::to_string(limits::kMaxDataRows) + " rows");
    Dataset data;
    DeterministicRng rng(spec.seed);
    for (std::size_t i = 0; i < spec.rows; ++i) {
        const double x = spec.x_offset + spec.x_scale * (2.0 * rng.uniform() - 1.0);
        const double p = sigmoid(spec.slope * x + spec.intercept);
        data.x.push_back(x);
        data.y.push_back(rng.uniform() < p ? 1.0 : 0.0);
    }
    // Both classes must appear: force the extreme points if the draw missed one.
    bool zero = false, one = false;
    for (double y : data.y) zero = zero || y == 0.0, one = one || y == 1.0;
    if (!zero) data.y[0] = 0.0;
    if (!one) data.y[1] = 1.0;
    data.source = "synthetic classes, P(y=1) = sigmoid(" + std::to_string(spec.slope).substr(0, 4) + "x " +
                  (spec.intercept < 0 ? "- " : "+ ") + std::to_string(std::abs(spec.intercept)).substr(0, 4) + ")";
    return data;
}

}  // namespace optiviz
