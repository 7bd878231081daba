// Adam (with AMSGrad), AdamW, Adamax, NAdam and RAdam, as torch.optim 1.13 computes them in
// float64 (see shared rules in optimizer_rules.h). Per-step scalars (powers of the betas, NAdam's
// momentum product) are tabulated in prepare() in the order torch computes them.
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

#include "core/optimizer_rules.h"

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

// Bias corrections 1 − β^t for t = 1..steps, index t.
std::vector<double> bias_corrections(double beta, long steps) {
    std::vector<double> table = powers(beta, steps);
    for (double& b : table) b = 1.0 - b;
    return table;
}

// A table per step, shared: the optimizers of a sweep (one per cell: 65 536 for 256 × 256, from a
// few hundred distinct β values) hold the same few hundred tables instead of copies.
using Table = std::shared_ptr<const std::vector<double>>;
enum class TableKind { BiasCorrection, SqrtBiasCorrection, Ones };

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

std::size_t checked(long t, const std::vector<double>& table) {
    const auto index = static_cast<std::size_t>(t);
    if (t < 1 || index >= table.size()) throw std::logic_error("optimizer step outside the prepared range");
    return index;
}
// A table's values for FusedRule (null before prepare(): fused_applies() asks unprepared optimizers).
const double* data_of(const Table& table) { return table ? table->data() : nullptr; }

std::size_t checked(long t, const Table& table) {
    if (!table) throw std::logic_error("optimizer step before prepare()");
    return checked(t, *table);
}

struct AdamScalars {
    double b1, b2, eps, step_size, bc2_sqrt, shrink;  // shrink = 1 − lr·wd for AdamW, else unused
    bool amsgrad, decoupled;
    double bc1, weight_decay;  // for per-particle learning rates: step_size = lr/bc1, shrink = 1 − lr·wd
    const double* lr_each;     // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void adam_kernel(const AdamScalars& scalars, std::size_t n, double* __restrict p,
                                       const double* __restrict g, double* const* st) {
    const AdamScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict m = st[0];
    double* __restrict v = st[1];
    double* __restrict vmax = s.amsgrad ? st[2] : nullptr;
    for (std::size_t i = 0; i < n; ++i) {
        const double shrink = s.lr_each ? 1.0 - s.lr_each[i] * s.weight_decay : s.shrink;
        const double step_size = s.lr_each ? s.lr_each[i] / s.bc1 : s.step_size;
        if (s.decoupled) p[i] = p[i] * shrink;
        m[i] = m[i] * s.b1 + (1.0 - s.b1) * g[i];
        v[i] = v[i] * s.b2 + (1.0 - s.b2) * g[i] * g[i];
        double vhat = v[i];
        if (s.amsgrad) {
            vmax[i] = std::max(vmax[i], v[i]);  // the raw v, not the bias-corrected one
            vhat = vmax[i];
        }
        const double denom = std::sqrt(vhat) / s.bc2_sqrt + s.eps;
        p[i] = p[i] + -step_size * m[i] / denom;
    }
}

// Adam and AdamW share everything but where weight decay goes.
class Adam final : public Optimizer {
public:
    Adam(const ParamValues& v, bool decoupled)
        : beta1_(v.get("beta1")), beta2_(v.get("beta2")), eps_(v.get("eps")), amsgrad_(v.flag("amsgrad")),
          decoupled_(decoupled), bias_correction_(v.flag("bias_correction")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return decoupled_ ? "adamw" : "adam"; }
    int state_arrays() const override { return amsgrad_ ? 3 : 2; }
    std::vector<std::string_view> state_names() const override {
        if (amsgrad_) return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
        return {"exp_avg", "exp_avg_sq"};
    }
    bool decoupled_weight_decay() const override { return decoupled_; }
    double effective_rate(const StepInfo& info, const double* state) const override {
        const std::size_t t = checked(info.t, bc1_);
        const double vhat = amsgrad_ ? state[2] : state[1];
        return info.lr / (*bc1_)[t] / (std::sqrt(vhat) / (*bc2_sqrt_)[t] + eps_);
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        std::string r = decoupled_ ? "torch.optim.AdamW (Loshchilov & Hutter 2019): θ ← θ(1 − lr·wd); "
                                   : "torch.optim.Adam (Kingma & Ba 2015): ";
        r += "m = β1m + (1−β1)g; v = β2v + (1−β2)g²; ";
        if (amsgrad_) r += "v̂max = max(v̂max, v); ";
        const std::string v = amsgrad_ ? "v̂max" : "v";
        if (!bias_correction_) return r + "θ −= lr·m/(√" + v + " + ε) (no bias correction)";
        return r + "θ −= lr/(1−β1^t)·m/(√" + v + "/√(1−β2^t) + ε)";
    }
    StepText explain(const StepNumbers& n) const override {
        const std::size_t t = checked(n.info.t, bc1_);
        StepText e;
        if (decoupled_) e.lines.push_back("θ ← θ·(1 − lr·wd) first (decoupled weight decay), wd = " + num(weight_decay_));
        e.lines.push_back("m = β1·m + (1−β1)·g = " + num(beta1_) + "·" + before_pair(n, 0) + " + " + num(1 - beta1_) +
                          "·g = " + after_pair(n, 0));
        e.lines.push_back("v = β2·v + (1−β2)·g² = " + after_pair(n, 1));
        if (amsgrad_) e.lines.push_back("v̂max = max(v̂max, v) = " + after_pair(n, 2));
        const double bc1 = (*bc1_)[t], bc2 = (*bc2_sqrt_)[t] * (*bc2_sqrt_)[t];
        const int v = amsgrad_ ? 2 : 1;
        if (!bias_correction_) {
            const double true_bc1 = 1.0 - std::pow(beta1_, static_cast<double>(n.info.t));
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
    void prepare(long steps) override {
        // Without bias correction both factors are 1: the kernel's divisions by them are exact, so
        // it computes lr·m/(√v + ε) bit for bit.
        bc1_ = beta_table(bias_correction_ ? TableKind::BiasCorrection : TableKind::Ones, beta1_, steps);
        bc2_sqrt_ = beta_table(bias_correction_ ? TableKind::SqrtBiasCorrection : TableKind::Ones, beta2_, steps);
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const std::size_t t = checked(info.t, bc1_);
        const double shrink = decoupled_ ? 1.0 - info.lr * weight_decay_ : 1.0;
        for_each_coordinate<AdamScalars>(
            adam_kernel,
            {beta1_, beta2_, eps_, info.lr / (*bc1_)[t], (*bc2_sqrt_)[t], shrink, amsgrad_, decoupled_, (*bc1_)[t], weight_decay_, s.lr},
            s);
    }

    FusedRule fused_rule() const override {
        FusedRule r{FusedKind::Adam, {beta1_, beta2_, eps_, decoupled_ ? weight_decay_ : 0.0}, amsgrad_,
                    {data_of(bc1_), data_of(bc2_sqrt_)}};
        return r;
    }

private:
    double beta1_, beta2_, eps_;
    bool amsgrad_, decoupled_, bias_correction_;
    Table bc1_, bc2_sqrt_;
};

struct AdamaxScalars {
    double b1, b2, eps, clr;
    double bc1;             // for per-particle learning rates: clr = lr/bc1
    const double* lr_each;  // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void adamax_kernel(const AdamaxScalars& scalars, std::size_t n, double* __restrict p,
                                         const double* __restrict g, double* const* st) {
    const AdamaxScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict m = st[0];
    double* __restrict u = st[1];
    for (std::size_t i = 0; i < n; ++i) {
        m[i] = m[i] * s.b1 + (1.0 - s.b1) * g[i];
        u[i] = std::max(u[i] * s.b2, std::abs(g[i]) + s.eps);  // eps inside the max
        const double clr = s.lr_each ? s.lr_each[i] / s.bc1 : s.clr;
        p[i] = p[i] + -clr * m[i] / u[i];
    }
}

class Adamax final : public Optimizer {
public:
    explicit Adamax(const ParamValues& v) : beta1_(v.get("beta1")), beta2_(v.get("beta2")), eps_(v.get("eps")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return "adamax"; }
    int state_arrays() const override { return 2; }
    std::vector<std::string_view> state_names() const override { return {"exp_avg", "exp_inf"}; }
    void prepare(long steps) override { bc1_ = beta_table(TableKind::BiasCorrection, beta1_, steps); }
    double effective_rate(const StepInfo& info, const double* state) const override {
        return info.lr / (*bc1_)[checked(info.t, bc1_)] / state[1];
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        return "torch.optim.Adamax: m = β1m + (1−β1)g; u = max(β2u, |g| + ε); θ −= lr/(1−β1^t)·m/u";
    }
    StepText explain(const StepNumbers& n) const override {
        StepText e;
        e.lines.push_back("m = β1·m + (1−β1)·g = " + num(beta1_) + "·" + before_pair(n, 0) + " + " + num(1 - beta1_) +
                          "·g = " + after_pair(n, 0));
        e.lines.push_back("u = max(β2·u, |g| + ε) = " + after_pair(n, 1));
        e.lines.push_back("bias correction: 1−β1^t = " + num((*bc1_)[checked(n.info.t, bc1_)]));
        return e;
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const std::size_t t = checked(info.t, bc1_);
        for_each_coordinate<AdamaxScalars>(adamax_kernel, {beta1_, beta2_, eps_, info.lr / (*bc1_)[t], (*bc1_)[t], s.lr}, s);
    }

    FusedRule fused_rule() const override {
        return FusedRule{FusedKind::Adamax, {beta1_, beta2_, eps_}, false, {data_of(bc1_)}};
    }

private:
    double beta1_, beta2_, eps_;
    Table bc1_;
};

struct NadamScalars {
    double b1, b2, eps, bc2_sqrt, step_grad, step_avg;
    double grad_coef, avg_coef;  // for per-particle learning rates: step_grad = −(lr·grad_coef), ...
    const double* lr_each;       // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void nadam_kernel(const NadamScalars& scalars, std::size_t n, double* __restrict p,
                                        const double* __restrict g, double* const* st) {
    const NadamScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict m = st[0];
    double* __restrict v = st[1];
    for (std::size_t i = 0; i < n; ++i) {
        m[i] = m[i] * s.b1 + (1.0 - s.b1) * g[i];
        v[i] = v[i] * s.b2 + (1.0 - s.b2) * g[i] * g[i];
        const double denom = std::sqrt(v[i]) / s.bc2_sqrt + s.eps;
        const double step_grad = s.lr_each ? -(s.lr_each[i] * s.grad_coef) : s.step_grad;
        const double step_avg = s.lr_each ? -(s.lr_each[i] * s.avg_coef) : s.step_avg;
        p[i] = p[i] + step_grad * g[i] / denom;
        p[i] = p[i] + step_avg * m[i] / denom;
    }
}

// NAdam with the documented denominator 1 − Π·μ_{t+1} (torch 1.13's foreach path and torch ≥ 2.0;
// 1.13's default single-tensor CPU path multiplies μ_t in twice).
class Nadam final : public Optimizer {
public:
    explicit Nadam(const ParamValues& v)
        : beta1_(v.get("beta1")), beta2_(v.get("beta2")), eps_(v.get("eps")), psi_(v.get("momentum_decay")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return "nadam"; }
    int state_arrays() const override { return 2; }
    std::vector<std::string_view> state_names() const override { return {"exp_avg", "exp_avg_sq"}; }
    double effective_rate(const StepInfo& info, const double* state) const override {
        const std::size_t t = checked(info.t, bc2_sqrt_);
        return info.lr / (std::sqrt(state[1]) / bc2_sqrt_[t] + eps_);
    }
    // The Nesterov mix of the gradient and the first moment.
    double step_direction(const StepInfo& info, double g, const double* state) const override {
        const std::size_t t = checked(info.t, bc2_sqrt_);
        return grad_coef_[t] * g + avg_coef_[t] * state[0];
    }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        return "torch.optim.NAdam (Dozat 2016): μ_t = β1(1 − ½·0.96^(tψ)); "
               "θ −= lr(1−μ_t)/(1−Πμ)·g/d + lr·μ_{t+1}/(1−Πμ·μ_{t+1})·m/d, d = √(v/(1−β2^t)) + ε";
    }
    StepText explain(const StepNumbers& n) const override {
        const std::size_t t = checked(n.info.t, bc2_sqrt_);
        StepText e;
        e.lines.push_back("m = β1·m + (1−β1)·g = " + num(beta1_) + "·" + before_pair(n, 0) + " + " + num(1 - beta1_) +
                          "·g = " + after_pair(n, 0));
        e.lines.push_back("v = β2·v + (1−β2)·g² = " + after_pair(n, 1));
        e.lines.push_back("(1−μ_t)/(1−Πμ) = " + num(grad_coef_[t]) + ",  μ_{t+1}/(1−Πμ·μ_{t+1}) = " + num(avg_coef_[t]));
        return e;
    }
    void prepare(long steps) override {
        const auto size = static_cast<std::size_t>(steps) + 1;
        bc2_sqrt_.assign(size, 0.0);
        grad_coef_.assign(size, 0.0);
        avg_coef_.assign(size, 0.0);
        // 0.96^(t·ψ) = (0.96^ψ)^t; see powers() for why the running product is exact enough.
        const std::vector<double> decay = powers(std::pow(0.96L, static_cast<long double>(psi_)), steps + 1);
        const std::vector<double> beta2_powers = powers(beta2_, steps);
        double product = 1.0;  // running product of μ, kept in double as torch keeps its tensor
        for (long t = 1; t <= steps; ++t) {
            const auto k = static_cast<std::size_t>(t);
            const double mu = beta1_ * (1.0 - 0.5 * decay[k]);
            const double mu_next = beta1_ * (1.0 - 0.5 * decay[k + 1]);
            product *= mu;
            bc2_sqrt_[k] = std::sqrt(1.0 - beta2_powers[k]);
            grad_coef_[k] = (1.0 - mu) / (1.0 - product);
            avg_coef_[k] = mu_next / (1.0 - product * mu_next);
        }
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const std::size_t t = checked(info.t, bc2_sqrt_);
        for_each_coordinate<NadamScalars>(nadam_kernel,
                                          {beta1_, beta2_, eps_, bc2_sqrt_[t], -(info.lr * grad_coef_[t]),
                                           -(info.lr * avg_coef_[t]), grad_coef_[t], avg_coef_[t], s.lr},
                                          s);
    }

    FusedRule fused_rule() const override {
        return FusedRule{FusedKind::Nadam, {beta1_, beta2_, eps_}, false,
                         {bc2_sqrt_.data(), grad_coef_.data(), avg_coef_.data()}};
    }

private:
    double beta1_, beta2_, eps_, psi_;
    std::vector<double> bc2_sqrt_, grad_coef_, avg_coef_;
};

struct RadamScalars {
    double b1, b2, eps, lr, bc1, bc2_sqrt, rect;  // rect 0: an unrectified step
    const double* lr_each;                        // per-particle learning rates, or null
};

OPTIVIZ_VECTOR_KERNEL void radam_kernel(const RadamScalars& scalars, std::size_t n, double* __restrict p,
                                        const double* __restrict g, double* const* st) {
    const RadamScalars s = scalars;  // a local copy: invariant branches can leave the loop
    double* __restrict m = st[0];
    double* __restrict v = st[1];
    for (std::size_t i = 0; i < n; ++i) {
        m[i] = m[i] * s.b1 + (1.0 - s.b1) * g[i];
        v[i] = v[i] * s.b2 + (1.0 - s.b2) * g[i] * g[i];
        const double m_hat = m[i] / s.bc1;
        const double lr = s.lr_each ? s.lr_each[i] : s.lr;
        if (s.rect > 0.0) {
            const double adaptive_lr = s.bc2_sqrt / (std::sqrt(v[i]) + s.eps);
            p[i] = p[i] + -1.0 * (m_hat * lr * adaptive_lr * s.rect);
        } else {
            p[i] = p[i] + -1.0 * (m_hat * lr);
        }
    }
}

class Radam final : public Optimizer {
public:
    explicit Radam(const ParamValues& v) : beta1_(v.get("beta1")), beta2_(v.get("beta2")), eps_(v.get("eps")) {
        weight_decay_ = v.get("weight_decay");
    }
    std::string_view name() const override { return "radam"; }
    int state_arrays() const override { return 2; }
    std::vector<std::string_view> state_names() const override { return {"exp_avg", "exp_avg_sq"}; }
    double effective_rate(const StepInfo& info, const double* state) const override {
        const std::size_t t = checked(info.t, bc1_);
        if (rect_[t] > 0.0) return info.lr * rect_[t] * bc2_sqrt_[t] / (std::sqrt(state[1]) + eps_) / bc1_[t];
        return info.lr / bc1_[t];
    }
    double step_direction(const StepInfo&, double, const double* state) const override { return state[0]; }
    int direction_state() const override { return 0; }
    std::string rule() const override {
        return "torch.optim.RAdam (Liu et al. 2020): m̂ = m/(1−β1^t); ρ_t > 5: θ −= lr·r_t·m̂·√(1−β2^t)/(√v + ε); "
               "else θ −= lr·m̂";
    }
    StepText explain(const StepNumbers& n) const override {
        const std::size_t t = checked(n.info.t, bc1_);
        StepText e;
        e.lines.push_back("m = β1·m + (1−β1)·g = " + num(beta1_) + "·" + before_pair(n, 0) + " + " + num(1 - beta1_) +
                          "·g = " + after_pair(n, 0));
        e.lines.push_back("v = β2·v + (1−β2)·g² = " + after_pair(n, 1));
        e.lines.push_back("m̂ = m/(1−β1^t) = " + pair(n.after_x[0] / bc1_[t], n.after_y[0] / bc1_[t]));
        e.lines.push_back(rect_[t] > 0.0 ? "rectified: r_t = " + num(rect_[t]) : "ρ_t ≤ 5: unrectified step lr·m̂");
        return e;
    }
    void prepare(long steps) override {
        const auto size = static_cast<std::size_t>(steps) + 1;
        bc1_ = bias_corrections(beta1_, steps);
        bc2_sqrt_.assign(size, 0.0);
        rect_.assign(size, 0.0);
        const double rho_inf = 2.0 / (1.0 - beta2_) - 1.0;
        const std::vector<double> beta2_powers = powers(beta2_, steps);
        for (long t = 1; t <= steps; ++t) {
            const auto k = static_cast<std::size_t>(t);
            const double td = static_cast<double>(t);
            const double beta2_t = beta2_powers[k];
            const double bc2 = 1.0 - beta2_t;
            const double rho_t = rho_inf - 2.0 * td * beta2_t / bc2;
            bc2_sqrt_[k] = std::sqrt(bc2);
            // rect 0 marks an unrectified step: plain lr·m̂, no denominator, no eps.
            rect_[k] = rho_t > 5.0 ? std::sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf /
                                               ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                                   : 0.0;
        }
    }
    void step(const StepInfo& info, const ParticleSpan& s) const override {
        const std::size_t t = checked(info.t, bc1_);
        for_each_coordinate<RadamScalars>(
            radam_kernel, {beta1_, beta2_, eps_, info.lr, bc1_[t], bc2_sqrt_[t], rect_[t], s.lr}, s);
    }

    FusedRule fused_rule() const override {
        return FusedRule{FusedKind::Radam, {beta1_, beta2_, eps_}, false, {bc1_.data(), bc2_sqrt_.data(), rect_.data()}};
    }

private:
    double beta1_, beta2_, eps_;
    std::vector<double> bc1_, bc2_sqrt_, rect_;
};

}  // namespace

std::unique_ptr<Optimizer> make_adam(const ParamValues& v) { return std::make_unique<Adam>(v, false); }
std::unique_ptr<Optimizer> make_adamw(const ParamValues& v) { return std::make_unique<Adam>(v, true); }
std::unique_ptr<Optimizer> make_adamax(const ParamValues& v) { return std::make_unique<Adamax>(v); }
std::unique_ptr<Optimizer> make_nadam(const ParamValues& v) { return std::make_unique<Nadam>(v); }
std::unique_ptr<Optimizer> make_radam(const ParamValues& v) { return std::make_unique<Radam>(v); }

}  // namespace optiviz::rules
