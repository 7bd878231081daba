// Training steps per second of `optiviz train`'s core on the digits MLP (bench: the speed row of
// issue 25): nn.Sequential(Linear(64, 32), ReLU, Linear(32, 10)) in float64 on all 1797 rows, full
// batch, cross-entropy, Adam (lr 0.01). One step is what a row of `optiviz train` costs: the
// full-batch loss and gradient (with the row's accuracy) and the optimizer's update.
// scripts/bench_torch_train.py is the PyTorch peer, set up the same way.
//
//   build/optiviz_bench_models --benchmark_counters_tabular=true
//
// "items_per_second" is training steps per second of process CPU time (one thread: the core trains a
// model on the calling thread), so that figures hold on a machine whose cores other jobs share.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>

#include "core/models/loss_plane.h"
#include "core/models/network.h"
#include "core/models/table_data.h"
#include "core/models/training.h"
#include "core/runtime/worker_pool.h"

using namespace optiviz;

namespace {

void BM_TrainDigitsMlp(benchmark::State& state) {
    const models::LabeledTable digits = models::load_builtin_dataset("digits");
    const auto hidden = static_cast<std::size_t>(state.range(0));
    const models::Network net({{hidden}, models::Activation::Relu}, 64, 10, models::LossKind::CrossEntropy);
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 0.01}};
    config.steps = 100;
    const std::vector<double> start = net.initial_parameters(0);
    for (auto _ : state) {
        const models::TrainingResult r = models::train_model(net, digits, nullptr, config, start);
        benchmark::DoNotOptimize(r.loss.data());
    }
    state.SetItemsProcessed(state.iterations() * config.steps);
}
BENCHMARK(BM_TrainDigitsMlp)->Arg(32)->Arg(8)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// The loss plane of that model (issue 25's speed rows): the loss on a 17 × 17 grid (the first
// picture), and the 65 × 65 grid refined from it (its 289 points reused), both on the shared worker
// pool (2 threads here) in wall time. The plane is the PCA plane of six runs' paths, built once
// outside the timing; building it is its own row.
struct DigitsPlane {
    models::LabeledTable digits = models::load_builtin_dataset("digits");
    models::Network net{{{32}, models::Activation::Relu}, 64, 10, models::LossKind::CrossEntropy};
    std::vector<double> snapshots;  // six runs × 61 rows (every 5th of 300 steps)
    models::ParameterPlane plane;
    ViewRect rect;

    DigitsPlane() {
        const std::vector<double> start = net.initial_parameters(0);
        const std::array<std::pair<const char*, double>, 6> runs = {
            {{"sgd", 0.5}, {"sgd", 0.1}, {"adagrad", 0.05}, {"rmsprop", 0.001}, {"adam", 0.01}, {"adam", 0.001}}};
        for (const auto& [optimizer, lr] : runs) {
            RunConfig config;
            config.optimizer = optimizer;
            config.hyper = {{"lr", lr}};
            config.steps = 300;
            models::TrainingOptions options;
            options.snapshot_every = 5;
            const models::TrainingResult r = models::train_model(net, digits, nullptr, config, start, options);
            snapshots.insert(snapshots.end(), r.snapshots.begin(), r.snapshots.end());
        }
        plane = models::pca_plane(snapshots, net.parameter_count());
        rect = models::plane_rect(models::project_rows(plane, snapshots));
    }
};

const DigitsPlane& digits_plane() {
    static const DigitsPlane plane;
    return plane;
}

void BM_PlaneGridDigitsMlp(benchmark::State& state) {
    const DigitsPlane& p = digits_plane();
    const int refine = static_cast<int>(state.range(0));  // 1: the 17 × 17 grid alone; 4: then 65 × 65
    for (auto _ : state) {
        const models::PlaneLoss loss(p.net, p.plane, p.digits);
        models::PlaneGrid grid = models::plane_grid(loss, p.rect, 17);
        if (refine > 1) grid = models::refine_plane_grid(loss, grid, refine);
        benchmark::DoNotOptimize(grid.values.data());
    }
}
BENCHMARK(BM_PlaneGridDigitsMlp)->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_PcaPlaneDigitsMlp(benchmark::State& state) {
    const DigitsPlane& p = digits_plane();
    for (auto _ : state) {
        const models::ParameterPlane plane = models::pca_plane(p.snapshots, p.net.parameter_count());
        benchmark::DoNotOptimize(plane.u.data());
    }
}
BENCHMARK(BM_PcaPlaneDigitsMlp)->Unit(benchmark::kMillisecond)->UseRealTime();

// What a slider move costs on the model surface: six runs × 300 steps trained again, one run per
// pool task as the window's jobs run them (2 threads here), in wall time. Arg: the hidden width.
void BM_RetrainSixRuns(benchmark::State& state) {
    const models::LabeledTable digits = models::load_builtin_dataset("digits");
    const models::Network net({{static_cast<std::size_t>(state.range(0))}, models::Activation::Relu}, 64, 10,
                              models::LossKind::CrossEntropy);
    const std::vector<double> start = net.initial_parameters(0);
    const std::array<const char*, 6> optimizers = {"sgd", "sgd", "adagrad", "rmsprop", "adam", "adamw"};
    for (auto _ : state) {
        WorkerPool::shared().parallel_for(optimizers.size(), [&](std::size_t i) {
            RunConfig config;
            config.optimizer = optimizers[i];
            config.hyper = {{"lr", 0.01}};
            config.steps = 300;
            models::TrainingOptions options;
            options.snapshot_every = 5;
            const models::TrainingResult r = models::train_model(net, digits, nullptr, config, start, options);
            benchmark::DoNotOptimize(r.loss.data());
        });
    }
    state.SetItemsProcessed(state.iterations() * 6 * 300);
}
BENCHMARK(BM_RetrainSixRuns)->Arg(32)->Arg(16)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// What a slider move costs now that only the moved run trains again (app/derived/model_scene.h), on
// the presets' network (digits-adam-vs-momentum: 64-16-10 tanh, 1437 training rows, 360 held out,
// 200 steps, every row's parameters and test loss kept, as the window trains it): the whole run, in
// wall time on one thread (the window's first rows on the UI thread, the rest on one pool task), and
// how many of its rows the frame of the move shows ("first_frame_rows": rows trained within
// kFirstRowsBudget, 4 ms).
void BM_RetrainMovedRun(benchmark::State& state) {
    const models::LabeledTable digits = models::load_builtin_dataset("digits");
    const models::TableSplit split = models::split_table(digits, 0.2, 0);
    const models::Network net({{static_cast<std::size_t>(state.range(0))}, models::Activation::Tanh}, 64, 10,
                              models::LossKind::CrossEntropy);
    const std::vector<double> start = net.initial_parameters(0);
    RunConfig config;
    config.optimizer = "adam";
    config.hyper = {{"lr", 0.01}};
    config.steps = 200;
    models::TrainingOptions options;
    options.snapshot_every = 1;
    double first_frame_rows = 0;
    for (auto _ : state) {
        models::Trainer trainer(net, split.train, &split.test, config, start, options);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(4);
        bool done = trainer.advance(1);
        while (!done && std::chrono::steady_clock::now() < deadline) done = trainer.advance(1);
        first_frame_rows += static_cast<double>(trainer.result().rows());
        while (!trainer.advance(1)) {
        }
        benchmark::DoNotOptimize(trainer.result().loss.data());
    }
    state.counters["first_frame_rows"] = first_frame_rows / static_cast<double>(state.iterations());
    state.SetItemsProcessed(state.iterations() * config.steps);
}
BENCHMARK(BM_RetrainMovedRun)->Arg(16)->Arg(32)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
