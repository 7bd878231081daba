// The update rule of every elementwise optimizer, written once. Both paths run these structs: the
// generic batch path (rules::RuleOptimizer::step, core/rule_optimizer.h: one coordinate array at a
// time, for data surfaces, trajectories and models) and the fused ensemble kernel
// (core/optimizers/fused_kernel.h: one formula and one rule per loop). Operations are written in torch.optim
// 1.13's order in float64 (x.mul_(a).add_(g, alpha=b) is x*a + b*g; addcdiv_(t1, t2, value=s) is
// x + s*t1/t2), so that the last bits agree with torch too.
//
// A rule is a struct with
//   Params              its hyperparameters, named and typed (switches included), with
//                       read(ParamValues) and flag(Params) (the switch that changes which
//                       operations run: Nesterov, centered, AMSGrad) and momentum(Params);
//   Tables, prepare()   per-step tables indexed by the step t (Adam's 1 − β1^t), computed once
//                       per run; table_data() lists them in the order per_step() reads them;
//   kState              state arrays per coordinate carried between steps (torch's state), in
//                       the rule's slots; kept() says which of them the optimizer shows, by name;
//   quantities          an enum of per-lane numbers: WD (coupled weight decay, set by the caller)
//                       first, then the constants constants() sets, from kConst on the per-step
//                       ones per_step() sets from the step t, its lr and the tables at t;
//   update()            one coordinate's new value from its old value p, gradient g (after
//                       clipping and coupled weight decay) and state st[slot][i].
// update() is templated on a mode M (below): which switches are fixed at compile time.
// Internal to core.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/scene/param_spec.h"

namespace optiviz::rules {

// Modes. DynamicMode reads the switches at run time and computes every branch (selects, no stores
// in branches): a step that is the first (SGD's and Adagrad's state start there), and rare
// settings. Static fixes the common settings at compile time: Flag (Nesterov, centered, AMSGrad)
// and Momentum, which means every lane has momentum (SGD: and no dampening); Momentum false means
// no lane has it (its buffer is never read). Teaching: the caller keeps the arrays teaching views
// read besides torch's state (Adadelta's step scale): the generic path does, the fused kernel not.
template <bool Teaching>
struct DynamicMode {
    bool first = false;
    bool flag = false;
    static constexpr bool kDynamic = true, kTeaching = Teaching;
};
using Dynamic = DynamicMode<false>;
template <bool Flag, bool Momentum, bool Teaching = false>
struct Static {
    static constexpr bool first = false, flag = Flag;
    static constexpr bool kDynamic = false, kMomentum = Momentum, kTeaching = Teaching;
};

// What a set of lanes has of momentum: none, the kind Static<…, true> assumes, or another.
enum class Momentum { None, Simple, General };

// Momentum over several lanes (or the optimizers of a sweep's variants).
inline Momentum combine(Momentum a, Momentum b) {
    if (a == b) return a;
    return Momentum::General;
}

// A state array the optimizer shows (teaching views, recorded trajectories): its rule slot and
// torch's name for it.
struct KeptState {
    int slot;
    std::string_view name;
};

// Defaults a rule may override.
struct RuleDefaults {
    static constexpr int kTables = 0, kTeachingState = 0;
    static constexpr bool kStaticFlag = false;  // Static<true, …> exists for the flag
    static constexpr bool kHasMomentum = false; // Static<…, true> exists
    static constexpr bool kUsesFirst = false;   // update() reads m.first
    static constexpr bool kFused = true;        // the fused ensemble kernel runs it
    struct Tables {};
    template <class P>
    static Tables prepare(const P&, long) { return {}; }
    static std::array<const double*, 3> table_data(const Tables&) { return {}; }
    template <class P>
    static bool flag(const P&) { return false; }
    template <class P>
    static Momentum momentum(const P&) { return Momentum::None; }
    template <class P>
    static bool decoupled_weight_decay(const P&) { return false; }
};

// Calls f(mode) with the compiled mode for lanes with this flag and momentum, after the first
// step: Static for the common settings, DynamicMode for the rest.
template <class Rule, bool Teaching, class F>
void with_mode(bool flag, Momentum momentum, F&& f) {
    const DynamicMode<Teaching> dynamic{false, flag};
    if (momentum == Momentum::General) return f(dynamic);
    if (flag) {
        if constexpr (Rule::kStaticFlag) {
            if (momentum == Momentum::Simple) return f(Static<true, true, Teaching>{});
        }
        return f(dynamic);
    }
    if constexpr (Rule::kHasMomentum) {
        if (momentum == Momentum::Simple) return f(Static<false, true, Teaching>{});
    }
    return f(Static<false, false, Teaching>{});
}

// A hyperparameter the table may not have (Rprop has no weight decay), else `fallback`.
double value_or(const ParamValues& v, std::string_view name, double fallback);

// Per-step tables shared between optimizers (a sweep's 65 536 Adams hold a few hundred), memoised:
// 1 − β^t, √(1 − β^t), or all 1 (β unused), for t = 0..steps, index t.
using Table = std::shared_ptr<const std::vector<double>>;
enum class TableKind { BiasCorrection, SqrtBiasCorrection, Ones };
Table beta_table(TableKind kind, double beta, long steps);
// β^t for t = 0..steps, memoised; see adam_family.cpp for why a running product is exact enough.
std::vector<double> powers(long double base, long steps);

// ---- SGD with momentum, dampening and Nesterov ----
struct SgdRule : RuleDefaults {
    static constexpr std::string_view kName = "sgd";
    struct Params {
        using Rule = SgdRule;
        double momentum = 0.0, dampening = 0.0;
        bool nesterov = false;
    };
    static Params read(const ParamValues& v) { return {v.get("momentum"), v.get("dampening"), v.flag("nesterov")}; }
    static constexpr bool kStaticFlag = true, kHasMomentum = true, kUsesFirst = true;
    static bool flag(const Params& p) { return p.nesterov; }
    static Momentum momentum(const Params& p) {
        if (p.momentum == 0.0) return Momentum::None;
        return 1.0 - p.dampening == 1.0 ? Momentum::Simple : Momentum::General;  // KEEP is exactly 1
    }
    static constexpr int kState = 1;  // momentum_buffer
    static std::vector<KeptState> kept(const Params& p) {
        if (p.momentum != 0.0) return {{0, "momentum_buffer"}};
        return {};
    }
    enum { WD, MOM, KEEP, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const Params& p, double* q) {
        q[MOM] = p.momentum;
        q[KEEP] = 1.0 - p.dampening;
    }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double*) { q(LR) = lr; }
    template <class M, class Q, class S>
    static double update(const M& m, const Q& q, std::size_t i, double p, double g, S st) {
        const double mom = q(MOM, i);
        if constexpr (M::kDynamic) {
            const double b = m.first ? g : st[0][i] * mom + q(KEEP, i) * g;  // torch clones g on the first step
            st[0][i] = b;
            const double d = m.flag ? g + mom * b : b;
            return p + -q(LR, i) * (mom != 0.0 ? d : g);
        } else if constexpr (M::kMomentum) {  // 1·g = g exactly: no dampening, no multiply
            const double b = st[0][i] * mom + g;
            st[0][i] = b;
            const double d = M::flag ? g + mom * b : b;
            return p + -q(LR, i) * d;
        } else {
            return p + -q(LR, i) * g;
        }
    }
};

// ---- Adagrad ----
struct AdagradRule : RuleDefaults {
    static constexpr std::string_view kName = "adagrad";
    struct Params {
        using Rule = AdagradRule;
        double lr_decay = 0.0, eps = 1e-10, initial_accumulator_value = 0.0;
    };
    static Params read(const ParamValues& v) {
        return {v.get("lr_decay"), v.get("eps"), v.get("initial_accumulator_value")};
    }
    static constexpr bool kHasMomentum = false, kUsesFirst = true;
    static constexpr int kState = 1;
    static std::vector<KeptState> kept(const Params&) { return {{0, "sum"}}; }
    enum { WD, EPS, INIT, LR_DECAY, CLR, kQ };
    static constexpr int kConst = CLR;
    static void constants(const Params& p, double* q) {
        q[EPS] = p.eps;
        q[INIT] = p.initial_accumulator_value;
        q[LR_DECAY] = p.lr_decay;
    }
    template <class Q>
    static void per_step(Q&& q, long t, double lr, const double*) {
        const double decay = 1.0 + static_cast<double>(t - 1) * q(LR_DECAY);
        q(CLR) = lr / decay;
    }
    template <class M, class Q, class S>
    static double update(const M& m, const Q& q, std::size_t i, double p, double g, S st) {
        // State starts at initial_accumulator_value; arrays start at zero, so seed them here.
        const double prev = m.first ? q(INIT, i) : st[0][i];
        st[0][i] = prev + g * g;
        const double stddev = std::sqrt(st[0][i]) + q(EPS, i);
        return p + -q(CLR, i) * g / stddev;
    }
};

// ---- RMSprop, centered or not, with momentum or not ----
struct RmspropRule : RuleDefaults {
    static constexpr std::string_view kName = "rmsprop";
    struct Params {
        using Rule = RmspropRule;
        double alpha = 0.99, eps = 1e-8, momentum = 0.0;
        bool centered = false;
    };
    static Params read(const ParamValues& v) {
        return {v.get("alpha"), v.get("eps"), v.get("momentum"), v.flag("centered")};
    }
    static constexpr bool kHasMomentum = true;
    static bool flag(const Params& p) { return p.centered; }
    static Momentum momentum(const Params& p) { return p.momentum > 0.0 ? Momentum::Simple : Momentum::None; }
    enum Slot { SQUARE_AVG, GRAD_AVG, MOMENTUM_BUFFER };
    static constexpr int kState = 3;
    static std::vector<KeptState> kept(const Params& p) {
        std::vector<KeptState> kept{{SQUARE_AVG, "square_avg"}};
        if (p.centered) kept.push_back({GRAD_AVG, "grad_avg"});
        if (p.momentum > 0.0) kept.push_back({MOMENTUM_BUFFER, "momentum_buffer"});
        return kept;
    }
    enum { WD, ALPHA, EPS, MOM, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const Params& p, double* q) {
        q[ALPHA] = p.alpha;
        q[EPS] = p.eps;
        q[MOM] = p.momentum;
    }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double*) { q(LR) = lr; }
    template <class M, class Q, class S>
    static double update(const M& m, const Q& q, std::size_t i, double p, double g, S st) {
        const double a = q(ALPHA, i);
        st[SQUARE_AVG][i] = st[SQUARE_AVG][i] * a + (1.0 - a) * g * g;
        const double lr = q(LR, i), mom = q(MOM, i);
        if constexpr (M::kDynamic) {
            st[GRAD_AVG][i] = st[GRAD_AVG][i] * a + (1.0 - a) * g;  // updated either way: no store in a branch
            const double centered = st[SQUARE_AVG][i] + -1.0 * st[GRAD_AVG][i] * st[GRAD_AVG][i];
            const double avg = std::sqrt(m.flag ? centered : st[SQUARE_AVG][i]) + q(EPS, i);
            st[MOMENTUM_BUFFER][i] = st[MOMENTUM_BUFFER][i] * mom + g / avg;
            return mom > 0.0 ? p + -lr * st[MOMENTUM_BUFFER][i] : p + -lr * g / avg;
        } else {  // not centered
            const double avg = std::sqrt(st[SQUARE_AVG][i]) + q(EPS, i);
            if constexpr (M::kMomentum) {
                st[MOMENTUM_BUFFER][i] = st[MOMENTUM_BUFFER][i] * mom + g / avg;
                return p + -lr * st[MOMENTUM_BUFFER][i];
            } else {
                return p + -lr * g / avg;
            }
        }
    }
};

// ---- Adadelta ----
struct AdadeltaRule : RuleDefaults {
    static constexpr std::string_view kName = "adadelta";
    struct Params {
        using Rule = AdadeltaRule;
        double rho = 0.9, eps = 1e-6;
    };
    static Params read(const ParamValues& v) { return {v.get("rho"), v.get("eps")}; }
    static constexpr bool kHasMomentum = false;
    // torch's two accumulators; with Teaching also the step's scale √(u+ε)/√(v+ε) (u from before the
    // step), which u after the step no longer tells.
    enum Slot { SQUARE_AVG, ACC_DELTA, STEP_SCALE };
    static constexpr int kState = 2, kTeachingState = 1;
    static std::vector<KeptState> kept(const Params&) {
        return {{SQUARE_AVG, "square_avg"}, {ACC_DELTA, "acc_delta"}, {STEP_SCALE, "step_scale"}};
    }
    enum { WD, RHO, EPS, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const Params& p, double* q) {
        q[RHO] = p.rho;
        q[EPS] = p.eps;
    }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double*) { q(LR) = lr; }
    template <class M, class Q, class S>
    static double update(const M&, const Q& q, std::size_t i, double p, double g, S st) {
        const double rho = q(RHO, i), eps = q(EPS, i);
        st[SQUARE_AVG][i] = st[SQUARE_AVG][i] * rho + (1.0 - rho) * g * g;
        const double stddev = std::sqrt(st[SQUARE_AVG][i] + eps);
        const double scale = std::sqrt(st[ACC_DELTA][i] + eps) / stddev;
        if constexpr (M::kTeaching) st[STEP_SCALE][i] = scale;
        const double delta = scale * g;
        st[ACC_DELTA][i] = st[ACC_DELTA][i] * rho + (1.0 - rho) * delta * delta;
        return p + -q(LR, i) * delta;  // the stored delta excludes lr, as in torch
    }
};

// The Adam family's shared parts: β1, β2 and ε, the two moments m and v (slots 0 and 1) with
// torch's names, and their update m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g².
struct BetaParams {
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
};
inline BetaParams read_betas(const ParamValues& v) { return {v.get("beta1"), v.get("beta2"), v.get("eps")}; }
template <class Rule>
void beta_constants(const BetaParams& p, double* q) {
    q[Rule::B1] = p.beta1;
    q[Rule::B2] = p.beta2;
    q[Rule::EPS] = p.eps;
}
inline std::vector<KeptState> moment_arrays() { return {{0, "exp_avg"}, {1, "exp_avg_sq"}}; }
template <class S>
void update_moments(double b1, double b2, std::size_t i, double g, S st) {
    st[0][i] = st[0][i] * b1 + (1.0 - b1) * g;
    st[1][i] = st[1][i] * b2 + (1.0 - b2) * g * g;
}

// ---- Adam and AdamW (decoupled weight decay), with AMSGrad and bias correction switches ----
struct AdamRule : RuleDefaults {
    static constexpr std::string_view kName = "adam";
    struct Params : BetaParams {
        using Rule = AdamRule;
        double decoupled_weight_decay = 0.0;  // AdamW's weight decay, applied to the point; 0 for Adam
        bool amsgrad = false, bias_correction = true;
        bool decoupled = false;  // AdamW
    };
    static Params read(const ParamValues& v, bool decoupled) {
        return {read_betas(v), decoupled ? v.get("weight_decay") : 0.0,
                v.flag("amsgrad"), v.flag("bias_correction"), decoupled};
    }
    static Params read(const ParamValues& v) { return read(v, false); }
    static constexpr bool kHasMomentum = false;
    static bool flag(const Params& p) { return p.amsgrad; }
    static bool decoupled_weight_decay(const Params& p) { return p.decoupled; }
    enum Slot { EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ };
    static constexpr int kState = 3;
    static std::vector<KeptState> kept(const Params& p) {
        std::vector<KeptState> kept = moment_arrays();
        if (p.amsgrad) kept.push_back({MAX_EXP_AVG_SQ, "max_exp_avg_sq"});
        return kept;
    }
    // 1 − β1^t and √(1 − β2^t); without bias correction both all 1 (the divisions by them are exact,
    // so the update computes lr·m/(√v + ε) bit for bit).
    static constexpr int kTables = 2;
    struct Tables {
        Table bc1, bc2_sqrt;
    };
    static Tables prepare(const Params& p, long steps) {
        return {beta_table(p.bias_correction ? TableKind::BiasCorrection : TableKind::Ones, p.beta1, steps),
                beta_table(p.bias_correction ? TableKind::SqrtBiasCorrection : TableKind::Ones, p.beta2, steps)};
    }
    static std::array<const double*, 3> table_data(const Tables& t) {
        return {t.bc1 ? t.bc1->data() : nullptr, t.bc2_sqrt ? t.bc2_sqrt->data() : nullptr, nullptr};
    }
    enum { WD, B1, B2, EPS, DECOUPLED_WD, STEP, BC2, SHRINK, kQ };
    static constexpr int kConst = STEP;
    static void constants(const Params& p, double* q) {
        beta_constants<AdamRule>(p, q);
        q[DECOUPLED_WD] = p.decoupled_weight_decay;
    }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double* at_t) {  // at_t: bc1, √bc2
        q(STEP) = lr / at_t[0];
        q(BC2) = at_t[1];
        q(SHRINK) = 1.0 - lr * q(DECOUPLED_WD);  // exactly 1 without decoupled weight decay, and p·1 = p
    }
    template <class M, class Q, class S>
    static double update(const M& m, const Q& q, std::size_t i, double p, double g, S st) {
        const double b1 = q(B1, i), b2 = q(B2, i);
        p = p * q(SHRINK, i);
        update_moments(b1, b2, i, g, st);
        double vhat = st[EXP_AVG_SQ][i];
        if constexpr (M::kDynamic) {  // AMSGrad: Static rows have it off
            const double vmax = std::max(st[MAX_EXP_AVG_SQ][i], st[EXP_AVG_SQ][i]);  // the raw v, not v̂
            st[MAX_EXP_AVG_SQ][i] = vmax;  // stored either way: no store in a branch
            vhat = m.flag ? vmax : st[EXP_AVG_SQ][i];
        }
        const double denom = std::sqrt(vhat) / q(BC2, i) + q(EPS, i);
        return p + -q(STEP, i) * st[EXP_AVG][i] / denom;
    }
};

// ---- Adamax ----
struct AdamaxRule : RuleDefaults {
    static constexpr std::string_view kName = "adamax";
    struct Params : BetaParams {
        using Rule = AdamaxRule;
    };
    static Params read(const ParamValues& v) { return {read_betas(v)}; }
    static constexpr bool kHasMomentum = false;
    static constexpr int kState = 2;
    static std::vector<KeptState> kept(const Params&) { return {{0, "exp_avg"}, {1, "exp_inf"}}; }
    static constexpr int kTables = 1;  // 1 − β1^t
    struct Tables {
        Table bc1;
    };
    static Tables prepare(const Params& p, long steps) { return {beta_table(TableKind::BiasCorrection, p.beta1, steps)}; }
    static std::array<const double*, 3> table_data(const Tables& t) { return {t.bc1 ? t.bc1->data() : nullptr}; }
    enum { WD, B1, B2, EPS, CLR, kQ };
    static constexpr int kConst = CLR;
    static void constants(const Params& p, double* q) { beta_constants<AdamaxRule>(p, q); }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double* at_t) { q(CLR) = lr / at_t[0]; }
    template <class M, class Q, class S>
    static double update(const M&, const Q& q, std::size_t i, double p, double g, S st) {
        const double b1 = q(B1, i);
        st[0][i] = st[0][i] * b1 + (1.0 - b1) * g;
        st[1][i] = std::max(st[1][i] * q(B2, i), std::abs(g) + q(EPS, i));  // eps inside the max
        return p + -q(CLR, i) * st[0][i] / st[1][i];
    }
};

// ---- NAdam with the documented denominator 1 − Π·μ_{t+1} (torch 1.13's foreach path and
// torch ≥ 2.0; 1.13's default single-tensor CPU path multiplies μ_t in twice) ----
struct NadamRule : RuleDefaults {
    static constexpr std::string_view kName = "nadam";
    struct Params : BetaParams {
        using Rule = NadamRule;
        double momentum_decay = 4e-3;
    };
    static Params read(const ParamValues& v) { return {read_betas(v), v.get("momentum_decay")}; }
    static constexpr bool kHasMomentum = false;
    static constexpr int kState = 2;
    static std::vector<KeptState> kept(const Params&) { return moment_arrays(); }
    // √(1 − β2^t), (1−μ_t)/(1−Πμ) (the gradient's coefficient) and μ_{t+1}/(1−Πμ·μ_{t+1}) (the
    // first moment's); computed in adam_family.cpp.
    static constexpr int kTables = 3;
    struct Tables {
        std::vector<double> bc2_sqrt, grad_coef, avg_coef;
    };
    static Tables prepare(const Params& p, long steps);
    static std::array<const double*, 3> table_data(const Tables& t) {
        return {t.bc2_sqrt.data(), t.grad_coef.data(), t.avg_coef.data()};
    }
    enum { WD, B1, B2, EPS, BC2, STEP_GRAD, STEP_AVG, kQ };
    static constexpr int kConst = BC2;
    static void constants(const Params& p, double* q) { beta_constants<NadamRule>(p, q); }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double* at_t) {
        q(BC2) = at_t[0];
        q(STEP_GRAD) = -(lr * at_t[1]);
        q(STEP_AVG) = -(lr * at_t[2]);
    }
    template <class M, class Q, class S>
    static double update(const M&, const Q& q, std::size_t i, double p, double g, S st) {
        update_moments(q(B1, i), q(B2, i), i, g, st);
        const double denom = std::sqrt(st[1][i]) / q(BC2, i) + q(EPS, i);
        p = p + q(STEP_GRAD, i) * g / denom;
        return p + q(STEP_AVG, i) * st[0][i] / denom;
    }
};

// ---- RAdam ----
struct RadamRule : RuleDefaults {
    static constexpr std::string_view kName = "radam";
    struct Params : BetaParams {
        using Rule = RadamRule;
    };
    static Params read(const ParamValues& v) { return {read_betas(v)}; }
    static constexpr bool kHasMomentum = false;
    static constexpr int kState = 2;
    static std::vector<KeptState> kept(const Params&) { return moment_arrays(); }
    // 1 − β1^t, √(1 − β2^t) and the rectification r_t (0 marks an unrectified step); computed in
    // adam_family.cpp.
    static constexpr int kTables = 3;
    struct Tables {
        std::vector<double> bc1, bc2_sqrt, rect;
    };
    static Tables prepare(const Params& p, long steps);
    static std::array<const double*, 3> table_data(const Tables& t) {
        return {t.bc1.data(), t.bc2_sqrt.data(), t.rect.data()};
    }
    enum { WD, B1, B2, EPS, LR, BC1, BC2, RECT, kQ };
    static constexpr int kConst = LR;
    static void constants(const Params& p, double* q) { beta_constants<RadamRule>(p, q); }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double* at_t) {
        q(LR) = lr;
        q(BC1) = at_t[0];
        q(BC2) = at_t[1];
        q(RECT) = at_t[2];
    }
    template <class M, class Q, class S>
    static double update(const M&, const Q& q, std::size_t i, double p, double g, S st) {
        update_moments(q(B1, i), q(B2, i), i, g, st);
        const double m_hat = st[0][i] / q(BC1, i);
        const double lr = q(LR, i), rect = q(RECT, i);
        const double adaptive_lr = q(BC2, i) / (std::sqrt(st[1][i]) + q(EPS, i));
        // rect 0 marks an unrectified step: plain lr·m̂, no denominator, no eps.
        return rect > 0.0 ? p + -1.0 * (m_hat * lr * adaptive_lr * rect) : p + -1.0 * (m_hat * lr);
    }
};

// ---- Rprop (torch's single-tensor path). Per coordinate: the step size grows by eta_plus while
// the gradient keeps its sign, shrinks by eta_minus when the sign flips (and that step is
// skipped), and the point moves by the step size against sign(g). Generic path only: its lean
// rows were never measured against the generic ones. ----
struct RpropRule : RuleDefaults {
    static constexpr std::string_view kName = "rprop";
    struct Params {
        using Rule = RpropRule;
        double eta_minus = 0.5, eta_plus = 1.2, step_size_min = 1e-6, step_size_max = 50.0;
    };
    static Params read(const ParamValues& v) {
        return {v.get("eta_minus"), v.get("eta_plus"), v.get("step_size_min"), v.get("step_size_max")};
    }
    static constexpr bool kHasMomentum = false, kUsesFirst = true, kFused = false;
    enum Slot { PREV, STEP_SIZE };
    static constexpr int kState = 2;
    static std::vector<KeptState> kept(const Params&) { return {{PREV, "prev"}, {STEP_SIZE, "step_size"}}; }
    enum { WD, ETA_MINUS, ETA_PLUS, STEP_MIN, STEP_MAX, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const Params& p, double* q) {
        q[ETA_MINUS] = p.eta_minus;
        q[ETA_PLUS] = p.eta_plus;
        q[STEP_MIN] = p.step_size_min;
        q[STEP_MAX] = p.step_size_max;
    }
    template <class Q>
    static void per_step(Q&& q, long, double lr, const double*) { q(LR) = lr; }  // the initial step size
    static double sign_of(double v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); }
    template <class M, class Q, class S>
    static double update(const M& m, const Q& q, std::size_t i, double p, double g, S st) {
        // torch starts step_size at lr and prev at 0 on the first step.
        const double size = m.first ? q(LR, i) : st[STEP_SIZE][i];
        const double product = sign_of(g * st[PREV][i]);
        const double eta_minus = q(ETA_MINUS, i);
        const double factor = product > 0.0 ? q(ETA_PLUS, i) : (product < 0.0 ? eta_minus : 1.0);
        // clamp_(min, max) as torch computes it.
        st[STEP_SIZE][i] = std::min(std::max(size * factor, q(STEP_MIN, i)), q(STEP_MAX, i));
        // torch zeroes the gradient wherever the factor equals eta_minus (a sign change).
        const double grad = factor == eta_minus ? 0.0 : g;
        st[PREV][i] = grad;
        return p + -1.0 * sign_of(grad) * st[STEP_SIZE][i];
    }
};

}  // namespace optiviz::rules
