// Rprop: its teaching text. The update rule is RpropRule in core/optimizers/update_rules.h, run by
// RuleOptimizer (core/optimizers/optimizer_rules.h).
#include <cmath>
#include <stdexcept>

#include "core/optimizers/optimizer_rules.h"

namespace optiviz::rules {

namespace {

class Rprop final : public RuleOptimizer<RpropRule> {
public:
    explicit Rprop(const ParamValues& v) : RuleOptimizer("rprop", RpropRule::read(v), 0.0) {
        if (params_.step_size_min > params_.step_size_max)
            throw std::invalid_argument("rprop: step_size_min must be <= step_size_max");
    }
    // The step is step_size·sign(prev): as a rate on prev, step_size/|prev| (0 where prev is 0).
    double effective_rate(const StepInfo&, const double* state) const override {
        return state[0] != 0.0 ? state[1] / std::abs(state[0]) : 0.0;
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    std::string rule() const override {
        return "torch.optim.Rprop (Riedmiller & Braun 1993): s = clamp(s·η+ if g·g_prev > 0, s·η− if < 0; "
               "[s_min, s_max]); g = 0 where the sign flipped; θ −= sign(g)·s";
    }
    StepText explain(const StepNumbers& n) const override {
        const auto sign_of = RpropRule::sign_of;
        StepText e;
        e.lines.push_back("η− = " + num(params_.eta_minus) + ",  η+ = " + num(params_.eta_plus) + ",  s ∈ [" +
                          num(params_.step_size_min) + ", " + num(params_.step_size_max) + "]");
        e.lines.push_back("sign(g·g_prev) = " + pair(sign_of(n.gx * n.before_x[0]), sign_of(n.gy * n.before_y[0])));
        e.lines.push_back("s = " + after_pair(n, 1) + "   (first step: s starts at lr)");
        e.lines.push_back("g kept (0 where the sign flipped) = " + after_pair(n, 0));
        e.notes.push_back("like RMSprop it uses only the sign of the gradient; the step size adapts per coordinate");
        return e;
    }
};

}  // namespace

std::unique_ptr<Optimizer> make_rprop(const ParamValues& v) { return std::make_unique<Rprop>(v); }

}  // namespace optiviz::rules
