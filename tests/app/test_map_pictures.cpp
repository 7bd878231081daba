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
