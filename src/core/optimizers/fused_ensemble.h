// The fused ensemble kernel: one loop per step over a chunk of particles that evaluates the
// surface's formula, judges the row (divergence, convergence), clips, adds weight decay and applies
// the optimizer's rule, all in one pass, instead of one pass per stage through arrays in memory.
//
// Run-time dispatch picks a compiled (formula × rule) pair, as ImPlot picks renderer × transformer:
// the surface's virtual LossSurface::run_fused picks the formula, FusedRule::kind the rule.
// Results are bit-identical to the generic path of run_ensemble (tests/core/optimizers/test_fused_ensemble.cpp
// compares every pair); the generic path stays for everything the fused one does not cover:
//   - data surfaces (mini-batches) and typed expressions,
//   - L-BFGS (line search, its own evaluations) and Rprop (per-coordinate sign logic),
//   - the ReduceLROnPlateau schedule and the loss-change stopping rule (per-particle control flow),
//   - recorded trajectories (run_trajectory) and per-particle switches (flags).
// Internal to core: simulation.cpp is the only caller.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/optimizers/fused_rule.h"
#include "core/optimizers/simulation.h"

namespace optiviz::fused {

// The most particles one chunk may hold.
inline constexpr std::size_t kMaxChunk = 256;

// The most rows a lean block holds (see core/optimizers/fused_kernel.h): a snapshot and a check per block, and
// a careful rerun of the block when a particle's event falls in it; blocks shorten where events come.
inline constexpr long kLeanBlock = 128;

// Working memory for chunks, reused by the chunks one thread runs in turn: a fresh working set
// per chunk (some 300 KB) cost a page-mapping and zeroing each time, a tenth of a cheap rule's
// run. One per thread, never shared; a chunk sets everything it reads before reading it.
class Scratch {
public:
    Scratch();
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    void* memory() const { return memory_; }

private:
    void* memory_;
};

// One chunk of an ensemble: `count` particles run for all steps.
struct Chunk {
    std::size_t count = 0;  // 1 .. kMaxChunk
    const double* start_x = nullptr;  // count each
    const double* start_y = nullptr;
    // The chunk's particles are result[offset .. offset + count): the chunk writes every one's x, y,
    // loss and last_step, and outcome, converged_step and stop_reason where an event sets them
    // (those must hold their defaults before: MaxSteps, −1, None).
    EnsembleResult* result = nullptr;
    std::size_t offset = 0;
    long steps = 0;
    StopRule stop;
    double clip_norm = 0.0;            // > 0: clip each gradient to this norm
    const double* lr_table = nullptr;  // the scheduled lr of step row → row + 1, per row (steps entries)
    // The rule of each variant (they share kind and flag and differ in real-valued constants or
    // tables), and which variant each particle of the chunk uses (null: all use variant 0).
    const FusedRule* rules = nullptr;
    const std::uint32_t* variant_of = nullptr;
    const double* lr_each = nullptr;   // per-particle learning rates of the chunk, or null
    const std::atomic<bool>* cancel = nullptr;
    Scratch* scratch = nullptr;        // the thread's working memory; null: the chunk allocates its own
};

// Whether a rule has a fused kernel.
bool has_fused_rule(const FusedRule& rule);

// Runs the chunk with `formula` (a struct of core/surfaces/analytic_formulas.h) compiled in. Defined for
// every analytic formula in fused_ensemble.cpp.
template <class Formula>
void run_chunk(const Formula& formula, const Chunk& chunk);

}  // namespace optiviz::fused
