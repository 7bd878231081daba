// The analytic test functions (standard 2-D definitions) and the surface registry.
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <Eigen/LU>

#include "core/expression_surface.h"
#include "core/registry_lookup.h"
#include "core/logistic_surface.h"
#include "core/mse_surface.h"
#include "core/vector_kernel.h"
#include "core/surface_registry.h"

namespace optiviz {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = std::numbers::pi;

template <class Formula>
OPTIVIZ_VECTOR_KERNEL void evaluate_formula(const Formula& f, PointsView p, LossAndGradient out) {
    const double* __restrict x = p.x;
    const double* __restrict y = p.y;
    double* __restrict loss = out.loss;
    double* __restrict gx = out.gx;
    double* __restrict gy = out.gy;
    for (std::size_t i = 0; i < p.count; ++i) f.eval(x[i], y[i], loss[i], gx[i], gy[i]);
}

// An analytic surface: `Formula` supplies name(), a per-point eval() that the compiler inlines into
// the batch loop (so it vectorises), minima() and view().
template <class Formula>
class AnalyticSurface final : public LossSurface {
public:
    // Minima without a closed form are polished by Newton's method once, here: the views ask for
    // them every frame.
    explicit AnalyticSurface(const ParamValues& values) : formula_(values) {
        for (const Eigen::Vector2d& guess : formula_.minima_guesses())
            minima_.push_back(Formula::kClosedFormMinima ? guess : polish_stationary_point(*this, guess));
    }

    std::string_view name() const override { return Formula::kName; }

    void evaluate(PointsView p, LossAndGradient out) const override { evaluate_formula(formula_, p, out); }

    std::vector<Eigen::Vector2d> minima() const override { return minima_; }

    ViewRect default_view() const override { return formula_.view(); }

private:
    Formula formula_;
    std::vector<Eigen::Vector2d> minima_;
};

struct Rosenbrock {
    static constexpr const char* kName = "rosenbrock";
    static constexpr bool kClosedFormMinima = true;
    double a, b;
    explicit Rosenbrock(const ParamValues& v) : a(v.get("a")), b(v.get("b")) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        // Associated as autograd computes (a − x)² + b·(y − x²)², so that L-BFGS, which amplifies
        // last-bit differences along the valley, follows torch to 1e-12.
        const double u = a - x, w = y - x * x;
        f = u * u + b * (w * w);
        gx = -2.0 * u - 4.0 * (b * w * x);
        gy = 2.0 * b * w;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const {
        if (b > 0) return {{a, a * a}};
        return {};
    }
    ViewRect view() const { return {a - 3.0, a + 1.0, a * a - 2.0, a * a + 2.0}; }
};

struct Quadratic {
    static constexpr const char* kName = "quadratic";
    static constexpr bool kClosedFormMinima = true;
    double a, b, c;
    explicit Quadratic(const ParamValues& v) : a(v.get("a")), b(v.get("b")), c(v.get("c")) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        f = 0.5 * (a * x * x + b * y * y) + c * x * y;
        gx = a * x + c * y;
        gy = b * y + c * x;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const {
        if (a > 0 && a * b - c * c > 0) return {{0.0, 0.0}};  // Hessian [[a,c],[c,b]] positive definite
        return {};
    }
    ViewRect view() const { return {-2.0, 2.0, -2.0, 2.0}; }
};

struct Beale {
    static constexpr const char* kName = "beale";
    static constexpr bool kClosedFormMinima = true;
    explicit Beale(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double y2 = y * y, y3 = y2 * y;
        const double t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y2, t3 = 2.625 - x + x * y3;
        f = t1 * t1 + t2 * t2 + t3 * t3;
        gx = 2.0 * (t1 * (y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0));
        gy = 2.0 * x * (t1 + 2.0 * t2 * y + 3.0 * t3 * y2);
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{3.0, 0.5}}; }
    ViewRect view() const { return {-4.5, 4.5, -4.5, 4.5}; }
};

struct Himmelblau {
    static constexpr const char* kName = "himmelblau";
    static constexpr bool kClosedFormMinima = false;
    explicit Himmelblau(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double u = x * x + y - 11.0, v = x + y * y - 7.0;
        f = u * u + v * v;
        gx = 4.0 * x * u + 2.0 * v;
        gy = 2.0 * u + 4.0 * y * v;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const {
        return {{3.0, 2.0}, {-2.805118, 3.131312}, {-3.779310, -3.283186}, {3.584428, -1.848126}};
    }
    ViewRect view() const { return {-6.0, 6.0, -6.0, 6.0}; }
};

struct Rastrigin {
    static constexpr const char* kName = "rastrigin";
    static constexpr bool kClosedFormMinima = true;
    double A;
    explicit Rastrigin(const ParamValues& v) : A(v.get("A")) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        f = 2.0 * A + x * x - A * std::cos(2.0 * kPi * x) + y * y - A * std::cos(2.0 * kPi * y);
        gx = 2.0 * x + 2.0 * kPi * A * std::sin(2.0 * kPi * x);
        gy = 2.0 * y + 2.0 * kPi * A * std::sin(2.0 * kPi * y);
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{0.0, 0.0}}; }
    ViewRect view() const { return {-5.12, 5.12, -5.12, 5.12}; }
};

struct Ackley {
    static constexpr const char* kName = "ackley";
    static constexpr bool kClosedFormMinima = true;
    double a, b, c;
    explicit Ackley(const ParamValues& v) : a(v.get("a")), b(v.get("b")), c(v.get("c")) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double r = std::sqrt(0.5 * (x * x + y * y));
        const double e1 = std::exp(-b * r);
        const double e2 = std::exp(0.5 * (std::cos(c * x) + std::cos(c * y)));
        f = -a * e1 - e2 + a + std::numbers::e;
        // d r/dx = x / (2r); at the cone's tip (r = 0) the subgradient 0 is used.
        const double k = r > 0.0 ? a * b * e1 / (2.0 * r) : 0.0;
        gx = k * x + 0.5 * c * e2 * std::sin(c * x);
        gy = k * y + 0.5 * c * e2 * std::sin(c * y);
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{0.0, 0.0}}; }
    ViewRect view() const { return {-5.0, 5.0, -5.0, 5.0}; }
};

struct Saddle {
    static constexpr const char* kName = "saddle";
    static constexpr bool kClosedFormMinima = true;
    explicit Saddle(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        f = x * x - y * y;
        gx = 2.0 * x;
        gy = -2.0 * y;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {}; }
    ViewRect view() const { return {-2.0, 2.0, -2.0, 2.0}; }
};

struct Booth {
    static constexpr const char* kName = "booth";
    static constexpr bool kClosedFormMinima = true;
    explicit Booth(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double u = x + 2.0 * y - 7.0, v = 2.0 * x + y - 5.0;
        f = u * u + v * v;
        gx = 2.0 * u + 4.0 * v;
        gy = 4.0 * u + 2.0 * v;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{1.0, 3.0}}; }
    ViewRect view() const { return {-10.0, 10.0, -10.0, 10.0}; }
};

struct SixHumpCamel {
    static constexpr const char* kName = "six_hump_camel";
    static constexpr bool kClosedFormMinima = false;
    explicit SixHumpCamel(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double x2 = x * x, y2 = y * y;
        f = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2;
        gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y;
        gy = x - 8.0 * y + 16.0 * y2 * y;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{0.0898, -0.7126}, {-0.0898, 0.7126}}; }
    ViewRect view() const { return {-2.0, 2.0, -1.25, 1.25}; }
};

struct GoldsteinPrice {
    static constexpr const char* kName = "goldstein_price";
    static constexpr bool kClosedFormMinima = true;
    explicit GoldsteinPrice(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double s = x + y + 1.0;
        const double p = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y;
        const double dp = -14.0 + 6.0 * x + 6.0 * y;  // dp/dx = dp/dy
        const double A = 1.0 + s * s * p;
        const double dA = 2.0 * s * p + s * s * dp;  // dA/dx = dA/dy
        const double t = 2.0 * x - 3.0 * y;
        const double q = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y;
        const double B = 30.0 + t * t * q;
        const double dBx = 4.0 * t * q + t * t * (-32.0 + 24.0 * x - 36.0 * y);
        const double dBy = -6.0 * t * q + t * t * (48.0 - 36.0 * x + 54.0 * y);
        f = A * B;
        gx = dA * B + A * dBx;
        gy = dA * B + A * dBy;
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{0.0, -1.0}}; }
    ViewRect view() const { return {-2.0, 2.0, -2.0, 2.0}; }
};

struct StyblinskiTang {
    static constexpr const char* kName = "styblinski_tang";
    static constexpr bool kClosedFormMinima = false;
    explicit StyblinskiTang(const ParamValues&) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        const double x2 = x * x, y2 = y * y;
        f = 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y);
        gx = 0.5 * (4.0 * x2 * x - 32.0 * x + 5.0);
        gy = 0.5 * (4.0 * y2 * y - 32.0 * y + 5.0);
    }
    std::vector<Eigen::Vector2d> minima_guesses() const { return {{-2.903534, -2.903534}}; }
    ViewRect view() const { return {-5.0, 5.0, -5.0, 5.0}; }
};

template <class Formula>
std::unique_ptr<LossSurface> make_analytic(const ParamValues& values, std::shared_ptr<const Dataset>) {
    return std::make_unique<AnalyticSurface<Formula>>(values);
}

std::unique_ptr<LossSurface> make_mse(const ParamValues&, std::shared_ptr<const Dataset> data) {
    return std::make_unique<MseSurface>(std::move(data));
}

std::unique_ptr<LossSurface> make_logistic(const ParamValues&, std::shared_ptr<const Dataset> data) {
    return std::make_unique<LogisticSurface>(std::move(data));
}

// Parameter tables. Valid ranges are what the formula tolerates; slider ranges are what is worth
// exploring.
constexpr ParamSpec kRosenbrockParams[] = {
    {"a", "a", 1.0, -kInf, kInf, false, false, -2.0, 2.0, false, ParamKind::Real,
     "the minimum sits at (a, a²)"},
    {"b", "b", 100.0, 0.0, kInf, false, false, 1.0, 1000.0, true, ParamKind::Real,
     "steepness of the valley walls; larger b means a narrower valley"},
};
constexpr ParamSpec kQuadraticParams[] = {
    {"a", "a", 1.0, -kInf, kInf, false, false, -10.0, 100.0, false, ParamKind::Real, "curvature along x"},
    {"b", "b", 10.0, -kInf, kInf, false, false, -10.0, 100.0, false, ParamKind::Real, "curvature along y"},
    {"c", "c", 0.0, -kInf, kInf, false, false, -10.0, 10.0, false, ParamKind::Real, "coupling term c·x·y"},
};
constexpr ParamSpec kRastriginParams[] = {
    {"A", "A", 10.0, 0.0, kInf, false, false, 0.0, 20.0, false, ParamKind::Real, "height of the ripples"},
};
constexpr ParamSpec kAckleyParams[] = {
    {"a", "a", 20.0, -kInf, kInf, false, false, 0.0, 40.0, false, ParamKind::Real, "depth of the funnel"},
    {"b", "b", 0.2, 0.0, kInf, false, false, 0.01, 1.0, false, ParamKind::Real, "width of the funnel"},
    {"c", "c", 2.0 * kPi, -kInf, kInf, false, false, 0.0, 4.0 * kPi, false, ParamKind::Real,
     "frequency of the ripples"},
};

constexpr SurfaceInfo kSurfaces[] = {
    {"rosenbrock", "Rosenbrock", "(a - x)^2 + b (y - x^2)^2", kRosenbrockParams, false, make_analytic<Rosenbrock>, false},
    {"quadratic", "Quadratic", "1/2 (a x^2 + b y^2) + c x y", kQuadraticParams, false, make_analytic<Quadratic>},
    {"mse", "Linear regression (MSE)", "mean((w x_i + b - y_i)^2)", {}, true, make_mse},
    {"logistic", "Logistic regression (cross-entropy)", "mean(log(1 + e^z_i) - y_i z_i), z_i = w x_i + b", {}, true,
     make_logistic, true},
    {"beale", "Beale", "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2", {}, false,
     make_analytic<Beale>},
    {"himmelblau", "Himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", {}, false, make_analytic<Himmelblau>},
    {"rastrigin", "Rastrigin", "2A + sum(t^2 - A cos(2 pi t))", kRastriginParams, false, make_analytic<Rastrigin>},
    {"ackley", "Ackley", "-a exp(-b sqrt((x^2+y^2)/2)) - exp((cos cx + cos cy)/2) + a + e", kAckleyParams, false,
     make_analytic<Ackley>},
    {"saddle", "Saddle", "x^2 - y^2", {}, false, make_analytic<Saddle>},
    {"booth", "Booth", "(x + 2y - 7)^2 + (2x + y - 5)^2", {}, false, make_analytic<Booth>},
    {"six_hump_camel", "Six-hump camel", "(4 - 2.1x^2 + x^4/3) x^2 + xy + (-4 + 4y^2) y^2", {}, false,
     make_analytic<SixHumpCamel>},
    {"goldstein_price", "Goldstein-Price",
     "[1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)] [30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]",
     {}, false, make_analytic<GoldsteinPrice>},
    {"styblinski_tang", "Styblinski-Tang", "1/2 sum(t^4 - 16t^2 + 5t)", {}, false, make_analytic<StyblinskiTang>},
};

}  // namespace

std::span<const SurfaceInfo> surface_registry() { return kSurfaces; }

Dataset default_dataset(const SurfaceInfo& info, const SyntheticDatasetSpec& spec) {
    if (info.binary_labels) {
        SyntheticDatasetSpec classes = spec;
        return make_classification_dataset(classes);
    }
    return make_synthetic_dataset(spec);
}

namespace {

std::unique_ptr<LossSurface> make_no_expression(const ParamValues&, std::shared_ptr<const Dataset>) {
    throw std::invalid_argument("surface 'expr' needs an expression (--expr 'EXPR')");
}

constexpr SurfaceInfo kExpressionSurface{"expr", "Your own f(x, y)", "typed with --expr (see `optiviz list`)", {}, false,
                                         make_no_expression, false, true};

}  // namespace

const SurfaceInfo& find_surface(std::string_view name) {
    if (name == kExpressionSurface.name) return kExpressionSurface;
    return find_by_name<SurfaceInfo>(kSurfaces, name, "surface");
}

std::unique_ptr<LossSurface> make_surface(std::string_view name, const ParamOverrides& overrides,
                                          std::shared_ptr<const Dataset> data, std::string_view expression) {
    const SurfaceInfo& info = find_surface(name);
    if (info.takes_expression) {
        if (data) throw std::invalid_argument("an expression takes no data file");
        return make_expression_surface(expression, overrides);
    }
    if (!expression.empty()) throw std::invalid_argument("surface '" + std::string(name) + "' takes no expression");
    const ParamValues values(info.name, info.params, overrides);
    if (info.needs_data && !data) data = std::make_shared<const Dataset>(default_dataset(info));
    if (!info.needs_data && data)
        throw std::invalid_argument("surface '" + std::string(name) + "' takes no data file (only mse and logistic do)");
    return info.make(values, std::move(data));
}

Eigen::Vector2d polish_stationary_point(const LossSurface& surface, Eigen::Vector2d guess) {
    Eigen::Vector2d p = guess;
    for (int iteration = 0; iteration < 50; ++iteration) {
        const Eigen::Vector2d g = surface.gradient(p.x(), p.y());
        if (g.norm() < 1e-14) break;
        const double h = 1e-6 * std::max(1.0, p.norm());
        Eigen::Matrix2d H;
        H.col(0) = (surface.gradient(p.x() + h, p.y()) - surface.gradient(p.x() - h, p.y())) / (2 * h);
        H.col(1) = (surface.gradient(p.x(), p.y() + h) - surface.gradient(p.x(), p.y() - h)) / (2 * h);
        const Eigen::Vector2d step = H.fullPivLu().solve(g);
        if (!step.allFinite()) return guess;
        p -= step;
        if (step.norm() < 1e-15 * std::max(1.0, p.norm())) break;
    }
    return (p - guess).norm() < 1e-2 && p.allFinite() ? p : guess;
}

}  // namespace optiviz
