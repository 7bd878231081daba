// Marching squares: where contour lines run, that they join into whole lines, and the cells they skip.
#include "support/catch.h"

#include <cmath>
#include <functional>
#include <vector>

#include "core/analysis/contour_lines.h"

using namespace optiviz;

namespace {

std::vector<float> field(int width, int height, const std::function<double(int, int)>& f) {
    std::vector<float> v(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    for (int r = 0; r < height; ++r)
        for (int c = 0; c < width; ++c) v[static_cast<std::size_t>(r) * width + c] = static_cast<float>(f(c, r));
    return v;
}

}  // namespace

TEST_CASE("contour lines: a ramp gives one straight open line through the level", "[core][contours]") {
    const int w = 21, h = 9;
    const auto v = field(w, h, [](int c, int) { return c / 20.0; });
    const auto lines = contour_lines(v, w, h, 0.37);
    REQUIRE(lines.size() == 1);
    REQUIRE(lines[0].size() == static_cast<std::size_t>(h));  // one crossing per row
    for (const auto& p : lines[0]) CHECK(p.x() == Approx(0.37 * 20).margin(1e-4));
    // It runs from the bottom row to the top one (in either direction), in order.
    CHECK(std::abs(lines[0].front().y() - lines[0].back().y()) == Approx(h - 1));
    for (std::size_t i = 1; i < lines[0].size(); ++i) CHECK(std::abs(lines[0][i].y() - lines[0][i - 1].y()) == Approx(1));
}

TEST_CASE("contour lines: a bowl gives one closed ring at the level's radius", "[core][contours]") {
    const int n = 41;
    const auto v = field(n, n, [](int c, int r) { return std::hypot(c - 20.0, r - 20.0) / 30.0; });
    const auto lines = contour_lines(v, n, n, 0.5);  // radius 15
    REQUIRE(lines.size() == 1);
    const auto& ring = lines[0];
    CHECK(ring.front() == ring.back());
    CHECK(ring.size() > 60);
    for (const auto& p : ring) CHECK(std::hypot(p.x() - 20, p.y() - 20) == Approx(15).margin(0.05));
}

TEST_CASE("contour lines: cells touching a missing sample get no line", "[core][contours]") {
    const int w = 11, h = 11;
    const auto v = field(w, h, [](int c, int r) { return r == 5 ? -1.0 : c / 10.0; });
    const auto lines = contour_lines(v, w, h, 0.5);
    // The straight line is cut where rows 4..6 touch the missing row: two pieces, rows 0..4 and 6..10.
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines) {
        CHECK(line.size() == 5);
        for (const auto& p : line) CHECK((p.y() <= 4 || p.y() >= 6));
    }
}

TEST_CASE("contour lines: a saddle is split by its centre value", "[core][contours]") {
    // Corners (0,0) and (1,1) high, (1,0) and (0,1) low; the centre's mean is 0.5.
    const std::vector<float> v = {1, 0, 0, 1};  // row 0: (0,0)=1, (1,0)=0; row 1: (0,1)=0, (1,1)=1
    auto nearest_corner = [](const std::vector<Eigen::Vector2d>& line) {
        const Eigen::Vector2d mid = (line.front() + line.back()) / 2;
        return Eigen::Vector2d(std::round(mid.x()), std::round(mid.y()));
    };
    // Level 0.4: the centre is above, with the high corners: the lines cut off the low corners.
    auto low = contour_lines(v, 2, 2, 0.4);
    REQUIRE(low.size() == 2);
    for (const auto& line : low) {
        const Eigen::Vector2d corner = nearest_corner(line);
        CHECK(corner.x() != corner.y());  // (1,0) or (0,1)
    }
    // Level 0.6: the centre is below: the lines cut off the high corners.
    auto high = contour_lines(v, 2, 2, 0.6);
    REQUIRE(high.size() == 2);
    for (const auto& line : high) {
        const Eigen::Vector2d corner = nearest_corner(line);
        CHECK(corner.x() == corner.y());  // (0,0) or (1,1)
    }
}
