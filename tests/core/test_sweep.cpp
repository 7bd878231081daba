#include "support/catch.h"

#include <atomic>
#include <cmath>

#include "core/optimizer.h"
#include "core/surface_registry.h"
#include "core/sweep.h"

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
