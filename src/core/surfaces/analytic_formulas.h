// The analytic test functions (standard 2-D definitions), one struct per formula: a per-point
// eval() that the compiler inlines into batch loops, the minima guesses, the view, and the finite
// box: within |x|, |y| <= finite_box() the loss, the gradient and every intermediate are finite
// (the fused kernel's lean rows rely on it; a conservative bound by the triangle inequality,
// written next to each formula). Internal to
// core: classic_surfaces.cpp wraps each in a LossSurface, and the fused ensemble kernel
// (core/optimizers/fused_ensemble.cpp) compiles each into the optimizers' loops.
#pragma once

#include <cmath>
#include <initializer_list>
#include <numbers>
#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/scene/param_spec.h"

namespace optiviz::formulas {

inline constexpr double kPi = std::numbers::pi;

// For a formula whose loss, gradient and intermediates are at most scale·M^degree in magnitude when
// |x|, |y| <= M and M >= 1: the M up to which they stay below 1e300 (DBL_MAX with a margin). 0 when
// the coefficients are not finite or too large for any box.
inline double polynomial_box(double scale, int degree) {
    if (!(scale >= 1.0 && scale < 1e300)) return 0.0;
    return std::pow(1e300 / scale, 1.0 / degree);
}

// max(1, |v|...): the coefficient scale S of the bounds below.
inline double coefficient_scale(std::initializer_list<double> values) {
    double s = 1.0;
    for (double v : values) s = std::abs(v) > s ? std::abs(v) : (v == v ? s : v);  // NaN stays NaN
    return s;
}

struct Rosenbrock {
    static constexpr const char* kName = "rosenbrock";
    static constexpr bool kClosedFormMinima = true;
    double a, b;
    explicit Rosenbrock(const ParamValues& v) : a(v.get("a")), b(v.get("b")) {}
    void eval(double x, double y, double& f, double& gx, double& gy) const {
        // Associated as autograd computes (a − x)² + b·(y − x²)², so that L-BFGS, which amplifies
        // last-bit differences along the valley, follows torch to 1e-12. Autograd's ∂f/∂x is
        // −2u − 4·((b·w)·x); written as −2·(u + gy·x) it takes two operations fewer and is the same
        // double: every factor that moved is a power of two, which scales a rounded value exactly
        // (outside the subnormal range, where nothing on this surface's paths lives).
        const double u = a - x, w = y - x * x;
        f = u * u + b * (w * w);
        gy = 2.0 * b * w;
        gx = -2.0 * (u + gy * x);
    }
    std::vector<Eigen::Vector2d> minima_guesses() const {
        if (b > 0) return {{a, a * a}};
        return {};
    }
    ViewRect view() const { return {a - 3.0, a + 1.0, a * a - 2.0, a * a + 2.0}; }
    // f <= (|a| + M)² + |b|·(M + M²)² <= 8·S²·M⁴, |∇f| <= 12·S·M³ (S = max(1, |a|, |b|)).
    double finite_box() const {
        const double s = coefficient_scale({a, b});
        return polynomial_box(16.0 * s * s, 4);
    }
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
    // f <= 2·S·M², |∇f| <= 2·S·M (S = max(1, |a|, |b|, |c|)).
    double finite_box() const { return polynomial_box(4.0 * coefficient_scale({a, b, c}), 2); }
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
    // Each t <= 5·M⁴, f <= 75·M⁸, |∇f| <= 60·M⁷.
    double finite_box() const { return polynomial_box(100.0, 8); }
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
    // u <= 13·M², v <= 9·M², f <= 250·M⁴, |∇f| <= 70·M³.
    double finite_box() const { return polynomial_box(300.0, 4); }
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
    // f <= 4·S + 2·M², |∇f| <= 2·M + 2π·S (S = max(1, |A|)).
    double finite_box() const { return polynomial_box(10.0 * coefficient_scale({A}), 2); }
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
    // With b >= 0: e1 <= 1, e2 <= e, f <= 2·S + 2e; k <= S²/(2r) with r >= 1.5e-162 whenever r > 0,
    // and |k·x| <= S²; x², c·x and b·r stay finite for M <= 1e100 (S = max(1, |a|, |b|, |c|)).
    double finite_box() const {
        const double s = coefficient_scale({a, b, c});
        return b >= 0.0 && s < 1e60 ? 1e100 : 0.0;
    }
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
    // f <= 2·M², |∇f| <= 2·M.
    double finite_box() const { return polynomial_box(4.0, 2); }
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
    // u <= 10·M, v <= 8·M, f <= 164·M², |∇f| <= 52·M.
    double finite_box() const { return polynomial_box(200.0, 2); }
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
    // f <= 20·M⁶, |∇f| <= 20·M⁵.
    double finite_box() const { return polynomial_box(100.0, 6); }
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
    // A <= 532·M⁴, B <= 4355·M⁴, f <= 2.4e6·M⁸, |∇f| <= 6e6·M⁷.
    double finite_box() const { return polynomial_box(1e7, 8); }
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
    // f <= 22·M⁴, |∇f| <= 21·M³.
    double finite_box() const { return polynomial_box(100.0, 4); }
};

}  // namespace optiviz::formulas
