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

#include "core/models/network.h"
#include "core/models/table_data.h"
#include "core/models/training.h"

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

}  // namespace

BENCHMARK_MAIN();
