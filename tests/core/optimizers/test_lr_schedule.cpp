#include "support/catch.h"

#include <cmath>
#include <numbers>

#include "core/optimizers/lr_schedule.h"

using namespace optiviz;

TEST_CASE("step and exponential schedules equal their closed forms", "[schedule]") {
    LrSchedule step;
    step.kind = ScheduleKind::Step;
    step.gamma = 0.5;
    step.step_size = 7;
    const auto lr = schedule_table(step, 0.2, 50);
    for (long t = 0; t < 50; ++t) CHECK(lr[static_cast<std::size_t>(t)] == Approx(0.2 * std::pow(0.5, t / 7)).epsilon(1e-14));
    LrSchedule exp;
    exp.kind = ScheduleKind::Exponential;
    const auto e = schedule_table(exp, 1.0, 30);
    CHECK(e[29] == Approx(std::pow(0.99, 29)).epsilon(1e-13));
    const auto c = schedule_table({}, 0.3, 5);
    CHECK(c == std::vector<double>(5, 0.3));
}

TEST_CASE("cosine annealing follows the closed form and is periodic past T_max", "[schedule]") {
    LrSchedule cosine;
    cosine.kind = ScheduleKind::Cosine;
    cosine.t_max = 10;
    cosine.eta_min = 0.01;
    const auto lr = schedule_table(cosine, 0.1, 45);
    for (long t = 0; t < 45; ++t) {
        const double closed = 0.01 + (0.1 - 0.01) * (1 + std::cos(std::numbers::pi * static_cast<double>(t) / 10)) / 2;
        CHECK(lr[static_cast<std::size_t>(t)] == Approx(closed).epsilon(1e-12));
    }
    CHECK(lr[10] == Approx(0.01));
    CHECK(lr[20] == Approx(0.1));  // rises again: the schedule is periodic
}

TEST_CASE("schedule parsing and validation", "[schedule]") {
    CHECK(parse_schedule_kind("cosine") == ScheduleKind::Cosine);
    CHECK(parse_schedule_kind("exponential") == ScheduleKind::Exponential);
    CHECK_THROWS_WITH(parse_schedule_kind("linear"), Catch::StartsWith("unknown schedule 'linear'"));
    LrSchedule bad;
    bad.kind = ScheduleKind::Step;
    bad.step_size = 0;
    CHECK_THROWS_WITH(validate_schedule(bad), Catch::Contains("step-size"));
    LrSchedule negative;
    negative.kind = ScheduleKind::Exponential;
    negative.gamma = -1.0;
    CHECK_THROWS(validate_schedule(negative));
}

TEST_CASE("ReduceLROnPlateau: patience, threshold modes, cooldown, min_lr and torch's eps", "[schedule]") {
    LrSchedule s;
    s.kind = ScheduleKind::Plateau;
    s.patience = 2;
    s.factor = 0.5;
    // Better, then three steps that do not improve by the relative threshold: the third exceeds
    // patience 2 and halves the lr.
    PlateauTracker p;
    double lr = 1.0;
    lr = p.step(s, 10.0, lr);
    CHECK(lr == 1.0);
    lr = p.step(s, 9.9995, lr);  // 10·(1 − 1e-4) = 9.999: not better
    lr = p.step(s, 10.0, lr);
    CHECK(lr == 1.0);
    lr = p.step(s, 10.0, lr);
    CHECK(lr == 0.5);
    CHECK(p.bad_steps == 0);
    // Relative mode with negative losses: best·(1 − thr) is above best, so equal losses count as better.
    PlateauTracker negative;
    lr = 1.0;
    for (int i = 0; i < 10; ++i) lr = negative.step(s, -5.0, lr);
    CHECK(lr == 1.0);
    CHECK(negative.best == -5.0);
    // Absolute mode: an improvement smaller than the threshold is a bad step.
    s.threshold_mode = ThresholdMode::Abs;
    s.threshold = 0.1;
    s.cooldown = 2;
    s.min_lr = 0.3;
    PlateauTracker a;
    lr = 1.0;
    lr = a.step(s, 1.0, lr);
    for (double f : {0.95, 0.91, 0.9}) lr = a.step(s, f, lr);
    CHECK(lr == 0.5);
    // Two cooldown steps count no bad steps; three more bad steps reduce again, down to min_lr.
    for (int i = 0; i < 4; ++i) lr = a.step(s, 0.9, lr);
    CHECK(lr == 0.5);
    lr = a.step(s, 0.9, lr);
    CHECK(lr == 0.3);
    // A reduction of at most 1e-8 is ignored (torch's eps).
    s.min_lr = 0.3 - 5e-9;
    PlateauTracker tiny;
    double small = 0.3;
    tiny.step(s, 1.0, small);
    for (int i = 0; i < 3; ++i) small = tiny.step(s, 1.0, small);
    CHECK(small == 0.3);
    LrSchedule bad = s;
    bad.factor = 1.0;
    CHECK_THROWS_WITH(validate_schedule(bad), Catch::Contains("factor"));
    CHECK(parse_schedule_kind("plateau") == ScheduleKind::Plateau);
}
