// Compiled with -fno-trapping-math (CMakeLists.txt): the row loop selects between computed values
// (a stopped particle keeps its last finite point, RAdam's two step forms, momentum or none per
// particle), and GCC if-converts such selects into vector blends only when it may evaluate both
// sides. It changes no result: nothing here reads the floating-point exception flags.
//
// Every rule below repeats its optimizer's step() operation for operation and in the same order
// (core/sgd_family.cpp, core/adam_family.cpp); the bit-for-bit test of every (surface × optimizer)
// pair keeps the two in step.
#include "core/fused_ensemble.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "core/analytic_formulas.h"
#include "core/vector_kernel.h"

namespace optiviz::fused {

namespace {

constexpr std::size_t kN = kMaxChunk;

// What stays uniform across a step: the step number's switch (SGD's and Adagrad's first step) and
// the rule's flag (Nesterov, centered, AMSGrad). Read per particle from arrays of equal values:
// GCC 12 does not vectorise a select on a loop-invariant bool, but does one on a loaded value.
struct Switches {
    bool first = false;
    bool flag = false;
};

// Each rule: kState arrays per coordinate; kQ per-particle quantities, the first kConst of them
// constant over the run (constants()), the rest per step (per_step(), given the step number t and
// that step's lr); update() returns the coordinate's new value. Quantity WD (coupled weight decay)
// is always index 0.
struct SgdRule {
    static constexpr int kState = 1;
    enum { WD, MOM, KEEP, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[MOM] = r.c[0];
        q[KEEP] = r.c[1];
    }
    static void per_step(const FusedRule&, long, double lr, double* q) { q[LR] = lr; }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches s, double p, double g, double (*st)[kN]) {
        const double mom = q(MOM, i);
        const double b = s.first ? g : st[0][i] * mom + q(KEEP, i) * g;  // torch clones g on the first step
        st[0][i] = b;
        const double d = s.flag ? g + mom * b : b;
        return p + -q(LR, i) * (mom != 0.0 ? d : g);
    }
};

struct AdagradRule {
    static constexpr int kState = 1;
    enum { WD, EPS, INIT, CLR, kQ };
    static constexpr int kConst = CLR;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[EPS] = r.c[1];
        q[INIT] = r.c[2];
    }
    static void per_step(const FusedRule& r, long t, double lr, double* q) {
        const double decay = 1.0 + static_cast<double>(t - 1) * r.c[0];
        q[CLR] = lr / decay;
    }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches s, double p, double g, double (*st)[kN]) {
        const double prev = s.first ? q(INIT, i) : st[0][i];
        st[0][i] = prev + g * g;
        const double stddev = std::sqrt(st[0][i]) + q(EPS, i);
        return p + -q(CLR, i) * g / stddev;
    }
};

struct RmspropRule {
    static constexpr int kState = 3;  // square_avg, grad_avg, momentum_buffer
    enum { WD, ALPHA, EPS, MOM, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[ALPHA] = r.c[0];
        q[EPS] = r.c[1];
        q[MOM] = r.c[2];
    }
    static void per_step(const FusedRule&, long, double lr, double* q) { q[LR] = lr; }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches s, double p, double g, double (*st)[kN]) {
        const double a = q(ALPHA, i);
        st[0][i] = st[0][i] * a + (1.0 - a) * g * g;
        st[1][i] = st[1][i] * a + (1.0 - a) * g;  // updated either way: no store in a branch
        const double centered = st[0][i] + -1.0 * st[1][i] * st[1][i];
        const double avg = std::sqrt(s.flag ? centered : st[0][i]) + q(EPS, i);
        const double lr = q(LR, i);
        const double mom = q(MOM, i);
        st[2][i] = st[2][i] * mom + g / avg;
        return mom > 0.0 ? p + -lr * st[2][i] : p + -lr * g / avg;
    }
};

struct AdadeltaRule {
    static constexpr int kState = 2;  // square_avg, acc_delta (the step scale is only for teaching views)
    enum { WD, RHO, EPS, LR, kQ };
    static constexpr int kConst = LR;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[RHO] = r.c[0];
        q[EPS] = r.c[1];
    }
    static void per_step(const FusedRule&, long, double lr, double* q) { q[LR] = lr; }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches, double p, double g, double (*st)[kN]) {
        const double rho = q(RHO, i), eps = q(EPS, i);
        st[0][i] = st[0][i] * rho + (1.0 - rho) * g * g;
        const double stddev = std::sqrt(st[0][i] + eps);
        const double scale = std::sqrt(st[1][i] + eps) / stddev;
        const double delta = scale * g;
        st[1][i] = st[1][i] * rho + (1.0 - rho) * delta * delta;
        return p + -q(LR, i) * delta;
    }
};

struct AdamRule {
    static constexpr int kState = 3;  // exp_avg, exp_avg_sq, max_exp_avg_sq
    enum { WD, B1, B2, EPS, STEP, BC2, SHRINK, kQ };
    static constexpr int kConst = STEP;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[B1] = r.c[0];
        q[B2] = r.c[1];
        q[EPS] = r.c[2];
    }
    static void per_step(const FusedRule& r, long t, double lr, double* q) {
        q[STEP] = lr / r.table[0][t];
        q[BC2] = r.table[1][t];
        q[SHRINK] = 1.0 - lr * r.c[3];  // exactly 1 without decoupled weight decay, and p·1 = p
    }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches s, double p, double g, double (*st)[kN]) {
        const double b1 = q(B1, i), b2 = q(B2, i);
        p = p * q(SHRINK, i);
        st[0][i] = st[0][i] * b1 + (1.0 - b1) * g;
        st[1][i] = st[1][i] * b2 + (1.0 - b2) * g * g;
        const double vmax = std::max(st[2][i], st[1][i]);  // the raw v, not the bias-corrected one
        st[2][i] = vmax;                                     // stored either way: no store in a branch
        const double vhat = s.flag ? vmax : st[1][i];
        const double denom = std::sqrt(vhat) / q(BC2, i) + q(EPS, i);
        return p + -q(STEP, i) * st[0][i] / denom;
    }
};

struct AdamaxRule {
    static constexpr int kState = 2;  // exp_avg, exp_inf
    enum { WD, B1, B2, EPS, CLR, kQ };
    static constexpr int kConst = CLR;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[B1] = r.c[0];
        q[B2] = r.c[1];
        q[EPS] = r.c[2];
    }
    static void per_step(const FusedRule& r, long t, double lr, double* q) { q[CLR] = lr / r.table[0][t]; }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches, double p, double g, double (*st)[kN]) {
        const double b1 = q(B1, i);
        st[0][i] = st[0][i] * b1 + (1.0 - b1) * g;
        st[1][i] = std::max(st[1][i] * q(B2, i), std::abs(g) + q(EPS, i));
        return p + -q(CLR, i) * st[0][i] / st[1][i];
    }
};

struct NadamRule {
    static constexpr int kState = 2;  // exp_avg, exp_avg_sq
    enum { WD, B1, B2, EPS, BC2, STEP_GRAD, STEP_AVG, kQ };
    static constexpr int kConst = BC2;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[B1] = r.c[0];
        q[B2] = r.c[1];
        q[EPS] = r.c[2];
    }
    static void per_step(const FusedRule& r, long t, double lr, double* q) {
        q[BC2] = r.table[0][t];
        q[STEP_GRAD] = -(lr * r.table[1][t]);
        q[STEP_AVG] = -(lr * r.table[2][t]);
    }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches, double p, double g, double (*st)[kN]) {
        const double b1 = q(B1, i), b2 = q(B2, i);
        st[0][i] = st[0][i] * b1 + (1.0 - b1) * g;
        st[1][i] = st[1][i] * b2 + (1.0 - b2) * g * g;
        const double denom = std::sqrt(st[1][i]) / q(BC2, i) + q(EPS, i);
        p = p + q(STEP_GRAD, i) * g / denom;
        return p + q(STEP_AVG, i) * st[0][i] / denom;
    }
};

struct RadamRule {
    static constexpr int kState = 2;  // exp_avg, exp_avg_sq
    enum { WD, B1, B2, EPS, LR, BC1, BC2, RECT, kQ };
    static constexpr int kConst = LR;
    static void constants(const FusedRule& r, double* q) {
        q[WD] = r.coupled_weight_decay;
        q[B1] = r.c[0];
        q[B2] = r.c[1];
        q[EPS] = r.c[2];
    }
    static void per_step(const FusedRule& r, long t, double lr, double* q) {
        q[LR] = lr;
        q[BC1] = r.table[0][t];
        q[BC2] = r.table[1][t];
        q[RECT] = r.table[2][t];
    }
    template <class Q>
    static double update(const Q& q, std::size_t i, Switches, double p, double g, double (*st)[kN]) {
        const double b1 = q(B1, i), b2 = q(B2, i);
        st[0][i] = st[0][i] * b1 + (1.0 - b1) * g;
        st[1][i] = st[1][i] * b2 + (1.0 - b2) * g * g;
        const double m_hat = st[0][i] / q(BC1, i);
        const double lr = q(LR, i), rect = q(RECT, i);
        const double adaptive_lr = q(BC2, i) / (std::sqrt(st[1][i]) + q(EPS, i));
        // rect 0 marks an unrectified step: plain lr·m̂, no denominator, no eps.
        return rect > 0.0 ? p + -1.0 * (m_hat * lr * adaptive_lr * rect) : p + -1.0 * (m_hat * lr);
    }
};

// A chunk's working set, in one object so that the compiler sees its arrays cannot overlap.
template <class Rule>
struct Work {
    alignas(64) double x[kN], y[kN];
    // The last finite row, in two buffers: a row reads one and writes the other, so that every
    // store is unconditional (GCC turns `a[i] = c ? v : a[i]` into a masked store, or does not
    // vectorise the loop at all).
    alignas(64) double last_x[2][kN], last_y[2][kN], last_loss[2][kN];
    alignas(64) double running[kN], converged[kN];  // 1.0 / 0.0 flags, so that the row loop vectorises
    alignas(64) double event[kN];                    // 0 none, 1 diverged, 2 converged (this row)
    alignas(64) double first[kN], flag[kN];          // Switches, as 1.0 / 0.0 per particle
    alignas(64) double state[2][Rule::kState][kN];   // [coordinate][array][particle]
    alignas(64) double lanes[Rule::kQ][kN];          // per-particle quantities (per-lane runs)
};

struct RowRule {
    double bound;
    double grad_tol_squared;  // < 0: the gradient rule is off
    bool stop_at_convergence;
    double clip_norm;         // > 0: clip
};

// The row reads the last finite rows from buffer 0 and writes them to buffer 1 (compile-time
// indices, so that the compiler can tell every array apart); the caller copies them back.
// One row of every particle: evaluate, judge, record the last finite row, and apply the step, a
// stopped particle staying at its last finite point. Returns the number of events. (The last row
// of a run steps too, for one loop instead of two: that step is never read.)
// Clip: whether gradients are clipped. A template parameter, not a run-time branch: GCC would
// if-convert the branch and pay clipping's square root and division on every particle.
template <class Formula, class Rule, bool PerLane, bool Clip>
OPTIVIZ_VECTOR_KERNEL std::size_t run_row(const Formula& formula, Work<Rule>& w, const double* uniform, std::size_t n,
                                          RowRule rr) {
    constexpr int From = 0, To = 1;
    const Formula f = formula;  // a local copy: its parameters cannot alias the arrays
    constexpr double kMax = std::numeric_limits<double>::max();
    double u[Rule::kQ];
    for (int k = 0; k < Rule::kQ; ++k) u[k] = PerLane ? 0.0 : uniform[k];
    const auto q = [&](int k, std::size_t i) {
        if constexpr (PerLane) return w.lanes[k][i];
        else return u[k];
    };
    const double bound = rr.bound, tol2 = rr.grad_tol_squared, clip_norm = rr.clip_norm;
    const bool stop_at_convergence = rr.stop_at_convergence;
    std::size_t events = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = w.x[i], y = w.y[i];
        double loss, gx, gy;
        f.eval(x, y, loss, gx, gy);
        // Every array is loaded and stored unconditionally, values chosen by selects, and the
        // conditions combined with & rather than && (no branches): a store in a branch keeps GCC
        // from vectorising the loop. Comparisons are false for NaN, so NaN fails `ok` as inf does
        // (as record_rows judges).
        const double last_x = w.last_x[From][i], last_y = w.last_y[From][i], last_loss = w.last_loss[From][i];
        const double was_converged = w.converged[i];
        const bool ok = (std::abs(x) <= bound) & (std::abs(y) <= bound) & (std::abs(loss) <= kMax) &
                        (std::abs(gx) <= kMax) & (std::abs(gy) <= kMax);
        const bool live = w.running[i] != 0.0;
        const bool keep = live & ok;
        const bool converges = keep & (gx * gx + gy * gy <= tol2) & (was_converged == 0.0);
        const bool diverges = live & !ok;
        w.last_x[To][i] = keep ? x : last_x;
        w.last_y[To][i] = keep ? y : last_y;
        w.last_loss[To][i] = keep ? loss : last_loss;
        const double diverged_code = diverges ? 1.0 : 0.0, converged_code = converges ? 2.0 : 0.0;
        w.event[i] = diverged_code + converged_code;  // at most one of them is set
        events += static_cast<std::size_t>(diverges) + static_cast<std::size_t>(converges);
        w.converged[i] = std::max(was_converged, 0.5 * converged_code);
        const bool runs_on = keep & !(converges & stop_at_convergence);
        w.running[i] = runs_on ? 1.0 : 0.0;
        {
            if constexpr (Clip) {  // clip_grad_norm_: g *= min(1, max_norm / (‖g‖ + 1e-6))
                const double norm = std::sqrt(gx * gx + gy * gy);
                const double coef = std::min(clip_norm / (norm + 1e-6), 1.0);
                gx *= coef;
                gy *= coef;
            }
            const double wd = q(Rule::WD, i);  // coupled weight decay: g = g + wd·θ
            gx = wd != 0.0 ? gx + wd * x : gx;
            gy = wd != 0.0 ? gy + wd * y : gy;
            const Switches sw{w.first[i] != 0.0, w.flag[i] != 0.0};
            const double nx = Rule::update(q, i, sw, x, gx, w.state[0]);
            const double ny = Rule::update(q, i, sw, y, gy, w.state[1]);
            w.x[i] = runs_on ? nx : (keep ? x : last_x);
            w.y[i] = runs_on ? ny : (keep ? y : last_y);
        }
    }
    return events;
}

template <class Formula, class Rule, bool PerLane>
void run_chunk_with(const Formula& f, const Chunk& c) {
    const std::size_t n = c.count;
    if (n == 0 || n > kN) throw std::logic_error("fused chunk size out of range");
    auto work = std::make_unique<Work<Rule>>();
    Work<Rule>& w = *work;
    std::copy(c.start_x, c.start_x + n, w.x);
    std::copy(c.start_y, c.start_y + n, w.y);
    std::copy(c.start_x, c.start_x + n, w.last_x[0]);
    std::copy(c.start_y, c.start_y + n, w.last_y[0]);
    std::fill(w.last_loss[0], w.last_loss[0] + n, std::numeric_limits<double>::quiet_NaN());
    std::fill(w.running, w.running + n, 1.0);
    std::fill(w.converged, w.converged + n, 0.0);
    for (auto& coordinate : w.state)
        for (auto& array : coordinate) std::fill(array, array + kN, 0.0);

    EnsembleResult& r = *c.result;
    const std::size_t o = c.offset;
    const auto variant = [&](std::size_t i) -> const FusedRule& { return c.rules[c.variant_of ? c.variant_of[i] : 0]; };
    double uniform[Rule::kQ] = {};
    if constexpr (PerLane) {
        for (std::size_t i = 0; i < n; ++i) {
            double q[Rule::kQ] = {};
            Rule::constants(variant(i), q);
            for (int k = 0; k < Rule::kConst; ++k) w.lanes[k][i] = q[k];
        }
    } else {
        Rule::constants(c.rules[0], uniform);
    }
    const StopRule& stop = c.stop;
    const RowRule rr{stop.divergence_bound, stop.grad_tol > 0 ? stop.grad_tol * stop.grad_tol : -1.0,
                     stop.stop_at_convergence, c.clip_norm};
    std::fill(w.flag, w.flag + n, c.rules[0].flag ? 1.0 : 0.0);
    std::size_t running = n;
    long t = 0;
    for (;; ++t) {
        const bool last = t == c.steps;
        const long step = t + 1;  // the step this row's gradient makes (torch's state['step'])
        if (!last) {
            if constexpr (PerLane) {
                for (std::size_t i = 0; i < n; ++i) {
                    double q[Rule::kQ];
                    const double lr = c.lr_each ? c.lr_each[i] : c.lr_table[t];
                    Rule::per_step(variant(i), step, lr, q);
                    for (int k = Rule::kConst; k < Rule::kQ; ++k) w.lanes[k][i] = q[k];
                }
            } else {
                Rule::per_step(c.rules[0], step, c.lr_table[t], uniform);
            }
        }
        if (step <= 2) std::fill(w.first, w.first + n, step == 1 ? 1.0 : 0.0);
        const std::size_t events = rr.clip_norm > 0.0 ? run_row<Formula, Rule, PerLane, true>(f, w, uniform, n, rr)
                                                      : run_row<Formula, Rule, PerLane, false>(f, w, uniform, n, rr);
        std::copy(w.last_x[1], w.last_x[1] + n, w.last_x[0]);
        std::copy(w.last_y[1], w.last_y[1] + n, w.last_y[0]);
        std::copy(w.last_loss[1], w.last_loss[1] + n, w.last_loss[0]);
        for (std::size_t i = 0; events > 0 && i < n; ++i) {
            if (w.event[i] == 1.0) {
                r.outcome[o + i] = Outcome::Diverged;
                r.stop_reason[o + i] = StopReason::None;
                r.last_step[o + i] = t - 1;
                --running;
            } else if (w.event[i] == 2.0) {
                r.converged_step[o + i] = t;
                r.outcome[o + i] = Outcome::Converged;
                r.stop_reason[o + i] = StopReason::GradientNorm;
                if (stop.stop_at_convergence) {
                    r.last_step[o + i] = t;
                    --running;
                }
            }
        }
        if (last || running == 0) break;
        // A stale run (a cancelled job) stops within a few hundred steps, not at the end of the chunk.
        if ((t & 255) == 255 && c.cancel && c.cancel->load(std::memory_order_relaxed)) break;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (w.running[i] != 0.0) r.last_step[o + i] = t;
        r.x[o + i] = w.last_x[0][i];
        r.y[o + i] = w.last_y[0][i];
        r.loss[o + i] = w.last_loss[0][i];
    }
}

template <class Formula, class Rule>
void run_rule(const Formula& f, const Chunk& c) {
    if (c.variant_of || c.lr_each) run_chunk_with<Formula, Rule, true>(f, c);
    else run_chunk_with<Formula, Rule, false>(f, c);
}

}  // namespace

bool has_fused_rule(const FusedRule& rule) { return rule.kind != FusedKind::None; }

template <class Formula>
void run_chunk(const Formula& formula, const Chunk& chunk) {
    switch (chunk.rules[0].kind) {
        case FusedKind::Sgd: return run_rule<Formula, SgdRule>(formula, chunk);
        case FusedKind::Adagrad: return run_rule<Formula, AdagradRule>(formula, chunk);
        case FusedKind::Rmsprop: return run_rule<Formula, RmspropRule>(formula, chunk);
        case FusedKind::Adadelta: return run_rule<Formula, AdadeltaRule>(formula, chunk);
        case FusedKind::Adam: return run_rule<Formula, AdamRule>(formula, chunk);
        case FusedKind::Adamax: return run_rule<Formula, AdamaxRule>(formula, chunk);
        case FusedKind::Nadam: return run_rule<Formula, NadamRule>(formula, chunk);
        case FusedKind::Radam: return run_rule<Formula, RadamRule>(formula, chunk);
        case FusedKind::None: break;
    }
    throw std::logic_error("no fused kernel for this optimizer");
}

template void run_chunk(const formulas::Rosenbrock&, const Chunk&);
template void run_chunk(const formulas::Quadratic&, const Chunk&);
template void run_chunk(const formulas::Beale&, const Chunk&);
template void run_chunk(const formulas::Himmelblau&, const Chunk&);
template void run_chunk(const formulas::Rastrigin&, const Chunk&);
template void run_chunk(const formulas::Ackley&, const Chunk&);
template void run_chunk(const formulas::Saddle&, const Chunk&);
template void run_chunk(const formulas::Booth&, const Chunk&);
template void run_chunk(const formulas::SixHumpCamel&, const Chunk&);
template void run_chunk(const formulas::GoldsteinPrice&, const Chunk&);
template void run_chunk(const formulas::StyblinskiTang&, const Chunk&);

}  // namespace optiviz::fused
