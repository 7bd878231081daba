#include "support/catch.h"

#include <cmath>
#include <numbers>

#include "core/lr_schedule.h"

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
