// Coinciding paths: which earlier run a path follows, and until which step.
#include "support/catch.h"

#include "core/analysis/path_overlap.h"

using namespace optiviz;

namespace {

Trajectory path(std::vector<double> xs, std::vector<double> ys) {
    Trajectory t;
    t.x = std::move(xs);
    t.y = std::move(ys);
    t.loss.assign(t.x.size(), 0.0);
    t.gx.assign(t.x.size(), 0.0);
    t.gy.assign(t.x.size(), 0.0);
    return t;
}

}  // namespace

TEST_CASE("a path that follows an earlier one says which and until when", "[overlap]") {
    const Trajectory a = path({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0});
    const Trajectory b = path({0, 1, 2, 3.5, 5}, {0, 0, 0, 0, 0});  // leaves a after step 2
    const Trajectory c = path({0, 1, 2}, {0, 0, 0});                // a's start, stopped early
    const Trajectory d = path({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0});    // all of a
    const Trajectory e = path({0, -1, -2}, {0, 0, 0});              // another way from the same start
    const auto shared = shared_paths({&a, &b, &c, &d, &e, nullptr}, 1e-9, 100);
    REQUIRE(shared.size() == 6);
    CHECK(shared[0].with == -1);
    CHECK(shared[1].with == 0);
    CHECK(shared[1].until_step == 2);
    CHECK_FALSE(shared[1].whole);
    CHECK(shared[2].with == 0);  // the first earlier run it follows
    CHECK(shared[2].until_step == 2);
    CHECK_FALSE(shared[2].whole);  // c ends where a goes on
    CHECK(shared[3].with == 0);
    CHECK(shared[3].until_step == 4);
    CHECK(shared[3].whole);
    CHECK(shared[4].with == -1);
    CHECK(shared[5].with == -1);
}

TEST_CASE("coincidence is within the tolerance and up to the shown row", "[overlap]") {
    const Trajectory a = path({0, 1, 2, 3}, {0, 0, 0, 0});
    const Trajectory b = path({0, 1 + 1e-7, 2, 3}, {0, 0, 0, 0});
    CHECK(shared_paths({&a, &b}, 1e-9, 100)[1].with == -1);
    CHECK(shared_paths({&a, &b}, 1e-6, 100)[1].until_step == 3);
    CHECK(shared_paths({&a, &b}, 1e-6, 2)[1].until_step == 2);
    CHECK(shared_paths({&a, &b}, 1e-6, 2)[1].so_far);  // still together at the shown step, both go on
    CHECK_FALSE(shared_paths({&a, &b}, 1e-6, 100)[1].so_far);
}

TEST_CASE("paths that part after a step or two share nothing", "[overlap]") {
    const Trajectory a = path({0, 1, 2, 3, 4, 5}, {0, 0, 0, 0, 0, 0});
    const Trajectory b = path({0, 1, 2, 9, 9, 9}, {0, 0, 0, 0, 0, 0});  // parts after step 2
    const Trajectory c = path({0, 1, 2}, {0, 0, 0});                    // ends at step 2, still on a
    CHECK(shared_paths({&a, &b}, 1e-9, 100, 1)[1].with == 0);
    CHECK(shared_paths({&a, &b}, 1e-9, 100, 3)[1].with == -1);
    CHECK(shared_paths({&a, &c}, 1e-9, 100, 3)[1].with == 0);  // a short run on another's path is one
}
