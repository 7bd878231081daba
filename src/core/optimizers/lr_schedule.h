// Learning-rate schedules with torch.optim.lr_scheduler semantics: step t (counting from 0) uses
// the learning rate after t calls of scheduler.step().
#pragma once

#include <limits>
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
    Plateau,      // ReduceLROnPlateau (mode min): lr·factor after `patience` steps without improvement
};

enum class ThresholdMode { Rel, Abs };  // ReduceLROnPlateau: better means f < best·(1 − thr) or f < best − thr

struct LrSchedule {
    ScheduleKind kind = ScheduleKind::Constant;
    std::optional<double> gamma;  // unset: 0.1 for step, 0.99 for exponential
    long step_size = 10;          // Step: decay every step_size steps (>= 1)
    long t_max = 100;             // Cosine: half period in steps (>= 1)
    double eta_min = 0.0;         // Cosine: lowest learning rate (>= 0)
    // Plateau, with torch's defaults: lr ← max(lr·factor, min_lr) once the loss has failed to improve
    // (by `threshold`, relative or absolute) for more than `patience` steps; then `cooldown` steps
    // in which bad steps are not counted.
    double factor = 0.1;          // [0, 1)
    long patience = 10;           // >= 0
    double threshold = 1e-4;      // finite, >= 0
    ThresholdMode threshold_mode = ThresholdMode::Rel;
    long cooldown = 0;            // >= 0
    double min_lr = 0.0;          // >= 0

    double effective_gamma() const;
    bool operator==(const LrSchedule&) const = default;
};

std::string_view schedule_name(ScheduleKind kind);  // "constant", "step", "exp", "cosine", "plateau"
// Accepts the names above (and "exponential"); throws std::invalid_argument otherwise.
ScheduleKind parse_schedule_kind(std::string_view name);

// Throws std::invalid_argument with one line if a field is out of range for the kind.
void validate_schedule(const LrSchedule& schedule);

std::string_view threshold_mode_name(ThresholdMode mode);  // "rel", "abs"
ThresholdMode parse_threshold_mode(std::string_view name);  // throws std::invalid_argument

// Learning rates for steps 0 .. steps-1. Computed with torch's chained (recursive) formulas so the
// rounding matches a torch run step for step. The plateau schedule depends on the losses, so its
// table is the starting lr; runs apply PlateauTracker per particle instead.
std::vector<double> schedule_table(const LrSchedule& schedule, double base_lr, long steps);

// ReduceLROnPlateau's state for one run, mode min (torch 1.13's rules, eps 1e-8).
struct PlateauTracker {
    double best = std::numeric_limits<double>::infinity();
    long bad_steps = 0;
    long cooldown_counter = 0;
    // Called after each optimizer step with the loss where that step's gradient was taken and the
    // lr it used; returns the lr for the next step.
    double step(const LrSchedule& schedule, double loss, double lr);
};

}  // namespace optiviz
