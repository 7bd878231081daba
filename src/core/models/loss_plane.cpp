#include "core/models/loss_plane.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Eigenvalues>

#include "core/runtime/random.h"
#include "core/io/text_escape.h"

namespace optiviz::models {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vec = Eigen::Map<const Eigen::VectorXd>;

Vec as_vector(std::span<const double> v) { return Vec(v.data(), static_cast<Eigen::Index>(v.size())); }

std::vector<double> to_std(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

// The sign that makes the largest-magnitude component positive (the first of equal ones), so that a
// direction does not flip between two computations of the same plane.
void fix_sign(Eigen::VectorXd& v) {
    Eigen::Index top = 0;
    for (Eigen::Index i = 1; i < v.size(); ++i)
        if (std::abs(v(i)) > std::abs(v(top))) top = i;
    if (v(top) < 0) v = -v;
}

// A unit vector orthogonal to `u` (unit), drawn from a seeded normal.
Eigen::VectorXd orthogonal_unit(const Eigen::VectorXd& u) {
    DeterministicRng rng(1);
    for (int attempt = 0; attempt < 8; ++attempt) {
        Eigen::VectorXd v(u.size());
        for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = rng.normal();
        v -= u.dot(v) * u;
        if (v.norm() > 1e-8) return v / v.norm();
    }
    throw std::invalid_argument("no plane: the parameters have a single dimension");
}

void check_grid_size(int resolution) {
    if (resolution < 2 || resolution > 1025)
        throw std::invalid_argument("plane grid: resolution " + std::to_string(resolution) + " is outside 2..1025");
}

// Fills the grid's values for every (i, j) with `wanted(i, j)`, one grid row per pool item.
template <class Wanted>
void fill_grid(const PlaneLoss& loss, PlaneGrid& grid, const Wanted& wanted, const std::atomic<bool>* cancel,
               Priority priority) {
    const int n = grid.resolution;
    const double da = (grid.rect.x_max - grid.rect.x_min) / (n - 1);
    const double db = (grid.rect.y_max - grid.rect.y_min) / (n - 1);
    WorkerPool::shared().parallel_for(
        static_cast<std::size_t>(n),
        [&](std::size_t row) {
            const int j = static_cast<int>(row);
            const double b = j == n - 1 ? grid.rect.y_max : grid.rect.y_min + j * db;
            for (int i = 0; i < n; ++i) {
                if (!wanted(i, j)) continue;
                if (cancel && cancel->load(std::memory_order_relaxed)) throw std::runtime_error("cancelled");
                const double a = i == n - 1 ? grid.rect.x_max : grid.rect.x_min + i * da;
                grid.values[row * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = loss(a, b);
            }
        },
        priority);
}

}  // namespace

std::string_view plane_kind_name(PlaneKind kind) {
    switch (kind) {
        case PlaneKind::Pca: return "pca";
        case PlaneKind::Random: return "random";
        case PlaneKind::ThreePoints: return "three-points";
    }
    return "pca";
}

PlaneKind parse_plane_kind(std::string_view name) {
    if (name == "pca") return PlaneKind::Pca;
    if (name == "random") return PlaneKind::Random;
    if (name == "three-points") return PlaneKind::ThreePoints;
    throw std::invalid_argument("unknown plane '" + printable(std::string(name)) + "' (known: pca, random, three-points)");
}

ParameterPlane pca_plane(std::span<const double> points, std::size_t dimension) {
    if (dimension < 2) throw std::invalid_argument("no plane: the parameters have a single dimension");
    if (points.size() % dimension != 0) throw std::invalid_argument("plane points: not whole rows");
    const auto rows = static_cast<Eigen::Index>(points.size() / dimension);
    if (rows < 2) throw std::invalid_argument("no plane of principal components: fewer than two points");
    const Eigen::Map<const RowMajor> x(points.data(), rows, static_cast<Eigen::Index>(dimension));
    const Eigen::RowVectorXd centre = x.colwise().mean();
    const RowMajor centred = x.rowwise() - centre;

    // The principal directions from whichever of the two symmetric matrices is smaller: the
    // eigenvectors of XᵀX, or Xᵀw/√λ for the eigenvectors w of XXᵀ (the same directions).
    Eigen::VectorXd values;
    Eigen::VectorXd u, v;
    const bool by_rows = rows <= static_cast<Eigen::Index>(dimension);
    const Eigen::MatrixXd product = by_rows ? Eigen::MatrixXd(centred * centred.transpose())
                                            : Eigen::MatrixXd(centred.transpose() * centred);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(product);
    if (solver.info() != Eigen::Success) throw std::invalid_argument("no plane of principal components: the eigensolver failed");
    values = solver.eigenvalues().cwiseMax(0.0);  // ascending
    const Eigen::Index last = values.size() - 1;
    const double total = values.sum();
    if (!(total > 0) || !(values(last) > 1e-300)) throw std::invalid_argument("no plane of principal components: the paths do not move");
    auto direction = [&](Eigen::Index k) -> Eigen::VectorXd {
        Eigen::VectorXd d = by_rows ? Eigen::VectorXd(centred.transpose() * solver.eigenvectors().col(k))
                                    : Eigen::VectorXd(solver.eigenvectors().col(k));
        d /= d.norm();
        fix_sign(d);
        return d;
    };
    u = direction(last);
    const bool flat = values(last - 1) <= 1e-12 * values(last);
    if (flat) {
        v = orthogonal_unit(u);
        fix_sign(v);
    } else {
        v = direction(last - 1);
        v -= u.dot(v) * u;  // orthogonal to rounding already; made exact for the projections
        v /= v.norm();
    }
    ParameterPlane plane;
    plane.kind = PlaneKind::Pca;
    plane.origin = to_std(centre.transpose());
    plane.u = to_std(u);
    plane.v = to_std(v);
    plane.explained_u = values(last) / total;
    plane.explained_v = flat ? 0.0 : values(last - 1) / total;
    return plane;
}

std::vector<double> filter_normalized(const Network& network, std::span<const double> theta, std::span<const double> raw) {
    if (theta.size() != network.parameter_count() || raw.size() != network.parameter_count())
        throw std::invalid_argument("filter normalisation: wrong parameter count");
    std::vector<double> out(raw.size(), 0.0);  // biases stay zero
    const auto& widths = network.widths();
    for (std::size_t l = 0; l < network.layers(); ++l) {
        const std::size_t rows = widths[l + 1], cols = widths[l];
        for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t begin = network.layer_offset(l) + r * cols;
            const double theta_norm = as_vector(theta.subspan(begin, cols)).norm();
            const double raw_norm = as_vector(raw.subspan(begin, cols)).norm();
            if (raw_norm == 0.0) continue;
            const double scale = theta_norm / raw_norm;
            for (std::size_t c = 0; c < cols; ++c) out[begin + c] = raw[begin + c] * scale;
        }
    }
    return out;
}

ParameterPlane random_plane(const Network& network, std::span<const double> centre, std::uint64_t seed) {
    if (centre.size() != network.parameter_count()) throw std::invalid_argument("random plane: wrong parameter count");
    DeterministicRng rng(seed);
    std::vector<double> raw_u(centre.size()), raw_v(centre.size());
    for (double& x : raw_u) x = rng.normal();
    for (double& x : raw_v) x = rng.normal();
    ParameterPlane plane;
    plane.kind = PlaneKind::Random;
    plane.origin.assign(centre.begin(), centre.end());
    plane.u = filter_normalized(network, centre, raw_u);
    plane.v = filter_normalized(network, centre, raw_v);
    if (as_vector(plane.u).norm() == 0.0 || as_vector(plane.v).norm() == 0.0)
        throw std::invalid_argument("random plane: the weights are all zero, so filter-normalised directions are too");
    return plane;
}

ParameterPlane three_point_plane(std::span<const double> start, std::span<const double> end1, std::span<const double> end2) {
    if (start.size() != end1.size() || start.size() != end2.size())
        throw std::invalid_argument("three-point plane: the points have different lengths");
    Eigen::VectorXd u = as_vector(end1) - as_vector(start);
    Eigen::VectorXd v = as_vector(end2) - as_vector(start);
    const double scale = std::max(u.norm(), v.norm());
    if (!(u.norm() > 1e-12 * scale) || !(scale > 0))
        throw std::invalid_argument("three-point plane: the first end is the start");
    u /= u.norm();
    v -= u.dot(v) * u;
    v -= u.dot(v) * u;  // a second pass: Gram–Schmidt loses orthogonality when v is nearly along u
    if (!(v.norm() > 1e-9 * scale)) throw std::invalid_argument("three-point plane: the three points are on one line");
    v /= v.norm();
    ParameterPlane plane;
    plane.kind = PlaneKind::ThreePoints;
    plane.origin.assign(start.begin(), start.end());
    plane.u = to_std(u);
    plane.v = to_std(v);
    return plane;
}

PlaneProjection project(const ParameterPlane& plane, std::span<const double> point) {
    if (point.size() != plane.dimension()) throw std::invalid_argument("projection: wrong parameter count");
    const Vec u = as_vector(plane.u), v = as_vector(plane.v);
    const Eigen::VectorXd r = as_vector(point) - as_vector(plane.origin);
    // Least squares: [u·u u·v; u·v v·v] (a, b) = (u·r, v·r).
    Eigen::Matrix2d gram;
    gram << u.dot(u), u.dot(v), u.dot(v), v.dot(v);
    const Eigen::Vector2d coords = gram.ldlt().solve(Eigen::Vector2d(u.dot(r), v.dot(r)));
    PlaneProjection p;
    p.a = coords(0);
    p.b = coords(1);
    p.distance = (r - p.a * u - p.b * v).norm();
    return p;
}

std::vector<PlaneProjection> project_rows(const ParameterPlane& plane, std::span<const double> points) {
    const std::size_t d = plane.dimension();
    if (d == 0 || points.size() % d != 0) throw std::invalid_argument("projection: not whole rows");
    std::vector<PlaneProjection> out;
    out.reserve(points.size() / d);
    for (std::size_t k = 0; k < points.size(); k += d) out.push_back(project(plane, points.subspan(k, d)));
    return out;
}

std::vector<double> plane_point(const ParameterPlane& plane, double a, double b) {
    std::vector<double> theta(plane.dimension());
    for (std::size_t k = 0; k < theta.size(); ++k) theta[k] = plane.origin[k] + a * plane.u[k] + b * plane.v[k];
    return theta;
}

PlaneLoss::PlaneLoss(const Network& network, const ParameterPlane& plane, const LabeledTable& data)
    : network_(network), plane_(plane), data_(data) {
    if (plane.dimension() != network.parameter_count()) throw std::invalid_argument("plane: wrong parameter count for the model");
    if (static_cast<std::size_t>(data.x.cols()) != network.inputs())
        throw std::invalid_argument("the data's feature count does not match the model's inputs");
    origin_z_ = network.first_layer(plane.origin, data.x);
    u_z_ = network.first_layer(plane.u, data.x);
    v_z_ = network.first_layer(plane.v, data.x);
}

double PlaneLoss::operator()(double a, double b) const {
    const std::vector<double> theta = plane_point(plane_, a, b);
    Eigen::MatrixXd z1 = origin_z_ + a * u_z_ + b * v_z_;
    return network_.loss_after_first_layer(theta, std::move(z1), data_.y);
}

PlaneGrid plane_grid(const PlaneLoss& loss, const ViewRect& rect, int resolution, const std::atomic<bool>* cancel,
                     Priority priority) {
    check_grid_size(resolution);
    PlaneGrid grid;
    grid.rect = rect;
    grid.resolution = resolution;
    grid.values.assign(static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution), 0.0);
    fill_grid(loss, grid, [](int, int) { return true; }, cancel, priority);
    return grid;
}

PlaneGrid refine_plane_grid(const PlaneLoss& loss, const PlaneGrid& coarse, int factor, const std::atomic<bool>* cancel,
                            Priority priority) {
    if (factor < 1) throw std::invalid_argument("plane grid: refinement factor below 1");
    const int resolution = (coarse.resolution - 1) * factor + 1;
    check_grid_size(resolution);
    PlaneGrid grid;
    grid.rect = coarse.rect;
    grid.resolution = resolution;
    grid.values.assign(static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution), 0.0);
    for (int j = 0; j < coarse.resolution; ++j)
        for (int i = 0; i < coarse.resolution; ++i)
            grid.values[static_cast<std::size_t>(j * factor) * static_cast<std::size_t>(resolution) +
                        static_cast<std::size_t>(i * factor)] = coarse.at(i, j);
    fill_grid(loss, grid, [factor](int i, int j) { return i % factor != 0 || j % factor != 0; }, cancel, priority);
    return grid;
}

ViewRect plane_rect(std::span<const PlaneProjection> points, double margin, double minimum_half_width) {
    if (points.empty()) return {-1, 1, -1, 1};
    double a0 = points[0].a, a1 = a0, b0 = points[0].b, b1 = b0;
    for (const PlaneProjection& p : points) {
        a0 = std::min(a0, p.a), a1 = std::max(a1, p.a);
        b0 = std::min(b0, p.b), b1 = std::max(b1, p.b);
    }
    // No sliver: the smaller side is at least half the larger (a path along one component would
    // otherwise give a strip no one can read).
    const double span = std::max({a1 - a0, b1 - b0, 1e-9});
    auto side = [&](double lo, double hi) {
        const double centre = 0.5 * (lo + hi);
        const double half = std::max({0.5 * (hi - lo) + margin * span, 0.25 * span * (1 + 2 * margin), minimum_half_width});
        return std::pair{centre - half, centre + half};
    };
    const auto [x0, x1] = side(a0, a1);
    const auto [y0, y1] = side(b0, b1);
    return {x0, x1, y0, y1};
}

}  // namespace optiviz::models
