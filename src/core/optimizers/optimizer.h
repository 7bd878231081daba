// An optimizer updates a batch of independent 2-D particles in place, one step at a time.
//
// Particles are stored as a structure of arrays: x[], y[], and for each coordinate the optimizer's
// per-parameter state (Adam: exp_avg and exp_avg_sq). Every rule is elementwise per coordinate,
// exactly as torch.optim applies it to an (N, 2) tensor, so a batch of N particles is N independent
// runs. Weight decay added to the gradient and gradient clipping happen before step(); see
// simulation.h.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/scene/param_spec.h"

namespace optiviz {

class LossSurface;
struct FusedRule;  // core/optimizers/fused_rule.h: internal to core, so that the rules stay out of this header

struct StepInfo {
    long t = 1;       // torch's state['step'] during this step: 1 for the first step
    double lr = 0.0;  // learning rate for this step, after the schedule
};

// One recorded step, as the equations panel explains it: the gradient at θ and every state array
// before (zeros before the first step) and after the step, for the x and y coordinate
// (state_arrays() values each, in state_names() order).
struct StepNumbers {
    StepInfo info;
    double gx = 0.0, gy = 0.0;
    std::span<const double> before_x, before_y, after_x, after_y;
};

// The lines an optimizer adds to a step's explanation: assignments with this step's numbers, and
// caveats or course forms as notes.
struct StepText {
    std::vector<std::string> lines;
    std::vector<std::string> notes;
};

// A contiguous range of particles. state_x[k] / state_y[k] point at the k-th state array for the
// x and y coordinate, already offset to this range; there are Optimizer::state_arrays() of each.
struct ParticleSpan {
    std::size_t count = 0;
    double* x = nullptr;
    double* y = nullptr;
    const double* gx = nullptr;  // gradient (after clipping and coupled weight decay)
    const double* gy = nullptr;
    double* const* state_x = nullptr;
    double* const* state_y = nullptr;
    // Optional per-particle learning rates (sweeps over lr). When set, particle i uses lr[i] where
    // StepInfo::lr would be used, in the same operations, so it matches a run with that lr exactly.
    const double* lr = nullptr;
    // For optimizers that evaluate the objective themselves (Optimizer::evaluates_objective): the
    // full loss at the current points and the surface (the gradient above is then unclipped).
    const double* loss = nullptr;
    const LossSurface* objective = nullptr;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;

    virtual std::string_view name() const = 0;

    // Number of per-coordinate state arrays; all start at zero.
    virtual int state_arrays() const = 0;
    // Names of those arrays as torch calls them (e.g. "exp_avg"), for teaching views.
    virtual std::vector<std::string_view> state_names() const = 0;

    // The weight_decay hyperparameter. Coupled (added to the gradient before step()) unless
    // decoupled_weight_decay() is true (AdamW), in which case step() applies it to the point.
    double weight_decay() const { return weight_decay_; }
    virtual bool decoupled_weight_decay() const { return false; }

    // Called once before a run of `steps` steps; precomputes per-step scalars (bias corrections,
    // NAdam's momentum products) so that step() costs no pow() per call.
    virtual void prepare(long steps) = 0;

    // L-BFGS evaluates the loss itself (its line search): it needs ParticleSpan::objective and
    // ::loss, the full-batch gradient, no clipping. step_evaluations tells how many evaluations of
    // the objective particle i's last step made (torch's func_evals for that step; 1 otherwise).
    virtual bool evaluates_objective() const { return false; }
    virtual long step_evaluations(const ParticleSpan&, std::size_t) const { return 1; }

    // The rule as the fused ensemble kernel applies it (constants and prepare()'s tables, valid
    // while this optimizer lives), or kind None for rules that only run through step().
    virtual FusedRule fused_rule() const;

    // Applies step number info.t (1 <= t <= prepared steps) to every particle in the span.
    virtual void step(const StepInfo& info, const ParticleSpan& particles) const = 0;

    // The effective learning rate of one coordinate in step info.t: the factor the step applied to
    // the gradient-like quantity it moved along (the momentum buffer or first moment where there is
    // one), read from `state` — that coordinate's state arrays after the step. For teaching views:
    // SGD's is lr; Adam's is lr/(1−β1^t)/(√v̂ + ε) per coordinate.
    virtual double effective_rate(const StepInfo& info, const double* state) const = 0;

    // What the step moved against, per coordinate: θ' = θ − effective_rate·step_direction, from the
    // gradient the step used (after clipping and coupled weight decay) and the state after the step.
    // SGD's is the momentum buffer (g + μ·b with Nesterov), Adam's the first moment, AdaGrad's g.
    virtual double step_direction(const StepInfo& info, double gradient, const double* state) const = 0;

    // The state array that is the optimizer's "direction" for teaching views (the momentum buffer or
    // first moment), or -1 when it has none and moves along the gradient itself. With
    // direction_is_descent() the state points downhill (L-BFGS's d) instead of uphill like a gradient.
    virtual int direction_state() const { return -1; }
    virtual bool direction_is_descent() const { return false; }

    // The update rule as this configuration computes it, with its source (bias correction off,
    // Nesterov and similar switches change it).
    virtual std::string rule() const = 0;
    // The rule's assignments with one step's numbers. Requires prepare() to have covered the step.
    virtual StepText explain(const StepNumbers& step) const = 0;

protected:
    double weight_decay_ = 0.0;
};

struct OptimizerInfo {
    std::string_view name;         // registry key, e.g. "adam"
    std::string_view title;        // e.g. "Adam"
    std::string_view rule;         // the update rule it implements, with its source
    ParamTable params;
    // Builds the optimizer from validated values; throws std::invalid_argument on combinations the
    // table cannot express (nesterov without momentum).
    std::unique_ptr<Optimizer> (*make)(const ParamValues& values);
};

std::span<const OptimizerInfo> optimizer_registry();

// Throws std::invalid_argument("unknown optimizer 'x' (known: ...)").
const OptimizerInfo& find_optimizer(std::string_view name);

std::unique_ptr<Optimizer> make_optimizer(std::string_view name, const ParamOverrides& overrides);

}  // namespace optiviz
