// Which part of the plane a landscape should show when it opens: the start, the minima and where the
// runs go, with a margin. Runs that fly far away (divergence) are not chased: they leave the frame and
// the landscape draws an edge arrow for them.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/optimizers/simulation.h"

namespace optiviz {

// The rectangle around `start`, `minima` and the rows of `paths` (runs and cloud particles) that lie
// within a reach of the start and minima (their box together with `fallback`, the surface's default
// view, grown by half on each side), padded by 10% on each side and never smaller than 15% of the
// fallback's larger side. Always finite with max > min. Null paths are skipped.
ViewRect frame_view(const ViewRect& fallback, const Eigen::Vector2d& start, const std::vector<Eigen::Vector2d>& minima,
                    const std::vector<const Trajectory*>& paths);

}  // namespace optiviz
