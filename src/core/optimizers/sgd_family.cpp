// SGD (with momentum, dampening, Nesterov), Adagrad, RMSprop and Adadelta: their teaching text.
// Their update rules are in core/optimizers/update_rules.h, run by RuleOptimizer (core/optimizers/optimizer_rules.h).
#include <cmath>
#include <stdexcept>

#include "core/optimizers/optimizer_rules.h"

namespace optiviz::rules {

double value_or(const ParamValues& v, std::string_view name, double fallback) {
    for (const ParamSpec& spec : v.table())
        if (spec.name == name) return v.get(name);
    return fallback;
}

double* spare_slots(std::size_t doubles) {
    thread_local std::vector<double> spare;
    if (spare.size() < doubles) spare.resize(doubles);
    return spare.data();
}

namespace {

class Sgd final : public RuleOptimizer<SgdRule> {
public:
    explicit Sgd(const ParamValues& v) : RuleOptimizer("sgd", SgdRule::read(v), v.get("weight_decay")) {
        if (params_.nesterov && (params_.momentum <= 0.0 || params_.dampening != 0.0))
            throw std::invalid_argument("sgd: nesterov needs momentum > 0 and dampening = 0");
    }
    double step_direction(const StepInfo&, double g, const double* state) const override {
        if (params_.momentum == 0.0) return g;
        return params_.nesterov ? g + params_.momentum * state[0] : state[0];
    }
    int direction_state() const override { return params_.momentum != 0.0 ? 0 : -1; }
    std::string rule() const override {
        if (params_.momentum == 0.0) return "torch.optim.SGD: θ −= lr·g";
        return std::string("torch.optim.SGD: b = μ·b + (1−τ)·g (b = g at t=1); ") +
               (params_.nesterov ? "θ −= lr·(g + μ·b) (Nesterov)" : "θ −= lr·b");
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        if (params_.momentum == 0.0) return e;
        if (n.info.t == 1) e.lines.push_back("b = g (first step) = " + after_pair(n, 0));
        else
            e.lines.push_back("b = μ·b + (1−τ)·g = " + num(params_.momentum) + "·" + before_pair(n, 0) + " + " +
                              num(1 - params_.dampening) + "·g = " + after_pair(n, 0));
        if (params_.nesterov) e.lines.push_back("d = g + μ·b (Nesterov)");
        e.notes.push_back("the course form v = β·v + (1−β)·g, θ −= α·v is the same rule with b = v/(1−β) and lr = α·(1−β)");
        return e;
    }
};

class Adagrad final : public RuleOptimizer<AdagradRule> {
public:
    explicit Adagrad(const ParamValues& v) : RuleOptimizer("adagrad", AdagradRule::read(v), v.get("weight_decay")) {}
    double effective_rate(const StepInfo& info, const double* state) const override {
        return info.lr / decay(info.t) / (std::sqrt(state[0]) + params_.eps);
    }
    std::string rule() const override { return "torch.optim.Adagrad: s += g²; θ −= lr/(1+(t−1)·η)·g/(√s + ε)"; }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back("s = s + g² = " + after_pair(n, 0));
        if (params_.lr_decay != 0.0) e.lines.push_back("lr/(1+(t−1)·η) = " + num(n.info.lr / decay(n.info.t)));
        return e;
    }

private:
    double decay(long t) const { return 1.0 + static_cast<double>(t - 1) * params_.lr_decay; }
};

class Rmsprop final : public RuleOptimizer<RmspropRule> {
public:
    explicit Rmsprop(const ParamValues& v) : RuleOptimizer("rmsprop", RmspropRule::read(v), v.get("weight_decay")) {}
    // With momentum the buffer already holds g/(√v + ε), so the step is lr times the buffer.
    double effective_rate(const StepInfo& info, const double* state) const override {
        if (params_.momentum > 0.0) return info.lr;
        const double avg = params_.centered ? std::sqrt(state[0] - state[1] * state[1]) : std::sqrt(state[0]);
        return info.lr / (avg + params_.eps);
    }
    double step_direction(const StepInfo&, double g, const double* state) const override {
        return params_.momentum > 0.0 ? state[momentum_index()] : g;
    }
    int direction_state() const override { return params_.momentum > 0.0 ? momentum_index() : -1; }
    std::string rule() const override {
        std::string r = "torch.optim.RMSprop: v = α·v + (1−α)·g²; ";
        const std::string denom = params_.centered ? "(√(v − ḡ²) + ε)" : "(√v + ε)";
        if (params_.centered) r += "ḡ = α·ḡ + (1−α)·g; ";
        if (params_.momentum > 0.0) return r + "b = μ·b + g/" + denom + "; θ −= lr·b";
        return r + "θ −= lr·g/" + denom;
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back("v = α·v + (1−α)·g² = " + num(params_.alpha) + "·" + before_pair(n, 0) + " + " +
                          num(1 - params_.alpha) + "·g² = " + after_pair(n, 0));
        if (params_.centered) e.lines.push_back("ḡ = α·ḡ + (1−α)·g = " + after_pair(n, 1));
        if (params_.momentum > 0.0) e.lines.push_back("b = μ·b + g/(√v + ε) = " + after_pair(n, momentum_index()));
        return e;
    }

private:
    int momentum_index() const { return params_.centered ? 2 : 1; }  // among the kept arrays
};

class Adadelta final : public RuleOptimizer<AdadeltaRule> {
public:
    explicit Adadelta(const ParamValues& v) : RuleOptimizer("adadelta", AdadeltaRule::read(v), v.get("weight_decay")) {}
    double effective_rate(const StepInfo& info, const double* state) const override { return info.lr * state[2]; }
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
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const ParamValues& v) { return std::make_unique<Sgd>(v); }
std::unique_ptr<Optimizer> make_adagrad(const ParamValues& v) { return std::make_unique<Adagrad>(v); }
std::unique_ptr<Optimizer> make_rmsprop(const ParamValues& v) { return std::make_unique<Rmsprop>(v); }
std::unique_ptr<Optimizer> make_adadelta(const ParamValues& v) { return std::make_unique<Adadelta>(v); }

}  // namespace optiviz::rules
