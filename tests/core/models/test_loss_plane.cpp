// The planes through a model's parameter space (core/models/loss_plane.h): principal components
// against numpy's SVD (tests/reference/plane, scripts/pca_plane_reference.py), filter normalisation
// row by row, the three-point plane, projections and distances, and the loss grid.
#include "support/catch.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/models/loss_plane.h"
#include "core/models/network.h"
#include "core/runtime/random.h"

using namespace optiviz;
using namespace optiviz::models;

namespace {

const std::string kPlaneDir = std::string(OPTIVIZ_REFERENCE_DIR) + "/plane";

std::vector<std::vector<double>> read_rows(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in.good());
    std::vector<std::vector<double>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::istringstream fields(line);
        std::string field;
        while (std::getline(fields, field, ',')) row.push_back(std::stod(field));
        rows.push_back(row);
    }
    return rows;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

double norm(const std::vector<double>& a) { return std::sqrt(dot(a, a)); }

std::vector<double> normal_vector(std::size_t n, std::uint64_t seed) {
    DeterministicRng rng(seed);
    std::vector<double> v(n);
    for (double& x : v) x = rng.normal();
    return v;
}

LabeledTable small_table() {
    LabeledTable t;
    t.x.resize(20, 3);
    t.y.resize(20);
    for (int i = 0; i < 20; ++i) {
        t.x(i, 0) = std::sin(1.3 * i);
        t.x(i, 1) = std::cos(0.7 * i) * 2;
        t.x(i, 2) = 0.1 * i - 0.5;
        t.y(i) = i % 4;
    }
    return t;
}

}  // namespace

TEST_CASE("PCA plane matches numpy's SVD", "[models][plane]") {
    for (const std::string name : {"pca_tall", "pca_wide"}) {
        CAPTURE(name);
        const auto points = read_rows(kPlaneDir + "/" + name + ".points");
        const auto expected = read_rows(kPlaneDir + "/" + name + ".expected");
        std::vector<double> flat;
        for (const auto& p : points) flat.insert(flat.end(), p.begin(), p.end());
        const ParameterPlane plane = pca_plane(flat, points[0].size());
        CHECK(plane.kind == PlaneKind::Pca);
        CHECK(plane.explained_u == Approx(expected[0][0]).epsilon(1e-12));
        CHECK(plane.explained_v == Approx(expected[0][1]).epsilon(1e-12));
        for (std::size_t k = 0; k < plane.dimension(); ++k) {
            CAPTURE(k);
            CHECK(plane.origin[k] == Approx(expected[1][k]).margin(1e-12));
            CHECK(plane.u[k] == Approx(expected[2][k]).margin(1e-10));
            CHECK(plane.v[k] == Approx(expected[3][k]).margin(1e-10));
        }
        CHECK(norm(plane.u) == Approx(1.0).epsilon(1e-14));
        CHECK(std::abs(dot(plane.u, plane.v)) < 1e-14);
    }
}

TEST_CASE("PCA plane of points on a line and of points that do not move", "[models][plane]") {
    // Three points on a line along (1, 2, 2)/3: u is that line, v any unit vector orthogonal to it.
    const std::vector<double> line = {0, 0, 0, 1, 2, 2, 3, 6, 6};
    const ParameterPlane plane = pca_plane(line, 3);
    CHECK(plane.u[0] == Approx(1.0 / 3));
    CHECK(plane.u[1] == Approx(2.0 / 3));
    CHECK(plane.explained_u == Approx(1.0));
    CHECK(plane.explained_v == 0.0);
    CHECK(std::abs(dot(plane.u, plane.v)) < 1e-14);
    CHECK(norm(plane.v) == Approx(1.0));
    const std::vector<double> still = {1, 2, 3, 1, 2, 3};
    CHECK_THROWS_WITH(pca_plane(still, 3), Catch::Contains("do not move"));
    CHECK_THROWS_WITH(pca_plane(std::vector<double>{1, 2, 3}, 3), Catch::Contains("fewer than two points"));
}

TEST_CASE("Filter normalisation scales each weight row to the parameters' row norm", "[models][plane]") {
    const Network net({{5, 4}, Activation::Tanh}, 3, 2, LossKind::CrossEntropy);
    const std::vector<double> theta = net.initial_parameters(3);
    std::vector<double> raw = normal_vector(net.parameter_count(), 9);
    // One raw row all zero: it stays zero (no division by zero).
    for (std::size_t c = 0; c < 5; ++c) raw[net.layer_offset(1) + 2 * 5 + c] = 0.0;
    const std::vector<double> d = filter_normalized(net, theta, raw);
    const auto& widths = net.widths();
    for (std::size_t l = 0; l < net.layers(); ++l) {
        const std::size_t rows = widths[l + 1], cols = widths[l];
        for (std::size_t r = 0; r < rows; ++r) {
            CAPTURE(l, r);
            const std::size_t begin = net.layer_offset(l) + r * cols;
            const std::vector<double> tr(theta.begin() + static_cast<long>(begin), theta.begin() + static_cast<long>(begin + cols));
            const std::vector<double> rr(raw.begin() + static_cast<long>(begin), raw.begin() + static_cast<long>(begin + cols));
            const std::vector<double> dr(d.begin() + static_cast<long>(begin), d.begin() + static_cast<long>(begin + cols));
            if (norm(rr) == 0.0) {
                CHECK(norm(dr) == 0.0);
                continue;
            }
            CHECK(norm(dr) == Approx(norm(tr)).epsilon(1e-13));
            // Parallel to the raw row, same orientation.
            CHECK(dot(dr, rr) == Approx(norm(dr) * norm(rr)).epsilon(1e-13));
        }
        // The bias direction is zero.
        for (std::size_t k = 0; k < rows; ++k) CHECK(d[net.layer_offset(l) + rows * cols + k] == 0.0);
    }
    const ParameterPlane plane = random_plane(net, theta, 4);
    CHECK(plane.kind == PlaneKind::Random);
    CHECK(plane.origin == theta);
    CHECK(plane.u != plane.v);
    const std::vector<double> raw_u = normal_vector(net.parameter_count(), 4);
    CHECK(plane.u == filter_normalized(net, theta, raw_u));
}

TEST_CASE("The three-point plane holds its three points", "[models][plane]") {
    const std::vector<double> start = normal_vector(50, 1), end1 = normal_vector(50, 2), end2 = normal_vector(50, 3);
    const ParameterPlane plane = three_point_plane(start, end1, end2);
    CHECK(norm(plane.u) == Approx(1.0).epsilon(1e-14));
    CHECK(norm(plane.v) == Approx(1.0).epsilon(1e-14));
    CHECK(std::abs(dot(plane.u, plane.v)) < 1e-14);
    const PlaneProjection s = project(plane, start), p1 = project(plane, end1), p2 = project(plane, end2);
    CHECK(s.distance < 1e-13);
    CHECK(p1.distance < 1e-13);
    CHECK(p2.distance < 1e-13);
    CHECK(std::abs(s.a) < 1e-14);
    CHECK(std::abs(s.b) < 1e-14);
    std::vector<double> e1 = end1;
    for (std::size_t k = 0; k < e1.size(); ++k) e1[k] -= start[k];
    CHECK(p1.a == Approx(norm(e1)).epsilon(1e-13));
    CHECK(std::abs(p1.b) < 1e-13);
    CHECK(p2.b > 0);
    // The plane's points at those coordinates are the points themselves.
    const std::vector<double> back = plane_point(plane, p2.a, p2.b);
    for (std::size_t k = 0; k < back.size(); ++k) CHECK(back[k] == Approx(end2[k]).margin(1e-12));
    CHECK_THROWS_WITH(three_point_plane(start, end1, end1), Catch::Contains("one line"));
    CHECK_THROWS_WITH(three_point_plane(start, start, end2), Catch::Contains("first end is the start"));
}

TEST_CASE("Projections give the plane coordinates and the distance off the plane", "[models][plane]") {
    const Network net({{6}, Activation::Relu}, 3, 4, LossKind::CrossEntropy);
    const std::vector<double> theta = net.initial_parameters(5);
    // A random plane: u and v are not orthogonal, so the coordinates need the 2 × 2 solve.
    const ParameterPlane plane = random_plane(net, theta, 11);
    REQUIRE(std::abs(dot(plane.u, plane.v)) > 1e-3 * norm(plane.u) * norm(plane.v));
    // w: a vector orthogonal to u and v, through an orthonormal basis e1, e2 of their span.
    std::vector<double> e1 = plane.u, e2 = plane.v, w = normal_vector(theta.size(), 12);
    for (double& x : e1) x /= norm(plane.u);
    const double along = dot(e2, e1);
    for (std::size_t k = 0; k < e2.size(); ++k) e2[k] -= along * e1[k];
    const double e2_norm = norm(e2);
    for (double& x : e2) x /= e2_norm;
    for (int pass = 0; pass < 2; ++pass)
        for (const auto* e : {&e1, &e2}) {
            const double c = dot(w, *e);
            for (std::size_t k = 0; k < w.size(); ++k) w[k] -= c * (*e)[k];
        }
    for (const double off : {0.0, 0.37}) {
        CAPTURE(off);
        std::vector<double> point = plane_point(plane, 0.8, -1.3);
        for (std::size_t k = 0; k < w.size(); ++k) point[k] += off * w[k];
        const PlaneProjection p = project(plane, point);
        CHECK(p.a == Approx(0.8).epsilon(1e-12));
        CHECK(p.b == Approx(-1.3).epsilon(1e-12));
        if (off == 0.0) CHECK(p.distance < 1e-13);
        else CHECK(p.distance == Approx(off * norm(w)).epsilon(1e-12));
    }
    const std::vector<double> rows = [&] {
        std::vector<double> r = plane_point(plane, 1, 2);
        const std::vector<double> q = plane_point(plane, -3, 0.5);
        r.insert(r.end(), q.begin(), q.end());
        return r;
    }();
    const std::vector<PlaneProjection> both = project_rows(plane, rows);
    REQUIRE(both.size() == 2);
    CHECK(both[1].a == Approx(-3).epsilon(1e-12));
    CHECK(both[1].b == Approx(0.5).epsilon(1e-12));
}

TEST_CASE("The loss on the plane equals the network's loss at the plane's points", "[models][plane]") {
    const LabeledTable data = small_table();
    for (const ModelSpec& spec : {ModelSpec{{}, Activation::Tanh}, ModelSpec{{5, 3}, Activation::Sigmoid}}) {
        CAPTURE(describe_model(spec));
        const Network net(spec, 3, 4, LossKind::CrossEntropy);
        const std::vector<double> start = net.initial_parameters(1);
        const ParameterPlane plane = three_point_plane(start, net.initial_parameters(2), net.initial_parameters(3));
        const PlaneLoss loss(net, plane, data);
        for (const auto& [a, b] : {std::pair{0.0, 0.0}, {1.5, -0.7}, {-2.0, 3.0}}) {
            CAPTURE(a, b);
            CHECK(loss(a, b) == Approx(net.loss(plane_point(plane, a, b), {&data.x, &data.y})).epsilon(1e-12));
        }
        const ViewRect rect{-1, 2, -0.5, 1.5};
        const PlaneGrid grid = plane_grid(loss, rect, 9);
        REQUIRE(grid.values.size() == 81);
        CHECK(grid.at(0, 0) == loss(-1, -0.5));
        CHECK(grid.at(8, 0) == loss(2, -0.5));
        CHECK(grid.at(2, 5) == Approx(loss(-1 + 2 * 3.0 / 8, -0.5 + 5 * 2.0 / 8)).epsilon(1e-14));
        CHECK(grid.at(8, 8) == loss(2, 1.5));
        // Refined: the coarse values kept where the grids meet, the others as a direct fine grid.
        const PlaneGrid coarse = plane_grid(loss, rect, 5);
        const PlaneGrid fine = refine_plane_grid(loss, coarse, 2);
        REQUIRE(fine.resolution == 9);
        CHECK(fine.at(2, 4) == coarse.at(1, 2));
        for (std::size_t k = 0; k < 81; ++k) CHECK(fine.values[k] == Approx(grid.values[k]).epsilon(1e-13));
    }
}

TEST_CASE("Plane grids refuse bad sizes and stop when cancelled", "[models][plane]") {
    const LabeledTable data = small_table();
    const Network net({{4}, Activation::Tanh}, 3, 4, LossKind::CrossEntropy);
    const ParameterPlane plane = random_plane(net, net.initial_parameters(0), 1);
    const PlaneLoss loss(net, plane, data);
    CHECK_THROWS_WITH(plane_grid(loss, {-1, 1, -1, 1}, 1), Catch::Contains("outside 2..1025"));
    std::atomic<bool> cancel{true};
    CHECK_THROWS_WITH(plane_grid(loss, {-1, 1, -1, 1}, 5, &cancel), Catch::Contains("cancelled"));
    CHECK(parse_plane_kind("three-points") == PlaneKind::ThreePoints);
    CHECK_THROWS_WITH(parse_plane_kind("pcb"), Catch::Contains("unknown plane 'pcb' (known: pca, random, three-points)"));
}

TEST_CASE("The plane's rectangle holds every projected point", "[models][plane]") {
    const std::vector<PlaneProjection> points = {{-2, 0.1, 0}, {3, 0.2, 0}, {1, -0.05, 0}};
    const ViewRect r = plane_rect(points);
    for (const PlaneProjection& p : points) {
        CHECK(p.a > r.x_min);
        CHECK(p.a < r.x_max);
        CHECK(p.b > r.y_min);
        CHECK(p.b < r.y_max);
    }
    CHECK(r.y_max - r.y_min >= 0.5 * (r.x_max - r.x_min) - 1e-12);  // no sliver
    const ViewRect unit = plane_rect(std::vector<PlaneProjection>{{0, 0, 0}, {0.1, 0.1, 0}}, 0.25, 1.0);
    CHECK(unit.x_max - unit.x_min >= 2.0);
}
