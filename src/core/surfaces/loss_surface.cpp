#include "core/surfaces/loss_surface.h"

#include <stdexcept>

namespace optiviz {

std::unique_ptr<MinibatchPlan> LossSurface::plan_minibatches(std::size_t, std::uint64_t, long) const {
    throw std::invalid_argument("surface '" + std::string(name()) +
                                "' has no data, so it has no mini-batches (use --surface mse or logistic)");
}

void LossSurface::evaluate_minibatch(const MinibatchPlan&, long, PointsView, LossAndGradient) const {
    throw std::invalid_argument("surface '" + std::string(name()) + "' has no data, so it has no mini-batches");
}

double LossSurface::value(double x, double y) const {
    double f = 0, gx = 0, gy = 0;
    evaluate({1, &x, &y}, {&f, &gx, &gy});
    return f;
}

Eigen::Vector2d LossSurface::gradient(double x, double y) const {
    double f = 0, gx = 0, gy = 0;
    evaluate({1, &x, &y}, {&f, &gx, &gy});
    return {gx, gy};
}

}  // namespace optiviz
