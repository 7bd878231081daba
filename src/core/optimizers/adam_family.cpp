// Adam (with AMSGrad), AdamW, Adamax, NAdam and RAdam: their per-step tables (powers of the betas,
// NAdam's momentum products, RAdam's rectification, tabulated in prepare() in the order torch
// computes them) and their teaching text. Their update rules are in core/optimizers/update_rules.h, run by
// RuleOptimizer (core/optimizers/optimizer_rules.h).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <stdexcept>
#include <utility>

#include "core/optimizers/optimizer_rules.h"

namespace optiviz::rules {

namespace {

// β^t for t = 0..steps, index t. A running product in long double (64-bit mantissa) stays within
// ~1e-16 relative of the exact power for 10^5 steps, so rounding it to double gives what torch's
// `beta ** step` gives, at a multiply per step instead of a pow() call.
std::vector<double> compute_powers(long double base, long steps) {
    std::vector<double> table(static_cast<std::size_t>(steps) + 1);
    long double product = 1.0L;
    for (std::size_t t = 0; t < table.size(); ++t) {
        table[t] = static_cast<double>(product);
        product *= base;
    }
    return table;
}

}  // namespace

// A sweep over β2 × β1 prepares one optimizer per cell (65 536 for 256 × 256) from a few hundred
// distinct β values, and the serial long-double product is most of prepare()'s cost: tables are
// memoised by (base, steps). The cache is a pure function's memo, shared by threads under a lock,
// and bounded (cleared past kMaxCachedValues doubles).
std::vector<double> powers(long double base, long steps) {
    constexpr std::size_t kMaxCachedValues = std::size_t{1} << 22;  // 32 MB
    static std::mutex mutex;
    static std::map<std::pair<long double, long>, std::vector<double>> cache;
    static std::size_t cached_values = 0;
    const std::pair<long double, long> key{base, steps};
    {
        const std::lock_guard<std::mutex> lock(mutex);
        const auto found = cache.find(key);
        if (found != cache.end()) return found->second;
    }
    std::vector<double> table = compute_powers(base, steps);
    const std::lock_guard<std::mutex> lock(mutex);
    if (cached_values + table.size() > kMaxCachedValues) {
        cache.clear();
        cached_values = 0;
    }
    if (table.size() <= kMaxCachedValues && cache.emplace(key, table).second) cached_values += table.size();
    return table;
}

namespace {

// Bias corrections 1 − β^t for t = 1..steps, index t.
std::vector<double> bias_corrections(double beta, long steps) {
    std::vector<double> table = powers(beta, steps);
    for (double& b : table) b = 1.0 - b;
    return table;
}

// The table of `kind` for β (t = 0..steps, index t): 1 − β^t, √(1 − β^t), or all 1 (β unused),
// memoised as powers() is (shared by threads under a lock, bounded).
Table shared_beta_table(TableKind kind, double beta, long steps) {
    constexpr std::size_t kMaxCachedTables = 4096;
    static std::mutex mutex;
    static std::map<std::tuple<TableKind, double, long>, Table> cache;
    const auto key = std::make_tuple(kind, beta, steps);
    {
        const std::lock_guard<std::mutex> lock(mutex);
        const auto found = cache.find(key);
        if (found != cache.end()) return found->second;
    }
    std::vector<double> table;
    if (kind == TableKind::Ones) {
        table.assign(static_cast<std::size_t>(steps) + 1, 1.0);
    } else {
        table = bias_corrections(beta, steps);
        if (kind == TableKind::SqrtBiasCorrection)
            for (double& b : table) b = std::sqrt(b);
    }
    auto shared = std::make_shared<const std::vector<double>>(std::move(table));
    const std::lock_guard<std::mutex> lock(mutex);
    if (cache.size() >= kMaxCachedTables) cache.clear();  // tables in use live on in their optimizers
    cache.emplace(key, shared);
    return shared;
}

}  // namespace

// shared_beta_table() behind a thread's own direct-mapped memo of the tables it asked for last.
// A β2 × β1 sweep prepares 65 536 optimizers from 512 distinct tables: walking the shared map
// under its lock for each was a twentieth of the sweep's time. The memo holds weak references,
// so it keeps no table alive (the shared cache's bound still holds).
Table beta_table(TableKind kind, double beta, long steps) {
    if (kind == TableKind::Ones) beta = 0.0;
    struct Recent {
        TableKind kind = TableKind::Ones;
        double beta = 0.0;
        long steps = -1;
        std::weak_ptr<const std::vector<double>> table;
    };
    constexpr int kSlotBits = 10;
    thread_local std::array<Recent, std::size_t{1} << kSlotBits> recent;
    const std::uint64_t hash = (std::bit_cast<std::uint64_t>(beta) ^ static_cast<std::uint64_t>(steps) * 31 ^
                                static_cast<std::uint64_t>(kind)) * 0x9E3779B97F4A7C15ULL;
    Recent& slot = recent[hash >> (64 - kSlotBits)];
    if (slot.kind == kind && slot.beta == beta && slot.steps == steps)
        if (Table table = slot.table.lock()) return table;
    Table table = shared_beta_table(kind, beta, steps);
    slot = Recent{kind, beta, steps, table};
    return table;
}


NadamRule::Tables NadamRule::prepare(const Params& p, long steps) {
    const auto size = static_cast<std::size_t>(steps) + 1;
    Tables t{std::vector<double>(size, 0.0), std::vector<double>(size, 0.0), std::vector<double>(size, 0.0)};
    // 0.96^(t·ψ) = (0.96^ψ)^t; see powers() for why the running product is exact enough.
    const std::vector<double> decay = powers(std::pow(0.96L, static_cast<long double>(p.momentum_decay)), steps + 1);
    const std::vector<double> beta2_powers = powers(p.beta2, steps);
    double product = 1.0;  // running product of μ, kept in double as torch keeps its tensor
    for (long step = 1; step <= steps; ++step) {
        const auto k = static_cast<std::size_t>(step);
        const double mu = p.beta1 * (1.0 - 0.5 * decay[k]);
        const double mu_next = p.beta1 * (1.0 - 0.5 * decay[k + 1]);
        product *= mu;
        t.bc2_sqrt[k] = std::sqrt(1.0 - beta2_powers[k]);
        t.grad_coef[k] = (1.0 - mu) / (1.0 - product);
        t.avg_coef[k] = mu_next / (1.0 - product * mu_next);
    }
    return t;
}

RadamRule::Tables RadamRule::prepare(const Params& p, long steps) {
    const auto size = static_cast<std::size_t>(steps) + 1;
    Tables t{bias_corrections(p.beta1, steps), std::vector<double>(size, 0.0), std::vector<double>(size, 0.0)};
    const double rho_inf = 2.0 / (1.0 - p.beta2) - 1.0;
    const std::vector<double> beta2_powers = powers(p.beta2, steps);
    for (long step = 1; step <= steps; ++step) {
        const auto k = static_cast<std::size_t>(step);
        const double td = static_cast<double>(step);
        const double beta2_t = beta2_powers[k];
        const double bc2 = 1.0 - beta2_t;
        const double rho_t = rho_inf - 2.0 * td * beta2_t / bc2;
        t.bc2_sqrt[k] = std::sqrt(bc2);
        // rect 0 marks an unrectified step: plain lr·m̂, no denominator, no eps.
        t.rect[k] = rho_t > 5.0 ? std::sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf /
                                            ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                                : 0.0;
    }
    return t;
}

namespace {

// The Adam family's first and second moment lines of a step's explanation.
std::string first_moment_line(double beta1, const StepNumbers& n) {
    return "m = β1·m + (1−β1)·g = " + num(beta1) + "·" + before_pair(n, 0) + " + " + num(1 - beta1) + "·g = " +
           after_pair(n, 0);
}
void moment_lines(StepText& e, double beta1, const StepNumbers& n) {
    e.lines.push_back(first_moment_line(beta1, n));
    e.lines.push_back("v = β2·v + (1−β2)·g² = " + after_pair(n, 1));
}

// Adam and AdamW share everything but where weight decay goes.
class Adam final : public RuleOptimizer<AdamRule> {
public:
    Adam(const ParamValues& v, bool decoupled)
        : RuleOptimizer(decoupled ? "adamw" : "adam", AdamRule::read(v, decoupled), v.get("weight_decay")) {}
    double effective_rate(const StepInfo& info, const double* state) const override {
        const std::array<double, 3> at = tables_at(info.t);  // 1 − β1^t, √(1 − β2^t)
        const double vhat = params_.amsgrad ? state[2] : state[1];
        return info.lr / at[0] / (std::sqrt(vhat) / at[1] + params_.eps);
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        std::string r = params_.decoupled ? "torch.optim.AdamW (Loshchilov & Hutter 2019): θ ← θ(1 − lr·wd); "
                                          : "torch.optim.Adam (Kingma & Ba 2015): ";
        r += "m = β1m + (1−β1)g; v = β2v + (1−β2)g²; ";
        if (params_.amsgrad) r += "v̂max = max(v̂max, v); ";
        const std::string v = params_.amsgrad ? "v̂max" : "v";
        if (!params_.bias_correction) return r + "θ −= lr·m/(√" + v + " + ε) (no bias correction)";
        return r + "θ −= lr/(1−β1^t)·m/(√" + v + "/√(1−β2^t) + ε)";
    }
    StepText explain(const StepNumbers& n) const override {
        const std::array<double, 3> at = tables_at(n.info.t);
        StepText e;
        if (params_.decoupled)
            e.lines.push_back("θ ← θ·(1 − lr·wd) first (decoupled weight decay), wd = " + num(weight_decay_));
        moment_lines(e, params_.beta1, n);
        if (params_.amsgrad) e.lines.push_back("v̂max = max(v̂max, v) = " + after_pair(n, 2));
        const double bc1 = at[0], bc2 = at[1] * at[1];
        const int v = params_.amsgrad ? 2 : 1;
        if (!params_.bias_correction) {
            const double true_bc1 = 1.0 - std::pow(params_.beta1, static_cast<double>(n.info.t));
            e.lines.push_back("no bias correction: m is used as it is, " + num(true_bc1) +
                              " times the mean gradient's scale at this t (1−β1^t)");
            e.notes.push_back("bias_correction 0 is the course form; torch's Adam always corrects");
            return e;
        }
        e.lines.push_back("bias corrections: 1−β1^t = " + num(bc1) + ",  1−β2^t = " + num(bc2));
        e.lines.push_back("m̂ = m/(1−β1^t) = " + pair(n.after_x[0] / bc1, n.after_y[0] / bc1) +
                          ",  v̂ = v/(1−β2^t) = " + pair(n.after_x[v] / bc2, n.after_y[v] / bc2));
        return e;
    }
};

class Adamax final : public RuleOptimizer<AdamaxRule> {
public:
    explicit Adamax(const ParamValues& v) : RuleOptimizer("adamax", AdamaxRule::read(v), v.get("weight_decay")) {}
    double effective_rate(const StepInfo& info, const double* state) const override {
        return info.lr / tables_at(info.t)[0] / state[1];
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        return "torch.optim.Adamax: m = β1m + (1−β1)g; u = max(β2u, |g| + ε); θ −= lr/(1−β1^t)·m/u";
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back(first_moment_line(params_.beta1, n));
        e.lines.push_back("u = max(β2·u, |g| + ε) = " + after_pair(n, 1));
        e.lines.push_back("bias correction: 1−β1^t = " + num(tables_at(n.info.t)[0]));
        return e;
    }
};

class Nadam final : public RuleOptimizer<NadamRule> {
public:
    explicit Nadam(const ParamValues& v) : RuleOptimizer("nadam", NadamRule::read(v), v.get("weight_decay")) {}
    double effective_rate(const StepInfo& info, const double* state) const override {
        return info.lr / (std::sqrt(state[1]) / tables_at(info.t)[0] + params_.eps);
    }
    // The Nesterov mix of the gradient and the first moment.
    double step_direction(const StepInfo& info, double g, const double* state) const override {
        const std::array<double, 3> at = tables_at(info.t);
        return at[1] * g + at[2] * state[0];
    }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        return "torch.optim.NAdam (Dozat 2016): μ_t = β1(1 − ½·0.96^(tψ)); "
               "θ −= lr(1−μ_t)/(1−Πμ)·g/d + lr·μ_{t+1}/(1−Πμ·μ_{t+1})·m/d, d = √(v/(1−β2^t)) + ε";
    }
    StepText explain(const StepNumbers& n) const override {
        const std::array<double, 3> at = tables_at(n.info.t);
        StepText e;
        moment_lines(e, params_.beta1, n);
        e.lines.push_back("(1−μ_t)/(1−Πμ) = " + num(at[1]) + ",  μ_{t+1}/(1−Πμ·μ_{t+1}) = " + num(at[2]));
        return e;
    }
};

class Radam final : public RuleOptimizer<RadamRule> {
public:
    explicit Radam(const ParamValues& v) : RuleOptimizer("radam", RadamRule::read(v), v.get("weight_decay")) {}
    double effective_rate(const StepInfo& info, const double* state) const override {
        const std::array<double, 3> at = tables_at(info.t);  // 1 − β1^t, √(1 − β2^t), r_t
        if (at[2] > 0.0) return info.lr * at[2] * at[1] / (std::sqrt(state[1]) + params_.eps) / at[0];
        return info.lr / at[0];
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        return "torch.optim.RAdam (Liu et al. 2020): m̂ = m/(1−β1^t); ρ_t > 5: θ −= lr·r_t·m̂·√(1−β2^t)/(√v + ε); "
               "else θ −= lr·m̂";
    }
    StepText explain(const StepNumbers& n) const override {
        const std::array<double, 3> at = tables_at(n.info.t);
        StepText e;
        moment_lines(e, params_.beta1, n);
        e.lines.push_back("m̂ = m/(1−β1^t) = " + pair(n.after_x[0] / at[0], n.after_y[0] / at[0]));
        e.lines.push_back(at[2] > 0.0 ? "rectified: r_t = " + num(at[2]) : "ρ_t ≤ 5: unrectified step lr·m̂");
        return e;
    }
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const ParamValues& v) { return std::make_unique<Adam>(v, false); }
std::unique_ptr<Optimizer> make_adamw(const ParamValues& v) { return std::make_unique<Adam>(v, true); }
std::unique_ptr<Optimizer> make_adamax(const ParamValues& v) { return std::make_unique<Adamax>(v); }
std::unique_ptr<Optimizer> make_nadam(const ParamValues& v) { return std::make_unique<Nadam>(v); }
std::unique_ptr<Optimizer> make_radam(const ParamValues& v) { return std::make_unique<Radam>(v); }

}  // namespace optiviz::rules
