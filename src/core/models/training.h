// Trains a Network with the optimizers of the 2-D runs, with torch.optim's semantics on the model's
// parameters: for these elementwise rules, one update of the flattened parameter vector equals
// torch's per-tensor application, so the registry's own optimizer code runs on it unchanged (the
// vector is laid out as the x and y halves of a batch of coordinates). L-BFGS, whose rule couples
// the coordinates, runs torch's algorithm on the whole vector (core/optimizers/lbfgs_algorithm.h).
//
// Step semantics are those of core/optimizers/simulation.h: row t is the full training loss at the parameters
// after t steps; step t+1 uses the gradient at row t (of a mini-batch when batch_size > 0) →
// clip_grad_norm_ (one global norm over all parameters) → coupled weight decay → optimizer step
// (AdamW decays the parameters itself) → ReduceLROnPlateau with the row's training loss. Stopping
// rules (loss change, gradient norm) and divergence (a loss, gradient or parameter that is not
// finite, or |θ_i| above the divergence bound) end the rows as in 2-D runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/models/network.h"
#include "core/models/table_data.h"
#include "core/optimizers/simulation.h"

namespace optiviz::models {

struct TrainingResult {
    // Per row t = 0 .. rows()-1: the mean training loss, the full-batch gradient's norm, the
    // training accuracy (NaN for mse) and, with a test table, the test loss and accuracy.
    std::vector<double> loss, grad_norm, accuracy, test_loss, test_accuracy;
    std::vector<double> lr;            // the learning rate each step used, one per step taken
    std::vector<long> evaluations;     // L-BFGS: loss evaluations per step (torch's func_evals); else empty
    std::vector<double> parameters;    // at the last row
    // With TrainingOptions::snapshot_every k > 0: the parameters at rows 0, k, 2k, ... and the last
    // row, flattened (rows × parameter_count), and which rows they are.
    std::vector<double> snapshots;
    std::vector<long> snapshot_rows;
    Outcome outcome = Outcome::MaxSteps;
    StopReason stop_reason = StopReason::None;
    long converged_step = -1, diverged_step = -1, stopped_step = -1;

    std::size_t rows() const { return loss.size(); }
};

struct TrainingOptions {
    long snapshot_every = 0;                    // 0: no snapshots
    const std::atomic<bool>* cancel = nullptr;  // checked every step; throws std::runtime_error("cancelled")
};

// Throws std::invalid_argument with one line for what train_model would reject: an unknown optimizer
// or hyperparameter, an out-of-range value, negative steps or clip norm, a bad schedule or stop
// rule, L-BFGS with mini-batches or clipping.
void validate_training(const RunConfig& config);

// A run trained a few rows at a time, so that the window can show it growing and a worker can stop
// it between rows: advance(k) computes up to k more rows (row t and then step t + 1), in exactly the
// order train_model does, so a run advanced in any chunks equals train_model's result bit for bit.
// The network, tables and cancel flag must outlive the Trainer; it is used by one thread at a time.
class Trainer {
public:
    // Throws what train_model throws for bad settings or data, before any row.
    Trainer(const Network& network, const LabeledTable& train, const LabeledTable* test, const RunConfig& config,
            std::span<const double> initial, const TrainingOptions& options = {});
    ~Trainer();
    Trainer(Trainer&&) noexcept;
    Trainer& operator=(Trainer&&) noexcept;

    // Up to `rows` more rows; true once the run has ended (its last row recorded, `parameters` set).
    // Throws std::runtime_error("cancelled") when options.cancel or `cancel` is set, checked before
    // each row.
    bool advance(long rows, const std::atomic<bool>* cancel = nullptr);
    bool done() const;
    // The rows so far (all of them, `parameters` included, once done()).
    const TrainingResult& result() const;
    // The most rows the run can have: steps + 1.
    long total_rows() const;
    // The finished result; throws std::logic_error before done().
    TrainingResult take() &&;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Trains from `initial` (network.parameter_count() values) on `train`; `test` may be null.
// config.record_state is ignored. Throws std::invalid_argument for a wrong parameter count or a
// table whose width does not match the network.
TrainingResult train_model(const Network& network, const LabeledTable& train, const LabeledTable* test,
                           const RunConfig& config, std::span<const double> initial, const TrainingOptions& options = {});

}  // namespace optiviz::models
