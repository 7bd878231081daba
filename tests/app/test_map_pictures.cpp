// How sweep results become the map's picture input (app/map_pictures.h).
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/map_pictures.h"

using namespace optiviz;

namespace {

// A 3 × 2 sweep whose cells all end at `outcome` with losses 1e-3 .. 1e-8.
SweepResult sweep_of(Outcome outcome) {
    SweepResult r;
    r.x_axis = {"lr", 1e-3, 1e-1, true, 3};
    r.y_axis = {"momentum", 0.0, 0.9, false, 2};
    for (int i = 0; i < 6; ++i) {
        CellResult c;
        c.loss = std::pow(10.0, -3 - i);
        c.last_step = 100;
        c.outcome = outcome;
        r.cells.push_back(c);
    }
    return r;
}

std::string legend_text(const ui::GridMapInput& input, std::uint32_t color) {
    for (const auto& [c, text] : input.legend)
        if (c == color) return text;
    return "";
}

}  // namespace

TEST_CASE("the sweep map's diverged legend says when no cell diverged", "[app][sweep]") {
    SweepResult r = sweep_of(Outcome::MaxSteps);
    const ui::GridMapInput none = app::sweep_map(r, SweepMetric::FinalLoss, {}, "title", std::nullopt);
    REQUIRE(!none.legend.empty());
    const std::uint32_t red = none.legend.front().first;
    CHECK(legend_text(none, red) == "diverged: none");
    CHECK(std::count(none.colors.begin(), none.colors.end(), red) == 0);

    r.cells[4].outcome = Outcome::Diverged;
    const ui::GridMapInput some = app::sweep_map(r, SweepMetric::FinalLoss, {}, "title", std::nullopt);
    CHECK(legend_text(some, red) == "diverged");
    CHECK(std::count(some.colors.begin(), some.colors.end(), red) == 1);
}

TEST_CASE("the basin map's legend says when no cell diverged or ended near no minimum", "[app][basins]") {
    BasinResult r;
    r.grid = {-1.0, 1.0, -1.0, 1.0};
    r.resolution = 2;
    r.starts.count = 1;
    r.minima = {{0.0, 0.0}};
    for (int i = 0; i < 4; ++i) {
        CellResult c;
        c.last_step = 10;
        c.outcome = Outcome::Converged;
        r.cells.push_back(c);
        r.basin.push_back(0);
        r.agree.push_back(1);
    }
    const ui::GridMapInput all_found = app::basin_map(r, 10, "title");
    const std::uint32_t grey = all_found.legend[all_found.legend.size() - 2].first;
    const std::uint32_t red = all_found.legend.back().first;
    CHECK(legend_text(all_found, grey) == "near no known minimum: none");
    CHECK(legend_text(all_found, red) == "diverged: none");

    r.basin[1] = -2;
    r.cells[1].outcome = Outcome::Diverged;
    r.basin[2] = -1;  // an end that is not finite: no place to name, so near none
    r.cells[2].x = std::nan("");
    const ui::GridMapInput some = app::basin_map(r, 10, "title");
    CHECK(legend_text(some, grey) == "near no known minimum");
    CHECK(legend_text(some, red) == "diverged");
    CHECK(std::count(some.colors.begin(), some.colors.end(), red) == 1);
    CHECK(std::count(some.colors.begin(), some.colors.end(), grey) == 1);
}
