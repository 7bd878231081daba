// The model surface as the 2-D views see it: the training loss on a plane through the network's
// parameter space, as a LossSurface over plane coordinates (a, b). Its values interpolate a grid
// computed ahead (core/models/loss_plane.h: plane_grid) bilinearly, so the heatmap, the contours,
// the 3-D view and every export draw it as they draw any surface, and sampling it costs nothing.
// Runs do not step on it: they train in full parameter space and are projected onto the plane.
#pragma once

#include <memory>

#include "core/surfaces/loss_surface.h"
#include "core/models/loss_plane.h"

namespace optiviz::models {

class PlaneSurface final : public LossSurface {
public:
    // `grid` must have resolution >= 2. Outside its rectangle the values are those of the nearest edge.
    explicit PlaneSurface(std::shared_ptr<const PlaneGrid> grid);

    std::string_view name() const override { return "model"; }
    // The bilinear interpolation and its gradient (piecewise, one-sided at cell edges).
    void evaluate(PointsView points, LossAndGradient out) const override;
    // None: the grid's lowest value is not a minimum of the model's loss.
    std::vector<Eigen::Vector2d> minima() const override { return {}; }
    ViewRect default_view() const override { return grid_->rect; }

    const PlaneGrid& grid() const { return *grid_; }

private:
    std::shared_ptr<const PlaneGrid> grid_;
};

// A flat grid (every value 0) over [−1, 1]²: what the model surface shows before its first grid.
std::shared_ptr<const PlaneGrid> flat_plane_grid();

}  // namespace optiviz::models
