// The fused ensemble kernel's templates (see core/optimizers/fused_ensemble.h for the contract). Internal to
// core: only the fused_ensemble*.cpp files include it, each instantiating run_chunk for a few
// formulas, so that the kernel's many (formula × rule × switch) loops compile in parallel.
//
// Those files are compiled with -fno-trapping-math (CMakeLists.txt): the row loops select between
// computed values, and GCC if-converts such selects into vector blends only when it may evaluate
// both sides. It changes no result: nothing here reads the floating-point exception flags.
//
// How a chunk runs. Rows are judged (divergence, convergence) and stepped; a particle that stops
// leaves the chunk's lanes at once (its result is written and the last lane moves into its place),
// so every lane of a row is running. Most rows run *lean*: in blocks of up to kBlock rows (their
// length follows the events: BlockLength), with no judging beyond two running summaries per lane
// (the largest |x| or |y| seen, the smallest gradient norm²). The block is kept when those show no
// event could have happened in it; otherwise the chunk goes back to the block's start (a snapshot)
// and runs it again *carefully*, row by row with every judgement. Both kinds of row apply the same
// operations in the same order, so the results are the same bits; the lean row only leaves out the
// bookkeeping.
//
// Why the summaries suffice: a lean row's position is finite and within the formula's finite box
// (Formula::finite_box: loss and gradient are finite there) unless the running maximum exceeds the
// box, or the position is NaN; NaN cannot hide, since every rule's update is `p + …` and keeps a
// NaN position NaN to the block's end, where it is checked.
//
// A block that stands leaves the last finite row (last_x, last_y, last_loss) as it was: it is read
// only when a careful row's position fails its judgement, and the row after a standing block
// starts where the block ended, inside the box, so it passes and records itself.
//
// The rules are core/optimizers/update_rules.h's, the same the optimizers' own step() runs; the bit-for-bit
// test of every (surface × optimizer) pair checks that the kernel around them changes no bit
// (tests/core/optimizers/test_fused_ensemble.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "core/optimizers/fused_ensemble.h"
#include "core/optimizers/update_rules.h"
#include "core/optimizers/vector_kernel.h"

namespace optiviz::fused::detail {

constexpr std::size_t kN = kMaxChunk;
// The stride of a chunk's per-lane arrays: 64 bytes more than kN doubles, so that the arrays a row
// reads and writes do not sit at the same offset modulo 4 KiB (loads after stores to such
// addresses stall on a false dependency).
constexpr std::size_t kRow = kN + 8;
constexpr long kBlock = kLeanBlock;  // the longest lean block
constexpr long kMinBlock = 16;       // the shortest

// How many rows the next block runs, and whether lean. A block that did not stand ran twice, lean
// and careful, so the length follows the events: a block that stands lets the next one be twice
// as long; one with E rows with events makes the next about 1/(2E) as long, where about half of
// such blocks would stand; and where that would be shorter than kMinBlock, events are so dense
// (particles converging or diverging row after row) that careful rows alone cost less, until a
// block of careful rows has at most one row with events.
struct BlockLength {
    long rows = kBlock;
    bool careful = false;
    void after(long ran, long event_rows) {
        if (event_rows == 0) {
            rows = std::min(kBlock, 2 * ran);
            return;
        }
        rows = ran / (2 * event_rows);
        careful = rows < kMinBlock;
        rows = std::max(kMinBlock, rows);
    }
    void after_careful(long event_rows) { careful = event_rows > 1; }
};

// The rules and their modes (core/optimizers/update_rules.h): the same structs the generic path runs.
using rules::Dynamic;
using rules::Momentum;
using rules::Static;

// A lane's constants (kConst quantities) from its variant's rule: the coupled weight decay and the
// rule's named hyperparameters.
template <class Rule>
void load_constants(const FusedRule& r, double* q) {
    q[Rule::WD] = r.coupled_weight_decay;
    Rule::constants(std::get<typename Rule::Params>(r.params), q);
}

template <class Rule>
Momentum momentum_of(const FusedRule& r) {
    return Rule::momentum(std::get<typename Rule::Params>(r.params));
}

// A chunk's working set, in one object so that the compiler sees its arrays cannot overlap. Lanes
// 0 .. live−1 hold the running particles; lane i holds chunk particle id[i].
template <class Rule>
struct Work {
    alignas(64) double x[kRow], y[kRow];
    // The last finite row, in two buffers: a careful row reads one and writes the other, so that
    // every store is unconditional (GCC turns `a[i] = c ? v : a[i]` into a masked store, or does not
    // vectorise the loop at all). Lean blocks do not update it (see the top of this file).
    alignas(64) double last_x[2][kRow], last_y[2][kRow], last_loss[2][kRow];
    alignas(64) double event[kRow];                   // a careful row's: 0 none, 1 diverged, 2 converged
    alignas(64) double first[kRow], flag[kRow];         // Dynamic switches, as 1.0 / 0.0 per lane
    alignas(64) double tol2[kRow];                    // squared gradient tolerance; −1 when off or converged
    alignas(64) double peak[kRow], least_g2[kRow];      // a lean block's summaries
    alignas(64) double state[2][Rule::kState][kRow];  // [coordinate][array][lane]
    alignas(64) double lanes[Rule::kQ][kRow];         // per-lane quantities
    alignas(64) double lr[kRow];                      // per-particle learning rates (when the chunk has them)
    // Tables that differ between lanes: the chunk's distinct ones (a sweep tile has 16 per table,
    // a sweep line up to 256) and each lane's slot among them. They are read kAhead steps at a time
    // into time-major rows, so that a step gathers each lane's value from a few kilobytes, not from
    // one cache line per table.
    static constexpr long kAhead = 32;  // 3 tables × 32 steps × kRow slots: 200 KB, within L2
    alignas(64) double ahead[3][kAhead][kRow];        // [table][step − ahead_from][slot]
    long ahead_from = -1;                           // the step of ahead[j][0] (−1: nothing held)
    const double* distinct[3][kRow];
    std::size_t distinct_count[3] = {};
    alignas(64) std::int32_t slot[3][kRow];
    alignas(64) double saved_x[kRow], saved_y[kRow], saved_state[2][Rule::kState][kRow];  // a lean block's start
    const double* table[3][kRow];                     // per lane: its variant's tables
    std::uint32_t id[kRow];

    // Moves lane `from` into lane `to` (a stopped particle's lane), keeping what later rows read.
    void move_lane(std::size_t from, std::size_t to) {
        x[to] = x[from];
        y[to] = y[from];
        last_x[0][to] = last_x[0][from];
        last_y[0][to] = last_y[0][from];
        last_loss[0][to] = last_loss[0][from];
        tol2[to] = tol2[from];
        lr[to] = lr[from];
        id[to] = id[from];
        for (auto& coordinate : state)
            for (auto& array : coordinate) array[to] = array[from];
        for (auto& quantity : lanes) quantity[to] = quantity[from];
        for (auto& t : table) t[to] = t[from];
        for (auto& s : slot) s[to] = s[from];
    }
};

struct Limits {
    double bound;      // the divergence bound
    double box;        // min(bound, the formula's finite box): lean rows stay within it
    double clip_norm;  // > 0: clip
    bool stop_at_convergence;
};

// Coupled weight decay (g = g + wd·θ): none in any lane, in every lane, or per lane (a select:
// g + 0·θ is not g when g is −0).
enum class Decay { None, All, Select };

// Gradient clipping, coupled weight decay and the rule's update of one coordinate pair, the same
// in both kinds of row. Clip and Decay are template parameters, not run-time branches: GCC would
// if-convert the branches and pay for both sides on every particle.
template <class Rule, bool Clip, Decay D, class M, class Q>
inline void step_lane(const M& m, const Q& q, std::size_t i, Work<Rule>& w, double x, double y, double gx, double gy,
                      double clip_norm) {
    if constexpr (Clip) {  // clip_grad_norm_: g *= min(1, max_norm / (‖g‖ + 1e-6))
        const double norm = std::sqrt(gx * gx + gy * gy);
        const double coef = std::min(clip_norm / (norm + 1e-6), 1.0);
        gx *= coef;
        gy *= coef;
    }
    if constexpr (D != Decay::None) {
        const double wd = q(Rule::WD, i);
        gx = D == Decay::All || wd != 0.0 ? gx + wd * x : gx;
        gy = D == Decay::All || wd != 0.0 ? gy + wd * y : gy;
    }
    w.x[i] = Rule::update(m, q, i, x, gx, w.state[0]);
    w.y[i] = Rule::update(m, q, i, y, gy, w.state[1]);
}

// One careful row: evaluate, judge, record the last finite row (buffer 0 → buffer 1) and, with
// Step, step every lane (the last row of a run is judged only). Returns the number of events.
template <class Formula, class Rule, bool Clip, bool Step = true>
OPTIVIZ_VECTOR_KERNEL std::size_t careful_row(const Formula& formula, Work<Rule>& w, std::size_t n, Limits lim) {
    constexpr int From = 0, To = 1;
    const Formula f = formula;  // a local copy: its parameters cannot alias the arrays
    constexpr double kMax = std::numeric_limits<double>::max();
    const auto q = [&](int k, std::size_t i) { return w.lanes[k][i]; };
    const double bound = lim.bound, clip_norm = lim.clip_norm;
    std::size_t events = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = w.x[i], y = w.y[i];
        double loss, gx, gy;
        f.eval(x, y, loss, gx, gy);
        // Comparisons are false for NaN, so NaN fails `ok` as inf does (as record_rows judges);
        // conditions combine with & rather than && (no branches).
        const bool ok = (std::abs(x) <= bound) & (std::abs(y) <= bound) & (std::abs(loss) <= kMax) &
                        (std::abs(gx) <= kMax) & (std::abs(gy) <= kMax);
        const bool converges = ok & (gx * gx + gy * gy <= w.tol2[i]);
        w.last_x[To][i] = ok ? x : w.last_x[From][i];
        w.last_y[To][i] = ok ? y : w.last_y[From][i];
        w.last_loss[To][i] = ok ? loss : w.last_loss[From][i];
        w.event[i] = ok ? (converges ? 2.0 : 0.0) : 1.0;
        events += static_cast<std::size_t>(!ok) + static_cast<std::size_t>(converges);
        if constexpr (Step) {
            const Dynamic m{w.first[i] != 0.0, w.flag[i] != 0.0};
            step_lane<Rule, Clip, Decay::Select>(m, q, i, w, x, y, gx, gy, clip_norm);
        }
    }
    return events;
}

// Lean rows: for each of `rows` rows, evaluate the gradient, update the block's summaries (the
// least gradient norm² only when a tolerance is on: Converge) and step every lane. uniform[r] holds
// row r's quantities; with PerLane the lanes hold them, and the call runs one row.
//
// One row per pass over the lanes, not several: a pass over two rows loads and stores each lane
// once per two rows, but chains the second row's arithmetic onto the first's within an iteration,
// and on this loop the longer chains cost more than the memory operations saved (measured: SGD on
// Rosenbrock ran at 0.65–0.68 of its hand-fused reference in pairs, 0.74 one row at a time).
// Several rows per call, though: a block's rows cost one dispatch, not one each.
// (flatten: GCC otherwise may not inline the formula, and a call in the loop leaves it scalar.)
template <class Formula, class Rule, class M, bool PerLane, bool Clip, Decay D, bool Converge>
OPTIVIZ_VECTOR_KERNEL __attribute__((flatten)) void lean_rows(const Formula& formula, const M& mode, Work<Rule>& w,
                                                               const double (*uniform)[Rule::kQ], long rows,
                                                               std::size_t n, double clip_norm) {
    const Formula f = formula;
    const M m = mode;
    for (long r = 0; r < (PerLane ? 1 : rows); ++r) {
        double u[Rule::kQ];
        for (int k = 0; k < Rule::kQ; ++k) u[k] = PerLane ? 0.0 : uniform[r][k];
        const auto q = [&](int k, std::size_t lane) {
            if constexpr (PerLane) return w.lanes[k][lane];
            else return u[k];
        };
        for (std::size_t i = 0; i < n; ++i) {
            const double x = w.x[i], y = w.y[i];
            double loss, gx, gy;
            f.eval(x, y, loss, gx, gy);  // the loss is not used: the compiler drops it
            const double reach = std::max(std::abs(x), std::abs(y));
            w.peak[i] = reach > w.peak[i] ? reach : w.peak[i];
            if constexpr (Converge) {
                const double g2 = gx * gx + gy * gy;
                w.least_g2[i] = g2 < w.least_g2[i] ? g2 : w.least_g2[i];
            }
            step_lane<Rule, Clip, D>(m, q, i, w, x, y, gx, gy, clip_norm);
        }
    }
}

// Whether a lean block may stand: no lane went beyond the box, became NaN or (Converge: a tolerance
// is on, and lean rows kept least_g2) met the tolerance. (A count of failing lanes rather than a
// running `&&`: that form vectorises.)
template <class Rule, bool Converge>
OPTIVIZ_VECTOR_KERNEL bool block_is_clean(const Work<Rule>& w, std::size_t n, double box) {
    std::size_t failing = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const bool within = (w.peak[i] <= box) & (std::abs(w.x[i]) <= box) & (std::abs(w.y[i]) <= box);
        const bool converges = Converge && w.least_g2[i] <= w.tol2[i];
        failing += static_cast<std::size_t>(!within | converges);
    }
    return failing == 0;
}

// Every lane's per-step quantities, from its constants, its lr and its tables' values at the step:
// row[j][slot[j][lane]] (the time-major row of the chunk's distinct tables j, or the one shared
// table at the step with slot 0). Gathered here rather than in a pass of their own: one pass over
// the lanes per row instead of one per table and one more.
template <class Rule>
OPTIVIZ_VECTOR_KERNEL void per_step_lanes(Work<Rule>& w, std::size_t n, long step, double lr_t, bool lr_each,
                                          const double* const* row) {
    const double* __restrict r0 = row[0];
    const double* __restrict r1 = row[1];
    const double* __restrict r2 = row[2];
    for (std::size_t i = 0; i < n; ++i) {
        const double lane_value[3] = {Rule::kTables > 0 ? r0[w.slot[0][i]] : 0.0,
                                      Rule::kTables > 1 ? r1[w.slot[1][i]] : 0.0,
                                      Rule::kTables > 2 ? r2[w.slot[2][i]] : 0.0};
        Rule::per_step([&](int k) -> double& { return w.lanes[k][i]; }, step, lr_each ? w.lr[i] : lr_t, lane_value);
    }
}

template <class Formula, class Rule>
class ChunkRunner {
public:
    ChunkRunner(const Formula& f, const Chunk& c)
        : f_(f), c_(c), owned_(c.scratch ? nullptr : std::make_unique<Work<Rule>>()),
          w_(c.scratch ? new (c.scratch->memory()) Work<Rule> : owned_.get()) {
        static_assert(std::is_trivially_destructible_v<Work<Rule>>, "scratch memory is reused without destruction");
    }

    void run() {
        start();
        // Per-particle values with clipping run careful rows only: one kernel fewer to compile per
        // (formula × rule × switch) for a rare combination.
        const bool lean = !(per_lane() && lim_.clip_norm > 0.0);
        careful_rows(0, std::min<long>(1, c_.steps));
        long t = 1;
        BlockLength length;
        while (t < c_.steps && live_ > 0 && !cancelled()) {
            const long rows = std::min(lean ? length.rows : kBlock, c_.steps - t);
            if (lean && !length.careful) {
                length.after(rows, lean_block(t, rows));
            } else {
                length.after_careful(careful_rows(t, t + rows));
            }
            t += rows;
        }
        if (live_ > 0 && !cancelled()) careful_rows(c_.steps, c_.steps + 1);  // the last row: judged, not stepped
        finish(c_.steps);
    }

private:
    bool per_lane() const { return c_.variant_of != nullptr || c_.lr_each != nullptr; }
    bool cancelled() const { return c_.cancel && c_.cancel->load(std::memory_order_relaxed); }

    void start() {
        Work<Rule>& w = *w_;
        live_ = c_.count;
        if (live_ == 0 || live_ > kN) throw std::logic_error("fused chunk size out of range");
        const std::size_t n = live_;
        std::copy(c_.start_x, c_.start_x + n, w.x);
        std::copy(c_.start_y, c_.start_y + n, w.y);
        std::copy(c_.start_x, c_.start_x + n, w.last_x[0]);
        std::copy(c_.start_y, c_.start_y + n, w.last_y[0]);
        std::fill(w.last_loss[0], w.last_loss[0] + n, std::numeric_limits<double>::quiet_NaN());
        for (auto& coordinate : w.state)
            for (auto& array : coordinate) std::fill(array, array + n, 0.0);  // torch's zero state
        w.ahead_from = -1;
        std::fill(w.flag, w.flag + n, c_.rules[0].flag ? 1.0 : 0.0);
        const StopRule& stop = c_.stop;
        std::fill(w.tol2, w.tol2 + n, stop.grad_tol > 0 ? stop.grad_tol * stop.grad_tol : -1.0);
        lim_ = Limits{stop.divergence_bound, std::min(stop.divergence_bound, f_.finite_box()), c_.clip_norm,
                      stop.stop_at_convergence};
        for (std::size_t i = 0; i < n; ++i) w.id[i] = static_cast<std::uint32_t>(i);
        if (c_.lr_each) std::copy(c_.lr_each, c_.lr_each + n, w.lr);
        if (c_.variant_of) {
            set_lane_rules();
        } else {  // one rule for every lane: each array filled with one value
            const FusedRule& rule = c_.rules[0];
            double q[Rule::kQ] = {};
            load_constants<Rule>(rule, q);
            for (int k = 0; k < Rule::kConst; ++k) std::fill(w.lanes[k], w.lanes[k] + n, q[k]);
            for (int j = 0; j < 3; ++j) std::fill(w.table[j], w.table[j] + n, rule.table[j]);
            std::fill(std::begin(uniform_table_), std::end(uniform_table_), true);
            momentum_ = momentum_of<Rule>(rule);
        }
        load_constants<Rule>(c_.rules[0], uniform_);
        for (double* row : block_uniform_) load_constants<Rule>(c_.rules[0], row);  // fill_step sets the rest
        index_tables();
    }

    // Each lane's constants and tables from its variant's rule.
    void set_lane_rules() {
        Work<Rule>& w = *w_;
        std::fill(std::begin(uniform_table_), std::end(uniform_table_), true);
        for (std::size_t i = 0; i < live_; ++i) {
            const FusedRule& rule = c_.rules[c_.variant_of[i]];
            double q[Rule::kQ] = {};
            load_constants<Rule>(rule, q);
            for (int k = 0; k < Rule::kConst; ++k) w.lanes[k][i] = q[k];
            for (int j = 0; j < 3; ++j) {
                w.table[j][i] = rule.table[j];
                uniform_table_[j] = uniform_table_[j] && rule.table[j] == w.table[j][0];
            }
            momentum_ = i == 0 ? momentum_of<Rule>(rule) : rules::combine(momentum_, momentum_of<Rule>(rule));
        }
    }

    // The per-step quantities of row t (the step numbered t + 1): into u (kQ values) when every
    // lane shares them, else into each lane; `all_lanes` also spreads uniform values over the lanes
    // (careful rows read lanes only).
    void fill_step(long t, bool all_lanes, double* u) {
        Work<Rule>& w = *w_;
        const long step = t + 1;
        const std::size_t n = live_;
        if (!per_lane()) {
            double value[3] = {};
            for (int j = 0; j < Rule::kTables; ++j) value[j] = c_.rules[0].table[j][step];
            Rule::per_step([&](int k) -> double& { return u[k]; }, step, c_.lr_table[t], value);
            if (all_lanes)
                for (int k = Rule::kConst; k < Rule::kQ; ++k) std::fill(w.lanes[k], w.lanes[k] + n, u[k]);
            return;
        }
        const double* row[3] = {nullptr, nullptr, nullptr};
        for (int j = 0; j < Rule::kTables; ++j) {
            if (uniform_table_[j]) {
                row[j] = w.table[j][0] + step;  // every lane's slot is 0
                continue;
            }
            if (w.ahead_from < 0 || step < w.ahead_from || step >= w.ahead_from + Work<Rule>::kAhead) read_ahead(step);
            row[j] = w.ahead[j][step - w.ahead_from];
        }
        per_step_lanes(w, n, step, c_.lr_table[t], c_.lr_each != nullptr, row);
    }

    // Steps step .. step + kAhead − 1 (within the tables' 0 .. steps) of every distinct table.
    void read_ahead(long step) {
        Work<Rule>& w = *w_;
        const long count = std::min(Work<Rule>::kAhead, c_.steps + 1 - step);
        for (int j = 0; j < Rule::kTables; ++j) {
            if (uniform_table_[j]) continue;
            for (std::size_t d = 0; d < w.distinct_count[j]; ++d) {
                const double* from = w.distinct[j][d] + step;
                for (long k = 0; k < count; ++k) w.ahead[j][k][d] = from[k];
                // The next read's lines, fetched while the next kAhead rows run: hundreds of tables'
                // lines missing at once would stall this loop on memory.
                for (long k = Work<Rule>::kAhead; k < 2 * Work<Rule>::kAhead && step + k <= c_.steps; k += 8)
                    __builtin_prefetch(from + k);
            }
        }
        w.ahead_from = step;
    }

    // The distinct tables of the chunk and each lane's slot among them.
    void index_tables() {
        Work<Rule>& w = *w_;
        for (int j = 0; j < Rule::kTables; ++j) {
            w.distinct_count[j] = 0;
            if (uniform_table_[j]) {
                std::fill(w.slot[j], w.slot[j] + live_, 0);  // the shared table, read at the step
                continue;
            }
            for (std::size_t i = 0; i < live_; ++i) {
                std::size_t d = 0;
                while (d < w.distinct_count[j] && w.distinct[j][d] != w.table[j][i]) ++d;
                if (d == w.distinct_count[j]) w.distinct[j][w.distinct_count[j]++] = w.table[j][i];
                w.slot[j][i] = static_cast<std::int32_t>(d);
            }
        }
    }

    // Rows from .. to−1, each judged; particles that stop leave the lanes. Returns the number of
    // rows with events.
    long careful_rows(long from, long to) {
        Work<Rule>& w = *w_;
        long event_rows = 0;
        for (long t = from; t < to && live_ > 0; ++t) {
            if (t < c_.steps) fill_step(t, true, uniform_);
            std::fill(w.first, w.first + live_, t == 0 ? 1.0 : 0.0);
            const std::size_t events = t == c_.steps         ? careful_row<Formula, Rule, false, false>(f_, w, live_, lim_)
                                       : lim_.clip_norm > 0.0 ? careful_row<Formula, Rule, true>(f_, w, live_, lim_)
                                                              : careful_row<Formula, Rule, false>(f_, w, live_, lim_);
            std::copy(w.last_x[1], w.last_x[1] + live_, w.last_x[0]);
            std::copy(w.last_y[1], w.last_y[1] + live_, w.last_y[0]);
            std::copy(w.last_loss[1], w.last_loss[1] + live_, w.last_loss[0]);
            if (events > 0) settle_events(t);
            event_rows += events > 0;
        }
        return event_rows;
    }

    // Records each event of row t; a particle that stops writes its result and leaves the lanes.
    void settle_events(long t) {
        Work<Rule>& w = *w_;
        EnsembleResult& r = *c_.result;
        std::size_t i = 0;
        while (i < live_) {
            const std::size_t p = c_.offset + w.id[i];
            bool stops = false;
            if (w.event[i] == 1.0) {
                r.outcome[p] = Outcome::Diverged;
                r.stop_reason[p] = StopReason::None;
                r.last_step[p] = t - 1;
                stops = true;
            } else if (w.event[i] == 2.0) {
                r.converged_step[p] = t;
                r.outcome[p] = Outcome::Converged;
                r.stop_reason[p] = StopReason::GradientNorm;
                w.tol2[i] = -1.0;  // only the first convergence counts
                if (lim_.stop_at_convergence) {
                    r.last_step[p] = t;
                    stops = true;
                }
            }
            if (!stops) {
                ++i;
                continue;
            }
            write_result(i);
            --live_;
            if (i != live_) {
                w.move_lane(live_, i);
                w.event[i] = w.event[live_];
            }
        }
    }

    void write_result(std::size_t i) {
        const Work<Rule>& w = *w_;
        EnsembleResult& r = *c_.result;
        const std::size_t p = c_.offset + w.id[i];
        r.x[p] = w.last_x[0][i];
        r.y[p] = w.last_y[0][i];
        r.loss[p] = w.last_loss[0][i];
    }

    // Rows t .. t+rows−1 run lean; if they cannot stand, again from their start, carefully.
    // Returns the number of rows with events (0: the lean block stood).
    long lean_block(long t, long rows) {
        Work<Rule>& w = *w_;
        const std::size_t n = live_;
        save_block_start();
        std::fill(w.peak, w.peak + n, 0.0);
        const bool converge = c_.stop.grad_tol > 0.0;
        if (converge) std::fill(w.least_g2, w.least_g2 + n, std::numeric_limits<double>::infinity());
        if (per_lane()) {
            for (long k = 0; k < rows; ++k) {
                fill_step(t + k, false, uniform_);
                run_lean_rows(1);
            }
        } else {
            for (long k = 0; k < rows; ++k) fill_step(t + k, false, block_uniform_[k]);
            run_lean_rows(rows);
        }
        const bool clean = converge ? block_is_clean<Rule, true>(w, n, lim_.box) : block_is_clean<Rule, false>(w, n, lim_.box);
        if (clean) return 0;
        restore_block_start();
        return std::max(1L, careful_rows(t, t + rows));
    }

    // Lean rows for the chunk's switches: Static for the common settings, else Dynamic.
    void run_lean_rows(long rows) {
        rules::with_mode<Rule, false>(c_.rules[0].flag, momentum_, [&](const auto& mode) { lean_rows_with(mode, rows); });
    }

    template <class M>
    void lean_rows_with(const M& m, long rows) {
        Work<Rule>& w = *w_;
        const double clip = lim_.clip_norm;
        const double(*u)[Rule::kQ] = block_uniform_;
        const bool decay = uniform_[Rule::WD] != 0.0, converge = c_.stop.grad_tol > 0.0;
        // Sweeps (per-lane values) and clipping always track the tolerance: fewer kernels to compile.
        if (per_lane()) lean_rows<Formula, Rule, M, true, false, Decay::Select, true>(f_, m, w, u, 1, live_, clip);
        else if (clip > 0.0) lean_rows<Formula, Rule, M, false, true, Decay::Select, true>(f_, m, w, u, rows, live_, clip);
        else if (decay && converge) lean_rows<Formula, Rule, M, false, false, Decay::All, true>(f_, m, w, u, rows, live_, clip);
        else if (decay) lean_rows<Formula, Rule, M, false, false, Decay::All, false>(f_, m, w, u, rows, live_, clip);
        else if (converge) lean_rows<Formula, Rule, M, false, false, Decay::None, true>(f_, m, w, u, rows, live_, clip);
        else lean_rows<Formula, Rule, M, false, false, Decay::None, false>(f_, m, w, u, rows, live_, clip);
    }

    void save_block_start() {
        Work<Rule>& w = *w_;
        const std::size_t n = live_;
        std::copy(w.x, w.x + n, w.saved_x);
        std::copy(w.y, w.y + n, w.saved_y);
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < Rule::kState; ++k) std::copy(w.state[c][k], w.state[c][k] + n, w.saved_state[c][k]);
    }

    void restore_block_start() {
        Work<Rule>& w = *w_;
        const std::size_t n = live_;
        std::copy(w.saved_x, w.saved_x + n, w.x);
        std::copy(w.saved_y, w.saved_y + n, w.y);
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < Rule::kState; ++k) std::copy(w.saved_state[c][k], w.saved_state[c][k] + n, w.state[c][k]);
    }

    // The particles still in the lanes ran to the end (or to a cancellation, whose results the caller
    // drops). While no particle has left, lane i holds particle i: plain copies, which vectorise.
    void finish(long t) {
        const Work<Rule>& w = *w_;
        EnsembleResult& r = *c_.result;
        const std::size_t offset = c_.offset, n = live_;
        double* const x = r.x.data() + offset;
        double* const y = r.y.data() + offset;
        double* const loss = r.loss.data() + offset;
        long* const last_step = r.last_step.data() + offset;
        if (n == c_.count) {
            std::copy(w.last_x[0], w.last_x[0] + n, x);
            std::copy(w.last_y[0], w.last_y[0] + n, y);
            std::copy(w.last_loss[0], w.last_loss[0] + n, loss);
            std::fill(last_step, last_step + n, t);
            return;
        }
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t p = w.id[i];
            x[p] = w.last_x[0][i];
            y[p] = w.last_y[0][i];
            loss[p] = w.last_loss[0][i];
            last_step[p] = t;
        }
    }

    const Formula& f_;
    const Chunk& c_;
    // The working set: in the chunk's scratch memory (what an earlier chunk left there is never
    // read: start() sets everything a run reads before it is read), else owned.
    std::unique_ptr<Work<Rule>> owned_;
    Work<Rule>* w_;
    std::size_t live_ = 0;
    Limits lim_{};
    double uniform_[Rule::kQ] = {};  // a row's quantities when every lane shares them
    double block_uniform_[kBlock][Rule::kQ] = {};  // those of a lean block's rows
    bool uniform_table_[3] = {true, true, true};  // every lane reads the same table j
    Momentum momentum_ = Momentum::None;  // what the lanes have of momentum
};

// The largest working set of any fused rule: what a Scratch holds.
template <class Variant>
struct LargestWork;
template <class... Params>
struct LargestWork<std::variant<std::monostate, Params...>> {
    static constexpr std::size_t kBytes = std::max({sizeof(Work<typename Params::Rule>)...});
};
constexpr std::size_t kScratchBytes = LargestWork<FusedParams>::kBytes;

template <class Formula>
void run_chunk_of(const Formula& formula, const Chunk& chunk) {
    std::visit(
        [&](const auto& params) {
            using P = std::decay_t<decltype(params)>;
            if constexpr (std::is_same_v<P, std::monostate>) throw std::logic_error("no fused kernel for this optimizer");
            else ChunkRunner<Formula, typename P::Rule>(formula, chunk).run();
        },
        chunk.rules[0].params);
}

}  // namespace optiviz::fused::detail

namespace optiviz::fused {

template <class Formula>
void run_chunk(const Formula& formula, const Chunk& chunk) {
    detail::run_chunk_of(formula, chunk);
}

}  // namespace optiviz::fused
