#include "core/optimizers/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace optiviz {

double LrSchedule::effective_gamma() const {
    if (gamma) return *gamma;
    return kind == ScheduleKind::Exponential ? 0.99 : 0.1;
}

std::string_view schedule_name(ScheduleKind kind) {
    switch (kind) {
        case ScheduleKind::Constant: return "constant";
        case ScheduleKind::Step: return "step";
        case ScheduleKind::Exponential: return "exp";
        case ScheduleKind::Cosine: return "cosine";
        case ScheduleKind::Plateau: return "plateau";
    }
    return "constant";
}

std::string_view threshold_mode_name(ThresholdMode mode) { return mode == ThresholdMode::Abs ? "abs" : "rel"; }

ThresholdMode parse_threshold_mode(std::string_view name) {
    if (name == "rel") return ThresholdMode::Rel;
    if (name == "abs") return ThresholdMode::Abs;
    throw std::invalid_argument("unknown threshold mode '" + std::string(name) + "' (known: rel, abs)");
}

double PlateauTracker::step(const LrSchedule& s, double loss, double lr) {
    const bool better = s.threshold_mode == ThresholdMode::Rel ? loss < best * (1.0 - s.threshold)
                                                                : loss < best - s.threshold;
    if (better) {
        best = loss;
        bad_steps = 0;
    } else {
        ++bad_steps;
    }
    if (cooldown_counter > 0) {
        --cooldown_counter;
        bad_steps = 0;  // bad steps in cooldown do not count
    }
    if (bad_steps > s.patience) {
        const double reduced = std::max(lr * s.factor, s.min_lr);
        if (lr - reduced > 1e-8) lr = reduced;  // torch's eps: smaller changes are ignored
        cooldown_counter = s.cooldown;
        bad_steps = 0;
    }
    return lr;
}

ScheduleKind parse_schedule_kind(std::string_view name) {
    if (name == "constant") return ScheduleKind::Constant;
    if (name == "step") return ScheduleKind::Step;
    if (name == "exp" || name == "exponential") return ScheduleKind::Exponential;
    if (name == "cosine") return ScheduleKind::Cosine;
    if (name == "plateau") return ScheduleKind::Plateau;
    throw std::invalid_argument("unknown schedule '" + std::string(name) + "' (known: constant, step, exp, cosine, plateau)");
}

void validate_schedule(const LrSchedule& s) {
    const double gamma = s.effective_gamma();
    if (s.kind == ScheduleKind::Step || s.kind == ScheduleKind::Exponential) {
        if (!std::isfinite(gamma) || gamma < 0.0)
            throw std::invalid_argument("schedule: gamma must be a finite number >= 0");
    }
    if (s.kind == ScheduleKind::Step && s.step_size < 1)
        throw std::invalid_argument("schedule: step-size must be at least 1");
    if (s.kind == ScheduleKind::Cosine) {
        if (s.t_max < 1) throw std::invalid_argument("schedule: t-max must be at least 1");
        if (!std::isfinite(s.eta_min) || s.eta_min < 0.0)
            throw std::invalid_argument("schedule: eta-min must be a finite number >= 0");
    }
    if (s.kind == ScheduleKind::Plateau) {
        if (!(s.factor >= 0.0 && s.factor < 1.0)) throw std::invalid_argument("schedule: factor must be in [0, 1)");
        if (s.patience < 0) throw std::invalid_argument("schedule: patience must be >= 0");
        if (!std::isfinite(s.threshold) || s.threshold < 0.0)
            throw std::invalid_argument("schedule: threshold must be a finite number >= 0");
        if (s.cooldown < 0) throw std::invalid_argument("schedule: cooldown must be >= 0");
        if (!std::isfinite(s.min_lr) || s.min_lr < 0.0)
            throw std::invalid_argument("schedule: min-lr must be a finite number >= 0");
    }
}

std::vector<double> schedule_table(const LrSchedule& s, double base_lr, long steps) {
    validate_schedule(s);
    std::vector<double> lr(static_cast<std::size_t>(std::max(0L, steps)));
    const double gamma = s.effective_gamma();
    const double pi = std::numbers::pi;
    const auto T = static_cast<double>(s.t_max);
    double current = base_lr;
    for (long t = 0; t < steps; ++t) {
        if (t > 0) {
            switch (s.kind) {
                case ScheduleKind::Constant:
                case ScheduleKind::Plateau: break;
                case ScheduleKind::Step:
                    if (t % s.step_size == 0) current = current * gamma;
                    break;
                case ScheduleKind::Exponential: current = current * gamma; break;
                case ScheduleKind::Cosine: {
                    const auto td = static_cast<double>(t);
                    // Python's % is a floor modulo; (t − 1 − T) may be negative.
                    const long period = 2 * s.t_max;
                    const long phase = ((t - 1 - s.t_max) % period + period) % period;
                    if (phase == 0)
                        current = current + (base_lr - s.eta_min) * (1.0 - std::cos(pi / T)) / 2.0;
                    else
                        current = (1.0 + std::cos(pi * td / T)) / (1.0 + std::cos(pi * (td - 1.0) / T)) *
                                      (current - s.eta_min) +
                                  s.eta_min;
                    break;
                }
            }
        }
        lr[static_cast<std::size_t>(t)] = current;
    }
    return lr;
}

}  // namespace optiviz
