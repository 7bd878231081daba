// How sweep results become the map's picture input (app/export/map_pictures.h).
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/export/map_pictures.h"
#include "core/surfaces/expression_surface.h"
#include "core/scene/scene.h"
#include "core/surfaces/surface_registry.h"

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
    CHECK(legend_text(all_found, grey) == "ended on no minimum: none");
    CHECK(legend_text(all_found, red) == "diverged: none");

    r.basin[1] = -2;
    r.cells[1].outcome = Outcome::Diverged;
    r.basin[2] = -1;  // an end that is not finite: no place to name, so near none
    r.cells[2].x = std::nan("");
    const ui::GridMapInput some = app::basin_map(r, 10, "title");
    CHECK(legend_text(some, grey) == "ended on no minimum");
    CHECK(legend_text(some, red) == "diverged");
    CHECK(std::count(some.colors.begin(), some.colors.end(), red) == 1);
    CHECK(std::count(some.colors.begin(), some.colors.end(), grey) == 1);
}

namespace {

int count_label(const BasinResult& r, int label) { return static_cast<int>(std::count(r.basin.begin(), r.basin.end(), label)); }

}  // namespace

TEST_CASE("basin maps name the local minima where runs converged: Rastrigin's dips", "[app][basins]") {
    // Rastrigin lists only its global minimum: before, the cells past the 64th place where runs ended
    // (the map's upper half) read "near no known minimum".
    const auto surface = make_surface("rastrigin", {});
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.002}};
    config.steps = 200;
    const BasinResult raw = run_basins(*surface, config, {-5, 5, -5, 5}, 40);
    const BasinResult found = app::with_found_minima(raw, surface.get());
    REQUIRE(found.listed == std::size_t{1});
    CHECK(count_label(found, -1) == 0);
    CHECK(found.minima.size() == 1 + 120);  // 11 × 11 dips reached from a 40 × 40 grid over [-5, 5]², less the centre
    for (std::size_t m = *found.listed; m < found.minima.size(); ++m) {
        const Eigen::Vector2d& at = found.minima[m];
        CHECK(surface->gradient(at.x(), at.y()).norm() < 1e-6);             // a stationary point ...
        CHECK(found.found_loss[m - 1] == Approx(surface->value(at.x(), at.y())));
        CHECK(std::abs(at.x() - std::round(at.x())) < 0.05);                 // ... at a dip (near integers)
        CHECK(std::abs(at.y() - std::round(at.y())) < 0.05);
    }
    // Each minimum its own colour while the palette lasts, basins that touch never one, and no run colour.
    const std::vector<std::uint32_t> tones = app::minimum_colors(found);
    for (std::size_t r = 0; r < 40; ++r)
        for (std::size_t c = 0; c + 1 < 40; ++c) {
            const int a = found.basin[r * 40 + c], b = found.basin[r * 40 + c + 1];
            if (a != b) CHECK(tones[static_cast<std::size_t>(a)] != tones[static_cast<std::size_t>(b)]);
        }
    Scene many;
    for (int i = 0; i < 8; ++i) many.runs.push_back(parse_run_spec("sgd:lr=0.001", static_cast<std::size_t>(i)));
    assign_default_colors(many.runs);
    for (const std::uint32_t tone : tones)
        for (const RunSpec& run : many.runs) CHECK(tone != run.color);
    // The legend names them, with their loss.
    const ui::GridMapInput map = app::basin_map(found, config.steps, "title");
    int named = 0;
    for (const auto& [color, text] : map.legend) named += text.rfind("local minimum found at (", 0) == 0 && text.find(", f = ") != std::string::npos;
    CHECK(named == 11);  // twelve rows of minima, the first the listed one
    CHECK(legend_text(map, app::kNoValueColor) == "ended on no minimum: none");
}

TEST_CASE("basin maps on a typed function with no listed minima: found ones, never a saddle", "[app][basins]") {
    // Two minima at (±1, 0) and a saddle at (0, 0): gradient descent from starts on x = 0 (the middle
    // column of an odd grid) stays on that line and converges to the saddle.
    const auto surface = make_expression_surface_without_minima("(x^2 - 1)^2 + y^2", {});
    REQUIRE(surface->minima().empty());
    RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.05}};
    config.steps = 600;
    const BasinResult raw = run_basins(*surface, config, {-2, 2, -1.5, 1.5}, 9);
    const BasinResult found = app::with_found_minima(raw, surface.get());
    REQUIRE(found.minima.size() == 2);
    std::vector<double> xs{found.minima[0].x(), found.minima[1].x()};
    std::sort(xs.begin(), xs.end());
    CHECK(xs[0] == Approx(-1).margin(1e-6));
    CHECK(xs[1] == Approx(1).margin(1e-6));
    for (double f : found.found_loss) CHECK(f == Approx(0).margin(1e-10));
    for (std::size_t r = 0; r < 9; ++r) CHECK(found.basin[r * 9 + 4] == -1);  // the saddle is named no minimum
    CHECK(count_label(found, -1) == 9);
    // Without the surface to check it, the saddle would be called a minimum.
    CHECK(app::with_found_minima(raw).minima.size() == 3);
    // Runs still moving when the steps ran out name no minimum.
    config.steps = 3;
    const BasinResult moving = app::with_found_minima(run_basins(*surface, config, {-2, 2, -1.5, 1.5}, 9), surface.get());
    CHECK(moving.minima.empty());
    CHECK(count_label(moving, -1) == 81);
}
