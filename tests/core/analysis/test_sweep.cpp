#include "support/catch.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "core/optimizers/optimizer.h"
#include "core/analysis/particle_cloud.h"
#include "core/surfaces/surface_registry.h"
#include "core/analysis/sweep.h"

using namespace optiviz;

TEST_CASE("sweep axes parse and space their values", "[sweep]") {
    const SweepAxis lr = parse_sweep_axis("lr=1e-4:1:log:5", "--x");
    CHECK(lr.param == "lr");
    const auto v = lr.values();
    REQUIRE(v.size() == 5);
    CHECK(v[0] == 1e-4);
    CHECK(v[2] == Approx(1e-2));
    CHECK(v[4] == 1.0);
    CHECK(parse_sweep_axis("beta1=0:0.9:lin:4", "--y").values()[1] == Approx(0.3));
    CHECK_THROWS_WITH(parse_sweep_axis("lr=0:1:log:5", "--x"), "--x: a log axis needs LO and HI > 0");
    CHECK_THROWS_WITH(parse_sweep_axis("lr=1:2:cubic:5", "--x"), Catch::Contains("lin or log"));
    CHECK_THROWS_WITH(parse_sweep_axis("lr=1:2:lin", "--x"), Catch::Contains("expected NAME=LO:HI:lin|log:COUNT"));
    CHECK_THROWS_WITH(parse_sweep_axis("lr=1:2:lin:0", "--x"), Catch::Contains("from 1 to 4096"));
    CHECK_THROWS_WITH(parse_sweep_metric("speed"), Catch::StartsWith("unknown metric 'speed'"));
}

TEST_CASE("every sweep cell equals the single run with those hyperparameters", "[sweep]") {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig base;
    base.optimizer = "adam";
    base.steps = 150;
    const SweepAxis x = parse_sweep_axis("lr=1e-3:0.5:log:9", "--x");
    const SweepAxis y = parse_sweep_axis("beta1=0:0.95:lin:7", "--y");
    const SweepResult sweep = run_sweep(*surface, base, {-1.5, 2.0}, x, y);
    for (int iy = 0; iy < 7; iy += 3)
        for (int ix = 0; ix < 9; ix += 4) {
            RunConfig config = base;
            config.hyper = {{"lr", x.values()[static_cast<std::size_t>(ix)]}, {"beta1", y.values()[static_cast<std::size_t>(iy)]}};
            const Trajectory t = run_trajectory(*surface, config, {-1.5, 2.0});
            const CellResult& c = sweep.at(ix, iy);
            CHECK(c.x == t.x.back());  // bit for bit: the same code path
            CHECK(c.y == t.y.back());
            CHECK(c.loss == t.loss.back());
            CHECK(c.converged_step == t.converged_step);
        }
    CHECK_THROWS_WITH(run_sweep(*surface, base, {0, 0}, parse_sweep_axis("beta1=0:1.5:lin:4", "--x"), x),
                      Catch::Contains("beta1 must be [0, 1)"));
    CHECK_THROWS_WITH(run_sweep(*surface, base, {0, 0}, y, y), Catch::Contains("must be different parameters"));
    CHECK_THROWS_WITH(run_sweep(*surface, base, {0, 0}, parse_sweep_axis("momentum=0:1:lin:4", "--x"), y),
                      Catch::Contains("adam has no parameter 'momentum'"));
}

TEST_CASE("sweeps without a learning-rate axis run batched and still equal single runs", "[sweep]") {
    const auto surface = make_surface("himmelblau", {});
    RunConfig base;
    base.optimizer = "nadam";
    base.hyper = {{"lr", 0.05}};
    base.steps = 80;
    const SweepAxis x = parse_sweep_axis("beta2=0.9:0.999:lin:4", "--x");
    const SweepAxis y = parse_sweep_axis("beta1=0.5:0.95:lin:3", "--y");
    const SweepResult sweep = run_sweep(*surface, base, {0.5, -0.5}, x, y);
    for (int iy = 0; iy < 3; ++iy)
        for (int ix = 0; ix < 4; ++ix) {
            RunConfig config = base;
            config.hyper["beta2"] = x.values()[static_cast<std::size_t>(ix)];
            config.hyper["beta1"] = y.values()[static_cast<std::size_t>(iy)];
            const Trajectory t = run_trajectory(*surface, config, {0.5, -0.5});
            CHECK(sweep.at(ix, iy).x == t.x.back());
            CHECK(sweep.at(ix, iy).loss == t.loss.back());
        }
}

TEST_CASE("per-particle learning rates match separate runs for every optimizer", "[sweep]") {
    const auto surface = make_surface("rosenbrock", {});
    const std::vector<double> lrs = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    for (const auto& info : optimizer_registry()) {
        RunConfig config;
        config.optimizer = std::string(info.name);
        config.steps = 60;
        if (info.name == "sgd") config.hyper = {{"momentum", 0.9}, {"nesterov", 1}};
        if (info.name == "rmsprop") config.hyper = {{"momentum", 0.5}, {"centered", 1}};
        if (info.name == "adamw") config.hyper = {{"weight_decay", 0.1}};
        const std::vector<double> xs(lrs.size(), -1.2), ys(lrs.size(), 1.5);
        EnsembleOptions options;
        options.learning_rates = lrs;
        const EnsembleResult batched = run_ensemble(*surface, config, xs, ys, options);
        for (std::size_t i = 0; i < lrs.size(); ++i) {
            RunConfig single = config;
            single.hyper["lr"] = lrs[i];
            const Trajectory t = run_trajectory(*surface, single, {-1.2, 1.5});
            INFO(info.name << " lr " << lrs[i]);
            CHECK(batched.x[i] == t.x.back());
            CHECK(batched.y[i] == t.y.back());
        }
    }
    RunConfig scheduled;
    scheduled.schedule.kind = ScheduleKind::Cosine;
    EnsembleOptions options;
    const std::vector<double> one = {0.1}, start = {0.0};
    options.learning_rates = one;
    CHECK_THROWS_WITH(run_ensemble(*surface, scheduled, start, start, options), Catch::Contains("constant or plateau schedule"));
}

TEST_CASE("gradient descent on ½λx² converges exactly when 0 < lr < 2/λ", "[sweep]") {
    // quadratic with a = λ and b = 1: the x direction decides stability (b is stable for lr < 2).
    for (double lambda : {1.0, 4.0, 10.0}) {
        const auto surface = make_surface("quadratic", {{"a", lambda}, {"b", 0.5}, {"c", 0.0}});
        RunConfig base;
        base.optimizer = "sgd";
        base.steps = 3000;
        base.stop.grad_tol = 1e-9;
        // Lr values straddling 2/λ; the dampening axis (0) is a dummy second axis.
        const SweepAxis lr = parse_sweep_axis("lr=0.02:" + std::to_string(3.0 / lambda) + ":lin:40", "--x");
        const SweepAxis dummy = parse_sweep_axis("dampening=0:0:lin:1", "--y");
        const SweepResult r = run_sweep(*surface, base, {1.0, 1.0}, lr, dummy);
        for (int i = 0; i < lr.count; ++i) {
            const double value = lr.values()[static_cast<std::size_t>(i)];
            const CellResult& c = r.at(i, 0);
            INFO("lambda " << lambda << " lr " << value);
            if (value < 2.0 / lambda * 0.98) CHECK(c.outcome == Outcome::Converged);
            if (value > 2.0 / lambda * 1.02) CHECK(c.outcome == Outcome::Diverged);
        }
        CHECK(std::isnan(metric_value(r.at(lr.count - 1, 0), SweepMetric::FinalLoss, surface->minima())));
        CHECK(metric_value(r.at(0, 0), SweepMetric::Distance, surface->minima()) < 1e-6);
    }
}

TEST_CASE("a cancelled sweep throws instead of returning half a map", "[sweep]") {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig base;
    base.optimizer = "adam";
    base.steps = 100;
    std::atomic<bool> cancel{true};
    std::atomic<long> progress{0};
    SweepOptions options;
    options.cancel = &cancel;
    options.progress = &progress;
    CHECK_THROWS_WITH(run_sweep(*surface, base, {0, 0}, parse_sweep_axis("lr=1e-3:1:log:32", "--x"),
                                parse_sweep_axis("beta1=0:0.9:lin:32", "--y"), options),
                      "cancelled");
    CHECK(progress.load() < 32 * 32);
}

TEST_CASE("basins: Himmelblau's four minima each win a quadrant-like region", "[sweep]") {
    const auto surface = make_surface("himmelblau", {});
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.01}};
    config.steps = 400;
    const BasinResult b = run_basins(*surface, config, {-5, 5, -5, 5}, 40);
    REQUIRE(b.minima.size() == 4);
    int counts[4] = {0, 0, 0, 0};
    for (int basin : b.basin)
        if (basin >= 0) ++counts[basin];
    for (int m = 0; m < 4; ++m) CHECK(counts[m] > 40 * 40 / 10);
    // A start right next to a minimum ends in that minimum, and a cell equals the single run.
    for (std::size_t i = 0; i < b.cells.size(); i += 97) {
        const Trajectory t = run_trajectory(*surface, config, {b.start_x[i], b.start_y[i]});
        CHECK(b.cells[i].x == t.x.back());
        CHECK(b.cells[i].loss == t.loss.back());
    }
    config.hyper = {{"lr", 0.2}};  // too large: everything diverges
    const BasinResult wild = run_basins(*surface, config, {-5, 5, -5, 5}, 8);
    CHECK(std::count(wild.basin.begin(), wild.basin.end(), -2) > 32);
}

namespace {

// Independent of core's aggregation: a plain sort, the middle value (the mean of the two middle
// ones for even counts), and the largest; NaN ("no value") sorts last as +inf.
double plain_median(std::vector<double> v) {
    for (double& x : v)
        if (std::isnan(x)) x = std::numeric_limits<double>::infinity();
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    if (n % 2 == 1) return v[n / 2];
    if (std::isinf(v[n / 2])) return std::numeric_limits<double>::infinity();
    return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}
double plain_worst(std::vector<double> v) {
    double worst = -std::numeric_limits<double>::infinity();
    for (double x : v) worst = std::max(worst, std::isnan(x) ? std::numeric_limits<double>::infinity() : x);
    return worst;
}
double no_inf(double v) { return std::isinf(v) ? std::numeric_limits<double>::quiet_NaN() : v; }
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

TEST_CASE("one start per cell is exactly the sweep and basin map without starts", "[sweep][aggregate]") {
    const auto surface = make_surface("himmelblau", {});
    RunConfig base;
    base.optimizer = "adam";
    base.steps = 120;
    const SweepAxis x = parse_sweep_axis("lr=1e-3:2:log:6", "--x");
    const SweepAxis y = parse_sweep_axis("beta1=0:0.95:lin:5", "--y");
    const SweepResult plain = run_sweep(*surface, base, {0.5, -0.5}, x, y);
    const SweepResult one = run_sweep(*surface, base, {0.5, -0.5}, x, y, {}, MultiStart{1, 0.7});
    REQUIRE(one.cells.size() == plain.cells.size());
    CHECK(one.runs.empty());
    for (std::size_t i = 0; i < plain.cells.size(); ++i) {
        CHECK(one.cells[i].x == plain.cells[i].x);
        CHECK(one.cells[i].loss == plain.cells[i].loss);
        CHECK(one.cells[i].converged_step == plain.cells[i].converged_step);
        CHECK(one.cells[i].outcome == plain.cells[i].outcome);
        for (const SweepMetric m : {SweepMetric::FinalLoss, SweepMetric::Steps, SweepMetric::Distance})
            CHECK(same(aggregate_value(one.runs_of(i), m, Aggregate::Worst, surface->minima()),
                       metric_value(plain.cells[i], m, surface->minima())));
    }
    RunConfig sgd;
    sgd.optimizer = "sgd";
    sgd.hyper = {{"lr", 0.01}};
    sgd.steps = 200;
    const BasinResult b = run_basins(*surface, sgd, {-5, 5, -5, 5}, 12);
    const BasinResult b1 = run_basins(*surface, sgd, {-5, 5, -5, 5}, 12, 0.0, {}, MultiStart{1, 0.5});
    CHECK(b1.basin == b.basin);
    CHECK(b1.agree == std::vector<int>(144, 1));
    for (std::size_t i = 0; i < b.cells.size(); ++i) CHECK(b1.cells[i].x == b.cells[i].x);
}

TEST_CASE("a sweep cell's median and worst are those of its K separate runs", "[sweep][aggregate]") {
    // Mini-batches make the seeds matter: particle k must use seed + k, as tuning does.
    const auto surface = make_surface("mse", {});
    for (const std::size_t batch : {std::size_t{0}, std::size_t{8}})
        for (const int K : {4, 5}) {
            RunConfig base;
            base.optimizer = "sgd";
            base.steps = 60;
            base.seed = 11;
            base.batch_size = batch;
            const SweepAxis x = parse_sweep_axis("lr=1e-3:0.5:log:5", "--x");
            const SweepAxis y = parse_sweep_axis("momentum=0:0.95:lin:3", "--y");
            const Eigen::Vector2d start{1.5, -1.0};
            const double spread = 0.4;
            const SweepResult sweep = run_sweep(*surface, base, start, x, y, {}, MultiStart{K, spread});
            REQUIRE(sweep.runs.size() == static_cast<std::size_t>(5 * 3 * K));
            // The jitter: particle 0 at the start, particle k >= 1 at tuning's cloud particle k - 1.
            std::vector<Eigen::Vector2d> starts{start};
            for (const auto& s : cloud_starts(start, K - 1, spread)) starts.push_back(s);
            for (int iy = 0; iy < 3; ++iy)
                for (int ix = 0; ix < 5; ++ix) {
                    std::vector<double> loss, steps, dist;
                    int diverged = 0;
                    for (int k = 0; k < K; ++k) {
                        RunConfig config = base;
                        config.hyper = {{"lr", x.values()[static_cast<std::size_t>(ix)]},
                                        {"momentum", y.values()[static_cast<std::size_t>(iy)]}};
                        config.seed = base.seed + static_cast<std::uint64_t>(k);
                        const Trajectory t = run_trajectory(*surface, config, starts[static_cast<std::size_t>(k)]);
                        const bool div = t.outcome == Outcome::Diverged;
                        diverged += div ? 1 : 0;
                        loss.push_back(div ? std::numeric_limits<double>::quiet_NaN() : t.loss.back());
                        steps.push_back(div || t.converged_step < 0 ? std::numeric_limits<double>::quiet_NaN()
                                                                    : static_cast<double>(t.converged_step));
                        double d = std::numeric_limits<double>::infinity();
                        for (const auto& m : surface->minima()) d = std::min(d, std::hypot(t.x.back() - m.x(), t.y.back() - m.y()));
                        dist.push_back(div || surface->minima().empty() ? std::numeric_limits<double>::quiet_NaN() : d);
                    }
                    CAPTURE(batch, K, ix, iy);
                    const auto runs = sweep.runs_of(sweep.index(ix, iy));
                    const auto& minima = surface->minima();
                    CHECK(same(aggregate_value(runs, SweepMetric::FinalLoss, Aggregate::Median, minima), no_inf(plain_median(loss))));
                    CHECK(same(aggregate_value(runs, SweepMetric::FinalLoss, Aggregate::Worst, minima), no_inf(plain_worst(loss))));
                    CHECK(same(aggregate_value(runs, SweepMetric::Steps, Aggregate::Median, minima), no_inf(plain_median(steps))));
                    CHECK(same(aggregate_value(runs, SweepMetric::Steps, Aggregate::Worst, minima), no_inf(plain_worst(steps))));
                    CHECK(same(aggregate_value(runs, SweepMetric::Distance, Aggregate::Median, minima), no_inf(plain_median(dist))));
                    CHECK(same(aggregate_value(runs, SweepMetric::Distance, Aggregate::Worst, minima), no_inf(plain_worst(dist))));
                    CHECK(diverged_count(runs) == diverged);
                    CHECK(sweep.at(ix, iy).loss == runs[0].loss);  // the cell's own run is particle 0
                }
        }
}

TEST_CASE("the K runs of a sweep differ, so the aggregate means something", "[sweep][aggregate]") {
    const auto surface = make_surface("rastrigin", {});
    RunConfig base;
    base.optimizer = "sgd";
    base.steps = 100;
    const SweepResult sweep = run_sweep(*surface, base, {2.2, -1.3}, parse_sweep_axis("lr=1e-3:1e-2:log:3", "--x"),
                                        parse_sweep_axis("momentum=0:0.9:lin:2", "--y"), {}, MultiStart{7, 1.0});
    const auto runs = sweep.runs_of(0);
    REQUIRE(runs.size() == 7);
    const auto& minima = surface->minima();
    CHECK(aggregate_value(runs, SweepMetric::FinalLoss, Aggregate::Worst, minima) >
          aggregate_value(runs, SweepMetric::FinalLoss, Aggregate::Median, minima));
    // More than half diverged: no median loss, and the cell counts as diverged.
    std::vector<CellResult> mixed(5);
    for (std::size_t k = 0; k < 5; ++k) mixed[k].loss = static_cast<double>(k + 1);
    mixed[0].outcome = mixed[1].outcome = Outcome::Diverged;
    CHECK(aggregate_value(mixed, SweepMetric::FinalLoss, Aggregate::Median, {}) == 5.0);  // of 3, 4, 5, +inf, +inf
    CHECK(std::isnan(aggregate_value(mixed, SweepMetric::FinalLoss, Aggregate::Worst, {})));
    CHECK_FALSE(aggregate_diverged(mixed, Aggregate::Median));
    CHECK(aggregate_diverged(mixed, Aggregate::Worst));
    mixed[2].outcome = Outcome::Diverged;
    CHECK(aggregate_diverged(mixed, Aggregate::Median));
    CHECK(parse_aggregate("worst") == Aggregate::Worst);
    CHECK_THROWS_WITH(parse_aggregate("mean"), Catch::StartsWith("unknown aggregate 'mean'"));
    CHECK_THROWS_WITH(run_sweep(*surface, base, {0, 0}, parse_sweep_axis("lr=1e-3:1e-2:log:3", "--x"),
                                parse_sweep_axis("momentum=0:0.9:lin:2", "--y"), {}, MultiStart{0, 0.1}),
                      Catch::Contains("starts must be from 1 to 1024"));
    CHECK_THROWS_WITH(run_sweep(*surface, base, {0, 0}, parse_sweep_axis("lr=1e-3:1e-2:log:3", "--x"),
                                parse_sweep_axis("momentum=0:0.9:lin:2", "--y"), {}, MultiStart{4, -0.1}),
                      Catch::Contains("spread must be a finite number >= 0"));
}

TEST_CASE("a basin cell takes the basin most of its K jittered runs reach", "[sweep][aggregate]") {
    const auto surface = make_surface("himmelblau", {});
    {
        RunConfig config;
        config.optimizer = "sgd";
        config.hyper = {{"lr", 0.01}};
        config.steps = 300;
        const ViewRect grid{-5, 5, -4, 4};
        const int R = 6, K = 5;
        const double spread = 0.6;
        const BasinResult b = run_basins(*surface, config, grid, R, 0.0, {}, MultiStart{K, spread});
        REQUIRE(b.runs.size() == static_cast<std::size_t>(R * R * K));
        const double w = 10.0 / R, h = 8.0 / R, radius = 0.01 * std::hypot(10.0, 8.0);
        const auto draws = cloud_starts({0, 0}, K - 1, 1.0);
        int disagreeing = 0;
        for (int r = 0; r < R; ++r)
            for (int c = 0; c < R; ++c) {
                const double cx = -5 + w * (c + 0.5), cy = -4 + h * (r + 0.5);
                std::vector<int> labels;
                for (int k = 0; k < K; ++k) {
                    const Eigen::Vector2d s = k == 0 ? Eigen::Vector2d{cx, cy}
                                                     : Eigen::Vector2d{cx + spread * w * draws[static_cast<std::size_t>(k - 1)].x(),
                                                                       cy + spread * h * draws[static_cast<std::size_t>(k - 1)].y()};
                    const Trajectory t = run_trajectory(*surface, config, s);
                    int label = t.outcome == Outcome::Diverged ? -2 : -1;
                    for (std::size_t m = 0; m < b.minima.size() && label == -1; ++m)
                        if (std::hypot(t.x.back() - b.minima[m].x(), t.y.back() - b.minima[m].y()) <= radius) label = static_cast<int>(m);
                    labels.push_back(label);
                }
                // The most common label, ties to the first seen.
                int best = labels[0], best_count = 0;
                for (int l : labels) {
                    const int n = static_cast<int>(std::count(labels.begin(), labels.end(), l));
                    if (n > best_count) best = l, best_count = n;
                }
                const std::size_t i = static_cast<std::size_t>(r * R + c);
                CAPTURE(r, c);
                CHECK(b.basin[i] == best);
                CHECK(b.agree[i] == best_count);
                disagreeing += best_count < K ? 1 : 0;
            }
        CHECK(disagreeing > 0);  // the jitter reaches other basins somewhere, so the vote is tested
    }
}

TEST_CASE("basin runs with mini-batches use seed + k, as tuning's particles", "[sweep][aggregate]") {
    const auto surface = make_surface("mse", {});
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.05}};
    config.steps = 30;
    config.seed = 3;
    config.batch_size = 8;
    const int R = 3, K = 3;
    const BasinResult b = run_basins(*surface, config, {-2, 2, -2, 2}, R, 0.0, {}, MultiStart{K, 0.5});
    const auto draws = cloud_starts({0, 0}, K - 1, 1.0);
    const double w = 4.0 / R;
    for (std::size_t i = 0; i < static_cast<std::size_t>(R * R); ++i)
        for (int k = 0; k < K; ++k) {
            RunConfig run = config;
            run.seed = config.seed + static_cast<std::uint64_t>(k);
            const Eigen::Vector2d s = k == 0 ? Eigen::Vector2d{b.start_x[i], b.start_y[i]}
                                             : Eigen::Vector2d{b.start_x[i] + 0.5 * w * draws[static_cast<std::size_t>(k - 1)].x(),
                                                               b.start_y[i] + 0.5 * w * draws[static_cast<std::size_t>(k - 1)].y()};
            const Trajectory t = run_trajectory(*surface, run, s);
            CAPTURE(i, k);
            CHECK(b.runs_of(i)[static_cast<std::size_t>(k)].x == t.x.back());
            CHECK(b.runs_of(i)[static_cast<std::size_t>(k)].loss == t.loss.back());
        }
}
