#include "core/models/plane_surface.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace optiviz::models {

PlaneSurface::PlaneSurface(std::shared_ptr<const PlaneGrid> grid) : grid_(std::move(grid)) {
    if (!grid_ || grid_->resolution < 2 ||
        grid_->values.size() != static_cast<std::size_t>(grid_->resolution) * static_cast<std::size_t>(grid_->resolution))
        throw std::invalid_argument("the model surface needs a grid of at least 2 x 2 values");
}

void PlaneSurface::evaluate(PointsView points, LossAndGradient out) const {
    const PlaneGrid& g = *grid_;
    const int n = g.resolution;
    const double wa = (g.rect.x_max - g.rect.x_min) / (n - 1), wb = (g.rect.y_max - g.rect.y_min) / (n - 1);
    for (std::size_t k = 0; k < points.count; ++k) {
        const double a = points.x[k], b = points.y[k];
        if (!std::isfinite(a) || !std::isfinite(b)) {
            out.loss[k] = out.gx[k] = out.gy[k] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        // Cell (i, j) and the position in it, clamped to the grid.
        const double u = std::clamp((a - g.rect.x_min) / wa, 0.0, static_cast<double>(n - 1));
        const double v = std::clamp((b - g.rect.y_min) / wb, 0.0, static_cast<double>(n - 1));
        const int i = std::min(static_cast<int>(u), n - 2), j = std::min(static_cast<int>(v), n - 2);
        const double s = u - i, t = v - j;
        const double f00 = g.at(i, j), f10 = g.at(i + 1, j), f01 = g.at(i, j + 1), f11 = g.at(i + 1, j + 1);
        out.loss[k] = (1 - s) * (1 - t) * f00 + s * (1 - t) * f10 + (1 - s) * t * f01 + s * t * f11;
        out.gx[k] = ((1 - t) * (f10 - f00) + t * (f11 - f01)) / wa;
        out.gy[k] = ((1 - s) * (f01 - f00) + s * (f11 - f10)) / wb;
    }
}

std::shared_ptr<const PlaneGrid> flat_plane_grid() {
    auto grid = std::make_shared<PlaneGrid>();
    grid->rect = {-1, 1, -1, 1};
    grid->resolution = 2;
    grid->values.assign(4, 0.0);
    return grid;
}

}  // namespace optiviz::models
