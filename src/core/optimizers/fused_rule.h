// How an optimizer hands its update rule to the fused ensemble kernel (core/optimizers/fused_ensemble.h):
// which rule (core/optimizers/update_rules.h) with its named hyperparameters, and the per-step tables its
// prepare() computed. The kernel runs the same rule's update() as the optimizer's own step(), so
// both paths give the same bits. Internal to core.
#pragma once

#include <cstddef>
#include <variant>

#include "core/optimizers/update_rules.h"

namespace optiviz {

// The rules the fused kernel runs; monostate: none (L-BFGS's line search, Rprop: generic path
// only). A new elementwise rule joins by being listed here.
using FusedParams = std::variant<std::monostate, rules::SgdRule::Params, rules::AdagradRule::Params,
                                 rules::RmspropRule::Params, rules::AdadeltaRule::Params, rules::AdamRule::Params,
                                 rules::AdamaxRule::Params, rules::NadamRule::Params, rules::RadamRule::Params>;

struct FusedRule {
    FusedParams params;
    // The rule's flag(params) (Nesterov, centered, AMSGrad), which picks the compiled operations: the
    // variants of one chunk share it.
    bool flag = false;
    // Its table_data(): per-step tables indexed by the step number t (1 .. prepared steps), valid
    // while the optimizer lives.
    const double* table[3] = {};
    double coupled_weight_decay = 0.0;  // added to the gradient before the rule (0: none)
};

}  // namespace optiviz
