// The landscape of a model: a plane through its parameter space, θ(a, b) = origin + a·u + b·v, and
// the training loss on a grid over that plane, with the runs' paths projected onto it.
//
// Three kinds of plane (Li, Xu, Taylor, Studer and Goldstein, "Visualizing the Loss Landscape of
// Neural Nets", NeurIPS 2018):
//   - pca: the first two principal components of the paths' points (every run of a scene pooled),
//     around their common centre (the mean of those points); u and v orthonormal. The share of the
//     points' variance the two components explain is reported, since a low share means the paths
//     mostly move off the plane.
//   - random: two Gaussian directions around a point (a run's end), filter-normalised (§4): each row
//     of each layer's weight direction (the weights into one neuron: the "filter" of a fully
//     connected layer) is scaled to the norm of that row of the parameters. Bias directions are zero,
//     as the paper's code does by default (ignore='biasbn'): the plane moves the weights only.
//     u and v are not orthogonal (nearly, in many dimensions); projections solve the 2 × 2 system.
//   - three-points: the plane through a start and two runs' ends, origin the start, u towards the
//     first end, v by Gram–Schmidt towards the second; u and v orthonormal.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/models/network.h"
#include "core/models/table_data.h"
#include "core/runtime/worker_pool.h"

namespace optiviz::models {

enum class PlaneKind { Pca, Random, ThreePoints };
std::string_view plane_kind_name(PlaneKind kind);  // "pca", "random", "three-points"
// Throws std::invalid_argument("unknown plane 'x' (known: pca, random, three-points)").
PlaneKind parse_plane_kind(std::string_view name);

struct ParameterPlane {
    PlaneKind kind = PlaneKind::Pca;
    std::vector<double> origin, u, v;  // each of the parameter count's length
    // pca: the share of the points' variance along u and along v (each 0..1; their sum is what the
    // plane explains). NaN for the other kinds.
    double explained_u = std::numeric_limits<double>::quiet_NaN();
    double explained_v = std::numeric_limits<double>::quiet_NaN();
    double explained() const { return explained_u + explained_v; }
    std::size_t dimension() const { return origin.size(); }
};

// The plane of the first two principal components of `points` (rows × dimension values, row-major:
// several runs' snapshots one after another). Each direction's sign makes its largest-magnitude
// component positive (the first of equal ones). With all points on one line, v is a seeded random
// unit vector orthogonal to u (explained_v 0). Exact (an eigendecomposition of the smaller of the
// rows × rows and dimension × dimension matrices), so callers keep rows to a few hundred. Throws
// std::invalid_argument when there are fewer than 2 rows or the points do not move.
ParameterPlane pca_plane(std::span<const double> points, std::size_t dimension);

// The filter-normalised version of `raw` (a direction, network.parameter_count() values) at `theta`:
// each weight row scaled to ‖θ row‖ / ‖raw row‖ (a zero raw row stays zero), biases zero.
std::vector<double> filter_normalized(const Network& network, std::span<const double> theta,
                                      std::span<const double> raw);
// The random plane around `centre`: u and v are filter_normalized standard normal draws from
// DeterministicRng(seed) (u's values first, then v's, in parameter order).
ParameterPlane random_plane(const Network& network, std::span<const double> centre, std::uint64_t seed);

// The plane through `start`, `end1` and `end2`. Throws std::invalid_argument when the three points
// are on one line (or two coincide).
ParameterPlane three_point_plane(std::span<const double> start, std::span<const double> end1,
                                 std::span<const double> end2);

// A point's plane coordinates (least squares: the nearest point of the plane is origin + a·u + b·v)
// and its Euclidean distance from the plane, in parameter units.
struct PlaneProjection {
    double a = 0, b = 0, distance = 0;
};
PlaneProjection project(const ParameterPlane& plane, std::span<const double> point);
// Every row of `points` (rows × dimension, row-major).
std::vector<PlaneProjection> project_rows(const ParameterPlane& plane, std::span<const double> points);
// origin + a·u + b·v.
std::vector<double> plane_point(const ParameterPlane& plane, double a, double b);

// The training loss on the plane, fast: the first layer's pre-activations are linear in (a, b)
// (X·(W0 + aU + bV)ᵀ + (b0 + a·ub + b·vb)), so its three products with the data are computed once
// and each point of the plane costs only the layers after the first. Equal to
// network.loss(plane_point(a, b), data) up to rounding. Holds references to its arguments.
class PlaneLoss {
public:
    PlaneLoss(const Network& network, const ParameterPlane& plane, const LabeledTable& data);
    double operator()(double a, double b) const;

private:
    const Network& network_;
    const ParameterPlane& plane_;
    const LabeledTable& data_;
    Eigen::MatrixXd origin_z_, u_z_, v_z_;  // n × widths()[1]
};

// The loss on a resolution × resolution grid over `rect` in plane coordinates: value (i, j) at
// a = x_min + i·(x_max − x_min)/(resolution − 1), b = y_min + j·(y_max − y_min)/(resolution − 1),
// stored at values[j·resolution + i]. Non-finite losses are kept as they are.
struct PlaneGrid {
    ViewRect rect;
    int resolution = 0;
    std::vector<double> values;
    double at(int i, int j) const { return values[static_cast<std::size_t>(j) * static_cast<std::size_t>(resolution) + static_cast<std::size_t>(i)]; }
};

// Computes the grid on the shared worker pool, one grid row per work item (bounded work: items of
// `resolution` points each, `priority` against other work). resolution 2..1025. With `cancel`,
// checked between points: throws std::runtime_error("cancelled").
PlaneGrid plane_grid(const PlaneLoss& loss, const ViewRect& rect, int resolution,
                     const std::atomic<bool>* cancel = nullptr, Priority priority = Priority::Normal);
// The grid `factor` times finer over the same rectangle ((coarse − 1)·factor + 1 points a side),
// reusing the coarse grid's values where the two grids share points: 17 × 17 refined by 4 is
// 65 × 65, of which 289 points are already known.
PlaneGrid refine_plane_grid(const PlaneLoss& loss, const PlaneGrid& coarse, int factor,
                            const std::atomic<bool>* cancel = nullptr, Priority priority = Priority::Normal);

// The rectangle of plane coordinates a picture shows: the projected points' extent with `margin`
// (a share of each side's span) on every side, and never smaller than `minimum_half_width` around
// the centre of the points (random planes: 1, the unit of filter-normalised directions).
ViewRect plane_rect(std::span<const PlaneProjection> points, double margin = 0.25, double minimum_half_width = 0.0);

}  // namespace optiviz::models
