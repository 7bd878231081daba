#include "core/optimizers/simulation.h"

#include "core/presentation/number_text.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include "core/optimizers/fused_ensemble.h"
#include "core/io/limits.h"
#include "core/optimizers/optimizer.h"
#include "core/optimizers/vector_kernel.h"

namespace optiviz {

std::string_view outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::MaxSteps: return "max_steps";
        case Outcome::Converged: return "converged";
        case Outcome::Diverged: return "diverged";
    }
    return "max_steps";
}

std::string describe_stop(const Trajectory& t, const StopRule& rule) {
    auto number = [](double v) { return format_number(v, 6); };
    if (t.outcome == Outcome::Diverged) return "diverged at step " + std::to_string(t.diverged_step);
    if (t.stop_reason == StopReason::LossChange) {
        std::string line = "stopped at step " + std::to_string(t.stopped_step) + " (loss change < " + number(rule.loss_tol);
        if (rule.loss_patience > 1) line += " for " + std::to_string(rule.loss_patience) + " steps";
        return line + ")";
    }
    if (t.stop_reason == StopReason::GradientNorm) {
        const std::string verb = t.stopped_step >= 0 ? "stopped" : "converged";
        return verb + " at step " + std::to_string(t.converged_step) + " (gradient norm <= " + number(rule.grad_tol) + ")";
    }
    return "";
}

namespace {

// Particles are processed in chunks small enough that a chunk's points, gradients and optimizer
// state stay in L1 while it runs all its steps.
constexpr std::size_t kChunk = 256;
static_assert(kChunk <= fused::kMaxChunk);
// Recorded ensembles (clouds) run in small chunks: a cloud of 64 still spreads over the threads, and
// with a mini-batch seed per particle, only the plans of the chunks in progress exist at once.
constexpr std::size_t kRecordChunk = 16;

// The fused path's rules: one per variant (distinct per-particle hyperparameters), and the variant
// of every particle (empty: all use variant 0). The optimizers own the tables the rules point at.
struct FusedSetup {
    std::vector<std::unique_ptr<Optimizer>> optimizers;
    std::vector<FusedRule> rules;
    std::vector<std::uint32_t> variant_of;
};

// Everything a worker reads; shared read-only between threads.
struct RunContext {
    const LossSurface* surface;
    const Optimizer* optimizer;
    const MinibatchPlan* plan;  // null for full batch
    const RunConfig* config;
    std::vector<double> lr;     // per step
    double clip_norm;
    double weight_decay;        // coupled weight decay (0 when the optimizer decouples it)
    const std::atomic<bool>* cancel;
    std::atomic<long>* progress;  // particles finished, or null
    const FusedSetup* fused = nullptr;  // set: the fused kernel runs the chunks
    std::size_t chunk = kChunk;         // particles per chunk
    // One mini-batch seed per particle of the ensemble (empty: every particle uses `plan`). Each
    // chunk plans its particles' batches when it starts and frees them when it ends.
    std::span<const std::uint64_t> seeds = {};
};

// Per-particle arrays of the whole ensemble.
struct EnsembleArrays {
    std::size_t n = 0;
    int state_arrays = 0;
    std::vector<double> x, y, state;  // state: [array k][coordinate c][particle] (the generic path's)
    std::span<const double> start_x, start_y;  // the caller's starts (the fused path's)
    std::vector<double> lr;           // per-particle learning rates, or empty
    std::vector<PlateauTracker> plateau;  // per particle, with the plateau schedule
    EnsembleResult result;

    double* state_at(int k, int coordinate, std::size_t offset) {
        return state.data() + (static_cast<std::size_t>(2 * k + coordinate) * n) + offset;
    }
};

// clip_grad_norm_ per particle: g *= min(1, max_norm / (‖g‖ + 1e-6)).
OPTIVIZ_VECTOR_KERNEL void clip_gradients(std::size_t n, double* __restrict gx, double* __restrict gy,
                                          double max_norm) {
    for (std::size_t i = 0; i < n; ++i) {
        const double norm = std::sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
        const double coef = std::min(max_norm / (norm + 1e-6), 1.0);
        gx[i] *= coef;
        gy[i] *= coef;
    }
}

// Coupled weight decay, as torch adds it: g = g + wd·θ.
OPTIVIZ_VECTOR_KERNEL void add_weight_decay(std::size_t n, double* __restrict gx, double* __restrict gy,
                                            const double* __restrict x, const double* __restrict y, double wd) {
    for (std::size_t i = 0; i < n; ++i) {
        gx[i] = gx[i] + wd * x[i];
        gy[i] = gy[i] + wd * y[i];
    }
}

// A recorded particle's optimizer state after a step (record_state): state_arrays() values for x,
// then for y, and the effective rates it applied.
void record_state(Trajectory& path, const Optimizer& optimizer, const StepInfo& info, const ParticleSpan& span,
                  std::size_t i) {
    const auto arrays = static_cast<std::size_t>(optimizer.state_arrays());
    const std::size_t first = path.state.size();
    for (std::size_t k = 0; k < arrays; ++k) path.state.push_back(span.state_x[k][i]);
    for (std::size_t k = 0; k < arrays; ++k) path.state.push_back(span.state_y[k][i]);
    const double* values = path.state.data() + first;
    path.rate_x.push_back(optimizer.effective_rate(info, values));
    path.rate_y.push_back(optimizer.effective_rate(info, values + arrays));
}

// The rows and learning rates of a chunk's recorded particles, buffered for kBlock steps and then
// appended to each trajectory with one copy per column: a push_back per value costs more than the
// step itself. A particle records a prefix of each block (it stops recording when it stops running).
class RowBuffer {
public:
    static constexpr std::size_t kBlock = 64;

    RowBuffer(Trajectory* paths, std::size_t count)
        : paths_(paths), count_(count), rows_(count, 0), lrs_(count, 0), values_(kColumns * kBlock * count) {}

    void row(std::size_t i, double x, double y, double loss, double gx, double gy) {
        const std::size_t k = rows_[i]++;
        at(0, i)[k] = x;
        at(1, i)[k] = y;
        at(2, i)[k] = loss;
        at(3, i)[k] = gx;
        at(4, i)[k] = gy;
    }
    void lr(std::size_t i, double lr) { at(5, i)[lrs_[i]++] = lr; }
    // Called once per step before its rows: empties the buffer when it holds kBlock steps.
    void next_step(long t) {
        if (t - block_start_ == static_cast<long>(kBlock)) {
            flush();
            block_start_ = t;
        }
    }
    void flush() {
        for (std::size_t i = 0; i < count_; ++i) {
            Trajectory& path = paths_[i];
            std::vector<double>* columns[kColumns] = {&path.x, &path.y, &path.loss, &path.gx, &path.gy, &path.lr};
            for (std::size_t c = 0; c < kColumns; ++c) {
                const std::size_t n = c == 5 ? lrs_[i] : rows_[i];
                columns[c]->insert(columns[c]->end(), at(c, i), at(c, i) + n);
            }
            rows_[i] = lrs_[i] = 0;
        }
    }

private:
    static constexpr std::size_t kColumns = 6;  // x, y, loss, gx, gy, lr
    double* at(std::size_t column, std::size_t i) { return values_.data() + (column * count_ + i) * kBlock; }

    Trajectory* paths_;
    std::size_t count_;
    std::vector<std::size_t> rows_, lrs_;  // buffered per particle
    std::vector<double> values_;            // [column][particle][step in block]
    long block_start_ = 0;
};

inline bool row_is_finite(double x, double y, double loss, double gx, double gy, double bound) {
    return std::isfinite(loss) && std::isfinite(gx) && std::isfinite(gy) && std::abs(x) <= bound &&
           std::abs(y) <= bound;  // false for NaN too
}

// The common case of a step's bookkeeping, vectorised: for every running particle whose row is
// finite and in bounds, records it as the last good row. Returns the number of running particles
// that need the careful path (a row that is not finite or out of bounds, or a gradient small enough
// to count as converged for a particle not yet converged). Flags are 1.0 / 0.0 doubles so that the
// loop vectorises.
OPTIVIZ_VECTOR_KERNEL std::size_t record_rows(std::size_t n, const double* __restrict x, const double* __restrict y,
                                              const double* __restrict loss, const double* __restrict gx,
                                              const double* __restrict gy, const double* __restrict running,
                                              const double* __restrict converged, double* __restrict last_x,
                                              double* __restrict last_y, double* __restrict last_loss, double bound,
                                              double grad_tol_squared) {
    constexpr double kMax = std::numeric_limits<double>::max();
    std::size_t events = 0;
    for (std::size_t i = 0; i < n; ++i) {
        // Comparisons are false for NaN, so NaN fails `ok` as inf does.
        const bool ok = std::abs(x[i]) <= bound && std::abs(y[i]) <= bound && std::abs(loss[i]) <= kMax &&
                        std::abs(gx[i]) <= kMax && std::abs(gy[i]) <= kMax;
        const bool live = running[i] != 0.0;
        const bool small = gx[i] * gx[i] + gy[i] * gy[i] <= grad_tol_squared && converged[i] == 0.0;
        events += static_cast<std::size_t>(live && (!ok || small));
        const bool keep = live && ok;
        last_x[i] = keep ? x[i] : last_x[i];
        last_y[i] = keep ? y[i] : last_y[i];
        last_loss[i] = keep ? loss[i] : last_loss[i];
    }
    return events;
}

// Runs particles begin .. begin+count-1 through every step. With `paths` (offset to `begin`), records
// each particle's rows into its trajectory; with `plans` (one per particle of the chunk), takes each
// particle's mini-batches from its own plan instead of ctx.plan.
void run_chunk(const RunContext& ctx, EnsembleArrays& a, std::size_t begin, std::size_t count, Trajectory* paths,
               const MinibatchPlan* const* plans) {
    double loss[kChunk], gx[kChunk], gy[kChunk], mb_loss[kChunk];
    double running_flag[kChunk], converged_flag[kChunk];
    const long steps = ctx.config->steps;
    const StopRule& stop = ctx.config->stop;
    const double bound = stop.divergence_bound;
    const double grad_tol_squared = stop.grad_tol > 0 ? stop.grad_tol * stop.grad_tol : -1.0;

    double* x = a.x.data() + begin;
    double* y = a.y.data() + begin;
    double* last_x = a.result.x.data() + begin;
    double* last_y = a.result.y.data() + begin;
    double* last_loss = a.result.loss.data() + begin;
    long* last_step = a.result.last_step.data() + begin;
    Outcome* outcome = a.result.outcome.data() + begin;
    long* converged = a.result.converged_step.data() + begin;

    // As many state arrays as the optimizer declares (L-BFGS keeps its whole history there).
    std::vector<double*> state_x(static_cast<std::size_t>(a.state_arrays)), state_y(state_x.size());
    for (int k = 0; k < a.state_arrays; ++k) {
        state_x[static_cast<std::size_t>(k)] = a.state_at(k, 0, begin);
        state_y[static_cast<std::size_t>(k)] = a.state_at(k, 1, begin);
    }
    const ParticleSpan span{count, x, y, gx, gy, state_x.data(), state_y.data(),
                            a.lr.empty() ? nullptr : a.lr.data() + begin, loss, ctx.surface};
    std::fill(running_flag, running_flag + count, 1.0);
    std::fill(converged_flag, converged_flag + count, 0.0);
    std::size_t running = count;
    StopReason* reason = a.result.stop_reason.data() + begin;
    const bool loss_rule = stop.loss_tol > 0;
    std::vector<double> previous_loss;
    std::vector<long> flat_steps;
    if (loss_rule) {
        previous_loss.assign(count, std::numeric_limits<double>::quiet_NaN());
        flat_steps.assign(count, 0);
    }
    double* lr_each = a.lr.empty() ? nullptr : a.lr.data() + begin;
    PlateauTracker* plateau = a.plateau.empty() ? nullptr : a.plateau.data() + begin;
    std::optional<RowBuffer> row_buffer;
    if (paths) row_buffer.emplace(paths, count);
    RowBuffer* rows = paths ? &*row_buffer : nullptr;
    const bool record_evaluations = paths && ctx.optimizer->evaluates_objective();

    long t = 0;
    for (;; ++t) {
        ctx.surface->evaluate({count, x, y}, {loss, gx, gy});

        // Outcomes are judged on the full objective at row t. A running particle records its row
        // when the row is finite (a row that is not ends the particle below, unrecorded).
        if (rows) {
            rows->next_step(t);
            for (std::size_t i = 0; i < count; ++i)
                if (running_flag[i] != 0.0 && row_is_finite(x[i], y[i], loss[i], gx[i], gy[i], bound))
                    rows->row(i, x[i], y[i], loss[i], gx[i], gy[i]);
        }
        std::size_t events = record_rows(count, x, y, loss, gx, gy, running_flag, converged_flag, last_x, last_y,
                                         last_loss, bound, grad_tol_squared);
        if (loss_rule) events = count;
        for (std::size_t i = 0; events > 0 && i < count; ++i) {
            if (running_flag[i] == 0.0) continue;
            if (!row_is_finite(x[i], y[i], loss[i], gx[i], gy[i], bound)) {
                running_flag[i] = 0.0;
                outcome[i] = Outcome::Diverged;
                reason[i] = StopReason::None;
                last_step[i] = t - 1;
                --running;
                continue;
            }
            if (loss_rule) {
                const bool flat = t > 0 && std::abs(loss[i] - previous_loss[i]) < stop.loss_tol;
                flat_steps[i] = flat ? flat_steps[i] + 1 : 0;
                previous_loss[i] = loss[i];
                if (flat_steps[i] >= stop.loss_patience) {
                    if (converged_flag[i] == 0.0) converged[i] = t;
                    converged_flag[i] = 1.0;
                    outcome[i] = Outcome::Converged;
                    reason[i] = StopReason::LossChange;
                    running_flag[i] = 0.0;
                    last_step[i] = t;
                    --running;
                    continue;
                }
            }
            if (converged_flag[i] == 0.0 && gx[i] * gx[i] + gy[i] * gy[i] <= grad_tol_squared) {
                converged_flag[i] = 1.0;
                converged[i] = t;
                outcome[i] = Outcome::Converged;
                reason[i] = StopReason::GradientNorm;
                if (stop.stop_at_convergence) {
                    running_flag[i] = 0.0;
                    last_step[i] = t;
                    --running;
                }
            }
        }
        if (t == steps || running == 0) break;
        // A stale run (a cancelled job) stops within a few hundred steps, not at the end of the chunk.
        if ((t & 255) == 255 && ctx.cancel && ctx.cancel->load(std::memory_order_relaxed)) break;

        if (plans) {
            for (std::size_t i = 0; i < count; ++i)
                ctx.surface->evaluate_minibatch(*plans[i], t, {1, x + i, y + i}, {mb_loss + i, gx + i, gy + i});
        } else if (ctx.plan) {
            ctx.surface->evaluate_minibatch(*ctx.plan, t, {count, x, y}, {mb_loss, gx, gy});
        }
        if (ctx.clip_norm > 0) clip_gradients(count, gx, gy, ctx.clip_norm);
        if (ctx.weight_decay != 0.0) add_weight_decay(count, gx, gy, x, y, ctx.weight_decay);
        const StepInfo info{t + 1, ctx.lr[static_cast<std::size_t>(t)]};
        ctx.optimizer->step(info, span);
        if (rows) {
            for (std::size_t i = 0; i < count; ++i) {
                if (running_flag[i] == 0.0) continue;
                const StepInfo own{info.t, lr_each ? lr_each[i] : info.lr};  // the lr this particle used
                rows->lr(i, own.lr);
                if (record_evaluations) paths[i].evaluations.push_back(ctx.optimizer->step_evaluations(span, i));
                if (ctx.config->record_state) record_state(paths[i], *ctx.optimizer, own, span, i);
            }
        }
        // ReduceLROnPlateau steps after the optimizer, with the loss where the gradient was taken.
        if (plateau)
            for (std::size_t i = 0; i < count; ++i) lr_each[i] = plateau[i].step(ctx.config->schedule, loss[i], lr_each[i]);

        // Stopped particles stay at their last finite point (the step above moved them too, which is
        // cheaper than masking the vectorised update).
        if (running != count) {
            for (std::size_t i = 0; i < count; ++i) {
                if (running_flag[i] != 0.0) continue;
                x[i] = last_x[i];
                y[i] = last_y[i];
            }
        }
    }
    for (std::size_t i = 0; i < count; ++i)
        if (running_flag[i] != 0.0) last_step[i] = t;
    if (rows) rows->flush();
}

void run_fused_chunk(const RunContext& ctx, EnsembleArrays& a, std::size_t begin, std::size_t count,
                     fused::Scratch& scratch) {
    const FusedSetup& setup = *ctx.fused;
    fused::Chunk chunk;
    chunk.count = count;
    chunk.start_x = a.start_x.data() + begin;
    chunk.start_y = a.start_y.data() + begin;
    chunk.result = &a.result;
    chunk.offset = begin;
    chunk.steps = ctx.config->steps;
    chunk.stop = ctx.config->stop;
    chunk.clip_norm = ctx.clip_norm;
    chunk.lr_table = ctx.lr.data();
    chunk.rules = setup.rules.data();
    chunk.variant_of = setup.variant_of.empty() ? nullptr : setup.variant_of.data() + begin;
    chunk.lr_each = a.lr.empty() ? nullptr : a.lr.data() + begin;
    chunk.cancel = ctx.cancel;
    chunk.scratch = &scratch;
    ctx.surface->run_fused(chunk);
}

// Runs the chunks of particles begin .. end-1. `paths`: the whole ensemble's trajectories, or null.
void run_range(const RunContext& ctx, EnsembleArrays& a, std::size_t begin, std::size_t end, Trajectory* paths) {
    std::vector<std::unique_ptr<MinibatchPlan>> owned;
    std::vector<const MinibatchPlan*> plans;
    const bool own_plans = !ctx.seeds.empty() && ctx.config->batch_size > 0;
    std::optional<fused::Scratch> scratch;  // this thread's working memory for its fused chunks
    if (ctx.fused) scratch.emplace();
    for (std::size_t chunk = begin; chunk < end; chunk += ctx.chunk) {
        if (ctx.cancel && ctx.cancel->load(std::memory_order_relaxed)) return;
        const std::size_t count = std::min(ctx.chunk, end - chunk);
        if (own_plans) {
            owned.clear();  // the previous chunk's plans go before this chunk's are made
            plans.clear();
            for (std::size_t i = chunk; i < chunk + count; ++i) {
                owned.push_back(ctx.surface->plan_minibatches(ctx.config->batch_size, ctx.seeds[i], ctx.config->steps));
                plans.push_back(owned.back().get());
            }
        }
        if (ctx.fused) run_fused_chunk(ctx, a, chunk, count, *scratch);
        else run_chunk(ctx, a, chunk, count, paths ? paths + chunk : nullptr, own_plans ? plans.data() : nullptr);
        if (ctx.progress) ctx.progress->fetch_add(static_cast<long>(count), std::memory_order_relaxed);
    }
}

struct PreparedRun {
    std::unique_ptr<Optimizer> optimizer;
    std::unique_ptr<MinibatchPlan> plan;
    RunContext ctx;
};

// `shared_plan` false: the particles bring their own mini-batch seeds (RunContext::seeds).
PreparedRun prepare_run(const LossSurface& surface, const RunConfig& config, const std::atomic<bool>* cancel,
                        bool shared_plan = true) {
    validate_run(surface, config);
    PreparedRun run;
    run.optimizer = make_optimizer(config.optimizer, config.hyper);
    run.optimizer->prepare(config.steps);
    if (config.batch_size > 0 && shared_plan) run.plan = surface.plan_minibatches(config.batch_size, config.seed, config.steps);
    const double base_lr = ParamValues(config.optimizer, find_optimizer(config.optimizer).params, config.hyper).get("lr");
    run.ctx = RunContext{&surface,
                         run.optimizer.get(),
                         run.plan.get(),
                         &config,
                         schedule_table(config.schedule, base_lr, config.steps),
                         config.clip_norm,
                         run.optimizer->decoupled_weight_decay() ? 0.0 : run.optimizer->weight_decay(),
                         cancel,
                         nullptr};
    return run;
}

// The plateau schedule changes each particle's lr on its own: per-particle rates and trackers.
void start_plateau(const PreparedRun& run, const RunConfig& config, EnsembleArrays& a) {
    if (config.schedule.kind != ScheduleKind::Plateau) return;
    if (a.lr.empty()) a.lr.assign(a.n, run.ctx.lr.empty() ? 0.0 : run.ctx.lr[0]);
    a.plateau.assign(a.n, PlateauTracker{});
}

// The generic path steps a.x, a.y and a.state in place and keeps the last finite rows in a.result.
EnsembleArrays make_arrays(std::size_t n, int state_arrays, std::span<const double> start_x,
                           std::span<const double> start_y) {
    EnsembleArrays a;
    a.n = n;
    a.state_arrays = state_arrays;
    a.x.assign(start_x.begin(), start_x.end());
    a.y.assign(start_y.begin(), start_y.end());
    a.state.assign(static_cast<std::size_t>(2 * state_arrays) * n, 0.0);
    a.result.x = a.x;
    a.result.y = a.y;
    a.result.loss.assign(n, std::numeric_limits<double>::quiet_NaN());
    a.result.last_step.assign(n, -1);
    a.result.outcome.assign(n, Outcome::MaxSteps);
    a.result.converged_step.assign(n, -1);
    a.result.stop_reason.assign(n, StopReason::None);
    return a;
}

// The fused kernel reads the caller's starts and writes every particle's x, y, loss and last step
// itself (fused::Chunk), so those are neither copied nor filled: four arrays of n fewer to write,
// about a point of a cheap rule's run at 100 000 particles (perf, SGD on Rosenbrock).
EnsembleArrays make_fused_arrays(std::size_t n, std::span<const double> start_x, std::span<const double> start_y) {
    EnsembleArrays a;
    a.n = n;
    a.start_x = start_x;
    a.start_y = start_y;
    a.result.x.resize(n);
    a.result.y.resize(n);
    a.result.loss.resize(n);
    a.result.last_step.resize(n);
    a.result.outcome.assign(n, Outcome::MaxSteps);
    a.result.converged_step.assign(n, -1);
    a.result.stop_reason.assign(n, StopReason::None);
    return a;
}

}  // namespace

void validate_stop_rule(const StopRule& stop) {
    if (!(stop.loss_tol >= 0) || !std::isfinite(stop.loss_tol))
        throw std::invalid_argument("loss tolerance must be a finite number >= 0");
    if (stop.loss_patience < 1) throw std::invalid_argument("loss patience must be at least 1");
    if (!(stop.grad_tol >= 0) || !std::isfinite(stop.grad_tol))
        throw std::invalid_argument("gradient tolerance must be a finite number >= 0");
}

void validate_run(const LossSurface& surface, const RunConfig& config) {
    if (config.batch_size > 0 && !surface.supports_minibatches())
        throw std::invalid_argument("surface '" + std::string(surface.name()) +
                                    "' has no data, so it has no mini-batches (batch size needs --surface mse or logistic)");
    validate_run_settings(config);
}

void validate_run_settings(const RunConfig& config) {
    const OptimizerInfo& info = find_optimizer(config.optimizer);
    const ParamValues values(info.name, info.params, config.hyper);
    if (config.steps < 0) throw std::invalid_argument("steps must be >= 0, got " + std::to_string(config.steps));
    validate_stop_rule(config.stop);
    if (!(config.clip_norm >= 0) || !std::isfinite(config.clip_norm))
        throw std::invalid_argument("clip norm must be a finite number >= 0");
    validate_schedule(config.schedule);
    const auto optimizer = info.make(values);  // cross-parameter checks (nesterov needs momentum)
    if (optimizer->evaluates_objective() && (config.batch_size > 0 || config.clip_norm > 0))
        throw std::invalid_argument(std::string(info.name) +
                                    " evaluates the full objective itself (line search): no mini-batches or clipping");
}

namespace {

// The rule the fused kernel applies for `optimizer`, or kind None.
FusedRule fused_rule_of(const Optimizer& optimizer) {
    if (optimizer.evaluates_objective()) return {};
    FusedRule rule = optimizer.fused_rule();
    rule.coupled_weight_decay = optimizer.decoupled_weight_decay() ? 0.0 : optimizer.weight_decay();
    return rule;
}

bool fused_applies(const LossSurface& surface, const RunConfig& config, const Optimizer& optimizer) {
    return surface.has_fused_kernel() && config.batch_size == 0 && config.schedule.kind != ScheduleKind::Plateau &&
           !(config.stop.loss_tol > 0) && fused::has_fused_rule(fused_rule_of(optimizer));
}

// Runs every chunk on the shared pool, at most `options.threads` at once. `paths`: every particle's
// trajectory, or null. Particles are independent, so an item is a run of whole chunks through all
// their steps (recording into its own particles' trajectories); several items per worker let a worker
// take higher-priority work between them. A failure on a worker (an allocation, say) reaches the
// caller, never std::terminate.
void run_all(const RunContext& ctx, EnsembleArrays& a, const EnsembleOptions& options, Trajectory* paths = nullptr) {
    const std::size_t n = a.n, chunk = ctx.chunk;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    WorkerPool& pool = WorkerPool::shared();
    std::size_t width = options.threads > 0 ? static_cast<std::size_t>(options.threads) : pool.size();
    width = std::max<std::size_t>(1, std::min(width, chunks));
    if (width == 1) {
        run_range(ctx, a, 0, n, paths);
        return;
    }
    const std::size_t per_item = (chunks + 8 * width - 1) / (8 * width);
    const std::size_t items = (chunks + per_item - 1) / per_item;
    pool.parallel_for(
        items,
        [&](std::size_t item) {
            const std::size_t begin = std::min(n, item * per_item * chunk);
            const std::size_t end = std::min(n, (item + 1) * per_item * chunk);
            run_range(ctx, a, begin, end, paths);
        },
        options.priority, width);
}

// A trajectory ready to record a run of `config` (rows reserved, state names with record_state).
Trajectory empty_path(const Optimizer& optimizer, const RunConfig& config) {
    Trajectory path;
    const auto rows = static_cast<std::size_t>(config.steps) + 1;
    for (auto* column : {&path.x, &path.y, &path.loss, &path.gx, &path.gy}) column->reserve(rows);
    path.lr.reserve(rows - 1);
    if (config.record_state) {
        path.state_names = optimizer.state_names();
        path.direction_state = optimizer.direction_state();
        path.direction_is_descent = optimizer.direction_is_descent();
    }
    return path;
}

// Completes particle i's recorded path from the ensemble's result: drops what a step recorded for a
// row that then was not finite (divergence), and sets the outcome and the steps.
void finish_path(Trajectory& path, const EnsembleResult& result, std::size_t i, const RunConfig& config) {
    if (path.size() > 0 && path.lr.size() >= path.size()) path.lr.resize(path.size() - 1);
    if (path.size() > 0 && path.evaluations.size() >= path.size()) path.evaluations.resize(path.size() - 1);
    if (config.record_state && path.size() > 0) {
        const std::size_t steps = path.size() - 1, per_step = 2 * path.state_names.size();
        if (path.rate_x.size() > steps) {
            path.rate_x.resize(steps);
            path.rate_y.resize(steps);
            path.state.resize(steps * per_step);
        }
    }
    path.outcome = result.outcome[i];
    path.converged_step = result.converged_step[i];
    path.stop_reason = result.stop_reason[i];
    const bool rule_stopped = path.stop_reason == StopReason::LossChange ||
                              (path.stop_reason == StopReason::GradientNorm && config.stop.stop_at_convergence);
    if (path.outcome == Outcome::Converged && rule_stopped) path.stopped_step = result.last_step[i];
    if (path.outcome == Outcome::Diverged) path.diverged_step = result.last_step[i] + 1;
}

// The generic path with every particle's rows recorded: run_trajectory (one particle) and
// run_ensemble_paths. `lrs` and `seeds` are empty or one per particle (already validated).
std::vector<Trajectory> run_recorded(const LossSurface& surface, const RunConfig& config, std::span<const double> start_x,
                                     std::span<const double> start_y, std::span<const double> lrs,
                                     std::span<const std::uint64_t> seeds, const EnsembleOptions& options) {
    PreparedRun run = prepare_run(surface, config, options.cancel, seeds.empty());
    run.ctx.progress = options.progress;
    run.ctx.chunk = kRecordChunk;
    run.ctx.seeds = seeds;
    const std::size_t n = start_x.size();
    EnsembleArrays a = make_arrays(n, run.optimizer->state_arrays(), start_x, start_y);
    if (!lrs.empty()) a.lr.assign(lrs.begin(), lrs.end());
    start_plateau(run, config, a);
    std::vector<Trajectory> paths;
    paths.reserve(n);
    for (std::size_t i = 0; i < n; ++i) paths.push_back(empty_path(*run.optimizer, config));
    run_all(run.ctx, a, options, paths.data());
    if (options.cancel && options.cancel->load()) throw std::runtime_error("cancelled");
    for (std::size_t i = 0; i < n; ++i) finish_path(paths[i], a.result, i, config);
    return paths;
}

// Per-particle values of the hyperparameters other than lr, as variants: the distinct tuples and
// which one each particle uses.
struct Variants {
    std::vector<std::string> names;
    std::size_t width = 0;                    // values per variant (one per name)
    std::vector<double> values;               // [variant × width + name]: one allocation, not one per variant
    std::vector<std::uint32_t> of;            // [particle]
    bool has_flag = false;                    // a switch differs between particles

    std::size_t count() const { return width ? values.size() / width : 0; }
    double value(std::size_t v, std::size_t k) const { return values[v * width + k]; }

    RunConfig config_of(const RunConfig& base, std::size_t v) const {
        RunConfig config = base;
        for (std::size_t k = 0; k < names.size(); ++k) config.hyper[names[k]] = value(v, k);
        return config;
    }
};

// One batch: every particle shares the config but its lr (lrs) and its variant (variants, or null).
EnsembleResult run_batch(const LossSurface& surface, const RunConfig& config, std::span<const double> start_x,
                         std::span<const double> start_y, const EnsembleOptions& options, std::span<const double> lrs,
                         std::span<const std::uint64_t> seeds, const Variants* variants, bool allow_fused) {
    PreparedRun run = prepare_run(surface, config, options.cancel, seeds.empty());
    run.ctx.progress = options.progress;
    run.ctx.seeds = seeds;
    const std::size_t n = start_x.size();
    const bool fused = allow_fused && fused_applies(surface, config, *run.optimizer);
    if (variants && !fused) throw std::logic_error("per-particle variants need the fused path");
    EnsembleArrays a = fused ? make_fused_arrays(n, start_x, start_y)
                             : make_arrays(n, run.optimizer->state_arrays(), start_x, start_y);
    if (!lrs.empty()) {
        if (config.schedule.kind != ScheduleKind::Constant && config.schedule.kind != ScheduleKind::Plateau)
            throw std::invalid_argument("per-particle learning rates need the constant or plateau schedule");
        a.lr.assign(lrs.begin(), lrs.end());
    }
    FusedSetup setup;
    if (fused) {
        if (!variants) {
            setup.rules.push_back(fused_rule_of(*run.optimizer));
        } else {
            // One map, updated per variant in place (a sweep band has thousands of variants).
            ParamOverrides hyper = config.hyper;
            std::vector<double*> slot_of;  // each per-particle parameter's value in `hyper`
            for (const std::string& name : variants->names) slot_of.push_back(&hyper[name]);
            const OptimizerInfo& info = find_optimizer(config.optimizer);
            for (std::size_t v = 0; v < variants->count(); ++v) {
                for (std::size_t k = 0; k < slot_of.size(); ++k) *slot_of[k] = variants->value(v, k);
                setup.optimizers.push_back(info.make(ParamValues(info.name, info.params, hyper)));  // cross-checks too
                setup.optimizers.back()->prepare(config.steps);
                setup.rules.push_back(fused_rule_of(*setup.optimizers.back()));
            }
            setup.variant_of = variants->of;
        }
        run.ctx.fused = &setup;
    } else {
        start_plateau(run, config, a);
    }
    run_all(run.ctx, a, options);
    if (options.cancel && options.cancel->load()) throw std::runtime_error("cancelled");
    return std::move(a.result);
}

// The distinct tuples of the per-particle values, numbered in the order particles first use them,
// and each particle's. By sorting particle indices, not by a map of tuples: a sweep band has a
// tuple per particle, tens of thousands, and a map with a vector per key cost a tenth of the run.
Variants distinct_tuples(const std::vector<const ParticleParam*>& params, std::size_t n) {
    const auto less = [&](std::uint32_t a, std::uint32_t b) {
        for (const ParticleParam* p : params) {
            if (p->values[a] < p->values[b]) return true;
            if (p->values[b] < p->values[a]) return false;
        }
        return false;
    };
    std::vector<std::uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(order.begin(), order.end(), less);
    // Groups of equal tuples in sorted order; each group's first member is its first particle.
    std::vector<std::size_t> group_start;
    for (std::size_t r = 0; r < n; ++r)
        if (r == 0 || less(order[r - 1], order[r])) group_start.push_back(r);
    std::vector<std::size_t> by_first(group_start.size());
    for (std::size_t g = 0; g < by_first.size(); ++g) by_first[g] = g;
    std::sort(by_first.begin(), by_first.end(),
              [&](std::size_t a, std::size_t b) { return order[group_start[a]] < order[group_start[b]]; });
    Variants variants;
    variants.width = params.size();
    variants.of.resize(n);
    variants.values.reserve(by_first.size() * params.size());
    for (std::size_t g : by_first) {
        const auto v = static_cast<std::uint32_t>(variants.values.size() / params.size());
        const std::size_t end = g + 1 < group_start.size() ? group_start[g + 1] : n;
        for (std::size_t r = group_start[g]; r < end; ++r) variants.of[order[r]] = v;
        for (const ParticleParam* p : params) variants.values.push_back(p->values[order[group_start[g]]]);
    }
    return variants;
}

EnsembleResult run_ensemble_with(const LossSurface& surface, const RunConfig& config, std::span<const double> start_x,
                                 std::span<const double> start_y, const EnsembleOptions& options, bool allow_fused) {
    if (start_x.size() != start_y.size()) throw std::invalid_argument("start_x and start_y differ in length");
    const std::size_t n = start_x.size();
    const OptimizerInfo& info = find_optimizer(config.optimizer);
    auto spec_of = [&](const std::string& name) -> const ParamSpec* {
        for (const auto& p : info.params)
            if (p.name == name) return &p;
        return nullptr;
    };
    std::span<const double> lrs = options.learning_rates;
    bool lr_given = !lrs.empty();
    std::vector<const ParticleParam*> others;
    for (const ParticleParam& p : options.particle_params) {
        if (p.values.size() != n)
            throw std::invalid_argument("per-particle values of '" + p.name + "': one per particle is needed");
        const ParamSpec* spec = spec_of(p.name);
        if (!spec) ParamValues(info.name, info.params, ParamOverrides{{p.name, 0.0}});  // throws: no such parameter
        if (!spec) throw std::invalid_argument(std::string(info.name) + " has no parameter '" + p.name + "'");
        for (const ParticleParam* q : others)
            if (q->name == p.name) throw std::invalid_argument("'" + p.name + "' is given per particle twice");
        if (p.name == "lr") {
            if (lr_given) throw std::invalid_argument("the learning rate is given per particle twice");
            lrs = p.values;
            lr_given = true;
            continue;
        }
        for (double v : p.values) validate_param(info.name, *spec, v);  // no NaN reaches the sort below
        others.push_back(&p);
    }
    if (!options.seeds.empty() && options.seeds.size() != n)
        throw std::invalid_argument("per-particle seeds: one per particle is needed");
    if (lr_given) {
        if (lrs.size() != n) throw std::invalid_argument("per-particle learning rates: one per particle is needed");
        const ParamSpec* lr_spec = spec_of("lr");
        if (!lr_spec) throw std::invalid_argument(std::string(info.name) + " has no learning rate to sweep");
        for (double lr : lrs) validate_param(info.name, *lr_spec, lr);
    }
    if (others.empty()) return run_batch(surface, config, start_x, start_y, options, lrs, options.seeds, nullptr, allow_fused);

    Variants variants = distinct_tuples(others, n);
    for (const ParticleParam* p : others) {
        variants.names.push_back(p->name);
        variants.has_flag = variants.has_flag || spec_of(p->name)->kind == ParamKind::Flag;
    }
    const RunConfig first = variants.config_of(config, 0);
    validate_run(surface, first);
    const bool fused = allow_fused && !variants.has_flag && fused_applies(surface, first, *make_optimizer(first.optimizer, first.hyper));
    if (fused) return run_batch(surface, first, start_x, start_y, options, lrs, options.seeds, &variants, true);

    // The generic path runs one batch per variant (a switch per particle changes the rule itself).
    EnsembleResult result;
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        result.x.assign(n, nan);
        result.y.assign(n, nan);
        result.loss.assign(n, nan);
        result.last_step.assign(n, -1);
        result.outcome.assign(n, Outcome::MaxSteps);
        result.converged_step.assign(n, -1);
        result.stop_reason.assign(n, StopReason::None);
    }
    std::vector<std::vector<std::size_t>> members(variants.count());
    for (std::size_t i = 0; i < n; ++i) members[variants.of[i]].push_back(i);
    for (std::size_t v = 0; v < members.size(); ++v) {
        std::vector<double> xs, ys, group_lrs;
        std::vector<std::uint64_t> group_seeds;
        for (std::size_t i : members[v]) {
            xs.push_back(start_x[i]);
            ys.push_back(start_y[i]);
            if (lr_given) group_lrs.push_back(lrs[i]);
            if (!options.seeds.empty()) group_seeds.push_back(options.seeds[i]);
        }
        const EnsembleResult r = run_batch(surface, variants.config_of(config, v), xs, ys, options, group_lrs,
                                           group_seeds, nullptr, allow_fused);
        for (std::size_t k = 0; k < members[v].size(); ++k) {
            const std::size_t i = members[v][k];
            result.x[i] = r.x[k];
            result.y[i] = r.y[k];
            result.loss[i] = r.loss[k];
            result.last_step[i] = r.last_step[k];
            result.outcome[i] = r.outcome[k];
            result.converged_step[i] = r.converged_step[k];
            result.stop_reason[i] = r.stop_reason[k];
        }
    }
    return result;
}

}  // namespace

bool ensemble_runs_fused(const LossSurface& surface, const RunConfig& config) {
    validate_run(surface, config);
    return fused_applies(surface, config, *make_optimizer(config.optimizer, config.hyper));
}

Trajectory run_trajectory(const LossSurface& surface, const RunConfig& config, Eigen::Vector2d start,
                          const std::atomic<bool>* cancel) {
    const double sx[1] = {start.x()}, sy[1] = {start.y()};
    EnsembleOptions options;
    options.threads = 1;
    options.cancel = cancel;
    return std::move(run_recorded(surface, config, sx, sy, {}, {}, options).front());
}

std::vector<Trajectory> run_ensemble_paths(const LossSurface& surface, const RunConfig& config,
                                           std::span<const double> start_x, std::span<const double> start_y,
                                           const EnsembleOptions& options) {
    if (start_x.size() != start_y.size()) throw std::invalid_argument("start_x and start_y differ in length");
    const std::size_t n = start_x.size();
    if (!options.particle_params.empty())
        throw std::invalid_argument("recorded ensembles take per-particle learning rates and seeds, no other parameters");
    if (!options.seeds.empty() && options.seeds.size() != n)
        throw std::invalid_argument("per-particle seeds: one per particle is needed");
    validate_run(surface, config);
    const std::span<const double> lrs = options.learning_rates;
    if (!lrs.empty()) {
        if (lrs.size() != n) throw std::invalid_argument("per-particle learning rates: one per particle is needed");
        const OptimizerInfo& info = find_optimizer(config.optimizer);
        const auto lr_spec = std::find_if(info.params.begin(), info.params.end(), [](const ParamSpec& p) { return p.name == "lr"; });
        if (lr_spec == info.params.end()) throw std::invalid_argument(std::string(info.name) + " has no learning rate to sweep");
        for (double lr : lrs) validate_param(info.name, *lr_spec, lr);
        if (config.schedule.kind != ScheduleKind::Constant && config.schedule.kind != ScheduleKind::Plateau)
            throw std::invalid_argument("per-particle learning rates need the constant or plateau schedule");
    }
    limits::check_trajectory_memory(config.steps, static_cast<double>(n), "the recorded ensemble");
    return run_recorded(surface, config, start_x, start_y, lrs, options.seeds, options);
}

EnsembleResult run_ensemble(const LossSurface& surface, const RunConfig& config, std::span<const double> start_x,
                            std::span<const double> start_y, const EnsembleOptions& options) {
    return run_ensemble_with(surface, config, start_x, start_y, options, true);
}

EnsembleResult run_ensemble_generic(const LossSurface& surface, const RunConfig& config,
                                    std::span<const double> start_x, std::span<const double> start_y,
                                    const EnsembleOptions& options) {
    return run_ensemble_with(surface, config, start_x, start_y, options, false);
}

}  // namespace optiviz
