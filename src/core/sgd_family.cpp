// SGD (with momentum, dampening, Nesterov), Adagrad, RMSprop and Adadelta, as torch.optim 1.13's
// single-tensor code computes them in float64. Operations are written in torch's order
// (x.mul_(a).add_(g, alpha=b) is x*a + b*g; addcdiv_(t1, t2, value=s) is x + s*t1/t2) so that the
// last bits agree too.
#include <cmath>
#include <stdexcept>

#include "core/optimizer_rules.h"

namespace optiviz::rules {

namespace {

struct SgdScalars {
    double lr, momentum, keep;  // keep = 1 − dampening
    bool first, nesterov;
    const double* lr_each;      // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void sgd_kernel(const SgdScalars& scalars, std::size_t n, double* __restrict p,
                                      const double* __restrict g, double* const* st) {
    const SgdScalars s = scalars;  // a local copy: invariant branches can leave the loop
    if (s.momentum == 0.0) {
        for (std::size_t i = 0; i < n; ++i) p[i] = p[i] + -(s.lr_each ? s.lr_each[i] : s.lr) * g[i];
        return;
    }
    double* __restrict buf = st[0];
    for (std::size_t i = 0; i < n; ++i) {
        // torch clones the gradient into the buffer on the first step (no dampening).
        buf[i] = s.first ? g[i] : buf[i] * s.momentum + s.keep * g[i];
        const double d = s.nesterov ? g[i] + s.momentum * buf[i] : buf[i];
        p[i] = p[i] + -(s.lr_each ? s.lr_each[i] : s.lr) * d;
    }
}

class Sgd final : public Optimizer {
public:
    explicit Sgd(const ParamValues& v)
        : momentum_(v.get("momentum")), dampening_(v.get("dampening")), nesterov_(v.flag("nesterov")) {
        weight_decay_ = v.get("weight_decay");
        if (nesterov_ && (momentum_ <= 0.0 || dampening_ != 0.0))
            throw std::invalid_argument("sgd: nesterov needs momentum > 0 and dampening = 0");
    }
    std::string_view name() const override { return "sgd"; }
    int state_arrays() const override { return momentum_ != 0.0 ? 1 : 0; }
    std::vector<std::string_view> state_names() const override {
        if (momentum_ != 0.0) return {"momentum_buffer"};
        return {};
    }
    void prepare(long) override {}
    double effective_rate(const StepInfo& info, const double*) const override { return info.lr; }
    double step_direction(const StepInfo&, double g, const double* state) const override {
        if (momentum_ == 0.0) return g;
        return nesterov_ ? g + momentum_ * state[0] : state[0];
    }
    int direction_state() const override { return momentum_ != 0.0 ? 0 : -1; }
    std::string rule() const override {
        if (momentum_ == 0.0) return "torch.optim.SGD: θ −= lr·g";
        return std::string("torch.optim.SGD: b = μ·b + (1−τ)·g (b = g at t=1); ") +
               (nesterov_ ? "θ −= lr·(g + μ·b) (Nesterov)" : "θ −= lr·b");
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        if (momentum_ == 0.0) return e;
        if (n.info.t == 1) e.lines.push_back("b = g (first step) = " + after_pair(n, 0));
        else
            e.lines.push_back("b = μ·b + (1−τ)·g = " + num(momentum_) + "·" + before_pair(n, 0) + " + " +
                              num(1 - dampening_) + "·g = " + after_pair(n, 0));
        if (nesterov_) e.lines.push_back("d = g + μ·b (Nesterov)");
        e.notes.push_back("the course form v = β·v + (1−β)·g, θ −= α·v is the same rule with b = v/(1−β) and lr = α·(1−β)");
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<SgdScalars>(sgd_kernel, {info.lr, momentum_, 1.0 - dampening_, info.t == 1, nesterov_, s.lr}, s);
    }

    FusedRule fused_rule() const override {
        return FusedRule{FusedKind::Sgd, {momentum_, 1.0 - dampening_}, nesterov_, {}};
    }

private:
    double momentum_, dampening_;
    bool nesterov_;
};

struct AdagradScalars {
    double clr, eps, initial;
    bool first;
    double decay;            // 1 + (t − 1)·lr_decay: clr = lr / decay
    const double* lr_each;   // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void adagrad_kernel(const AdagradScalars& scalars, std::size_t n, double* __restrict p,
                                          const double* __restrict g, double* const* st) {
    const AdagradScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict sum = st[0];
    for (std::size_t i = 0; i < n; ++i) {
        // State starts at initial_accumulator_value; arrays start at zero, so seed them here.
        const double prev = s.first ? s.initial : sum[i];
        sum[i] = prev + g[i] * g[i];
        const double stddev = std::sqrt(sum[i]) + s.eps;
        const double clr = s.lr_each ? s.lr_each[i] / s.decay : s.clr;
        p[i] = p[i] + -clr * g[i] / stddev;
    }
}

class Adagrad final : public Optimizer {
public:
    explicit Adagrad(const ParamValues& v)
        : lr_decay_(v.get("lr_decay")), eps_(v.get("eps")), initial_(v.get("initial_accumulator_value")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return "adagrad"; }
    int state_arrays() const override { return 1; }
    std::vector<std::string_view> state_names() const override { return {"sum"}; }
    void prepare(long) override {}
    double effective_rate(const StepInfo& info, const double* state) const override {
        const double decay = 1.0 + static_cast<double>(info.t - 1) * lr_decay_;
        return info.lr / decay / (std::sqrt(state[0]) + eps_);
    }
    double step_direction(const StepInfo&, double g, const double*) const override { return g; }
    std::string rule() const override { return "torch.optim.Adagrad: s += g²; θ −= lr/(1+(t−1)·η)·g/(√s + ε)"; }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back("s = s + g² = " + after_pair(n, 0));
        if (lr_decay_ != 0.0)
            e.lines.push_back("lr/(1+(t−1)·η) = " + num(n.info.lr / (1.0 + static_cast<double>(n.info.t - 1) * lr_decay_)));
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const double decay = 1.0 + static_cast<double>(info.t - 1) * lr_decay_;
        for_each_coordinate<AdagradScalars>(adagrad_kernel, {info.lr / decay, eps_, initial_, info.t == 1, decay, s.lr}, s);
    }

    FusedRule fused_rule() const override {
        return FusedRule{FusedKind::Adagrad, {lr_decay_, eps_, initial_}, false, {}};
    }

private:
    double lr_decay_, eps_, initial_;
};

struct RmspropScalars {
    double lr, alpha, eps, momentum;
    bool centered;
    const double* lr_each;  // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void rmsprop_kernel(const RmspropScalars& scalars, std::size_t n, double* __restrict p,
                                          const double* __restrict g, double* const* st) {
    const RmspropScalars s = scalars;  // a local copy: invariant branches can leave the loop
    const bool use_momentum = s.momentum > 0.0;
    double* __restrict sq = st[0];
    double* __restrict gavg = s.centered ? st[1] : nullptr;
    double* __restrict buf = use_momentum ? st[s.centered ? 2 : 1] : nullptr;
    const double a = s.alpha;
    // Two instantiations (one learning rate, or one per particle): with three switches in the loop
    // already, the compiler would not split it a fourth time, and the loop would stop vectorising.
    auto update = [&](auto lr_of) {
        for (std::size_t i = 0; i < n; ++i) {
            sq[i] = sq[i] * a + (1.0 - a) * g[i] * g[i];
            double avg;
            if (s.centered) {
                gavg[i] = gavg[i] * a + (1.0 - a) * g[i];
                avg = std::sqrt(sq[i] + -1.0 * gavg[i] * gavg[i]);
            } else {
                avg = std::sqrt(sq[i]);
            }
            avg = avg + s.eps;
            const double lr = lr_of(i);
            if (use_momentum) {
                buf[i] = buf[i] * s.momentum + g[i] / avg;
                p[i] = p[i] + -lr * buf[i];
            } else {
                p[i] = p[i] + -lr * g[i] / avg;
            }
        }
    };
    if (s.lr_each) update([&](std::size_t i) { return s.lr_each[i]; });
    else update([&](std::size_t) { return s.lr; });
}

class Rmsprop final : public Optimizer {
public:
    explicit Rmsprop(const ParamValues& v)
        : alpha_(v.get("alpha")), eps_(v.get("eps")), momentum_(v.get("momentum")), centered_(v.flag("centered")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return "rmsprop"; }
    int state_arrays() const override { return 1 + (centered_ ? 1 : 0) + (momentum_ > 0.0 ? 1 : 0); }
    std::vector<std::string_view> state_names() const override {
        std::vector<std::string_view> names{"square_avg"};
        if (centered_) names.push_back("grad_avg");
        if (momentum_ > 0.0) names.push_back("momentum_buffer");
        return names;
    }
    void prepare(long) override {}
    // With momentum the buffer already holds g/(√v + ε), so the step is lr times the buffer.
    double effective_rate(const StepInfo& info, const double* state) const override {
        if (momentum_ > 0.0) return info.lr;
        const double avg = centered_ ? std::sqrt(state[0] - state[1] * state[1]) : std::sqrt(state[0]);
        return info.lr / (avg + eps_);
    }
    double step_direction(const StepInfo&, double g, const double* state) const override {
        return momentum_ > 0.0 ? state[momentum_index()] : g;
    }
    int direction_state() const override { return momentum_ > 0.0 ? momentum_index() : -1; }
    std::string rule() const override {
        std::string r = "torch.optim.RMSprop: v = α·v + (1−α)·g²; ";
        const std::string denom = centered_ ? "(√(v − ḡ²) + ε)" : "(√v + ε)";
        if (centered_) r += "ḡ = α·ḡ + (1−α)·g; ";
        if (momentum_ > 0.0) return r + "b = μ·b + g/" + denom + "; θ −= lr·b";
        return r + "θ −= lr·g/" + denom;
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back("v = α·v + (1−α)·g² = " + num(alpha_) + "·" + before_pair(n, 0) + " + " + num(1 - alpha_) +
                          "·g² = " + after_pair(n, 0));
        if (centered_) e.lines.push_back("ḡ = α·ḡ + (1−α)·g = " + after_pair(n, 1));
        if (momentum_ > 0.0) e.lines.push_back("b = μ·b + g/(√v + ε) = " + after_pair(n, momentum_index()));
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<RmspropScalars>(rmsprop_kernel, {info.lr, alpha_, eps_, momentum_, centered_, s.lr}, s);
    }

    FusedRule fused_rule() const override {
        return FusedRule{FusedKind::Rmsprop, {alpha_, eps_, momentum_}, centered_, {}};
    }

private:
    int momentum_index() const { return centered_ ? 2 : 1; }
    double alpha_, eps_, momentum_;
    bool centered_;
};

struct AdadeltaScalars {
    double lr, rho, eps;
    const double* lr_each;  // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void adadelta_kernel(const AdadeltaScalars& scalars, std::size_t n, double* __restrict p,
                                           const double* __restrict g, double* const* st) {
    const AdadeltaScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict sq = st[0];
    double* __restrict acc = st[1];
    double* __restrict scale = st[2];
    for (std::size_t i = 0; i < n; ++i) {
        sq[i] = sq[i] * s.rho + (1.0 - s.rho) * g[i] * g[i];
        const double stddev = std::sqrt(sq[i] + s.eps);
        scale[i] = std::sqrt(acc[i] + s.eps) / stddev;
        const double delta = scale[i] * g[i];
        acc[i] = acc[i] * s.rho + (1.0 - s.rho) * delta * delta;
        p[i] = p[i] + -(s.lr_each ? s.lr_each[i] : s.lr) * delta;  // the stored delta excludes lr, as in torch
    }
}

class Adadelta final : public Optimizer {
public:
    explicit Adadelta(const ParamValues& v) : rho_(v.get("rho")), eps_(v.get("eps")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return "adadelta"; }
    // torch's two accumulators, and the step's scale √(u+ε)/√(v+ε) (u from before the step): kept
    // because u after the step no longer tells what the step used.
    int state_arrays() const override { return 3; }
    std::vector<std::string_view> state_names() const override { return {"square_avg", "acc_delta", "step_scale"}; }
    void prepare(long) override {}
    double effective_rate(const StepInfo& info, const double* state) const override { return info.lr * state[2]; }
    double step_direction(const StepInfo&, double g, const double*) const override { return g; }
    std::string rule() const override {
        return "torch.optim.Adadelta: v = ρv + (1−ρ)g²; Δ = √(u+ε)/√(v+ε)·g; u = ρu + (1−ρ)Δ²; θ −= lr·Δ";
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back("v = ρ·v + (1−ρ)·g² = " + after_pair(n, 0));
        e.lines.push_back("Δ = √(u+ε)/√(v+ε)·g = " + pair(n.after_x[2] * n.gx, n.after_y[2] * n.gy) + "  (u before the step)");
        e.lines.push_back("u = ρ·u + (1−ρ)·Δ² = " + after_pair(n, 1));
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<AdadeltaScalars>(adadelta_kernel, {info.lr, rho_, eps_, s.lr}, s);
    }

    FusedRule fused_rule() const override { return FusedRule{FusedKind::Adadelta, {rho_, eps_}, false, {}}; }

private:
    double rho_, eps_;
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const ParamValues& v) { return std::make_unique<Sgd>(v); }
std::unique_ptr<Optimizer> make_adagrad(const ParamValues& v) { return std::make_unique<Adagrad>(v); }
std::unique_ptr<Optimizer> make_rmsprop(const ParamValues& v) { return std::make_unique<Rmsprop>(v); }
std::unique_ptr<Optimizer> make_adadelta(const ParamValues& v) { return std::make_unique<Adadelta>(v); }

}  // namespace optiviz::rules
