// GCC 12 reports a false -Wrestrict inside libstdc++ for chains of string concatenation at -O3
// (GCC bug 105651); this file is all such chains.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include "core/step_explanation.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/optimizer.h"

namespace optiviz {

namespace {

std::string num(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
}

std::string pair(double x, double y) { return "(" + num(x) + ", " + num(y) + ")"; }

}  // namespace

StepExplanation explain_step(const RunConfig& config, const Trajectory& t, std::size_t k) {
    if (t.rate_x.empty() && t.size() > 1)
        throw std::invalid_argument("this trajectory was recorded without the optimizer's state");
    if (k + 1 >= t.size() || k >= t.rate_x.size()) throw std::invalid_argument("no step " + std::to_string(k) + " to explain");
    const OptimizerInfo& info = find_optimizer(config.optimizer);
    const ParamValues p(info.name, info.params, config.hyper);
    const double lr = schedule_table(config.schedule, p.get("lr"), static_cast<long>(k) + 1)[k];
    const auto step = static_cast<double>(k + 1);  // torch's t for this step
    auto index_of = [&](std::string_view name) -> long {
        for (std::size_t i = 0; i < t.state_names.size(); ++i)
            if (t.state_names[i] == name) return static_cast<long>(i);
        return -1;
    };
    // State before (zero before the first step) and after this step.
    auto before = [&](std::string_view name, int c) {
        const long i = index_of(name);
        return (i < 0 || k == 0) ? 0.0 : t.state_at(k - 1, static_cast<std::size_t>(i), c);
    };
    auto after = [&](std::string_view name, int c) {
        const long i = index_of(name);
        return i < 0 ? 0.0 : t.state_at(k, static_cast<std::size_t>(i), c);
    };
    StepExplanation e;
    e.rule = std::string(info.rule);
    const double gx = t.gx[k], gy = t.gy[k];
    e.lines.push_back("t = " + std::to_string(k + 1) + ",  lr = " + num(lr) + ",  θ = " + pair(t.x[k], t.y[k]));
    e.lines.push_back("g = ∇f(θ) = " + pair(gx, gy));
    const std::string name(info.name);
    if (name == "sgd") {
        const double mu = p.get("momentum"), tau = p.get("dampening");
        if (mu != 0) {
            if (k == 0) e.lines.push_back("b = g (first step) = " + pair(after("momentum_buffer", 0), after("momentum_buffer", 1)));
            else
                e.lines.push_back("b = μ·b + (1−τ)·g = " + num(mu) + "·" + pair(before("momentum_buffer", 0), before("momentum_buffer", 1)) +
                                  " + " + num(1 - tau) + "·g = " + pair(after("momentum_buffer", 0), after("momentum_buffer", 1)));
            if (p.flag("nesterov")) e.lines.push_back("d = g + μ·b (Nesterov)");
            e.notes.push_back("the course form v = β·v + (1−β)·g, θ −= α·v is the same rule with b = v/(1−β) and lr = α·(1−β)");
        }
    } else if (name == "adagrad") {
        e.lines.push_back("s = s + g² = " + pair(after("sum", 0), after("sum", 1)));
    } else if (name == "rmsprop") {
        e.lines.push_back("v = α·v + (1−α)·g² = " + num(p.get("alpha")) + "·" + pair(before("square_avg", 0), before("square_avg", 1)) +
                          " + " + num(1 - p.get("alpha")) + "·g² = " + pair(after("square_avg", 0), after("square_avg", 1)));
        if (p.flag("centered")) e.lines.push_back("ḡ = α·ḡ + (1−α)·g = " + pair(after("grad_avg", 0), after("grad_avg", 1)));
        if (p.get("momentum") > 0) e.lines.push_back("b = μ·b + g/(√v + ε) = " + pair(after("momentum_buffer", 0), after("momentum_buffer", 1)));
    } else if (name == "adadelta") {
        e.lines.push_back("v = ρ·v + (1−ρ)·g² = " + pair(after("square_avg", 0), after("square_avg", 1)));
        e.lines.push_back("u = ρ·u + (1−ρ)·Δ² = " + pair(after("acc_delta", 0), after("acc_delta", 1)));
    } else {  // the Adam family
        const double b1 = p.get("beta1"), b2 = p.get("beta2");
        e.lines.push_back("m = β1·m + (1−β1)·g = " + num(b1) + "·" + pair(before("exp_avg", 0), before("exp_avg", 1)) + " + " +
                          num(1 - b1) + "·g = " + pair(after("exp_avg", 0), after("exp_avg", 1)));
        if (name == "adamax") {
            e.lines.push_back("u = max(β2·u, |g| + ε) = " + pair(after("exp_inf", 0), after("exp_inf", 1)));
        } else {
            e.lines.push_back("v = β2·v + (1−β2)·g² = " + pair(after("exp_avg_sq", 0), after("exp_avg_sq", 1)));
        }
        const double bc1 = 1 - std::pow(b1, step), bc2 = 1 - std::pow(b2, step);
        e.lines.push_back("bias corrections: 1−β1^t = " + num(bc1) + ",  1−β2^t = " + num(bc2));
        if (name == "adam" || name == "adamw") {
            e.lines.push_back("m̂ = m/(1−β1^t) = " + pair(after("exp_avg", 0) / bc1, after("exp_avg", 1) / bc1) +
                              ",  v̂ = v/(1−β2^t) = " + pair(after("exp_avg_sq", 0) / bc2, after("exp_avg_sq", 1) / bc2));
            if (name == "adamw") e.lines.push_back("θ ← θ·(1 − lr·wd) first (decoupled weight decay)");
        }
    }
    e.lines.push_back("effective lr per coordinate = " + pair(t.rate_x[k], t.rate_y[k]));
    e.lines.push_back("θ' = " + pair(t.x[k + 1], t.y[k + 1]) + "   (step " + pair(t.x[k + 1] - t.x[k], t.y[k + 1] - t.y[k]) + ")");
    if (config.clip_norm > 0) e.notes.push_back("g above is the full gradient; the step used it clipped to norm " + num(config.clip_norm));
    if (p.get("weight_decay") != 0 && name != "adamw") e.notes.push_back("the step used g + wd·θ (weight decay)");
    if (config.batch_size > 0) e.notes.push_back("g above is the full gradient; the step used a mini-batch gradient");
    return e;
}

}  // namespace optiviz
