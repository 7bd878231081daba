// Particle-steps per second for every optimizer on Rosenbrock, through the same batched core
// that `optiviz trace` uses, beside hand-fused loops (Adam, SGD with momentum, RMSprop: gradient
// and update in one loop body, no outcome checks) as the in-run references.
//
//   build/optiviz_bench --benchmark_counters_tabular=true
//
// "items_per_second" is particle-steps per second (particles × steps / time). The ensembles,
// sweeps, basin maps and hand-fused references are timed in process CPU time (all threads), so
// that their ratios hold on a machine whose cores other jobs share; the rest in wall time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>
#include <vector>

#include "core/optimizers/optimizer.h"
#include "core/optimizers/simulation.h"
#include "core/surfaces/surface_registry.h"
#include "core/analysis/sweep.h"
#include "core/presentation/color_scale.h"
#include "core/surfaces/mse_surface.h"

using namespace optiviz;

namespace {

// Hyperparameters that keep every optimizer finite on Rosenbrock for the benchmarked steps.
ParamOverrides settings(std::string_view name) {
    if (name == "sgd") return {{"lr", 1e-4}, {"momentum", 0.9}};
    if (name == "adadelta") return {{"lr", 1.0}};
    if (name == "lbfgs") return {{"lr", 0.1}, {"history_size", 10}};  // history 100 would be 0.5 GB at 1e5 particles
    return {{"lr", 1e-3}};
}

long steps_for(std::size_t particles) {
    if (particles >= 100000) return 500;
    if (particles >= 1000) return 2000;
    return 10000;
}

void BM_Ensemble(benchmark::State& state, std::string optimizer, bool generic) {
    const auto surface = make_surface("rosenbrock", {});
    const auto n = static_cast<std::size_t>(state.range(0));
    RunConfig config;
    config.optimizer = optimizer;
    config.hyper = settings(optimizer);
    config.steps = steps_for(n);
    config.stop.grad_tol = 0;
    std::vector<double> xs(n), ys(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = -1.5 + 1e-6 * static_cast<double>(i % 1000);
        ys[i] = 2.0 - 1e-6 * static_cast<double>(i % 777);
    }
    for (auto _ : state) {
        EnsembleResult result = generic ? run_ensemble_generic(*surface, config, xs, ys) : run_ensemble(*surface, config, xs, ys);
        benchmark::DoNotOptimize(result.x.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n) * config.steps);
}

// One trajectory of 10 000 steps, recorded row by row (what a slider change costs per run).
void BM_Trajectory(benchmark::State& state, std::string optimizer) {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig config;
    config.optimizer = optimizer;
    config.hyper = settings(optimizer);
    config.steps = 10000;
    for (auto _ : state) {
        Trajectory t = run_trajectory(*surface, config, {-1.5, 2.0});
        benchmark::DoNotOptimize(t.x.data());
    }
    state.SetItemsProcessed(state.iterations() * config.steps);
}

// The reference: Adam on Rosenbrock hand-fused into one loop body (gradient and update together,
// no outcome checks, no recording), over blocks of particles that stay in L1, on all hardware
// threads, multi-versioned for AVX2 like the core's kernels.
__attribute__((target_clones("default", "arch=x86-64-v3"))) void fused_adam(double* __restrict xs,
                                                                         double* __restrict ys, std::size_t begin,
                                                                         std::size_t end, long steps) {
    constexpr std::size_t kBlock = 256;
    const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double mx[kBlock], my[kBlock], vx[kBlock], vy[kBlock];
    for (std::size_t block = begin; block < end; block += kBlock) {
        const std::size_t n = std::min(kBlock, end - block);
        double* __restrict x = xs + block;
        double* __restrict y = ys + block;
        std::fill(mx, mx + n, 0.0);
        std::fill(my, my + n, 0.0);
        std::fill(vx, vx + n, 0.0);
        std::fill(vy, vy + n, 0.0);
        double p1 = 1, p2 = 1;
        for (long t = 1; t <= steps; ++t) {
            p1 *= b1;
            p2 *= b2;
            const double step = lr / (1 - p1), c2 = std::sqrt(1 - p2);
            for (std::size_t i = 0; i < n; ++i) {
                const double w = y[i] - x[i] * x[i];
                const double gx = -2.0 * (1.0 - x[i]) - 400.0 * x[i] * w, gy = 200.0 * w;
                mx[i] = mx[i] * b1 + (1 - b1) * gx;
                my[i] = my[i] * b1 + (1 - b1) * gy;
                vx[i] = vx[i] * b2 + (1 - b2) * gx * gx;
                vy[i] = vy[i] * b2 + (1 - b2) * gy * gy;
                x[i] -= step * mx[i] / (std::sqrt(vx[i]) / c2 + eps);
                y[i] -= step * my[i] / (std::sqrt(vy[i]) / c2 + eps);
            }
        }
    }
}

// SGD with momentum 0.9, lr 1e-4 (the ensemble benchmark's settings), hand-fused the same way.
__attribute__((target_clones("default", "arch=x86-64-v3"))) void fused_sgd_momentum(double* __restrict xs,
                                                                                 double* __restrict ys,
                                                                                 std::size_t begin, std::size_t end,
                                                                                 long steps) {
    constexpr std::size_t kBlock = 256;
    const double lr = 1e-4, mu = 0.9;
    double bx[kBlock], by[kBlock];
    for (std::size_t block = begin; block < end; block += kBlock) {
        const std::size_t n = std::min(kBlock, end - block);
        double* __restrict x = xs + block;
        double* __restrict y = ys + block;
        for (std::size_t i = 0; i < n; ++i) {  // the first step copies the gradient into the buffer
            const double w = y[i] - x[i] * x[i];
            bx[i] = -2.0 * (1.0 - x[i]) - 400.0 * x[i] * w;
            by[i] = 200.0 * w;
            x[i] -= lr * bx[i];
            y[i] -= lr * by[i];
        }
        for (long t = 2; t <= steps; ++t) {
            for (std::size_t i = 0; i < n; ++i) {
                const double w = y[i] - x[i] * x[i];
                const double gx = -2.0 * (1.0 - x[i]) - 400.0 * x[i] * w, gy = 200.0 * w;
                bx[i] = bx[i] * mu + gx;
                by[i] = by[i] * mu + gy;
                x[i] -= lr * bx[i];
                y[i] -= lr * by[i];
            }
        }
    }
}

// RMSprop with torch's defaults (α 0.99, ε 1e-8), lr 1e-3, hand-fused the same way.
__attribute__((target_clones("default", "arch=x86-64-v3"))) void fused_rmsprop(double* __restrict xs,
                                                                            double* __restrict ys, std::size_t begin,
                                                                            std::size_t end, long steps) {
    constexpr std::size_t kBlock = 256;
    const double lr = 1e-3, alpha = 0.99, eps = 1e-8;
    double vx[kBlock], vy[kBlock];
    for (std::size_t block = begin; block < end; block += kBlock) {
        const std::size_t n = std::min(kBlock, end - block);
        double* __restrict x = xs + block;
        double* __restrict y = ys + block;
        std::fill(vx, vx + n, 0.0);
        std::fill(vy, vy + n, 0.0);
        for (long t = 1; t <= steps; ++t) {
            for (std::size_t i = 0; i < n; ++i) {
                const double w = y[i] - x[i] * x[i];
                const double gx = -2.0 * (1.0 - x[i]) - 400.0 * x[i] * w, gy = 200.0 * w;
                vx[i] = vx[i] * alpha + (1 - alpha) * gx * gx;
                vy[i] = vy[i] * alpha + (1 - alpha) * gy * gy;
                x[i] -= lr * gx / (std::sqrt(vx[i]) + eps);
                y[i] -= lr * gy / (std::sqrt(vy[i]) + eps);
            }
        }
    }
}

using FusedLoop = void (*)(double*, double*, std::size_t, std::size_t, long);

void BM_FusedReference(benchmark::State& state, FusedLoop loop) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const long steps = steps_for(n);
    std::vector<double> xs(n, -1.5), ys(n, 2.0);
    const std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
    for (auto _ : state) {
        std::vector<std::thread> workers;
        const std::size_t per_thread = (n + threads - 1) / threads;
        for (std::size_t w = 0; w < threads; ++w)
            workers.emplace_back(loop, xs.data(), ys.data(), std::min(n, w * per_thread),
                                 std::min(n, (w + 1) * per_thread), steps);
        for (auto& worker : workers) worker.join();
        benchmark::DoNotOptimize(xs.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n) * steps);
}

// A 256 × 256 sweep of Adam on Rosenbrock over lr (log) × β1, 500 steps per cell: every cell a whole
// run, exactly equal to `optiviz trace` for its settings.
void BM_Sweep(benchmark::State& state, std::string y_param) {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig config;
    config.optimizer = "adam";
    config.steps = 500;
    const SweepAxis x = parse_sweep_axis(y_param == "beta1" ? "lr=1e-4:1:log:256" : "beta2=0.9:0.999:lin:256", "x");
    const SweepAxis y = parse_sweep_axis("beta1=0:0.99:lin:256", "y");
    for (auto _ : state) {
        SweepResult result = run_sweep(*surface, config, {-1.5, 2.0}, x, y);
        benchmark::DoNotOptimize(result.cells.data());
    }
    state.SetItemsProcessed(state.iterations() * 256 * 256 * config.steps);
}

// A 256 × 256 basin map of Adam on Himmelblau, 500 steps from every start.
void BM_Basins(benchmark::State& state) {
    const auto surface = make_surface("himmelblau", {});
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 0.1}};
    config.steps = 500;
    for (auto _ : state) {
        BasinResult result = run_basins(*surface, config, {-6, 6, -6, 6}, 256);
        benchmark::DoNotOptimize(result.basin.data());
    }
    state.SetItemsProcessed(state.iterations() * 256 * 256 * config.steps);
}

// Regression on a million rows: the landscape of the MSE costs O(1) per pixel through sufficient
// statistics, and a mini-batch step costs O(batch), whatever the number of rows.
void BM_MseLandscape(benchmark::State& state) {
    SyntheticDatasetSpec spec;
    spec.rows = static_cast<std::size_t>(state.range(0));
    const MseSurface surface(std::make_shared<const Dataset>(make_synthetic_dataset(spec)));
    FieldGrid grid;  // reused, as the window's heatmap cache does
    for (auto _ : state) {
        sample_field_into(grid, surface, surface.default_view(), 830, 560);
        benchmark::DoNotOptimize(grid.normalized.data());
    }
}

void BM_MseMinibatchRun(benchmark::State& state) {
    SyntheticDatasetSpec spec;
    spec.rows = static_cast<std::size_t>(state.range(0));
    const MseSurface surface(std::make_shared<const Dataset>(make_synthetic_dataset(spec)));
    RunConfig config;
    config.hyper = {{"lr", 0.05}};
    config.batch_size = 32;
    config.steps = 2000;
    for (auto _ : state) {
        Trajectory t = run_trajectory(surface, config, {0.0, 0.0});
        benchmark::DoNotOptimize(t.x.data());
    }
    state.SetItemsProcessed(state.iterations() * config.steps);
}

// A typed expression against the built-in surface it spells out: Adam on Rosenbrock, 100 000
// particles × 500 steps on one thread. The issue asks the typed one for at least a third of the
// built-in's speed.
void BM_ExpressionVsBuiltin(benchmark::State& state, bool typed) {
    const auto surface = typed ? make_surface("expr", {}, nullptr, "(1 - x)^2 + 100*(y - x^2)^2") : make_surface("rosenbrock", {});
    const std::size_t n = 100000;
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 1e-3}};
    config.steps = 500;
    config.stop.grad_tol = 0;
    std::vector<double> xs(n), ys(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = -1.5 + 1e-6 * static_cast<double>(i % 1000);
        ys[i] = 2.0 - 1e-6 * static_cast<double>(i % 777);
    }
    for (auto _ : state) {
        EnsembleResult result = run_ensemble(*surface, config, xs, ys, {.threads = 1});
        benchmark::DoNotOptimize(result.x.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n) * config.steps);
}

const int registered = [] {
    for (const auto& info : optimizer_registry()) {
        const std::string name(info.name);
        benchmark::RegisterBenchmark(("ensemble/" + name).c_str(), BM_Ensemble, name, false)
            ->Arg(1)->Arg(1000)->Arg(100000)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
        // The same through the generic path (one pass per stage), for the fused kernel's gain.
        benchmark::RegisterBenchmark(("ensemble_generic/" + name).c_str(), BM_Ensemble, name, true)
            ->Arg(100000)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("trajectory_10k/" + name).c_str(), BM_Trajectory, name)
            ->UseRealTime()->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark("sweep_256x256x500/adam_lr_beta1", BM_Sweep, std::string("beta1"))
        ->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("sweep_256x256x500/adam_beta2_beta1", BM_Sweep, std::string("beta2"))
        ->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("basins_256x256x500/adam_himmelblau", BM_Basins)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("mse_landscape_830x560/rows", BM_MseLandscape)
        ->Arg(1000)->Arg(1000000)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("mse_minibatch32_2000_steps/rows", BM_MseMinibatchRun)
        ->Arg(1000)->Arg(1000000)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("expression/rosenbrock_builtin", BM_ExpressionVsBuiltin, false)
        ->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("expression/rosenbrock_typed", BM_ExpressionVsBuiltin, true)
        ->UseRealTime()->Unit(benchmark::kMillisecond);
    // The hand-fused references, each beside the ensemble of the same optimizer and settings.
    benchmark::RegisterBenchmark("reference/fused_adam", BM_FusedReference, FusedLoop(fused_adam))
        ->Arg(100000)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("reference/fused_sgd_momentum", BM_FusedReference, FusedLoop(fused_sgd_momentum))
        ->Arg(100000)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("reference/fused_rmsprop", BM_FusedReference, FusedLoop(fused_rmsprop))
        ->Arg(100000)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
    return 0;
}();

}  // namespace

// ---- Particle clouds (issue 15): K = 64 particles × 2000 steps of Adam on Rosenbrock, every path
// recorded, as one batched ensemble (run_cloud, all hardware threads) and as K serial run_trajectory
// calls, in the same run. Time is wall time (what the window waits for), CPU is process CPU time (all
// threads). (Self-contained, with its own include, so that it merges apart from the benchmarks above.)
#include "core/analysis/particle_cloud.h"

namespace {

void BM_Cloud(benchmark::State& state, bool batched) {
    const auto surface = make_surface("rosenbrock", {});
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 1e-3}};
    config.steps = 2000;
    const int count = 64;
    const Eigen::Vector2d start(-1.5, 2.0);
    const auto starts = cloud_starts(start, count, 0.3);
    for (auto _ : state) {
        std::vector<Trajectory> cloud;
        if (batched) {
            cloud = run_cloud(*surface, config, start, count, 0.3);
        } else {
            for (std::size_t k = 0; k < starts.size(); ++k) {
                RunConfig own = config;
                own.seed = config.seed + k + 1;
                cloud.push_back(run_trajectory(*surface, own, starts[k]));
            }
        }
        benchmark::DoNotOptimize(cloud.data());
    }
    state.SetItemsProcessed(state.iterations() * count * config.steps);
}

const int registered_cloud = [] {
    benchmark::RegisterBenchmark("cloud_64x2000/adam_batched", BM_Cloud, true)
        ->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("cloud_64x2000/adam_serial", BM_Cloud, false)
        ->MeasureProcessCPUTime()->UseRealTime()->Unit(benchmark::kMillisecond);
    return 0;
}();

}  // namespace

BENCHMARK_MAIN();
