#include "core/simulation.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include "core/fused_ensemble.h"
#include "core/optimizer.h"
#include "core/vector_kernel.h"

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
    auto number = [](double v) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%g", v);
        return std::string(buffer);
    };
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
};

// Per-particle arrays of the whole ensemble.
struct EnsembleArrays {
    std::size_t n = 0;
    int state_arrays = 0;
    std::vector<double> x, y, state;  // state: [array k][coordinate c][particle]
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

// Rows recorded for a single particle (trajectories).
struct PathRecorder {
    Trajectory* trajectory;
    void record_state(const Optimizer& optimizer, const StepInfo& info, const ParticleSpan& span) const {
        const auto arrays = static_cast<std::size_t>(optimizer.state_arrays());
        const std::size_t first = trajectory->state.size();
        for (std::size_t k = 0; k < arrays; ++k) trajectory->state.push_back(span.state_x[k][0]);
        for (std::size_t k = 0; k < arrays; ++k) trajectory->state.push_back(span.state_y[k][0]);
        const double* values = trajectory->state.data() + first;
        trajectory->rate_x.push_back(optimizer.effective_rate(info, values));
        trajectory->rate_y.push_back(optimizer.effective_rate(info, values + arrays));
    }
    void record(double x, double y, double loss, double gx, double gy) const {
        trajectory->x.push_back(x);
        trajectory->y.push_back(y);
        trajectory->loss.push_back(loss);
        trajectory->gx.push_back(gx);
        trajectory->gy.push_back(gy);
    }
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

void run_chunk(const RunContext& ctx, EnsembleArrays& a, std::size_t begin, std::size_t count,
               const PathRecorder* recorder) {
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

    long t = 0;
    for (;; ++t) {
        ctx.surface->evaluate({count, x, y}, {loss, gx, gy});

        // Outcomes are judged on the full objective at row t.
        const bool record_row = recorder && running_flag[0] != 0.0 && row_is_finite(x[0], y[0], loss[0], gx[0], gy[0], bound);
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
        if (record_row) recorder->record(x[0], y[0], loss[0], gx[0], gy[0]);
        if (t == steps || running == 0) break;
        // A stale run (a cancelled job) stops within a few hundred steps, not at the end of the chunk.
        if ((t & 255) == 255 && ctx.cancel && ctx.cancel->load(std::memory_order_relaxed)) break;

        if (ctx.plan) ctx.surface->evaluate_minibatch(*ctx.plan, t, {count, x, y}, {mb_loss, gx, gy});
        if (ctx.clip_norm > 0) clip_gradients(count, gx, gy, ctx.clip_norm);
        if (ctx.weight_decay != 0.0) add_weight_decay(count, gx, gy, x, y, ctx.weight_decay);
        const StepInfo info{t + 1, ctx.lr[static_cast<std::size_t>(t)]};
        ctx.optimizer->step(info, span);
        if (recorder && running_flag[0] != 0.0) {
            const StepInfo own{info.t, lr_each ? lr_each[0] : info.lr};  // the lr this particle used
            recorder->trajectory->lr.push_back(own.lr);
            if (ctx.optimizer->evaluates_objective())
                recorder->trajectory->evaluations.push_back(ctx.optimizer->step_evaluations(span, 0));
            if (ctx.config->record_state) recorder->record_state(*ctx.optimizer, own, span);
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
}

void run_fused_chunk(const RunContext& ctx, EnsembleArrays& a, std::size_t begin, std::size_t count) {
    const FusedSetup& setup = *ctx.fused;
    fused::Chunk chunk;
    chunk.count = count;
    chunk.start_x = a.x.data() + begin;
    chunk.start_y = a.y.data() + begin;
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
    ctx.surface->run_fused(chunk);
}

void run_range(const RunContext& ctx, EnsembleArrays& a, std::size_t begin, std::size_t end,
               const PathRecorder* recorder) {
    for (std::size_t chunk = begin; chunk < end; chunk += kChunk) {
        if (ctx.cancel && ctx.cancel->load(std::memory_order_relaxed)) return;
        const std::size_t count = std::min(kChunk, end - chunk);
        if (ctx.fused) run_fused_chunk(ctx, a, chunk, count);
        else run_chunk(ctx, a, chunk, count, recorder);
        if (ctx.progress) ctx.progress->fetch_add(static_cast<long>(count), std::memory_order_relaxed);
    }
}

struct PreparedRun {
    std::unique_ptr<Optimizer> optimizer;
    std::unique_ptr<MinibatchPlan> plan;
    RunContext ctx;
};

PreparedRun prepare_run(const LossSurface& surface, const RunConfig& config, const std::atomic<bool>* cancel) {
    validate_run(surface, config);
    PreparedRun run;
    run.optimizer = make_optimizer(config.optimizer, config.hyper);
    run.optimizer->prepare(config.steps);
    if (config.batch_size > 0) run.plan = surface.plan_minibatches(config.batch_size, config.seed, config.steps);
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

}  // namespace

void validate_stop_rule(const StopRule& stop) {
    if (!(stop.loss_tol >= 0) || !std::isfinite(stop.loss_tol))
        throw std::invalid_argument("loss tolerance must be a finite number >= 0");
    if (stop.loss_patience < 1) throw std::invalid_argument("loss patience must be at least 1");
    if (!(stop.grad_tol >= 0) || !std::isfinite(stop.grad_tol))
        throw std::invalid_argument("gradient tolerance must be a finite number >= 0");
}

void validate_run(const LossSurface& surface, const RunConfig& config) {
    const OptimizerInfo& info = find_optimizer(config.optimizer);
    const ParamValues values(info.name, info.params, config.hyper);
    if (config.steps < 0) throw std::invalid_argument("steps must be >= 0, got " + std::to_string(config.steps));
    validate_stop_rule(config.stop);
    if (!(config.clip_norm >= 0) || !std::isfinite(config.clip_norm))
        throw std::invalid_argument("clip norm must be a finite number >= 0");
    if (config.batch_size > 0 && !surface.supports_minibatches())
        throw std::invalid_argument("surface '" + std::string(surface.name()) +
                                    "' has no data, so it has no mini-batches (batch size needs --surface mse or logistic)");
    validate_schedule(config.schedule);
    const auto optimizer = info.make(values);  // cross-parameter checks (nesterov needs momentum)
    if (optimizer->evaluates_objective() && (config.batch_size > 0 || config.clip_norm > 0))
        throw std::invalid_argument(std::string(info.name) +
                                    " evaluates the full objective itself (line search): no mini-batches or clipping");
}

Trajectory run_trajectory(const LossSurface& surface, const RunConfig& config, Eigen::Vector2d start,
                          const std::atomic<bool>* cancel) {
    PreparedRun run = prepare_run(surface, config, cancel);
    const double sx[1] = {start.x()}, sy[1] = {start.y()};
    EnsembleArrays a = make_arrays(1, run.optimizer->state_arrays(), sx, sy);
    start_plateau(run, config, a);
    Trajectory trajectory;
    const auto rows = static_cast<std::size_t>(config.steps) + 1;
    for (auto* column : {&trajectory.x, &trajectory.y, &trajectory.loss, &trajectory.gx, &trajectory.gy})
        column->reserve(rows);
    if (config.record_state) {
        trajectory.state_names = run.optimizer->state_names();
        trajectory.direction_state = run.optimizer->direction_state();
        trajectory.direction_is_descent = run.optimizer->direction_is_descent();
    }
    const PathRecorder recorder{&trajectory};
    run_range(run.ctx, a, 0, 1, &recorder);
    if (cancel && cancel->load()) throw std::runtime_error("cancelled");
    // A step recorded for a row that then turned out not finite (divergence) is dropped.
    if (trajectory.size() > 0 && trajectory.lr.size() >= trajectory.size()) trajectory.lr.resize(trajectory.size() - 1);
    if (trajectory.size() > 0 && trajectory.evaluations.size() >= trajectory.size())
        trajectory.evaluations.resize(trajectory.size() - 1);
    if (config.record_state && trajectory.size() > 0) {
        const std::size_t steps = trajectory.size() - 1, per_step = 2 * trajectory.state_names.size();
        if (trajectory.rate_x.size() > steps) {
            trajectory.rate_x.resize(steps);
            trajectory.rate_y.resize(steps);
            trajectory.state.resize(steps * per_step);
        }
    }
    trajectory.outcome = a.result.outcome[0];
    trajectory.converged_step = a.result.converged_step[0];
    trajectory.stop_reason = a.result.stop_reason[0];
    const bool rule_stopped = trajectory.stop_reason == StopReason::LossChange ||
                              (trajectory.stop_reason == StopReason::GradientNorm && config.stop.stop_at_convergence);
    if (trajectory.outcome == Outcome::Converged && rule_stopped) trajectory.stopped_step = a.result.last_step[0];
    if (trajectory.outcome == Outcome::Diverged) trajectory.diverged_step = a.result.last_step[0] + 1;
    return trajectory;
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

// Runs every chunk, on `options.threads` threads.
void run_all(const RunContext& ctx, EnsembleArrays& a, const EnsembleOptions& options) {
    const std::size_t n = a.n;
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    std::size_t threads = options.threads > 0 ? static_cast<std::size_t>(options.threads)
                                              : std::max(1u, std::thread::hardware_concurrency());
    threads = std::max<std::size_t>(1, std::min(threads, chunks));
    if (threads == 1) {
        run_range(ctx, a, 0, n, nullptr);
        return;
    }
    // Particles are independent, so each thread runs all steps of its own contiguous chunks. A
    // failure on a worker (an allocation, say) is carried to the caller, never std::terminate.
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> failures(threads);
    const std::size_t per_thread = (chunks + threads - 1) / threads;
    for (std::size_t w = 1; w < threads; ++w) {
        const std::size_t begin = std::min(n, w * per_thread * kChunk);
        const std::size_t end = std::min(n, (w + 1) * per_thread * kChunk);
        workers.emplace_back([&, w, begin, end] {
            try {
                run_range(ctx, a, begin, end, nullptr);
            } catch (...) {
                failures[w] = std::current_exception();
            }
        });
    }
    try {
        run_range(ctx, a, 0, std::min(n, per_thread * kChunk), nullptr);
    } catch (...) {
        failures[0] = std::current_exception();
    }
    for (auto& worker : workers) worker.join();
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
}

// Per-particle values of the hyperparameters other than lr, as variants: the distinct tuples and
// which one each particle uses.
struct Variants {
    std::vector<std::string> names;
    std::vector<std::vector<double>> values;  // [variant][name]
    std::vector<std::uint32_t> of;            // [particle]
    bool has_flag = false;                    // a switch differs between particles

    RunConfig config_of(const RunConfig& base, std::size_t v) const {
        RunConfig config = base;
        for (std::size_t k = 0; k < names.size(); ++k) config.hyper[names[k]] = values[v][k];
        return config;
    }
};

// One batch: every particle shares the config but its lr (lrs) and its variant (variants, or null).
EnsembleResult run_batch(const LossSurface& surface, const RunConfig& config, std::span<const double> start_x,
                         std::span<const double> start_y, const EnsembleOptions& options, std::span<const double> lrs,
                         const Variants* variants, bool allow_fused) {
    PreparedRun run = prepare_run(surface, config, options.cancel);
    run.ctx.progress = options.progress;
    const std::size_t n = start_x.size();
    const bool fused = allow_fused && fused_applies(surface, config, *run.optimizer);
    if (variants && !fused) throw std::logic_error("per-particle variants need the fused path");
    EnsembleArrays a = make_arrays(n, fused ? 0 : run.optimizer->state_arrays(), start_x, start_y);
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
            ParamOverrides hyper = config.hyper;  // one map, updated per variant (a sweep line has hundreds)
            for (std::size_t v = 0; v < variants->values.size(); ++v) {
                for (std::size_t k = 0; k < variants->names.size(); ++k) hyper[variants->names[k]] = variants->values[v][k];
                setup.optimizers.push_back(make_optimizer(config.optimizer, hyper));  // cross-checks too
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
        for (double v : p.values) validate_param(info.name, *spec, v);
        others.push_back(&p);
    }
    if (lr_given) {
        if (lrs.size() != n) throw std::invalid_argument("per-particle learning rates: one per particle is needed");
        const ParamSpec* lr_spec = spec_of("lr");
        if (!lr_spec) throw std::invalid_argument(std::string(info.name) + " has no learning rate to sweep");
        for (double lr : lrs) validate_param(info.name, *lr_spec, lr);
    }
    if (others.empty()) return run_batch(surface, config, start_x, start_y, options, lrs, nullptr, allow_fused);

    Variants variants;
    std::map<std::vector<double>, std::uint32_t> index;
    variants.of.resize(n);
    for (const ParticleParam* p : others) {
        variants.names.push_back(p->name);
        variants.has_flag = variants.has_flag || spec_of(p->name)->kind == ParamKind::Flag;
    }
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> key;
        for (const ParticleParam* p : others) key.push_back(p->values[i]);
        const auto [it, added] = index.emplace(key, static_cast<std::uint32_t>(variants.values.size()));
        if (added) variants.values.push_back(std::move(key));
        variants.of[i] = it->second;
    }
    const RunConfig first = variants.config_of(config, 0);
    validate_run(surface, first);
    const bool fused = allow_fused && !variants.has_flag && fused_applies(surface, first, *make_optimizer(first.optimizer, first.hyper));
    if (fused) return run_batch(surface, first, start_x, start_y, options, lrs, &variants, true);

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
    std::vector<std::vector<std::size_t>> members(variants.values.size());
    for (std::size_t i = 0; i < n; ++i) members[variants.of[i]].push_back(i);
    for (std::size_t v = 0; v < members.size(); ++v) {
        std::vector<double> xs, ys, group_lrs;
        for (std::size_t i : members[v]) {
            xs.push_back(start_x[i]);
            ys.push_back(start_y[i]);
            if (lr_given) group_lrs.push_back(lrs[i]);
        }
        const EnsembleResult r =
            run_batch(surface, variants.config_of(config, v), xs, ys, options, group_lrs, nullptr, allow_fused);
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
