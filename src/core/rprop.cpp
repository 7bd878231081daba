// Rprop, as torch.optim.Rprop 1.13 computes it in float64 (single-tensor path). Per coordinate:
// the step size grows by eta_plus while the gradient keeps its sign, shrinks by eta_minus when the
// sign flips (and that step is skipped), and the point moves by the step size against sign(g).
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/optimizer_rules.h"

namespace optiviz::rules {

namespace {

struct RpropScalars {
    double eta_minus, eta_plus, step_min, step_max, lr;
    bool first;
    const double* lr_each;  // per-particle learning rates (the initial step size), or null
};

double sign_of(double v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); }

OPTIVIZ_VECTOR_KERNEL void rprop_kernel(const RpropScalars& scalars, std::size_t n, double* __restrict p,
                                        const double* __restrict g, double* const* st) {
    const RpropScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict prev = st[0];
    double* __restrict step_size = st[1];
    for (std::size_t i = 0; i < n; ++i) {
        // torch starts step_size at lr and prev at 0 on the first step.
        const double size = s.first ? (s.lr_each ? s.lr_each[i] : s.lr) : step_size[i];
        const double product = sign_of(g[i] * prev[i]);
        const double factor = product > 0.0 ? s.eta_plus : (product < 0.0 ? s.eta_minus : 1.0);
        // clamp_(min, max) as torch computes it.
        step_size[i] = std::min(std::max(size * factor, s.step_min), s.step_max);
        // torch zeroes the gradient wherever the factor equals eta_minus (a sign change).
        const double grad = factor == s.eta_minus ? 0.0 : g[i];
        p[i] = p[i] + -1.0 * sign_of(grad) * step_size[i];
        prev[i] = grad;
    }
}

class Rprop final : public Optimizer {
public:
    explicit Rprop(const ParamValues& v)
        : eta_minus_(v.get("eta_minus")), eta_plus_(v.get("eta_plus")), step_min_(v.get("step_size_min")),
          step_max_(v.get("step_size_max")) {
        if (step_min_ > step_max_) throw std::invalid_argument("rprop: step_size_min must be <= step_size_max");
    }
    std::string_view name() const override { return "rprop"; }
    int state_arrays() const override { return 2; }
    std::vector<std::string_view> state_names() const override { return {"prev", "step_size"}; }
    void prepare(long) override {}
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
        StepText e;
        e.lines.push_back("η− = " + num(eta_minus_) + ",  η+ = " + num(eta_plus_) + ",  s ∈ [" + num(step_min_) + ", " +
                          num(step_max_) + "]");
        e.lines.push_back("sign(g·g_prev) = " + pair(sign_of(n.gx * n.before_x[0]), sign_of(n.gy * n.before_y[0])));
        e.lines.push_back("s = " + after_pair(n, 1) + "   (first step: s starts at lr)");
        e.lines.push_back("g kept (0 where the sign flipped) = " + after_pair(n, 0));
        e.notes.push_back("like RMSprop it uses only the sign of the gradient; the step size adapts per coordinate");
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<RpropScalars>(rprop_kernel, {eta_minus_, eta_plus_, step_min_, step_max_, info.lr, info.t == 1, s.lr}, s);
    }

private:
    double eta_minus_, eta_plus_, step_min_, step_max_;
};

}  // namespace

std::unique_ptr<Optimizer> make_rprop(const ParamValues& v) { return std::make_unique<Rprop>(v); }

}  // namespace optiviz::rules
