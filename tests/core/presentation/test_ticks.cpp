// Axis ticks: nice values for ordinary axes, a short list (never an endless loop) for any finite one.
#include "support/catch.h"

#include <cfloat>
#include <cmath>
#include <limits>

#include "core/presentation/color_scale.h"
#include "core/surfaces/surface_registry.h"
#include "core/presentation/ticks.h"

using optiviz::decade_ticks;
using optiviz::nice_ticks;

namespace {

bool strictly_increasing(const std::vector<double>& v) {
    for (std::size_t i = 1; i < v.size(); ++i)
        if (!(v[i] > v[i - 1])) return false;
    return true;
}

}  // namespace

TEST_CASE("nice ticks are 1-2-5 multiples inside the axis", "[ticks]") {
    CHECK(nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
    CHECK(nice_ticks(-1, 1, 4) == std::vector<double>{-1, -0.5, 0, 0.5, 1});
    CHECK(nice_ticks(0.3, 7.7, 3) == std::vector<double>{5});
    CHECK(nice_ticks(-2, 2, 0) == std::vector<double>{0});  // target clamped to 1: a step of 5
}

TEST_CASE("axes spanning a few representable values get a short list", "[ticks]") {
    const double lo = 1e16 - 2, hi = 1e16 + 2;  // Rosenbrock's view with a = 1e8: a handful of doubles
    const auto ticks = nice_ticks(lo, hi, 10);
    REQUIRE(!ticks.empty());
    CHECK(ticks.size() <= 22);
    CHECK(strictly_increasing(ticks));
    for (double t : ticks) CHECK((t >= lo && t <= hi));
    const double y = 1e7;  // an mse CSV whose y is constant near 1e7
    const auto near = nice_ticks(y, std::nextafter(std::nextafter(y, 2e7), 2e7), 8);
    CHECK(near.size() <= 18);
    CHECK(strictly_increasing(near));
    const double m = 0.5;  // the sweep axis momentum=0.5:0.50000000000000011
    CHECK(nice_ticks(m, 0.50000000000000011, 8).size() <= 18);
}

TEST_CASE("huge, subnormal and non-finite axes terminate", "[ticks]") {
    const auto huge = nice_ticks(-1e308, 1e308, 6);
    CHECK(!huge.empty());
    CHECK(huge.size() <= 14);
    CHECK(strictly_increasing(huge));
    CHECK(nice_ticks(-DBL_MAX, DBL_MAX, 1).size() <= 4);
    CHECK(nice_ticks(0, std::numeric_limits<double>::denorm_min(), 5).size() <= 12);
    CHECK(nice_ticks(0, std::numeric_limits<double>::infinity(), 5).empty());
    CHECK(nice_ticks(std::nan(""), 1, 5).empty());
    CHECK(nice_ticks(1, 1, 5).empty());
    CHECK(nice_ticks(0, 1, 1 << 30).size() <= 2 * optiviz::kMaxTicks + 2);
}

TEST_CASE("decade ticks: powers of ten, with 2 and 5 on short axes", "[ticks]") {
    CHECK(decade_ticks(1e-3, 1, 8) == std::vector<double>{1e-3, 1e-2, 1e-1, 1});
    CHECK(decade_ticks(1, 100, 8) == std::vector<double>{1, 2, 5, 10, 20, 50, 100});
    CHECK(decade_ticks(1e-300, 1e300, 4).size() <= 6);
    CHECK(decade_ticks(0, 1, 4).empty());
    CHECK(decade_ticks(1, std::numeric_limits<double>::infinity(), 4).empty());
}

TEST_CASE("fuzz finding: a narrow axis near -4e71 keeps its ticks inside the axis", "[ticks][fuzz]") {
    // lo and hi as the fuzzer built them from bytes ff ce ce ... (a few ulps apart).
    const double lo = -4.2525583765009389e+71, hi = -4.2525583765009148e+71;
    REQUIRE(lo < hi);
    const auto ticks = nice_ticks(lo, hi, 206);
    REQUIRE(!ticks.empty());
    for (double t : ticks) CHECK((t >= lo && t <= hi));
}

TEST_CASE("the colour bar is labelled at the minimum, negative values included", "[ticks]") {
    // Six-hump camel's minima are at -1.0316: the bar's bottom must say so, not start at 0.
    const auto surface = optiviz::make_surface("six_hump_camel", {});
    const optiviz::FieldGrid grid = optiviz::sample_field(*surface, {-2, 2, -1, 1}, 64, 40);
    const std::vector<double> ticks = grid.scale.ticks();
    REQUIRE(ticks.size() >= 3);
    CHECK(ticks.front() == grid.scale.loss_at(0.0));  // the bar's bottom: a hair above the minimum
    CHECK(grid.scale.floor < -1.03);
    CHECK(ticks.front() < -1.0);
    CHECK(strictly_increasing(ticks));
    for (std::size_t i = 1; i < ticks.size(); ++i)  // the others keep their distance from the bottom's label
        CHECK(grid.scale.normalize(ticks[i]) >= 0.09);
}

TEST_CASE("the colour scale resolves a steep surface's valley and says where it clamps", "[ticks]") {
    // Beale over the default view spans 0 to 1.5e6: with four decades, a third of the view (everything
    // below about 150) was one dark colour. Now at most ~2% of the view shares the bottom colour.
    const auto surface = optiviz::make_surface("beale", {});
    const optiviz::FieldGrid grid = optiviz::sample_field(*surface, {-6.6, 3.8, -4, 5.7}, 128, 96);
    const optiviz::LogColorScale& s = grid.scale;
    CHECK(s.clamped_low);
    CHECK_FALSE(s.clamped_high);  // the top is the highest loss in view
    std::size_t bottom = 0, finite = 0;
    for (double f : grid.loss) {
        if (!std::isfinite(f)) continue;
        ++finite;
        if (s.normalize(f) <= 0.0) ++bottom;
    }
    CHECK(bottom > 0);
    CHECK(static_cast<double>(bottom) < 0.03 * static_cast<double>(finite));
    CHECK(s.loss_at(0.0) < 10.0);                    // the valley's losses of 10 and more keep their colours
    CHECK(s.normalize(s.loss_at(0.0)) == Approx(0.0).margin(1e-12));
    CHECK(s.normalize(s.loss_at(1.0)) == Approx(1.0));
    // A shallow bowl: the 4-decade bound holds, and the few cells under it are still called clamped.
    const auto bowl = optiviz::make_surface("quadratic", {});
    const optiviz::FieldGrid b = optiviz::sample_field(*bowl, {-2, 2, -2, 2}, 64, 64);
    CHECK(b.scale.hi - b.scale.lo == Approx(4.0).margin(0.35));  // ε rounded down to 1, 2 or 5 × 10^k
}

TEST_CASE("FieldGrid varies only with two different finite samples", "[colorbar]") {
    optiviz::FieldGrid grid;
    grid.loss = {2.0, 2.0, std::nan(""), 2.0};
    CHECK_FALSE(grid.varies());  // one value, and a non-finite sample that is no value
    grid.loss = {std::numeric_limits<double>::infinity(), 2.0};
    CHECK_FALSE(grid.varies());
    grid.loss = {2.0, 2.0, 2.5};
    CHECK(grid.varies());
    grid.loss.clear();
    CHECK_FALSE(grid.varies());
}
