// How an optimizer describes its update rule to the fused ensemble kernel (core/fused_ensemble.h):
// which rule, its constants, and the per-step tables its prepare() computed. The fused kernel
// applies the same operations in the same order as the optimizer's own step(), so both paths give
// the same bits. Internal to core.
#pragma once

#include <cstddef>
#include <cstdint>

namespace optiviz {

// The rules the fused kernel knows. L-BFGS (line search) and Rprop (per-coordinate sign logic)
// stay on the generic path: FusedKind::None.
enum class FusedKind : std::uint8_t { None, Sgd, Adagrad, Rmsprop, Adadelta, Adam, Adamax, Nadam, Radam };

struct FusedRule {
    FusedKind kind = FusedKind::None;
    // Real-valued constants, per kind (the names in brackets are the optimizer's parameters):
    //   Sgd:      c0 momentum, c1 1 − dampening
    //   Adagrad:  c0 lr_decay, c1 eps, c2 initial_accumulator_value
    //   Rmsprop:  c0 alpha, c1 eps, c2 momentum
    //   Adadelta: c0 rho, c1 eps
    //   Adam:     c0 beta1, c1 beta2, c2 eps, c3 weight_decay when decoupled (AdamW), else 0
    //   Adamax, Nadam, Radam: c0 beta1, c1 beta2, c2 eps
    double c[4] = {};
    // Switches that change which operations run (never per particle): Sgd nesterov, Rmsprop
    // centered, Adam amsgrad.
    bool flag = false;
    // Per-step tables indexed by the step number t (1 .. prepared steps), per kind:
    //   Adam: bc1, √bc2;  Adamax: bc1;  Nadam: √bc2, grad_coef, avg_coef;  Radam: bc1, √bc2, rect
    const double* table[3] = {};
    double coupled_weight_decay = 0.0;  // added to the gradient before the rule (0: none)
};

}  // namespace optiviz
