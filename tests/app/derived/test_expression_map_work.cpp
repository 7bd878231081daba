// Map work weighted by what an evaluation costs: a long typed function (--expr) costs its program's
// length per point, so a sweep that is fine on a built-in surface is refused in one line for a
// 1000-node expression, before any run, while a short expression still runs.
#include "support/catch.h"

#include <algorithm>
#include <filesystem>
#include <string>

#include "core/surfaces/expression_surface.h"
#include "core/io/limits.h"
#include "support/run_cli.h"

using namespace optiviz;
namespace fs = std::filesystem;

namespace {

// -x+x+...+x: 500 names, 499 additions and a sign, the most nodes an expression may have.
std::string thousand_node_expression() {
    std::string text = "-x";
    for (int i = 0; i < 499; ++i) text += "+x";
    return text;
}

}  // namespace

TEST_CASE("a long expression costs more than one evaluation; a short one costs one", "[core][expr][limits]") {
    const auto long_one = make_expression_surface_without_minima(thousand_node_expression(), {});
    const auto short_one = make_expression_surface_without_minima("x^2 + 3*y^2", {});
    const LossSurface::EvaluationCost heavy = long_one->evaluation_cost(), light = short_one->evaluation_cost();
    INFO(heavy.size << ": " << heavy.factor);
    CHECK(heavy.factor >= 7);
    CHECK(heavy.size.find("a 1000-node expression") == 0);
    CHECK(light.factor == 1.0);
    CHECK(light.size.empty());
    // The same map: within the bound at the cost of a built-in evaluation, beyond it at this one's.
    const double cells = 100.0 * 100.0;
    const long steps = 100'000;
    CHECK_NOTHROW(limits::check_map_work(cells, steps, "the sweep", light.factor, light.size));
    CHECK_THROWS_WITH(limits::check_map_work(cells, steps, "the sweep", heavy.factor, heavy.size),
                      Catch::Contains("the sweep: 10000 cells x 100000 steps of a 1000-node expression"));
}

TEST_CASE("sweep and basins refuse a large map of a 1000-node expression in one line", "[cli][expr][limits]") {
    const fs::path out = fs::temp_directory_path() / "optiviz-test-expr-work.csv";
    fs::remove(out);
    const test::Result sweep =
        test::run({"sweep", "--expr", thousand_node_expression(), "--optimizer", "sgd", "--start",
                   "1,1", "--steps", "100000", "--x", "lr=1e-3:1e-2:log:100", "--y", "momentum=0:0.9:lin:100", "--out",
                   out.string()});
    CHECK(sweep.status == 2);
    CHECK(sweep.out.empty());
    CHECK(std::count(sweep.err.begin(), sweep.err.end(), '\n') == 1);
    CHECK_THAT(sweep.err, Catch::Contains("sweep: 10000 cells x 100000 steps of a 1000-node expression"));
    CHECK_THAT(sweep.err, Catch::Contains("or a shorter expression"));
    CHECK_FALSE(fs::exists(out));

    const test::Result basins = test::run({"basins", "--expr", thousand_node_expression(),
                                           "--optimizer", "sgd", "--steps", "100000", "--grid", "-1,1,-1,1", "--res", "100",
                                           "--out", out.string()});
    CHECK(basins.status == 2);
    CHECK_THAT(basins.err, Catch::Contains("basins: 10000 cells x 100000 steps of a 1000-node expression"));
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("a sweep of a short expression still runs", "[cli][expr][limits]") {
    const fs::path out = fs::temp_directory_path() / "optiviz-test-expr-small.csv";
    fs::remove(out);
    const test::Result sweep = test::run({"sweep", "--expr", "x^2 + 3*y^2", "--optimizer", "sgd",
                                          "--start", "1,1", "--steps", "50", "--x", "lr=1e-3:1e-2:log:4", "--y",
                                          "momentum=0:0.9:lin:3", "--out", out.string()});
    INFO(sweep.err);
    CHECK(sweep.status == 0);
    CHECK(fs::exists(out));
    fs::remove(out);
}
