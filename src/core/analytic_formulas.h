// The analytic test functions (standard 2-D definitions), one struct per formula: a per-point
// eval() that the compiler inlines into batch loops, the minima guesses and the view. Internal to
// core: classic_surfaces.cpp wraps each in a LossSurface, and the fused ensemble kernel
// (core/fused_ensemble.cpp) compiles each into the optimizers' loops.
#pragma once

#include <cmath>
#include <numbers>
#include <vector>

#include <Eigen/Core>

#include "core/loss_surface.h"
#include "core/param_spec.h"

namespace optiviz::formulas {

inline constexpr double kPi = std::numbers::pi;

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

}  // namespace optiviz::formulas
