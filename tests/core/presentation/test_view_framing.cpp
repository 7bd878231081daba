// Opening a surface or preset frames the start, the minima and the runs, and does not chase a run
// that flies off to infinity.
#include "support/catch.h"

#include "core/presentation/view_framing.h"

using namespace optiviz;

namespace {

bool inside(const ViewRect& v, double x, double y) { return x > v.x_min && x < v.x_max && y > v.y_min && y < v.y_max; }

Trajectory path(std::vector<std::pair<double, double>> points) {
    Trajectory t;
    for (const auto& [x, y] : points) {
        t.x.push_back(x);
        t.y.push_back(y);
        t.loss.push_back(0);
        t.gx.push_back(0);
        t.gy.push_back(0);
    }
    return t;
}

}  // namespace

TEST_CASE("the frame holds the start, the minima and the runs, and skips far excursions", "[framing]") {
    const ViewRect fallback{-3, 3, -2, 2};
    const Trajectory near = path({{-5, 0.5}, {-4.5, 3.0}, {0.9, 1.0}});  // starts left of the default view
    const Trajectory away = path({{-5, 0.5}, {2.0, -1.0}, {4e7, -3e7}});   // diverges
    const ViewRect v = frame_view(fallback, {-5, 0.5}, {{1, 1}}, {&near, &away, nullptr});
    CHECK(inside(v, -5, 0.5));   // the start, outside the default view
    CHECK(inside(v, 1, 1));      // the minimum
    CHECK(inside(v, -4.5, 3.0)); // the runs' extent
    CHECK(inside(v, 2.0, -1.0));
    CHECK(v.x_max < 100);        // not the diverged point
    CHECK(v.y_min > -100);
    // A margin: the extreme points are not on the border.
    CHECK(v.x_min < -5 - 0.1 * 5);
    // Nothing moves (a saddle): still a readable area, at least 15% of the default view's larger side.
    const Trajectory still = path({{0.5, 0.5}, {0.5, 0.5}});
    const ViewRect small = frame_view(fallback, {0.5, 0.5}, {}, {&still});
    CHECK(small.x_max - small.x_min >= 0.15 * 6 - 1e-12);
    CHECK(small.y_max - small.y_min >= 0.15 * 6 - 1e-12);
    CHECK(inside(small, 0.5, 0.5));
}
