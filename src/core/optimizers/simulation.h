// Runs optimizers on a surface: one trajectory, or an ensemble of independent particles, through
// one batched code path.
//
// Step semantics (as torch): row k of a trajectory is the point after k steps; its loss and
// gradient are the full objective's at that point. Step k+1 uses the gradient at row k:
//   gradient (mini-batch if batch_size > 0) → clip by norm → coupled weight decay → optimizer step.
// A trajectory never holds NaN or inf: when a point, its loss or its gradient stops being finite,
// or |x| or |y| exceeds the divergence bound, the run has diverged at that step and keeps its last
// finite row.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/optimizers/lr_schedule.h"
#include "core/scene/param_spec.h"
#include "core/runtime/worker_pool.h"

namespace optiviz {

struct StopRule {
    double grad_tol = 1e-8;           // converged when ‖∇f‖ <= grad_tol (0 disables)
    // The loss-change rule: the run stops at step k once |f_j − f_{j−1}| < loss_tol for
    // loss_patience consecutive steps j ending at k (loss_tol 0 disables).
    double loss_tol = 0.0;
    long loss_patience = 1;           // >= 1
    double divergence_bound = 1e8;    // diverged when |x| or |y| exceeds it
    bool stop_at_convergence = false; // gradient rule: false keeps stepping and only records the step
    bool operator==(const StopRule&) const = default;
};

// Which rule ended (or, for the gradient rule without stop_at_convergence, marked) a run.
enum class StopReason : std::uint8_t {
    None,          // the step budget, or divergence
    GradientNorm,  // ‖∇f‖ <= grad_tol
    LossChange,    // the loss changed by less than loss_tol for loss_patience steps
};

enum class Outcome : std::uint8_t {
    MaxSteps,   // ran all requested steps without meeting the convergence test
    Converged,  // met the convergence test at converged_step (and may have kept stepping)
    Diverged,   // left the finite numbers at diverged_step; rows end at diverged_step − 1
};

std::string_view outcome_name(Outcome outcome);

struct RunConfig {
    std::string optimizer = "sgd";
    ParamOverrides hyper;              // validated against the optimizer's table
    LrSchedule schedule;
    double clip_norm = 0.0;            // > 0: clip each particle's gradient to this norm
    std::size_t batch_size = 0;        // 0: full batch; else mini-batches (data-driven surfaces only)
    std::uint64_t seed = 0;            // mini-batch shuffling
    long steps = 100;                  // >= 0
    StopRule stop;
    bool record_state = false;         // trajectories also keep the optimizer's state (teaching views)
    // Results are keyed by whole configurations: equal configurations give equal results.
    bool operator==(const RunConfig&) const = default;
};

// Throws std::invalid_argument with one line for anything run_* would reject (unknown optimizer or
// hyperparameter, out-of-range value, negative steps or clip norm, mini-batches on an analytic
// surface).
void validate_run(const LossSurface& surface, const RunConfig& config);
// The same checks without a surface (what every run of `config` needs, whatever it runs on): the
// model trainer's (core/models/training.h) and validate_run's.
void validate_run_settings(const RunConfig& config);
// Throws std::invalid_argument with one line for a negative or non-finite tolerance or patience < 1.
void validate_stop_rule(const StopRule& stop);

struct Trajectory {
    std::vector<double> x, y, loss, gx, gy;  // rows 0 .. size()-1, all finite
    Outcome outcome = Outcome::MaxSteps;
    long converged_step = -1;  // first step meeting the convergence test, or -1
    long diverged_step = -1;   // step at which the run left the finite numbers, or -1
    StopReason stop_reason = StopReason::None;
    long stopped_step = -1;    // step at which a stopping rule ended the run (its last row), or -1

    // With RunConfig::record_state, for every step k → k+1 (k = 0 .. size()-2): the optimizer's
    // state after that step (state_arrays() values for x, then for y, per step) and the effective
    // per-coordinate learning rates it applied (Optimizer::effective_rate).
    std::vector<std::string_view> state_names;
    std::vector<double> state;
    std::vector<double> rate_x, rate_y;
    // With record_state: the state array that is the optimizer's direction (Optimizer::direction_state),
    // or -1, and whether it points downhill (L-BFGS's d) rather than uphill like a gradient.
    int direction_state = -1;
    bool direction_is_descent = false;
    // The learning rate each step k → k+1 used (after the schedule), one per step taken.
    std::vector<double> lr;
    // For optimizers that evaluate the objective themselves (L-BFGS): evaluations per step,
    // counting the step's first one at its row as torch's func_evals does. Empty otherwise.
    std::vector<long> evaluations;

    std::size_t size() const { return x.size(); }
    // State array `index` (by state_names) after step k → k+1, for the x and y coordinates.
    double state_at(std::size_t k, std::size_t index, int coordinate) const {
        const std::size_t per_step = 2 * state_names.size();
        return state[k * per_step + static_cast<std::size_t>(coordinate) * state_names.size() + index];
    }
    bool has_direction() const { return direction_state >= 0; }
    // The direction state after step k → k+1, oriented like a gradient (the step moves against it).
    double direction_at(std::size_t k, int coordinate) const {
        const double v = state_at(k, static_cast<std::size_t>(direction_state), coordinate);
        return direction_is_descent ? -v : v;
    }
    // How a legend names −direction_at: "-exp_avg", or "d" for a descent direction.
    std::string direction_label() const {
        const std::string name(state_names[static_cast<std::size_t>(direction_state)]);
        return direction_is_descent ? name : "-" + name;
    }
};

// With `cancel`, the run checks the flag every few hundred steps and throws std::runtime_error("cancelled")
// once it is set, so a stale run stops within milliseconds.
Trajectory run_trajectory(const LossSurface& surface, const RunConfig& config, Eigen::Vector2d start,
                          const std::atomic<bool>* cancel = nullptr);

// One optimizer hyperparameter given per particle (sweeps over any parameter): `values` holds one
// value per particle, each checked against the optimizer's table.
struct ParticleParam {
    std::string name;
    std::span<const double> values;
};

struct EnsembleOptions {
    int threads = 0;                          // 0: all of the shared pool's workers; 1: the calling thread only
    // Where the work queues in the shared WorkerPool (what the user is looking at first); unset:
    // the priority of the pool work that calls it.
    std::optional<Priority> priority = std::nullopt;
    const std::atomic<bool>* cancel = nullptr;  // when set to true, the run stops early and throws
    std::atomic<long>* progress = nullptr;      // when set, advanced by the particles finished (real progress)
    // Optional: one learning rate per particle, replacing the config's lr (sweeps over lr). Only with
    // the constant schedule; each particle then matches a run of its own lr exactly.
    std::span<const double> learning_rates = {};
    // Optional: per-particle values of other hyperparameters (lr is also accepted here, with the
    // same rules as learning_rates, which must then be empty). Particle i matches a run of the
    // config with its own values exactly. Real and integer parameters run in one batch; switches
    // (flags such as amsgrad) given per particle run as one batch per distinct setting.
    std::span<const ParticleParam> particle_params = {};
    // Optional: one mini-batch seed per particle, replacing config.seed (particle clouds). Particle
    // i then matches a run of the config with seed seeds[i] exactly. Only mini-batch runs read it;
    // each particle's batch plan exists only while its chunk (256 particles here, 16 recorded) runs.
    std::span<const std::uint64_t> seeds = {};
};

// Final state of every particle (arrays of the ensemble's size).
struct EnsembleResult {
    std::vector<double> x, y, loss;  // last finite point and its loss
    std::vector<long> last_step;     // step index of that point
    std::vector<Outcome> outcome;
    std::vector<long> converged_step;  // -1 if never
    std::vector<StopReason> stop_reason;
};

// One line saying how a run ended: "stopped at step 12 (loss change < 1e-06)", "converged at step
// 40 (gradient norm <= 1e-08)", "diverged at step 7", or "" after the full step budget.
std::string describe_stop(const Trajectory& trajectory, const StopRule& rule);

// Analytic surfaces run through the fused kernel (core/optimizers/fused_ensemble.h: one pass per step,
// bit-identical to the generic path) for every optimizer but L-BFGS and Rprop, unless the run uses
// the plateau schedule or the loss-change rule; everything else takes the generic path (one pass
// per stage). Throws std::runtime_error("cancelled") if options.cancel became true (no partial
// result escapes).
EnsembleResult run_ensemble(const LossSurface& surface, const RunConfig& config, std::span<const double> start_x,
                            std::span<const double> start_y, const EnsembleOptions& options = {});

// The ensemble with every particle's whole path recorded (the generic path, all the stages above:
// mini-batches with options.seeds, schedules, clipping, stop rules, record_state): element i equals
// run_trajectory(surface, config with seed options.seeds[i] and lr options.learning_rates[i] where
// given, (start_x[i], start_y[i])) bit for bit, rows, lr, state and outcome. Runs on options.threads
// threads like run_ensemble; options.progress counts finished particles; cancellation as
// run_ensemble. options.particle_params must be empty (learning_rates is accepted).
//
// Memory: the result holds n × (steps + 1) rows (x, y, loss, gx, gy; lr per step; the state with
// record_state), reserved up front. Throws std::invalid_argument (limits::check_trajectory_memory)
// when n × (steps + 1) points exceed limits::kTrajectoryBudgetBytes (1 GiB), before any work. With
// mini-batches and per-particle seeds, each particle's batch plan (an MSE plan: 7 doubles per step;
// a logistic one: batch_size row indices per step) exists only while its chunk of 16 particles runs:
// at most threads × 16 plans at once.
std::vector<Trajectory> run_ensemble_paths(const LossSurface& surface, const RunConfig& config,
                                           std::span<const double> start_x, std::span<const double> start_y,
                                           const EnsembleOptions& options = {});

// Which path run_ensemble takes for this surface and configuration (per-particle switches aside):
// true for the fused kernel. For tests and benchmarks.
bool ensemble_runs_fused(const LossSurface& surface, const RunConfig& config);

// The generic path only, for tests that compare the two paths bit for bit.
EnsembleResult run_ensemble_generic(const LossSurface& surface, const RunConfig& config,
                                    std::span<const double> start_x, std::span<const double> start_y,
                                    const EnsembleOptions& options = {});

}  // namespace optiviz
