// Tuning: search a run's learning rate (a log grid, then refinement around the best value), and
// optionally one more hyperparameter, on one surface with a fixed step budget, judging each setting
// by K particles and an objective. Tuning every run with the same budget, starts and objective
// makes a fair race ("is Adam better here, or just better tuned?").
//
// The K particles of a setting: particle 0 is the run itself (its start, its mini-batch seed);
// particle k >= 1 is the run's cloud particle k − 1 (core/analysis/particle_cloud.h): start
// start + spread·(u, v) with standard normal draws that depend only on k, and mini-batch seed
// seed + k. So tuning is deterministic, and the particles are the ones the window's cloud draws.
// Sweep and basin maps with several starts per cell (core/analysis/sweep.h MultiStart) use these particles
// too, and tune_score's median and worst are theirs (aggregate_metric).
#pragma once

#include <atomic>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/optimizers/simulation.h"
#include "core/analysis/sweep.h"

namespace optiviz {

// How a setting's K particles are judged; lower is better.
enum class TuneObjective {
    MedianLoss,  // the median final loss (a diverged particle counts as +inf)
    WorstLoss,   // the largest final loss (+inf if any particle diverged)
    Steps,       // the median step at which the stop rule's convergence test was met (+inf: never)
    Distance,    // the median distance from the final point to the nearest known minimum
};
TuneObjective parse_tune_objective(const std::string& name);  // median-loss | worst-loss | steps | distance
std::string_view tune_objective_name(TuneObjective objective);

// What the search ranks by. By default a setting where some particle diverged never ranks above one
// where none did: settings are ranked by their diverged particles first, then by the objective (a
// low median loss with 7 of 16 starts diverged is a risk, not a recommendation). `allow_diverged`
// ranks by the objective alone; the user asks for it by name ("median-loss-allow-diverged").
struct TuneGoal {
    TuneObjective objective = TuneObjective::MedianLoss;
    bool allow_diverged = false;
    bool operator==(const TuneGoal&) const = default;
};
inline constexpr std::string_view kAllowDivergedSuffix = "-allow-diverged";
// An objective's name, optionally followed by "-allow-diverged". Throws std::invalid_argument.
TuneGoal parse_tune_goal(const std::string& name);
std::string tune_goal_name(const TuneGoal& goal);  // "median-loss" or "median-loss-allow-diverged"

struct TuneRequest {
    RunConfig base;                  // base.steps is the budget; every parameter not tuned keeps its value
    Eigen::Vector2d start{0, 0};
    int starts = 16;                 // K particles per setting, 1 .. limits::kMaxTuneStarts
    double spread = 0.1;             // standard deviation of the start jitter (parameter units), >= 0
    TuneObjective objective = TuneObjective::MedianLoss;
    bool allow_diverged = false;     // rank by the objective alone (see TuneGoal)
    SweepAxis lr{"lr", 1e-5, 10.0, true, 25};  // the learning rates tried first (param must be "lr")
    // Each refinement round tries `refine_count` new learning rates, log-spaced strictly between the
    // best one so far and its nearest tried neighbours, half on each side (all on the one side with a
    // neighbour at an end of the grid). 0 rounds: the grid alone.
    int refine_rounds = 2;           // 0 .. 8
    int refine_count = 8;            // 2 .. 64
    std::optional<SweepAxis> second; // one more parameter: every lr of the grid at each of its values;
                                     // the refinement then runs at the best value of it
};

// The request's default learning-rate grid for an optimizer: its lr slider range (the registry's
// ui_min .. ui_max), kDefaultLrGridCount log-spaced values (the same count for every optimizer, so
// tuning them all costs each the same number of settings: four per decade over 1e-5 .. 10).
inline constexpr int kDefaultLrGridCount = 25;
SweepAxis default_lr_grid(const std::string& optimizer);
// A second parameter's default grid: its slider range, on its slider's scale, `count` values.
SweepAxis default_param_grid(const std::string& optimizer, const std::string& param, int count = 5);

// One setting tried and how its particles did.
struct TuneCandidate {
    double lr = 0;
    double second = 0;        // the second parameter's value (0 without one)
    int round = 0;            // 0: the grid; r >= 1: refinement round r
    double score = 0;         // the objective (+inf: no particle gave it a value)
    double median_loss = 0;   // over the particles (+inf if more than half diverged)
    int diverged = 0;         // particles that diverged
    int converged = 0;        // particles that met the convergence test
};

// True when `a` ranks above (is better than) `b`. Without `allow_diverged`: fewer diverged particles
// first; then the lower score (+inf scores equal); then the lower median loss (so among settings
// without a score the least bad leads); then the smaller lr, then the smaller second value (the more
// cautious of equals). A strict weak order that depends on the settings only, never on the order
// they were tried in, so ties are broken the same way every time.
bool tune_ranks_above(const TuneCandidate& a, const TuneCandidate& b, bool allow_diverged);
// The index of the top-ranked candidate; none for an empty list.
std::optional<std::size_t> pick_best(std::span<const TuneCandidate> candidates, bool allow_diverged);

struct TuneResult {
    std::string optimizer;
    std::string second_param;            // empty without one
    TuneObjective objective = TuneObjective::MedianLoss;
    bool allow_diverged = false;
    long budget = 0;
    int starts = 0;
    std::vector<TuneCandidate> tried;    // in the order tried: the grid (lr fastest), then refinements
    std::optional<std::size_t> best;     // the top-ranked setting (pick_best); none only if nothing was tried

    TuneGoal goal() const { return {objective, allow_diverged}; }
    // The best setting has a finite score: it is worth applying.
    bool best_has_score() const;
    // Particles that diverged at the best setting (0 without one).
    int best_diverged() const;
    // Every setting tried had at least one diverged particle: the best is only the least bad.
    bool every_setting_diverged() const;
    // The best setting as hyperparameter overrides (lr and the second parameter); empty unless
    // best_has_score().
    ParamOverrides best_hyper() const;
};

// The K particles' starts (particle 0 at `start`, see the top of this file).
std::vector<Eigen::Vector2d> tune_starts(Eigen::Vector2d start, int count, double spread);

// The objective of one setting from its particles' outcomes. Throws std::invalid_argument for
// Distance on a surface with no known minimum.
double tune_score(std::span<const CellResult> particles, TuneObjective objective,
                  const std::vector<Eigen::Vector2d>& minima);

// Particles the whole search runs (for progress bars): settings × K (fewer if refinement stops early).
long tune_particles(const TuneRequest& request);

struct TuneOptions {
    int threads = 0;                             // 0: every hardware thread
    const std::atomic<bool>* cancel = nullptr;   // set to true to stop: the call throws "cancelled"
    std::atomic<long>* progress = nullptr;       // advanced by the particles finished
};

// Runs the search. Throws std::invalid_argument with one line for a bad request (an lr grid outside
// the optimizer's valid range, an unknown second parameter, K or the budget out of range, Distance
// without known minima), std::runtime_error("cancelled") when cancelled.
TuneResult run_tune(const LossSurface& surface, const TuneRequest& request, const TuneOptions& options = {});

// A second hyperparameter's value for each setting (values.size() = the number of settings).
struct SecondValues {
    std::string param;
    std::span<const double> values;
};

// Evaluates settings that differ in their learning rate and, with `second`, one more
// hyperparameter: for setting c (learning_rates[c], second->values[c]), K particles of `config`
// (particle k as at the top of this file) and their outcomes, [setting][particle]. With the constant
// or plateau schedule, all settings × particles without mini-batches run as one batched ensemble
// (the second value per particle, EnsembleOptions::particle_params), one per particle seed with
// mini-batches; other schedules run one ensemble per setting. Throws like run_ensemble.
std::vector<std::vector<CellResult>> evaluate_learning_rates(const LossSurface& surface, const RunConfig& config,
                                                             std::span<const Eigen::Vector2d> starts,
                                                             std::span<const double> learning_rates,
                                                             const TuneOptions& options = {},
                                                             const SecondValues* second = nullptr);

}  // namespace optiviz
