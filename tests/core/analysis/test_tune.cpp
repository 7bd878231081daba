#include "support/catch.h"

#include <atomic>
#include <cmath>
#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "core/analysis/particle_cloud.h"
#include "core/surfaces/surface_registry.h"
#include "core/analysis/sweep.h"
#include "core/analysis/tune.h"

using namespace optiviz;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

CellResult ended(double loss, Outcome outcome = Outcome::MaxSteps, long converged = -1, double x = 0, double y = 0) {
    CellResult c;
    c.loss = loss;
    c.outcome = outcome;
    c.converged_step = converged;
    c.x = x;
    c.y = y;
    return c;
}

// The order the tuner must rank by, written out as a tuple: fewest diverged particles (unless
// divergence is allowed), lowest score, lowest median loss, smallest lr, smallest second value.
std::tuple<int, double, double, double, double> rank_tuple(const TuneCandidate& c, bool allow_diverged = false) {
    auto v = [](double x) { return std::isnan(x) ? kInf : x; };
    return {allow_diverged ? 0 : c.diverged, v(c.score), v(c.median_loss), c.lr, c.second};
}

// The exhaustive answer: one run_sweep per start over the same lr grid (the second axis a single
// value), the particles of each lr scored with the same objective, ranked as above.
double sweep_argmin(const LossSurface& surface, const TuneRequest& request, const SweepAxis& fixed) {
    const auto starts = tune_starts(request.start, request.starts, request.spread);
    std::vector<SweepResult> sweeps;
    for (const auto& s : starts) sweeps.push_back(run_sweep(surface, request.base, s, request.lr, fixed));
    const auto lrs = request.lr.values();
    std::optional<TuneCandidate> best;
    for (int i = 0; i < request.lr.count; ++i) {
        std::vector<CellResult> particles;
        for (const auto& sweep : sweeps) particles.push_back(sweep.at(i, 0));
        TuneCandidate c;
        c.lr = lrs[static_cast<std::size_t>(i)];
        c.score = tune_score(particles, request.objective, surface.minima());
        c.median_loss = tune_score(particles, TuneObjective::MedianLoss, surface.minima());
        c.diverged = diverged_count(particles);
        if (!best || rank_tuple(c, request.allow_diverged) < rank_tuple(*best, request.allow_diverged)) best = c;
    }
    return best->lr;
}

TuneCandidate candidate(double lr, double score, int diverged, double median = 1.0, double second = 0) {
    TuneCandidate c;
    c.lr = lr;
    c.second = second;
    c.score = score;
    c.median_loss = median;
    c.diverged = diverged;
    return c;
}

}  // namespace

TEST_CASE("tune's grid choice equals the argmin of an exhaustive sweep over the same grid", "[tune]") {
    const auto surface = make_surface("rosenbrock", {});
    struct Case {
        const char* optimizer;
        ParamOverrides hyper;
        SweepAxis fixed;
    };
    const Case cases[] = {
        {"sgd", {{"momentum", 0.9}}, SweepAxis{"momentum", 0.9, 0.9, false, 1}},
        {"adam", {}, SweepAxis{"beta1", 0.9, 0.9, false, 1}},
    };
    for (const Case& c : cases)
        for (TuneObjective objective : {TuneObjective::MedianLoss, TuneObjective::WorstLoss, TuneObjective::Distance})
        for (bool allow_diverged : {false, true}) {
            TuneRequest request;
            request.base.optimizer = c.optimizer;
            request.base.hyper = c.hyper;
            request.base.steps = 500;
            request.start = {-1.5, 2.0};
            request.starts = 16;
            request.spread = 0.2;
            request.objective = objective;
            request.allow_diverged = allow_diverged;
            request.lr = default_lr_grid(c.optimizer);
            request.refine_rounds = 0;
            const TuneResult result = run_tune(*surface, request);
            CAPTURE(c.optimizer, tune_objective_name(objective), allow_diverged);
            REQUIRE(result.tried.size() == static_cast<std::size_t>(request.lr.count));
            REQUIRE(result.best);
            CHECK(result.tried[*result.best].lr == sweep_argmin(*surface, request, c.fixed));
            CHECK(result.best_hyper().at("lr") == result.tried[*result.best].lr);
        }
}

TEST_CASE("every score tune reports equals the score of separate runs, and refinement only improves", "[tune]") {
    const auto surface = make_surface("rosenbrock", {});
    TuneRequest request;
    request.base.optimizer = "adam";
    request.base.steps = 300;
    request.start = {-1.5, 2.0};
    request.starts = 5;
    request.lr = SweepAxis{"lr", 1e-3, 1.0, true, 7};
    request.refine_rounds = 2;
    request.refine_count = 5;
    const TuneResult result = run_tune(*surface, request);
    REQUIRE(result.best);
    const auto starts = tune_starts(request.start, request.starts, request.spread);
    std::optional<TuneCandidate> grid_best;
    int refined = 0;
    for (const TuneCandidate& candidate : result.tried) {
        std::vector<CellResult> particles;
        for (const auto& s : starts) {
            RunConfig config = request.base;
            config.hyper["lr"] = candidate.lr;
            const Trajectory t = run_trajectory(*surface, config, s);
            particles.push_back(ended(t.loss.back(), t.outcome, t.converged_step, t.x.back(), t.y.back()));
        }
        CHECK(candidate.score == tune_score(particles, request.objective, surface->minima()));
        if (candidate.round == 0 && (!grid_best || rank_tuple(candidate) < rank_tuple(*grid_best))) grid_best = candidate;
        refined += candidate.round > 0 ? 1 : 0;
    }
    CHECK(refined > 0);
    CHECK(rank_tuple(result.tried[*result.best]) <= rank_tuple(*grid_best));
    // The first refinement lies between the grid's best lr and its neighbours.
    const auto grid = request.lr.values();
    std::size_t grid_best_index = 0;
    for (std::size_t i = 0; i < grid.size(); ++i)
        if (rank_tuple(result.tried[i]) < rank_tuple(result.tried[grid_best_index])) grid_best_index = i;
    const double lo = grid[grid_best_index == 0 ? 0 : grid_best_index - 1];
    const double hi = grid[std::min(grid_best_index + 1, grid.size() - 1)];
    int first_round = 0, below = 0;
    for (const TuneCandidate& candidate : result.tried)
        if (candidate.round == 1) {
            CHECK(candidate.lr > lo);
            CHECK(candidate.lr < hi);
            CHECK(candidate.lr != grid[grid_best_index]);
            ++first_round;
            below += candidate.lr < grid[grid_best_index] ? 1 : 0;
        }
    CHECK(first_round == request.refine_count);
    if (grid_best_index > 0 && grid_best_index + 1 < grid.size()) CHECK(below == request.refine_count / 2);
    for (std::size_t i = 0; i < result.tried.size(); ++i) CHECK(rank_tuple(result.tried[*result.best]) <= rank_tuple(result.tried[i]));
}

TEST_CASE("objectives: median and worst final loss, steps to tolerance, distance to the minimum", "[tune]") {
    const std::vector<CellResult> three{ended(1.0), ended(3.0), ended(2.0, Outcome::Diverged)};
    CHECK(tune_score(three, TuneObjective::MedianLoss, {}) == 3.0);  // the diverged one counts as +inf
    CHECK(tune_score(three, TuneObjective::WorstLoss, {}) == kInf);
    const std::vector<CellResult> four{ended(1.0), ended(4.0), ended(2.0), ended(8.0)};
    CHECK(tune_score(four, TuneObjective::MedianLoss, {}) == 3.0);
    CHECK(tune_score(four, TuneObjective::WorstLoss, {}) == 8.0);
    const std::vector<CellResult> steps{ended(0, Outcome::Converged, 10), ended(0, Outcome::Converged, 30),
                                        ended(0, Outcome::MaxSteps, -1)};
    CHECK(tune_score(steps, TuneObjective::Steps, {}) == 30.0);
    const std::vector<Eigen::Vector2d> minima{{1, 1}, {-1, -1}};
    const std::vector<CellResult> near{ended(0, Outcome::MaxSteps, -1, 1, 2), ended(0, Outcome::MaxSteps, -1, -1, -4)};
    CHECK(tune_score(near, TuneObjective::Distance, minima) == 2.0);  // median of 1 and 3
    CHECK_THROWS_WITH(tune_score(near, TuneObjective::Distance, {}), Catch::Contains("known minimum"));
    CHECK(parse_tune_objective("worst-loss") == TuneObjective::WorstLoss);
    CHECK(tune_objective_name(parse_tune_objective("steps")) == "steps");
    CHECK_THROWS_WITH(parse_tune_objective("best"), Catch::Contains("unknown objective 'best'"));
}

TEST_CASE("tune's particles are the run itself and its cloud, with their seeds", "[tune]") {
    const auto starts = tune_starts({0.5, -1.0}, 4, 0.3);
    REQUIRE(starts.size() == 4);
    CHECK(starts[0] == Eigen::Vector2d(0.5, -1.0));
    const auto cloud = cloud_starts({0.5, -1.0}, 3, 0.3);
    for (std::size_t k = 1; k < 4; ++k) CHECK(starts[k] == cloud[k - 1]);
    CHECK(starts[1] != starts[2]);
    CHECK_THROWS_WITH(tune_starts({0, 0}, 0, 0.1), Catch::Contains("starts must be from 1"));

    // Every evaluation path (one batched ensemble; one per seed with mini-batches; one per lr for
    // schedules that scale the lr per step) equals separate runs, particle k with seed + k.
    const auto surface = make_surface("mse", {});
    RunConfig config;
    config.optimizer = "sgd";
    config.steps = 40;
    config.seed = 7;
    const std::vector<double> lrs{0.01, 0.05};
    for (const std::size_t batch : {std::size_t{0}, std::size_t{8}})
        for (const ScheduleKind kind : {ScheduleKind::Constant, ScheduleKind::Cosine, ScheduleKind::Plateau}) {
            config.batch_size = batch;
            config.schedule = LrSchedule{};
            config.schedule.kind = kind;
            config.schedule.t_max = 40;
            config.schedule.patience = 2;
            const auto outcomes = evaluate_learning_rates(*surface, config, starts, lrs);
            for (std::size_t c = 0; c < lrs.size(); ++c)
                for (std::size_t k = 0; k < starts.size(); ++k) {
                    RunConfig run = config;
                    run.hyper["lr"] = lrs[c];
                    run.seed = config.seed + k;
                    const Trajectory t = run_trajectory(*surface, run, starts[k]);
                    CAPTURE(batch, static_cast<int>(kind), c, k);
                    CHECK(outcomes[c][k].x == t.x.back());
                    CHECK(outcomes[c][k].loss == t.loss.back());
                }
        }
}

TEST_CASE("tune tries every value of a second parameter and refines at its best", "[tune]") {
    const auto surface = make_surface("rosenbrock", {});
    TuneRequest request;
    request.base.optimizer = "sgd";
    request.base.steps = 200;
    request.start = {-1.5, 2.0};
    request.starts = 3;
    request.lr = SweepAxis{"lr", 1e-4, 1e-2, true, 5};
    request.second = SweepAxis{"momentum", 0.0, 0.9, false, 4};
    request.refine_rounds = 1;
    const TuneResult result = run_tune(*surface, request);
    REQUIRE(result.best);
    CHECK(result.second_param == "momentum");
    REQUIRE(result.tried.size() > 20);
    for (int m = 0; m < 4; ++m)
        for (int i = 0; i < 5; ++i) {
            const TuneCandidate& c = result.tried[static_cast<std::size_t>(m * 5 + i)];
            CHECK(c.lr == request.lr.values()[static_cast<std::size_t>(i)]);
            CHECK(c.second == request.second->values()[static_cast<std::size_t>(m)]);
        }
    std::size_t grid_best = 0;
    for (std::size_t i = 1; i < 20; ++i)
        if (rank_tuple(result.tried[i]) < rank_tuple(result.tried[grid_best])) grid_best = i;
    const double grid_best_second = result.tried[grid_best].second;
    for (std::size_t i = 20; i < result.tried.size(); ++i) CHECK(result.tried[i].second == grid_best_second);
    const ParamOverrides best = result.best_hyper();
    CHECK(best.at("momentum") == result.tried[*result.best].second);
}

TEST_CASE("tune refuses bad requests with one line and stops when cancelled", "[tune]") {
    const auto surface = make_surface("rosenbrock", {});
    TuneRequest request;
    request.base.optimizer = "adam";
    request.base.steps = 100;
    request.starts = 4;
    request.lr = SweepAxis{"lr", 1e-3, 1.0, true, 5};
    TuneRequest bad = request;
    bad.second = SweepAxis{"momentum", 0.0, 0.9, false, 3};
    CHECK_THROWS_WITH(run_tune(*surface, bad), Catch::Contains("adam has no parameter 'momentum'"));
    bad = request;
    bad.second = SweepAxis{"beta1", 0.5, 1.5, false, 3};
    CHECK_THROWS_WITH(run_tune(*surface, bad), Catch::Contains("beta1"));
    bad = request;
    bad.starts = 0;
    CHECK_THROWS_WITH(run_tune(*surface, bad), Catch::Contains("starts must be from 1"));
    bad = request;
    bad.base.steps = 0;
    CHECK_THROWS_WITH(run_tune(*surface, bad), Catch::Contains("budget"));
    const auto no_minimum = make_surface("saddle", {});
    bad = request;
    bad.objective = TuneObjective::Distance;
    CHECK_THROWS_WITH(run_tune(*no_minimum, bad), Catch::Contains("known minimum"));

    std::atomic<bool> cancel{true};
    TuneOptions options;
    options.cancel = &cancel;
    CHECK_THROWS_WITH(run_tune(*surface, request, options), Catch::Contains("cancelled"));

    std::atomic<long> progress{0};
    options = {};
    options.progress = &progress;
    const TuneResult result = run_tune(*surface, request, options);
    CHECK(progress.load() == tune_particles(request));
    CHECK(progress.load() == static_cast<long>(result.tried.size()) * request.starts);

    // Every optimizer's default grid has the same number of values, over its lr slider range.
    for (const char* name : {"sgd", "adam", "lbfgs", "rprop"}) {
        const SweepAxis grid = default_lr_grid(name);
        CHECK(grid.count == kDefaultLrGridCount);
        CHECK(grid.log);
    }
    CHECK(default_lr_grid("sgd").lo == 1e-5);
    CHECK(default_lr_grid("sgd").hi == 10.0);
}

TEST_CASE("the pick never ranks a setting with diverged starts above one without, unless asked", "[tune]") {
    // A lower score with 7 of 16 starts diverged loses to a higher one with none diverged.
    const std::vector<TuneCandidate> risky{candidate(0.002, 2e-5, 7), candidate(0.001, 3e-3, 0), candidate(0.0005, 1e-2, 0)};
    CHECK(pick_best(risky, false) == 1u);
    CHECK(pick_best(risky, true) == 0u);  // "-allow-diverged": the objective alone
    CHECK(tune_ranks_above(risky[1], risky[0], false));
    CHECK_FALSE(tune_ranks_above(risky[0], risky[1], false));
    // Fewer diverged wins over more diverged, whatever the scores.
    CHECK(pick_best(std::vector<TuneCandidate>{candidate(1, 0.1, 3), candidate(2, 5.0, 2), candidate(3, 0.2, 4)}, false) == 1u);
    // Every setting diverged somewhere: the least bad is the one with fewest diverged starts.
    CHECK(pick_best(std::vector<TuneCandidate>{candidate(1, kInf, 12, kInf), candidate(2, 0.5, 2), candidate(3, 0.1, 5)}, false) == 1u);
    CHECK(pick_best(std::vector<TuneCandidate>{}, false) == std::nullopt);
}

TEST_CASE("ties in the pick are broken by the settings, never by the order they were tried in", "[tune]") {
    struct Case {
        const char* what;
        std::vector<TuneCandidate> candidates;
        double lr, second;
    };
    const Case cases[] = {
        {"equal scores: the smaller lr", {candidate(0.3, 1.0, 0), candidate(0.1, 1.0, 0), candidate(0.2, 1.0, 0)}, 0.1, 0},
        {"equal scores and lr: the smaller second value",
         {candidate(0.1, 1.0, 0, 1.0, 0.9), candidate(0.1, 1.0, 0, 1.0, 0.5), candidate(0.1, 1.0, 0, 1.0, 0.7)},
         0.1,
         0.5},
        {"no score anywhere: the lower median loss, then the smaller lr",
         {candidate(0.4, kInf, 9, 7.0), candidate(0.5, kInf, 9, 3.0), candidate(0.2, kInf, 9, 3.0)},
         0.2,
         0},
        {"NaN ranks as +inf", {candidate(0.1, std::nan(""), 0), candidate(0.9, 5.0, 0)}, 0.9, 0},
        {"equal diverged and score: the lower median loss", {candidate(0.1, 2.0, 1, 4.0), candidate(0.9, 2.0, 1, 3.0)}, 0.9, 0},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        std::vector<TuneCandidate> order = c.candidates;
        std::sort(order.begin(), order.end(), [](const TuneCandidate& a, const TuneCandidate& b) {
            return std::tie(a.lr, a.second) < std::tie(b.lr, b.second);
        });
        do {  // every order gives the same pick
            for (bool allow : {false, true}) {
                const auto best = pick_best(order, allow);
                REQUIRE(best);
                CHECK(order[*best].lr == c.lr);
                CHECK(order[*best].second == c.second);
            }
        } while (std::next_permutation(order.begin(), order.end(), [](const TuneCandidate& a, const TuneCandidate& b) {
            return std::tie(a.lr, a.second) < std::tie(b.lr, b.second);
        }));
    }
}

TEST_CASE("tune on Rosenbrock with momentum picks a setting where no start diverged", "[tune]") {
    // The request: by score alone the best lr has 7 of 16 starts diverged.
    const auto surface = make_surface("rosenbrock", {});
    TuneRequest request;
    request.base.optimizer = "sgd";
    request.base.hyper = {{"momentum", 0.9}};
    request.base.steps = 500;
    request.start = {-1.5, 2.0};
    request.lr = default_lr_grid("sgd");
    const TuneResult safe = run_tune(*surface, request);
    REQUIRE(safe.best);
    CHECK(safe.best_diverged() == 0);
    CHECK(safe.best_has_score());
    CHECK_FALSE(safe.every_setting_diverged());
    for (const TuneCandidate& c : safe.tried)
        if (c.diverged == 0) CHECK(safe.tried[*safe.best].score <= c.score);

    request.allow_diverged = true;
    const TuneResult risky = run_tune(*surface, request);
    REQUIRE(risky.best);
    CHECK(risky.best_diverged() > 0);  // the risky pick the default refuses to make
    CHECK(risky.tried[*risky.best].score < safe.tried[*safe.best].score);
    CHECK(risky.goal() == TuneGoal{TuneObjective::MedianLoss, true});
}

TEST_CASE("when every setting diverges somewhere, the least bad is named but has nothing to apply", "[tune]") {
    const auto surface = make_surface("rosenbrock", {});
    TuneRequest request;
    request.base.optimizer = "sgd";
    request.base.steps = 200;
    request.start = {-1.5, 2.0};
    request.starts = 8;
    request.lr = SweepAxis{"lr", 0.5, 10.0, true, 4};  // far too large for Rosenbrock: everything diverges
    const TuneResult result = run_tune(*surface, request);
    REQUIRE(result.best);
    CHECK(result.every_setting_diverged());
    CHECK_FALSE(result.best_has_score());
    CHECK(result.best_hyper().empty());
    CHECK(result.tried.size() == 4u);  // no refinement around a setting without a score
    for (const TuneCandidate& c : result.tried) CHECK(result.best_diverged() <= c.diverged);
}

TEST_CASE("objectives may be asked to let diverged settings win, by name", "[tune]") {
    CHECK(parse_tune_goal("median-loss") == TuneGoal{TuneObjective::MedianLoss, false});
    CHECK(parse_tune_goal("steps-allow-diverged") == TuneGoal{TuneObjective::Steps, true});
    CHECK(tune_goal_name(parse_tune_goal("worst-loss-allow-diverged")) == "worst-loss-allow-diverged");
    CHECK(tune_goal_name(TuneGoal{TuneObjective::Distance, false}) == "distance");
    CHECK_THROWS_WITH(parse_tune_goal("-allow-diverged"), Catch::Contains("unknown objective"));
    CHECK_THROWS_WITH(parse_tune_goal("best-allow-diverged"), Catch::Contains("unknown objective 'best'"));
    CHECK_THROWS_WITH(parse_tune_goal("best"), Catch::Contains("-allow-diverged"));
}
