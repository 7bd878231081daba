#include "support/catch.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include <Eigen/Dense>

#include "core/presentation/color_scale.h"
#include "core/surfaces/mse_surface.h"
#include "core/runtime/random.h"
#include "core/surfaces/surface_registry.h"

using namespace optiviz;

namespace {

// Central differences of the surface's own value, with a step scaled to the point.
Eigen::Vector2d numeric_gradient(const LossSurface& s, double x, double y) {
    const double hx = 1e-6 * std::max(1.0, std::abs(x)), hy = 1e-6 * std::max(1.0, std::abs(y));
    return {(s.value(x + hx, y) - s.value(x - hx, y)) / (2 * hx), (s.value(x, y + hy) - s.value(x, y - hy)) / (2 * hy)};
}

void check_gradients(const LossSurface& s, int samples) {
    const ViewRect v = s.default_view();
    DeterministicRng rng(42);
    for (int i = 0; i < samples; ++i) {
        const double x = v.x_min + (v.x_max - v.x_min) * rng.uniform();
        const double y = v.y_min + (v.y_max - v.y_min) * rng.uniform();
        const Eigen::Vector2d analytic = s.gradient(x, y);
        const Eigen::Vector2d numeric = numeric_gradient(s, x, y);
        const double f = std::abs(s.value(x, y));
        // Truncation error O(h²) plus rounding error O(ε·|f|/h).
        const double tol = 1e-5 * (1.0 + analytic.norm()) + 1e-9 * f;
        INFO(s.name() << " at (" << x << ", " << y << "): analytic " << analytic.transpose() << " numeric "
                      << numeric.transpose());
        CHECK((analytic - numeric).norm() <= tol);
    }
}

}  // namespace

TEST_CASE("every surface's gradient matches central differences", "[surfaces]") {
    for (const auto& info : surface_registry()) {
        const auto surface = make_surface(info.name, {});
        check_gradients(*surface, 400);
    }
    // Non-default parameters exercise the parameter paths.
    check_gradients(*make_surface("rosenbrock", {{"a", 2.0}, {"b", 30.0}}), 200);
    check_gradients(*make_surface("quadratic", {{"a", 3.0}, {"b", -1.0}, {"c", 0.5}}), 200);
    check_gradients(*make_surface("ackley", {{"a", 10.0}, {"b", 0.5}, {"c", 3.0}}), 200);
    check_gradients(*make_surface("rastrigin", {{"A", 3.0}}), 200);
}

TEST_CASE("Rosenbrock's gradient is the double autograd's association gives", "[surfaces]") {
    // The surface computes ∂f/∂x as −2·(u + gy·x), two operations fewer than autograd's
    // −2u − 4·((b·w)·x): the same double whenever no intermediate is subnormal or overflows, since
    // only powers of two moved. Points span 2^−30 .. 2^30 in |x| with a and b default and not.
    DeterministicRng rng(7);
    long points = 0;
    for (int e = -30; e <= 30; e += 2) {
        const double scale = std::ldexp(1.0, e);
        for (int k = 0; k < 2000; ++k) {
            const double a = k % 3 == 0 ? 20.0 * rng.uniform() - 10.0 : 1.0;
            const double b = k % 5 == 0 ? 1000.0 * rng.uniform() : 100.0;
            const double x = (2.0 * rng.uniform() - 1.0) * scale, y = (2.0 * rng.uniform() - 1.0) * scale * scale;
            const auto surface = make_surface("rosenbrock", {{"a", a}, {"b", b}});
            const Eigen::Vector2d g = surface->gradient(x, y);
            const double u = a - x, w = y - x * x;
            const double autograd_gx = -2.0 * u - 4.0 * (b * w * x), autograd_gy = 2.0 * b * w;
            INFO("a " << a << " b " << b << " x " << x << " y " << y);
            REQUIRE(std::bit_cast<std::uint64_t>(g.x()) == std::bit_cast<std::uint64_t>(autograd_gx));
            REQUIRE(std::bit_cast<std::uint64_t>(g.y()) == std::bit_cast<std::uint64_t>(autograd_gy));
            ++points;
        }
    }
    CHECK(points == 31 * 2000);
}

TEST_CASE("batched evaluation equals point-by-point evaluation", "[surfaces]") {
    for (const auto& info : surface_registry()) {
        const auto s = make_surface(info.name, {});
        std::vector<double> x(37), y(37), f(37), gx(37), gy(37);
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = -2.0 + 0.11 * static_cast<double>(i);
            y[i] = 1.5 - 0.07 * static_cast<double>(i);
        }
        s->evaluate({x.size(), x.data(), y.data()}, {f.data(), gx.data(), gy.data()});
        for (std::size_t i = 0; i < x.size(); ++i) {
            CHECK(f[i] == s->value(x[i], y[i]));
            CHECK(gx[i] == s->gradient(x[i], y[i]).x());
        }
    }
}

TEST_CASE("known minima are stationary, locally minimal and have the textbook values", "[surfaces]") {
    struct Expect {
        const char* name;
        double value;
        std::size_t count;
    };
    const Expect expected[] = {
        {"rosenbrock", 0.0, 1},     {"quadratic", 0.0, 1},       {"beale", 0.0, 1},
        {"himmelblau", 0.0, 4},     {"rastrigin", 0.0, 1},       {"ackley", 0.0, 1},
        {"booth", 0.0, 1},          {"six_hump_camel", -1.0316284534898774, 2},
        {"goldstein_price", 3.0, 1}, {"styblinski_tang", -78.33233140754282, 1},
        {"saddle", 0.0, 0},
    };
    for (const auto& e : expected) {
        INFO(e.name);
        const auto s = make_surface(e.name, {});
        const auto minima = s->minima();
        REQUIRE(minima.size() == e.count);
        for (const auto& m : minima) {
            CHECK(s->value(m.x(), m.y()) == Approx(e.value).margin(1e-9));
            if (std::string(e.name) != "ackley") CHECK(s->gradient(m.x(), m.y()).norm() < 1e-7);
            for (int k = 0; k < 8; ++k) {
                const double angle = k * 0.785398163;
                CHECK(s->value(m.x() + 1e-3 * std::cos(angle), m.y() + 1e-3 * std::sin(angle)) >
                      s->value(m.x(), m.y()));
            }
        }
    }
    CHECK(make_surface("rosenbrock", {{"a", 2.0}})->minima().front().isApprox(Eigen::Vector2d(2.0, 4.0)));
    CHECK(make_surface("quadratic", {{"c", 5.0}})->minima().empty());  // ab − c² < 0: a saddle
}

TEST_CASE("surface errors are one clear line", "[surfaces]") {
    CHECK_THROWS_WITH(make_surface("nope", {}), Catch::Contains("unknown surface 'nope'") &&
                                                    Catch::Contains("rosenbrock"));
    CHECK_THROWS_WITH(make_surface("rosenbrock", {{"c", 1.0}}), Catch::Contains("rosenbrock has no parameter 'c'"));
    CHECK_THROWS_WITH(make_surface("rosenbrock", {{"b", -1.0}}), Catch::Contains("b must be >= 0"));
    auto data = std::make_shared<const Dataset>(make_synthetic_dataset({}));
    CHECK_THROWS_WITH(make_surface("booth", {}, data), Catch::Contains("takes no data"));
}

TEST_CASE("mse from sufficient statistics equals the row-by-row sum", "[surfaces][mse]") {
    SyntheticDatasetSpec spec;
    spec.rows = 500;
    spec.x_offset = 40.0;  // offset data: the centred statistics must not lose digits
    spec.noise = 0.01;
    auto data = std::make_shared<const Dataset>(make_synthetic_dataset(spec));
    const MseSurface s(data);
    for (double w : {-1.0, 0.5, 2.0, 2.0001}) {
        for (double b : {-3.0, -1.0, 0.0, 4.0}) {
            double loss = 0, gw = 0, gb = 0;
            const double n = static_cast<double>(data->size());
            for (std::size_t i = 0; i < data->size(); ++i) {
                const double r = w * data->x[i] + b - data->y[i];
                loss += r * r / n;
                gw += 2 * r * data->x[i] / n;
                gb += 2 * r / n;
            }
            CHECK(s.value(w, b) == Approx(loss).epsilon(1e-10));
            CHECK(s.gradient(w, b).x() == Approx(gw).epsilon(1e-9).margin(1e-9));
            CHECK(s.gradient(w, b).y() == Approx(gb).epsilon(1e-9).margin(1e-9));
        }
    }
    // The closed-form minimum solves the normal equations.
    const Eigen::Vector2d m = s.minima().front();
    Eigen::Matrix2d A = Eigen::Matrix2d::Zero();
    Eigen::Vector2d rhs = Eigen::Vector2d::Zero();
    for (std::size_t i = 0; i < data->size(); ++i) {
        A(0, 0) += data->x[i] * data->x[i];
        A(0, 1) += data->x[i];
        A(1, 1) += 1;
        rhs(0) += data->x[i] * data->y[i];
        rhs(1) += data->y[i];
    }
    A(1, 0) = A(0, 1);
    const Eigen::Vector2d normal = A.colPivHouseholderQr().solve(rhs);
    CHECK(m.x() == Approx(normal.x()).epsilon(1e-8));
    CHECK(m.y() == Approx(normal.y()).epsilon(1e-8));
    CHECK(s.gradient(m.x(), m.y()).norm() < 1e-9);
}

namespace {

// A surface that fails on the lower half (y < 0) or the upper half of any view symmetric about y = 0.
class HalfFailingSurface final : public LossSurface {
public:
    explicit HalfFailingSurface(bool lower) : lower_(lower) {}
    std::string_view name() const override { return "half-failing"; }
    void evaluate(PointsView points, LossAndGradient out) const override {
        for (std::size_t i = 0; i < points.count; ++i) {
            if ((points.y[i] < 0) == lower_) throw std::runtime_error("this half cannot be evaluated");
            out.loss[i] = points.x[i] * points.x[i];
            out.gx[i] = 2 * points.x[i];
            out.gy[i] = 0;
        }
    }
    std::vector<Eigen::Vector2d> minima() const override { return {}; }
    ViewRect default_view() const override { return {}; }

private:
    bool lower_;
};

}  // namespace

TEST_CASE("a heatmap whose evaluation fails in either half throws to its caller", "[core][heatmap]") {
    // 300 × 300 points: the two halves are evaluated on two threads; each may be the one that fails.
    for (const bool lower : {true, false}) {
        const HalfFailingSurface surface(lower);
        FieldGrid grid;
        CHECK_THROWS_WITH(sample_field_into(grid, surface, {-1, 1, -1, 1}, 300, 300), "this half cannot be evaluated");
    }
    // A grid that fails nowhere is sampled whole.
    const HalfFailingSurface surface(true);
    FieldGrid grid;
    sample_field_into(grid, surface, {-1, 1, 0.5, 1}, 300, 300);
    CHECK(grid.loss.size() == 90000u);
    CHECK(grid.loss[0] == Approx(std::pow(-1 + 1.0 / 300, 2)));
}
