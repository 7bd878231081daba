// The update rule of one step, with the step's own numbers filled in: what the equations panel
// shows. Everything comes from a trajectory recorded with RunConfig::record_state, so the numbers
// are the ones the optimizer used (and θ before and after are trace's rows k and k+1).
#pragma once

#include <string>
#include <vector>

#include "core/optimizers/simulation.h"

namespace optiviz {

struct StepExplanation {
    std::string rule;                 // the rule as the optimizer's documentation writes it
    std::vector<std::string> lines;   // the same with this step's numbers, one assignment per line
    std::vector<std::string> notes;   // caveats (clipping, weight decay, mini-batches) and the course form
};

// Explains step k → k+1 (0 <= k < trajectory.size() − 1) of a run made with `config` (its steps,
// schedule and hyperparameters). Throws std::invalid_argument if the trajectory has no recorded
// state or k is out of range.
StepExplanation explain_step(const RunConfig& config, const Trajectory& trajectory, std::size_t k);

}  // namespace optiviz
