#include "core/analysis/tune.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/io/limits.h"
#include "core/optimizers/lr_schedule.h"
#include "core/optimizers/optimizer.h"
#include "core/analysis/particle_cloud.h"

namespace optiviz {

namespace {


// Callers copy the spec: gcc 14 -Wdangling-reference takes a reference bound to the result of a call
// with a temporary std::string argument for a dangling one.
const ParamSpec& param_spec(const std::string& optimizer, const std::string& name) {
    const OptimizerInfo& info = find_optimizer(optimizer);
    for (const ParamSpec& spec : info.params)
        if (spec.name == name) return spec;
    throw std::invalid_argument(std::string(info.name) + " has no parameter '" + name + "'");
}

CellResult particle_outcome(const EnsembleResult& r, std::size_t i) {
    CellResult c;
    c.x = r.x[i];
    c.y = r.y[i];
    c.loss = r.loss[i];
    c.last_step = r.last_step[i];
    c.converged_step = r.converged_step[i];
    c.outcome = r.outcome[i];
    return c;
}

TuneCandidate summarize(double lr, double second, int round, std::span<const CellResult> particles,
                        TuneObjective objective, const std::vector<Eigen::Vector2d>& minima) {
    TuneCandidate c;
    c.lr = lr;
    c.second = second;
    c.round = round;
    c.score = tune_score(particles, objective, minima);
    c.diverged = diverged_count(particles);
    c.converged = converged_count(particles);
    c.median_loss = aggregate_metric(particles, SweepMetric::FinalLoss, Aggregate::Median, minima);
    return c;
}

// `count` learning rates strictly between a and b (0 < a < b), log-spaced: a·(b/a)^(j/(count+1)).
void add_between(double a, double b, int count, std::vector<double>& out) {
    for (int j = 1; j <= count; ++j) {
        const double v = a * std::pow(b / a, static_cast<double>(j) / (count + 1));
        if (v > a && v < b) out.push_back(v);  // neighbours too close to split give nothing
    }
}

// A refinement round around the best lr: `count` new values between it and its nearest tried
// neighbours (at the same value of the second parameter), half on each side, or all on the one side
// with a neighbour at an end of the grid. Empty when there is no room left.
std::vector<double> refinement(const std::vector<TuneCandidate>& tried, const TuneCandidate& best, int count) {
    std::optional<double> below, above;
    for (const TuneCandidate& c : tried) {
        if (c.second != best.second) continue;
        if (c.lr < best.lr && (!below || c.lr > *below)) below = c.lr;
        if (c.lr > best.lr && (!above || c.lr < *above)) above = c.lr;
    }
    std::vector<double> values;
    const int lower = below && above ? count / 2 : below ? count : 0;
    if (below) add_between(*below, best.lr, lower, values);
    if (above) add_between(best.lr, *above, count - lower, values);
    return values;
}

}  // namespace

TuneObjective parse_tune_objective(const std::string& name) {
    if (name == "median-loss") return TuneObjective::MedianLoss;
    if (name == "worst-loss") return TuneObjective::WorstLoss;
    if (name == "steps") return TuneObjective::Steps;
    if (name == "distance") return TuneObjective::Distance;
    throw std::invalid_argument("unknown objective '" + name + "' (known: median-loss, worst-loss, steps, distance)");
}

TuneGoal parse_tune_goal(const std::string& name) {
    const std::size_t n = name.size(), k = kAllowDivergedSuffix.size();
    if (n > k && std::string_view(name).substr(n - k) == kAllowDivergedSuffix)
        return TuneGoal{parse_tune_objective(name.substr(0, n - k)), true};
    try {
        return TuneGoal{parse_tune_objective(name), false};
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument("unknown objective '" + name +
                                    "' (known: median-loss, worst-loss, steps, distance, each optionally followed by " +
                                    std::string(kAllowDivergedSuffix) + ")");
    }
}

std::string tune_goal_name(const TuneGoal& goal) {
    std::string name(tune_objective_name(goal.objective));
    if (goal.allow_diverged) name += kAllowDivergedSuffix;
    return name;
}

namespace {

// NaN never wins a comparison: it ranks as +inf.
double rank_value(double v) { return std::isnan(v) ? std::numeric_limits<double>::infinity() : v; }

}  // namespace

bool tune_ranks_above(const TuneCandidate& a, const TuneCandidate& b, bool allow_diverged) {
    if (!allow_diverged && a.diverged != b.diverged) return a.diverged < b.diverged;
    const double sa = rank_value(a.score), sb = rank_value(b.score);
    if (sa != sb) return sa < sb;
    const double ma = rank_value(a.median_loss), mb = rank_value(b.median_loss);
    if (ma != mb) return ma < mb;
    if (a.lr != b.lr) return a.lr < b.lr;
    return a.second < b.second;
}

std::optional<std::size_t> pick_best(std::span<const TuneCandidate> candidates, bool allow_diverged) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (!best || tune_ranks_above(candidates[i], candidates[*best], allow_diverged)) best = i;
    return best;
}

std::string_view tune_objective_name(TuneObjective objective) {
    switch (objective) {
        case TuneObjective::MedianLoss: return "median-loss";
        case TuneObjective::WorstLoss: return "worst-loss";
        case TuneObjective::Steps: return "steps";
        case TuneObjective::Distance: return "distance";
    }
    return "median-loss";
}

SweepAxis default_lr_grid(const std::string& optimizer) {
    const ParamSpec spec = param_spec(optimizer, "lr");
    return SweepAxis{"lr", spec.ui_min, spec.ui_max, true, kDefaultLrGridCount};
}

SweepAxis default_param_grid(const std::string& optimizer, const std::string& param, int count) {
    const ParamSpec& spec = param_spec(optimizer, param);
    if (spec.kind == ParamKind::Flag) return SweepAxis{param, 0.0, 1.0, false, 2};
    return SweepAxis{param, spec.ui_min, spec.ui_max, spec.log_scale, count};
}

bool TuneResult::best_has_score() const { return best && std::isfinite(tried[*best].score); }

int TuneResult::best_diverged() const { return best ? tried[*best].diverged : 0; }

bool TuneResult::every_setting_diverged() const {
    return !tried.empty() && std::all_of(tried.begin(), tried.end(), [](const TuneCandidate& c) { return c.diverged > 0; });
}

ParamOverrides TuneResult::best_hyper() const {
    ParamOverrides hyper;
    if (!best_has_score()) return hyper;
    hyper["lr"] = tried[*best].lr;
    if (!second_param.empty()) hyper[second_param] = tried[*best].second;
    return hyper;
}

std::vector<Eigen::Vector2d> tune_starts(Eigen::Vector2d start, int count, double spread) {
    if (count < 1 || count > limits::kMaxTuneStarts)
        throw std::invalid_argument("starts must be from 1 to " + std::to_string(limits::kMaxTuneStarts));
    std::vector<Eigen::Vector2d> starts{start};
    const auto cloud = cloud_starts(start, count - 1, spread);
    starts.insert(starts.end(), cloud.begin(), cloud.end());
    return starts;
}

double tune_score(std::span<const CellResult> particles, TuneObjective objective,
                  const std::vector<Eigen::Vector2d>& minima) {
    if (objective == TuneObjective::Distance && minima.empty())
        throw std::invalid_argument("the distance objective needs a surface with a known minimum");
    const SweepMetric metric = objective == TuneObjective::Steps      ? SweepMetric::Steps
                               : objective == TuneObjective::Distance ? SweepMetric::Distance
                                                                      : SweepMetric::FinalLoss;
    // The same median and worst as the sweep and basin maps' (core/analysis/sweep.h).
    return aggregate_metric(particles, metric, objective == TuneObjective::WorstLoss ? Aggregate::Worst : Aggregate::Median,
                            minima);
}

long tune_particles(const TuneRequest& request) {
    const long second = request.second ? request.second->count : 1;
    return (static_cast<long>(request.lr.count) * second + static_cast<long>(request.refine_rounds) * request.refine_count) *
           request.starts;
}

std::vector<std::vector<CellResult>> evaluate_learning_rates(const LossSurface& surface, const RunConfig& config,
                                                             std::span<const Eigen::Vector2d> starts,
                                                             std::span<const double> learning_rates,
                                                             const TuneOptions& options, const SecondValues* second) {
    const std::size_t lrs = learning_rates.size(), k_count = starts.size();
    if (second && second->values.size() != lrs) throw std::logic_error("one second value per setting");
    std::vector<std::vector<CellResult>> out(lrs, std::vector<CellResult>(k_count));
    EnsembleOptions ensemble;
    ensemble.threads = options.threads;
    ensemble.cancel = options.cancel;
    ensemble.progress = options.progress;
    const bool per_particle_lr =
        config.schedule.kind == ScheduleKind::Constant || config.schedule.kind == ScheduleKind::Plateau;
    if (per_particle_lr && config.batch_size == 0) {
        // Everything in one ensemble: particle (lr c, start k) at index c·K + k.
        std::vector<double> sx, sy, lr, other;
        for (std::size_t c = 0; c < lrs; ++c)
            for (const Eigen::Vector2d& s : starts) {
                sx.push_back(s.x());
                sy.push_back(s.y());
                lr.push_back(learning_rates[c]);
                if (second) other.push_back(second->values[c]);
            }
        RunConfig run = config;
        run.hyper["lr"] = learning_rates.empty() ? 1.0 : learning_rates[0];
        if (second && lrs > 0) run.hyper[second->param] = second->values[0];
        ensemble.learning_rates = lr;
        const ParticleParam params[1] = {{second ? second->param : std::string(), other}};
        if (second) ensemble.particle_params = params;
        const EnsembleResult r = run_ensemble(surface, run, sx, sy, ensemble);
        for (std::size_t c = 0; c < lrs; ++c)
            for (std::size_t k = 0; k < k_count; ++k) out[c][k] = particle_outcome(r, c * k_count + k);
        return out;
    }
    if (per_particle_lr) {
        // Mini-batches: a seed per particle, so one ensemble per particle k over every lr.
        for (std::size_t k = 0; k < k_count; ++k) {
            RunConfig run = config;
            run.seed = config.seed + k;
            run.hyper["lr"] = learning_rates.empty() ? 1.0 : learning_rates[0];
            if (second && lrs > 0) run.hyper[second->param] = second->values[0];
            const std::vector<double> sx(lrs, starts[k].x()), sy(lrs, starts[k].y());
            ensemble.learning_rates = learning_rates;
            const ParticleParam params[1] = {{second ? second->param : std::string(), second ? second->values : std::span<const double>()}};
            if (second) ensemble.particle_params = params;
            const EnsembleResult r = run_ensemble(surface, run, sx, sy, ensemble);
            for (std::size_t c = 0; c < lrs; ++c) out[c][k] = particle_outcome(r, c);
        }
        return out;
    }
    // Schedules that scale the lr per step share one table per run: one ensemble per lr (and seed).
    for (std::size_t c = 0; c < lrs; ++c) {
        RunConfig run = config;
        run.hyper["lr"] = learning_rates[c];
        if (second) run.hyper[second->param] = second->values[c];
        if (config.batch_size == 0) {
            std::vector<double> sx, sy;
            for (const Eigen::Vector2d& s : starts) {
                sx.push_back(s.x());
                sy.push_back(s.y());
            }
            const EnsembleResult r = run_ensemble(surface, run, sx, sy, ensemble);
            for (std::size_t k = 0; k < k_count; ++k) out[c][k] = particle_outcome(r, k);
            continue;
        }
        for (std::size_t k = 0; k < k_count; ++k) {
            run.seed = config.seed + k;
            const double sx[1] = {starts[k].x()}, sy[1] = {starts[k].y()};
            const EnsembleResult r = run_ensemble(surface, run, sx, sy, ensemble);
            out[c][k] = particle_outcome(r, 0);
        }
    }
    return out;
}

TuneResult run_tune(const LossSurface& surface, const TuneRequest& request, const TuneOptions& options) {
    if (request.lr.param != "lr") throw std::invalid_argument("the tuned grid must be over lr");
    validate_sweep_axis(request.lr, "the lr grid");
    if (!request.lr.log) throw std::invalid_argument("the lr grid must be log-spaced");
    if (request.refine_rounds < 0 || request.refine_rounds > 8)
        throw std::invalid_argument("refinement rounds must be from 0 to 8");
    if (request.refine_count < 2 || request.refine_count > 64)
        throw std::invalid_argument("refinement values must be from 2 to 64");
    if (request.base.steps < 1 || request.base.steps > limits::kMaxSteps)
        throw std::invalid_argument("the budget must be from 1 to " + std::to_string(limits::kMaxSteps) + " steps");
    if (request.second && request.second->param == "lr")
        throw std::invalid_argument("the second tuned parameter must not be lr");
    const auto starts = tune_starts(request.start, request.starts, request.spread);
    const LossSurface::EvaluationCost cost = surface.evaluation_cost();
    limits::check_map_work(static_cast<double>(tune_particles(request)), request.base.steps, "tuning", cost.factor, cost.size);
    const std::vector<Eigen::Vector2d> minima = surface.minima();
    if (request.objective == TuneObjective::Distance && minima.empty())
        throw std::invalid_argument("the distance objective needs a surface with a known minimum");

    // Every value tried is validated up front: a bad range is one error, not a table of failures.
    const ParamSpec lr_spec = param_spec(request.base.optimizer, "lr");
    const auto grid = request.lr.values();
    for (double lr : grid) validate_param(find_optimizer(request.base.optimizer).name, lr_spec, lr);
    std::vector<double> seconds{0.0};
    if (request.second) {
        validate_sweep_axis(*request.second, "the second parameter's grid");
        const ParamSpec& spec = param_spec(request.base.optimizer, request.second->param);
        seconds = request.second->values();
        for (double v : seconds) validate_param(find_optimizer(request.base.optimizer).name, spec, v);
    }
    RunConfig probe = request.base;
    if (request.second) probe.hyper[request.second->param] = seconds.front();
    probe.hyper["lr"] = grid.front();
    validate_run(surface, probe);

    TuneResult result;
    result.optimizer = request.base.optimizer;
    result.second_param = request.second ? request.second->param : "";
    result.objective = request.objective;
    result.allow_diverged = request.allow_diverged;
    result.budget = request.base.steps;
    result.starts = request.starts;

    // One batched evaluation per round: every lr at every value of the second parameter.
    auto try_settings = [&](const std::vector<double>& lrs, const std::vector<double>& second_values, int round) {
        const SecondValues second{request.second ? request.second->param : std::string(), second_values};
        const auto outcomes =
            evaluate_learning_rates(surface, request.base, starts, lrs, options, request.second ? &second : nullptr);
        for (std::size_t c = 0; c < lrs.size(); ++c)
            result.tried.push_back(summarize(lrs[c], second_values[c], round, outcomes[c], request.objective, minima));
    };
    auto rank = [&] { result.best = pick_best(result.tried, request.allow_diverged); };

    std::vector<double> lrs, second_values;
    for (double second : seconds)
        for (double lr : grid) {
            lrs.push_back(lr);
            second_values.push_back(second);
        }
    try_settings(lrs, second_values, 0);
    rank();
    // Refinement only around a best with a score: there is nothing to improve on next to +inf.
    for (int round = 1; round <= request.refine_rounds && result.best_has_score(); ++round) {
        const TuneCandidate best = result.tried[*result.best];
        const std::vector<double> fresh = refinement(result.tried, best, request.refine_count);
        if (fresh.empty()) break;
        for (double lr : fresh) validate_param(find_optimizer(request.base.optimizer).name, lr_spec, lr);
        try_settings(fresh, std::vector<double>(fresh.size(), best.second), round);
        rank();
    }
    if (options.cancel && options.cancel->load()) throw std::runtime_error("cancelled");
    return result;
}

}  // namespace optiviz
