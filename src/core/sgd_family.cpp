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
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<SgdScalars>(sgd_kernel, {info.lr, momentum_, 1.0 - dampening_, info.t == 1, nesterov_, s.lr}, s);
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
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const double decay = 1.0 + static_cast<double>(info.t - 1) * lr_decay_;
        for_each_coordinate<AdagradScalars>(adagrad_kernel, {info.lr / decay, eps_, initial_, info.t == 1, decay, s.lr}, s);
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
    double effective_rate(const StepInfo& info, const double* state) const override {
        const double avg = centered_ ? std::sqrt(state[0] - state[1] * state[1]) : std::sqrt(state[0]);
        return info.lr / (avg + eps_);
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<RmspropScalars>(rmsprop_kernel, {info.lr, alpha_, eps_, momentum_, centered_, s.lr}, s);
    }

private:
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
    for (std::size_t i = 0; i < n; ++i) {
        sq[i] = sq[i] * s.rho + (1.0 - s.rho) * g[i] * g[i];
        const double stddev = std::sqrt(sq[i] + s.eps);
        const double delta = std::sqrt(acc[i] + s.eps) / stddev * g[i];
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
    int state_arrays() const override { return 2; }
    std::vector<std::string_view> state_names() const override { return {"square_avg", "acc_delta"}; }
    void prepare(long) override {}
    // From the accumulators after the step (the update itself used acc_delta from before it).
    double effective_rate(const StepInfo& info, const double* state) const override {
        return info.lr * std::sqrt(state[1] + eps_) / std::sqrt(state[0] + eps_);
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        for_each_coordinate<AdadeltaScalars>(adadelta_kernel, {info.lr, rho_, eps_, s.lr}, s);
    }

private:
    double rho_, eps_;
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const ParamValues& v) { return std::make_unique<Sgd>(v); }
std::unique_ptr<Optimizer> make_adagrad(const ParamValues& v) { return std::make_unique<Adagrad>(v); }
std::unique_ptr<Optimizer> make_rmsprop(const ParamValues& v) { return std::make_unique<Rmsprop>(v); }
std::unique_ptr<Optimizer> make_adadelta(const ParamValues& v) { return std::make_unique<Adadelta>(v); }

}  // namespace optiviz::rules
