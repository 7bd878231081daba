// Learning-rate schedules with torch.optim.lr_scheduler semantics: step t (counting from 0) uses
// the learning rate after t calls of scheduler.step().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace optiviz {

enum class ScheduleKind {
    Constant,     // lr
    Step,         // StepLR: lr·γ^⌊t/step_size⌋
    Exponential,  // ExponentialLR: lr·γ^t
    Cosine,       // CosineAnnealingLR: η_min + (lr − η_min)(1 + cos(πt/T_max))/2, periodic past T_max
};

struct LrSchedule {
    ScheduleKind kind = ScheduleKind::Constant;
    std::optional<double> gamma;  // unset: 0.1 for step, 0.99 for exponential
    long step_size = 10;          // Step: decay every step_size steps (>= 1)
    long t_max = 100;             // Cosine: half period in steps (>= 1)
    double eta_min = 0.0;         // Cosine: lowest learning rate (>= 0)

    double effective_gamma() const;
    bool operator==(const LrSchedule&) const = default;
};

std::string_view schedule_name(ScheduleKind kind);  // "constant", "step", "exp", "cosine"
// Accepts the names above (and "exponential"); throws std::invalid_argument otherwise.
ScheduleKind parse_schedule_kind(std::string_view name);

// Throws std::invalid_argument with one line if a field is out of range for the kind.
void validate_schedule(const LrSchedule& schedule);

// Learning rates for steps 0 .. steps-1. Computed with torch's chained (recursive) formulas so the
// rounding matches a torch run step for step.
std::vector<double> schedule_table(const LrSchedule& schedule, double base_lr, long steps);

}  // namespace optiviz
