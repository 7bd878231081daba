// The analytic test functions (standard 2-D definitions) and the surface registry.
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <Eigen/LU>

#include "core/surfaces/analytic_formulas.h"
#include "core/surfaces/expression_surface.h"
#include "core/optimizers/fused_ensemble.h"
#include "core/scene/registry_lookup.h"
#include "core/surfaces/logistic_surface.h"
#include "core/surfaces/mse_surface.h"
#include "core/optimizers/vector_kernel.h"
#include "core/surfaces/surface_registry.h"

namespace optiviz {

namespace {

using namespace formulas;

constexpr double kInf = std::numeric_limits<double>::infinity();

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

    bool has_fused_kernel() const override { return true; }
    void run_fused(const fused::Chunk& chunk) const override { fused::run_chunk(formula_, chunk); }

private:
    Formula formula_;
    std::vector<Eigen::Vector2d> minima_;
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

std::unique_ptr<LossSurface> make_no_model(const ParamValues&, std::shared_ptr<const Dataset>) {
    throw std::invalid_argument("surface 'model' trains a network: use it in the window or with optiviz render "
                                "(--surface model --dataset NAME --model SPEC), or optiviz train");
}

// The model surface (core/models/model_choice.h): a network's loss on a plane through its
// parameters. Not in surface_registry(): it has no formula for trace, sweep or basins to run on.
constexpr SurfaceInfo kModelSurfaceInfo{"model", "Model", "a network's training loss on a plane through its parameters", {},
                                        false, make_no_model};

constexpr SurfaceInfo kExpressionSurface{"expr", "Your own f(x, y)", "typed with --expr (see `optiviz list`)", {}, false,
                                         make_no_expression, false, true};

}  // namespace

const SurfaceInfo& find_surface(std::string_view name) {
    if (name == kExpressionSurface.name) return kExpressionSurface;
    if (name == kModelSurfaceInfo.name) return kModelSurfaceInfo;
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
