// The optimizer registry: names, parameter tables (torch's defaults and valid ranges) and the
// update rule each one implements.
#include <limits>
#include <stdexcept>
#include <string>

#include "core/optimizers/fused_rule.h"
#include "core/optimizers/optimizer_rules.h"
#include "core/scene/registry_lookup.h"

namespace optiviz {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Shared specs. Valid ranges follow torch's argument checks; slider ranges are what is worth seeing.
constexpr ParamSpec lr_spec(double default_lr) {
    return {"lr", "learning rate", default_lr, 0.0, kInf, false, false, 1e-5, 10.0, true, ParamKind::Real,
            "step size; the schedule scales it per step"};
}
constexpr ParamSpec eps_spec(double default_eps) {
    return {"eps", "ε", default_eps, 0.0, kInf, false, false, 1e-12, 1.0, true, ParamKind::Real,
            "added to the denominator for numerical stability"};
}
constexpr ParamSpec kWeightDecay{"weight_decay", "weight decay", 0.0, 0.0, kInf, false, false, 0.0, 1.0, false,
                                 ParamKind::Real, "L2 penalty added to the gradient: g + wd·θ"};
constexpr ParamSpec kBeta1{"beta1", "β1", 0.9, 0.0, 1.0, false, true, 0.0, 0.999, false, ParamKind::Real,
                           "decay rate of the first moment (the running mean of gradients)"};
constexpr ParamSpec kBeta2{"beta2", "β2", 0.999, 0.0, 1.0, false, true, 0.5, 0.9999, false, ParamKind::Real,
                           "decay rate of the second moment (the running mean of squared gradients)"};
constexpr ParamSpec kAmsgrad{"amsgrad", "AMSGrad", 0.0, 0.0, 1.0, false, false, 0.0, 1.0, false, ParamKind::Flag,
                             "divide by the running maximum of the second moment"};

constexpr ParamSpec kBiasCorrection{"bias_correction", "bias correction", 1.0, 0.0, 1.0, false, false, 0.0, 1.0, false,
                                    ParamKind::Flag,
                                    "divide m by 1−β1^t and v by 1−β2^t (off: the course form m/(√v + ε), lr unscaled)"};

constexpr ParamSpec kSgdParams[] = {
    lr_spec(0.01),
    {"momentum", "momentum", 0.0, 0.0, kInf, false, false, 0.0, 0.999, false, ParamKind::Real,
     "fraction of the previous step kept (heavy ball)"},
    {"dampening", "dampening", 0.0, 0.0, 1.0, false, false, 0.0, 1.0, false, ParamKind::Real,
     "scales the new gradient's share of the momentum buffer by (1 − dampening)"},
    {"nesterov", "Nesterov", 0.0, 0.0, 1.0, false, false, 0.0, 1.0, false, ParamKind::Flag,
     "look ahead along the momentum (needs momentum > 0, dampening 0)"},
    kWeightDecay,
};
constexpr ParamSpec kAdagradParams[] = {
    lr_spec(0.01),
    {"lr_decay", "lr decay", 0.0, 0.0, kInf, false, false, 0.0, 1.0, false, ParamKind::Real,
     "lr_t = lr / (1 + (t − 1)·lr_decay)"},
    kWeightDecay,
    {"initial_accumulator_value", "initial sum", 0.0, 0.0, kInf, false, false, 0.0, 1.0, false, ParamKind::Real,
     "starting value of the sum of squared gradients"},
    eps_spec(1e-10),
};
constexpr ParamSpec kRmspropParams[] = {
    lr_spec(0.01),
    {"alpha", "α", 0.99, 0.0, kInf, false, false, 0.0, 0.9999, false, ParamKind::Real,
     "decay rate of the running mean of squared gradients"},
    eps_spec(1e-8),
    kWeightDecay,
    {"momentum", "momentum", 0.0, 0.0, kInf, false, false, 0.0, 0.999, false, ParamKind::Real,
     "momentum on the normalised step"},
    {"centered", "centered", 0.0, 0.0, 1.0, false, false, 0.0, 1.0, false, ParamKind::Flag,
     "normalise by the variance estimate instead of the raw second moment"},
};
constexpr ParamSpec kAdadeltaParams[] = {
    lr_spec(1.0),
    {"rho", "ρ", 0.9, 0.0, 1.0, false, false, 0.0, 0.9999, false, ParamKind::Real,
     "decay rate of both running averages"},
    eps_spec(1e-6),
    kWeightDecay,
};
constexpr ParamSpec kAdamParams[] = {lr_spec(1e-3), kBeta1, kBeta2, eps_spec(1e-8), kWeightDecay, kAmsgrad, kBiasCorrection};
constexpr ParamSpec kAdamwParams[] = {
    lr_spec(1e-3), kBeta1, kBeta2, eps_spec(1e-8),
    {"weight_decay", "weight decay", 0.01, 0.0, kInf, false, false, 0.0, 1.0, false, ParamKind::Real,
     "decoupled decay: θ ← θ·(1 − lr·wd) before the Adam step"},
    kAmsgrad,
    kBiasCorrection,
};
constexpr ParamSpec kAdamaxParams[] = {lr_spec(2e-3), kBeta1, kBeta2, eps_spec(1e-8), kWeightDecay};
constexpr ParamSpec kNadamParams[] = {
    lr_spec(2e-3), kBeta1, kBeta2, eps_spec(1e-8), kWeightDecay,
    {"momentum_decay", "momentum decay ψ", 4e-3, 0.0, kInf, false, false, 0.0, 0.1, false, ParamKind::Real,
     "μ_t = β1·(1 − 0.5·0.96^(t·ψ))"},
};
constexpr ParamSpec kRadamParams[] = {lr_spec(1e-3), kBeta1, kBeta2, eps_spec(1e-8), kWeightDecay};
constexpr ParamSpec kRpropParams[] = {
    lr_spec(0.01),
    {"eta_minus", "η−", 0.5, 0.0, 1.0, true, true, 0.05, 0.95, false, ParamKind::Real,
     "step-size factor when the gradient's sign flips (--etas ETA_MINUS,ETA_PLUS)"},
    {"eta_plus", "η+", 1.2, 1.0, kInf, true, false, 1.01, 3.0, false, ParamKind::Real,
     "step-size factor while the gradient keeps its sign"},
    {"step_size_min", "min step", 1e-6, 0.0, kInf, false, false, 1e-9, 1.0, true, ParamKind::Real,
     "smallest per-coordinate step (--step-sizes MIN,MAX)"},
    {"step_size_max", "max step", 50.0, 0.0, kInf, true, false, 1e-3, 100.0, true, ParamKind::Real,
     "largest per-coordinate step"},
};
constexpr ParamSpec kLbfgsParams[] = {
    {"lr", "learning rate", 1.0, 0.0, kInf, true, false, 1e-3, 10.0, true, ParamKind::Real,
     "initial step length t (the first iteration uses min(1, 1/‖g‖₁)·lr)"},
    {"max_iter", "iterations per step", 1.0, 1.0, 100.0, false, false, 1.0, 20.0, false, ParamKind::Integer,
     "L-BFGS iterations per step() (1 here: one row is one iteration; torch's default is 20)"},
    {"history_size", "history", 100.0, 1.0, 100.0, false, false, 1.0, 100.0, false, ParamKind::Integer,
     "(s, y) pairs kept for the inverse-Hessian estimate"},
    {"line_search", "strong Wolfe", 0.0, 0.0, 1.0, false, false, 0.0, 1.0, false, ParamKind::Flag,
     "0: none (θ += t·d); 1: strong_wolfe, torch's line search (--line-search none|strong_wolfe)"},
    {"tolerance_grad", "gradient tolerance", 1e-7, 0.0, kInf, false, false, 1e-12, 1e-2, true, ParamKind::Real,
     "no move when max|g| <= this"},
    {"tolerance_change", "change tolerance", 1e-9, 0.0, kInf, false, false, 1e-15, 1e-3, true, ParamKind::Real,
     "stop when g·d > −this, or the step or loss change falls below it"},
};

constexpr OptimizerInfo kOptimizers[] = {
    {"sgd", "SGD",
     "torch.optim.SGD: b = μ·b + (1−τ)·g (b = g at t=1); d = g + μ·b if nesterov else b; θ −= lr·d", kSgdParams,
     rules::make_sgd},
    {"adagrad", "AdaGrad",
     "torch.optim.Adagrad: s += g²; θ −= lr/(1+(t−1)·η)·g/(√s + ε)", kAdagradParams, rules::make_adagrad},
    {"rmsprop", "RMSprop",
     "torch.optim.RMSprop: v = α·v + (1−α)·g²; θ −= lr·g/(√v + ε) (centered: √(v − ḡ²); momentum on g/(√v + ε))",
     kRmspropParams, rules::make_rmsprop},
    {"adadelta", "Adadelta",
     "torch.optim.Adadelta: v = ρv + (1−ρ)g²; Δ = √(u+ε)/√(v+ε)·g; u = ρu + (1−ρ)Δ²; θ −= lr·Δ", kAdadeltaParams,
     rules::make_adadelta},
    {"adam", "Adam",
     "torch.optim.Adam (Kingma & Ba 2015): m = β1m + (1−β1)g; v = β2v + (1−β2)g²; "
     "θ −= lr/(1−β1^t)·m/(√v/√(1−β2^t) + ε) (bias_correction 0: θ −= lr·m/(√v + ε))",
     kAdamParams, rules::make_adam},
    {"adamw", "AdamW",
     "torch.optim.AdamW (Loshchilov & Hutter 2019): θ ← θ(1 − lr·wd), then the Adam step", kAdamwParams,
     rules::make_adamw},
    {"adamax", "Adamax",
     "torch.optim.Adamax: m = β1m + (1−β1)g; u = max(β2u, |g| + ε); θ −= lr/(1−β1^t)·m/u", kAdamaxParams,
     rules::make_adamax},
    {"nadam", "NAdam",
     "torch.optim.NAdam (Dozat 2016): μ_t = β1(1 − ½·0.96^(tψ)); "
     "θ −= lr(1−μ_t)/(1−Πμ)·g/d + lr·μ_{t+1}/(1−Πμ·μ_{t+1})·m/d, d = √(v/(1−β2^t)) + ε",
     kNadamParams, rules::make_nadam},
    {"radam", "RAdam",
     "torch.optim.RAdam (Liu et al. 2020): rectified Adam; steps with ρ_t ≤ 5 are θ −= lr·m̂", kRadamParams,
     rules::make_radam},
    {"rprop", "Rprop",
     "torch.optim.Rprop (Riedmiller & Braun 1993): per coordinate s ·= η+ (same sign) or η− (sign flip, step "
     "skipped), clamped; θ −= sign(g)·s",
     kRpropParams, rules::make_rprop},
    {"lbfgs", "L-BFGS",
     "torch.optim.LBFGS (Liu & Nocedal 1989): d = −H·g from the last history_size (s, y) pairs; θ += t·d, t = lr "
     "or a strong-Wolfe line search",
     kLbfgsParams, rules::make_lbfgs},
};

}  // namespace

FusedRule Optimizer::fused_rule() const { return {}; }  // no fused kernel unless a rule says so

std::span<const OptimizerInfo> optimizer_registry() { return kOptimizers; }

const OptimizerInfo& find_optimizer(std::string_view name) { return find_by_name<OptimizerInfo>(kOptimizers, name, "optimizer"); }

std::unique_ptr<Optimizer> make_optimizer(std::string_view name, const ParamOverrides& overrides) {
    const OptimizerInfo& info = find_optimizer(name);
    return info.make(ParamValues(info.name, info.params, overrides));
}

}  // namespace optiviz
