// The command line as a user meets it: argv in, stdout/stderr and exit status out.
#include "support/catch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "app/cli/cli.h"
#include "support/run_cli.h"
#include "core/scene/scene.h"
#include "app/export/map_pictures.h"
#include "render/png_reader.h"
#include "core/surfaces/surface_registry.h"
#include "core/analysis/sweep.h"
#include "core/analysis/tune.h"

namespace {

using optiviz::test::Result;
using optiviz::test::run;

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) result.push_back(line);
    return result;
}

const std::string kData = OPTIVIZ_TEST_DATA_DIR;

}  // namespace

TEST_CASE("trace prints step,x,y,loss with N+1 rows that round-trip", "[cli]") {
    const Result r = run({"trace", "--surface", "rosenbrock", "--optimizer", "adam", "--lr", "0.05", "--start",
                          "-1.5,2", "--steps", "25"});
    REQUIRE(r.status == 0);
    const auto rows = lines(r.out);
    REQUIRE(rows.size() == 27);
    CHECK(rows[0] == "step,x,y,loss");
    CHECK(rows[1] == "0,-1.5,2,12.5");  // (1 − (−1.5))² + 100·(2 − 2.25)² = 6.25 + 6.25
    double step, x, y, loss;
    REQUIRE(std::sscanf(rows[26].c_str(), "%lf,%lf,%lf,%lf", &step, &x, &y, &loss) == 4);
    CHECK(step == 25);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", x);
    CHECK(rows[26].find(buffer) != std::string::npos);
    CHECK(r.err.empty());
}

TEST_CASE("negative values are accepted after options", "[cli]") {
    const Result r = run({"trace", "--surface", "quadratic", "--param", "c=-0.5", "--optimizer", "sgd", "--start",
                          "-1.5,-2", "--steps", "3"});
    REQUIRE(r.status == 0);
    CHECK(lines(r.out)[1].rfind("0,-1.5,-2,", 0) == 0);
}

TEST_CASE("a diverging run stops at its last finite row and says where", "[cli]") {
    const Result r = run({"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "10", "--start", "-1.5,2",
                          "--steps", "100"});
    REQUIRE(r.status == 0);
    const auto rows = lines(r.out);
    CHECK(rows.size() < 102);
    CHECK(r.err == "diverged at step " + std::to_string(rows.size() - 1) + "\n");
    for (const auto& row : rows) {
        CHECK(row.find("nan") == std::string::npos);
        CHECK(row.find("inf") == std::string::npos);
    }
}

TEST_CASE("convergence is reported on stderr without cutting rows", "[cli]") {
    const Result r = run({"trace", "--surface", "quadratic", "--param", "b=1", "--optimizer", "sgd", "--lr", "0.5",
                          "--start", "1,1", "--steps", "200"});
    REQUIRE(r.status == 0);
    CHECK(lines(r.out).size() == 202);
    CHECK(r.err.rfind("converged at step ", 0) == 0);
}

TEST_CASE("bad input: one line on stderr, exit 2, nothing on stdout", "[cli]") {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"trace", "--surface", "nope", "--optimizer", "sgd", "--start", "0,0", "--steps", "5"}, "unknown surface 'nope'"},
        {{"trace", "--surface", "booth", "--optimizer", "lion", "--start", "0,0", "--steps", "5"}, "unknown optimizer 'lion'"},
        {{"trace", "--surface", "booth", "--param", "q=1", "--optimizer", "sgd", "--start", "0,0", "--steps", "5"},
         "booth has no parameter 'q'"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--lr", "0.1x", "--start", "0,0", "--steps", "5"},
         "--lr: '0.1x' is not a number"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--lr", "-0.1", "--start", "0,0", "--steps", "5"},
         "lr must be >= 0, got -0.1"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "-5"},
         "--steps must be >= 0, got -5"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0", "--steps", "5"}, "--start: expected X,Y"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,zero", "--steps", "5"},
         "--start y: 'zero' is not a number"},
        {{"trace", "--surface", "booth", "--optimizer", "adam", "--momentum", "0.9", "--start", "0,0", "--steps", "5"},
         "adam has no parameter 'momentum'"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--nesterov", "--start", "0,0", "--steps", "5"},
         "nesterov needs momentum"},
        {{"trace", "--surface", "mse", "--data", "/no/such.csv", "--optimizer", "sgd", "--start", "0,0", "--steps", "5"},
         "/no/such.csv: cannot open data file"},
        {{"trace", "--surface", "mse", "--data", kData + "/bad_number.csv", "--optimizer", "sgd", "--start", "0,0",
          "--steps", "5"},
         "bad_number.csv:3:3: 'abc' is not a number"},
        {{"trace", "--surface", "mse", "--data", kData + "/bad_header.csv", "--optimizer", "sgd", "--start", "0,0",
          "--steps", "5"},
         "bad_header.csv:1: no column 'x' (columns: a, b)"},
        {{"trace", "--surface", "mse", "--data", kData + "/missing_field.csv", "--optimizer", "sgd", "--start", "0,0",
          "--steps", "5"},
         "missing_field.csv:3: expected 2 fields, found 1"},
        {{"trace", "--surface", "booth", "--batch-size", "4", "--optimizer", "sgd", "--start", "0,0", "--steps", "5"},
         "has no data"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--schedule", "linear", "--start", "0,0", "--steps", "5"},
         "unknown schedule 'linear'"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0"}, "--steps is required"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "5", "--bogus"}, "--bogus"},
        {{"frobnicate"}, "frobnicate"},
        {{"render", "--out", "x.png", "--size", "10x10"}, "--size: must be between 16x16 and 3840x2160"},
        {{"render", "--out", "x.png", "--size", "big"}, "--size: expected WxH"},
        {{"render", "--out", "x.png", "--run", "lion:lr=1"}, "unknown optimizer 'lion'"},
        {{"render", "--out", "x.png", "--run", "adam:lr=abc"}, "--run adam lr: 'abc' is not a number"},
        {{"render", "--out", "x.png", "--run", "sgd:batch_size=-1"}, "batch_size must be >= 0, got -1"},
        {{"render", "--out", "x.png", "--glyphs-of", "1e30"}, "--glyphs-of must be a whole number from 1 to 64, got 1e30"},
        {{"render", "--out", "x.png", "--glyphs-of", "0"}, "--glyphs-of must be a whole number from 1 to 64, got 0"},
        {{"render", "--out", "x.png", "--run", "sgd:schedule=cosine,t_max=0"}, "--run sgd t_max must be a whole number from 1 to"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "5", "--loss-tol", "0.1",
          "--loss-patience", "-1"},
         "--loss-patience must be a whole number from 1 to 1000000000000, got -1"},
        {{"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "5", "--schedule", "step",
          "--step-size", "0"},
         "--step-size must be a whole number from 1 to 1000000000000, got 0"},
        {{"render", "--out", "x.png", "--run", "adam:lr=inf"}, "'inf' is not a finite number"},
        {{"render", "--out", "x.png", "--scene", "/no/such/scene.json"}, "/no/such/scene.json: cannot open scene file"},
        {{"render", "--out", "x.png", "--scene", kData + "/linear.csv"}, "linear.csv: "},
        {{"render", "--steps", "5"}, "--out is required"},
        {{"--screenshot", "x.png"}, "--screenshot needs --frames N"},
        {{"render", "--out", "x.png", "--view", "data"}, "--view data needs a data-driven surface"},
        {{"trace", "--surface", "mse", "--data", kData + "/linear.csv", "--columns", "x", "--optimizer", "sgd", "--start",
          "0,0", "--steps", "5"},
         "--columns: expected X,Y"},
        {{"trace", "--surface", "mse", "--data", kData + "/linear.csv", "--columns", "x,z", "--optimizer", "sgd",
          "--start", "0,0", "--steps", "5"},
         "no column 'z' (columns: x, y)"},
        {{"trace", "--surface", "mse", "--columns", "1,2", "--optimizer", "sgd", "--start", "0,0", "--steps", "5"},
         "--columns needs --data"},
        {{"render", "--out", "x.png", "--view", "sideways"}, "--view: expected landscape, data, both, 3d, map+3d or loss"},
        {{"render", "--out", "x.png", "--surface", "booth", "--data", kData + "/linear.csv"}, "takes no data file"},
        {{"sweep", "--surface", "booth", "--optimizer", "adam", "--start", "0,0", "--steps", "5", "--x", "lr=1:2:log",
          "--y", "beta1=0:0.9:lin:3", "--out", "s.csv"},
         "--x: expected NAME=LO:HI:lin|log:COUNT"},
        {{"sweep", "--surface", "booth", "--optimizer", "adam", "--start", "0,0", "--steps", "5", "--x", "lr=1e-3:1:log:3",
          "--y", "beta1=0:0.9:lin:3", "--out", "s.txt"},
         "--out: the file name must end in .csv or .png"},
        {{"sweep", "--surface", "booth", "--optimizer", "adam", "--start", "0,0", "--steps", "5", "--x", "lr=1e-3:1:log:3",
          "--y", "rho=0:0.9:lin:3", "--out", "s.csv"},
         "adam has no parameter 'rho'"},
        {{"basins", "--surface", "booth", "--optimizer", "adam", "--steps", "5", "--grid", "0,1,2", "--res", "4", "--out",
          "b.csv"},
         "--grid: expected XMIN,XMAX,YMIN,YMAX"},
        {{"basins", "--surface", "booth", "--optimizer", "adam", "--steps", "5", "--grid", "1,0,0,1", "--res", "4", "--out",
          "b.csv"},
         "XMAX > XMIN"},
    };
    for (const auto& [args, expected] : cases) {
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        INFO(joined);
        const Result r = run(args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(lines(r.err).size() == 1);
        CHECK(r.err.rfind("optiviz: error: ", 0) == 0);
        CHECK(r.err.find(expected) != std::string::npos);
    }
}

TEST_CASE("list names every surface and optimizer with defaults", "[cli]") {
    const Result r = run({"list"});
    REQUIRE(r.status == 0);
    for (const char* name : {"rosenbrock", "styblinski_tang", "mse", "sgd", "nadam", "radam", "momentum_decay"})
        CHECK(r.out.find(name) != std::string::npos);
}

TEST_CASE("mini-batch traces are reproducible by seed", "[cli]") {
    const std::vector<std::string> base = {"trace", "--surface", "mse", "--data", kData + "/linear.csv", "--optimizer",
                                           "sgd", "--lr", "0.01", "--batch-size", "5", "--start", "0,0", "--steps", "50"};
    auto with_seed = [&](const char* seed) {
        auto args = base;
        args.insert(args.end(), {"--seed", seed});
        return run(args);
    };
    const Result a = with_seed("1"), b = with_seed("1"), c = with_seed("2");
    REQUIRE(a.status == 0);
    CHECK(a.out == b.out);
    CHECK(a.out != c.out);
}

TEST_CASE("render to an unwritable path: one line, exit 2, nothing on stdout", "[cli][render]") {
    const Result r = run({"render", "--out", "/no/such/dir/x.png", "--steps", "5", "--size", "64x48"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "optiviz: error: /no/such/dir/x.png: cannot write: cannot create a file in /no/such/dir: No such file or "
                   "directory\n");
}

TEST_CASE("sweep CSV: one row per cell, each equal to trace's last row", "[cli][sweep]") {
    const std::string path = "optiviz_test_sweep.csv";
    const Result r = run({"sweep", "--surface", "rosenbrock", "--optimizer", "sgd", "--momentum", "0.5", "--start", "-1,1",
                          "--steps", "40", "--x", "lr=1e-4:1e-3:log:3", "--y", "momentum=0:0.9:lin:2", "--out", path});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("wrote " + path + ": 3 x 2 runs of 40 steps", 0) == 0);
    std::ifstream file(path);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::remove(path.c_str());
    const auto rows = lines(text);
    REQUIRE(rows.size() == 7);
    CHECK(rows[0] == "lr,momentum,x,y,loss,steps,status,distance,starts,aggregate,loss_median,loss_worst,steps_median,"
                     "steps_worst,distance_median,distance_worst,diverged,converged");
    // The last row is lr = 1e-3, momentum = 0.9: trace's final row must match its x, y and loss.
    const Result t = run({"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "0.001", "--momentum", "0.9",
                          "--start", "-1,1", "--steps", "40"});
    const std::string last_trace = lines(t.out).back();
    const std::string xyz = last_trace.substr(last_trace.find(',') + 1);  // x,y,loss
    CHECK(rows[6].find(xyz) != std::string::npos);
    CHECK(rows[6].find(",40,max_steps") != std::string::npos);
}

TEST_CASE("basins CSV names the minimum each start reaches", "[cli][sweep]") {
    const std::string path = "optiviz_test_basins.csv";
    const Result r = run({"basins", "--surface", "himmelblau", "--optimizer", "sgd", "--lr", "0.01", "--steps", "300",
                          "--grid", "-5,5,-5,5", "--res", "4", "--out", path});
    REQUIRE(r.status == 0);
    std::ifstream file(path);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::remove(path.c_str());
    const auto rows = lines(text);
    REQUIRE(rows.size() == 17);
    CHECK(rows[0] == "start_x,start_y,x,y,loss,steps,status,basin,starts,aggregate,agree,loss_median,loss_worst,"
                     "steps_median,steps_worst,diverged,converged");
    CHECK(rows[1].rfind("-3.75,-3.75,", 0) == 0);    // the first start is the bottom-left cell centre
    const std::string first = rows[1].substr(0, rows[1].find(",1,median,"));  // the fields before starts (K = 1)
    CHECK(first.substr(first.rfind(',')) == ",2");  // ... which ends in Himmelblau's (-3.78, -3.28)
}

TEST_CASE("the columns option picks the data's columns by name or number", "[cli]") {
    const std::vector<std::string> base = {"trace", "--surface", "mse", "--data", kData + "/linear.csv", "--optimizer",
                                           "sgd", "--start", "0,0", "--steps", "20"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return run(args);
    };
    const Result plain = with({}), named = with({"--columns", "x,y"}), numbered = with({"--columns", "1,2"});
    const Result swapped = with({"--columns", "y,x"});
    REQUIRE(plain.status == 0);
    CHECK(named.out == plain.out);
    CHECK(numbered.out == plain.out);
    CHECK(swapped.status == 0);
    CHECK(swapped.out != plain.out);
}

TEST_CASE("a scene with a run that cannot be computed: one line, exit 2, no picture", "[cli]") {
    // Two logistic runs, one asking for more mini-batch rows than a plan may hold (the second fails
    // on its worker thread while the first is still running).
    optiviz::Scene scene = optiviz::default_scene();
    scene.surface = "logistic";
    scene.data.synthetic.rows = 5000;
    scene.steps = 60000;  // 60 000 x 4 096 batch rows is past the plan's 2e8; the scene's row work is within its 1e9
    scene.runs = {optiviz::parse_run_spec("sgd:lr=0.1", 0), optiviz::parse_run_spec("adam:lr=0.05,batch_size=4096", 1)};
    const std::string path = "optiviz_test_two_logistic.json", out = "optiviz_test_two_logistic.png";
    std::ofstream(path) << optiviz::scene_to_json(scene);
    std::remove(out.c_str());
    const Result r = run({"render", "--scene", path, "--out", out});
    std::remove(path.c_str());
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("run 2 (Adam") != std::string::npos);
    CHECK(r.err.find("too large") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(std::ifstream(out).good());
}

TEST_CASE("trace takes the plateau schedule, bias correction and the loss-change rule", "[cli]") {
    const Result r = run({"trace", "--surface", "rosenbrock", "--optimizer", "adam", "--lr", "0.01", "--bias-correction",
                          "0", "--start", "-1,1", "--steps", "3000", "--loss-tol", "1e-6", "--loss-patience", "3"});
    REQUIRE(r.status == 0);
    const auto rows = lines(r.out);
    REQUIRE(r.err.rfind("stopped at step ", 0) == 0);
    const long stop = std::stol(r.err.substr(16));
    CHECK(static_cast<long>(rows.size()) == stop + 2);  // header and rows 0..K
    CHECK(r.err.find("(loss change < 1e-6 for 3 steps)") != std::string::npos);
    const Result p = run({"trace", "--surface", "himmelblau", "--optimizer", "sgd", "--start", "0,0", "--steps", "100",
                          "--schedule", "plateau", "--factor", "0.5", "--patience", "2", "--threshold", "0.5",
                          "--threshold-mode", "abs", "--cooldown", "1", "--min-lr", "0.001"});
    REQUIRE(p.status == 0);
    CHECK(p.err.find("lr reduced to 0.005 before step") != std::string::npos);
    const Result bad = run({"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--start", "0,0", "--steps", "3",
                            "--factor", "0.5"});
    CHECK(bad.status == 2);
    CHECK(bad.out.empty());
    CHECK(bad.err.find("need --schedule plateau") != std::string::npos);
    CHECK(run({"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--start", "0,0", "--steps", "3",
               "--loss-patience", "2"}).status == 2);
}

TEST_CASE("trace takes your own function; a malformed one is one line naming the position", "[cli][expression]") {
    const Result r = run({"trace", "--expr", "x^2 + 3*sin(y)", "--optimizer", "adam", "--lr", "0.1", "--start", "1,1",
                          "--steps", "50"});
    REQUIRE(r.status == 0);
    const auto rows = lines(r.out);
    REQUIRE(rows.size() == 52);
    CHECK(rows[1] == "0,1,1,3.5244129544236893");  // 1 + 3·sin(1)
    const Result bad = run({"trace", "--expr", "x^2 + 3*)", "--optimizer", "adam", "--start", "1,1", "--steps", "5"});
    CHECK(bad.status == 2);
    CHECK(bad.out.empty());
    CHECK(bad.err == "optiviz: error: expression: position 9: expected a number, a name or '(' (got ')')\n");
    CHECK(run({"trace", "--expr", "x", "--surface", "rosenbrock", "--optimizer", "adam", "--start", "1,1", "--steps", "5"}).status == 2);
    CHECK(run({"trace", "--optimizer", "adam", "--start", "1,1", "--steps", "5"}).status == 2);
    const Result list = run({"list"});
    CHECK(list.out.find("primary := NUMBER | NAME | FUNCTION '(' expr ')' | '(' expr ')'") != std::string::npos);
}

TEST_CASE("the overlay option switches overlays on with their settings, and gradient-field is its alias", "[cli][overlay]") {
    auto launch_scene = [](std::vector<std::string> args, std::string& err_text) {
        args.insert(args.begin(), "optiviz");
        std::vector<const char*> argv;
        for (const auto& a : args) argv.push_back(a.c_str());
        std::ostringstream out, err;
        optiviz::cli::LaunchRequest launch;
        const int status = optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), out, err, &launch);
        err_text = err.str();
        return std::make_pair(status, launch.scene);
    };
    std::string err;
    auto [status, scene] = launch_scene({"--overlay", "gradient-field:spacing=4,opacity=0.5"}, err);
    REQUIRE(status == 0);
    REQUIRE(scene.overlays.count("gradient-field") == 1);
    CHECK(scene.overlays.at("gradient-field").at("spacing") == 4.0);
    CHECK(scene.overlays.at("gradient-field").at("opacity") == 0.5);
    std::tie(status, scene) = launch_scene({"--gradient-field"}, err);
    REQUIRE(status == 0);
    CHECK(scene.overlays.count("gradient-field") == 1);
    std::tie(status, scene) = launch_scene({"--surface", "himmelblau"}, err);
    CHECK(scene.overlays.empty());

    // Unknown names and refused settings: one line, exit 2.
    std::tie(status, scene) = launch_scene({"--overlay", "nope"}, err);
    CHECK(status == 2);
    CHECK(err == "optiviz: error: unknown overlay 'nope' (known: basin-map, gradient-field, particle-cloud, step-glyphs, mesh-3d)\n");
    std::tie(status, scene) = launch_scene({"--overlay", "gradient-field:spacing=0"}, err);
    CHECK(status == 2);
    CHECK(err.find("spacing") != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    std::tie(status, scene) = launch_scene({"--overlay", "gradient-field:size=3"}, err);
    CHECK(status == 2);
    CHECK(err.find("size") != std::string::npos);
}

namespace {

// CSV text → rows of fields (header first).
std::vector<std::vector<std::string>> csv_fields(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : lines(text)) {
        std::vector<std::string> fields;
        std::size_t pos = 0;
        while (true) {
            const auto comma = line.find(',', pos);
            fields.push_back(line.substr(pos, comma - pos));
            if (comma == std::string::npos) break;
            pos = comma + 1;
        }
        rows.push_back(fields);
    }
    return rows;
}

// "best: lr=0.25 momentum=0 steps=5" → {{"lr", 0.25}, {"momentum", 0}, {"steps", 5}}, in order.
std::vector<std::pair<std::string, double>> best_line_values(const std::string& line) {
    std::vector<std::pair<std::string, double>> values;
    std::istringstream in(line.substr(std::string("best: ").size()));
    std::string item;
    while (in >> item) {
        const auto eq = item.find('=');
        values.emplace_back(item.substr(0, eq), std::stod(item.substr(eq + 1)));
    }
    return values;
}

}  // namespace

TEST_CASE("sweep ends with a best line on stderr equal to the CSV row with the best metric", "[cli][sweep]") {
    const std::string path = "optiviz_test_sweep_best.csv";
    struct Case {
        const char* metric;
        int column;  // the metric's CSV column
    };
    for (const Case c : {Case{"final-loss", 4}, Case{"steps", 5}, Case{"distance", 7}}) {
        INFO(c.metric);
        const Result r = run({"sweep", "--surface", "quadratic", "--param", "a=4", "--param", "b=1", "--optimizer", "sgd",
                              "--start", "1,1", "--steps", "60", "--x", "lr=0.05:0.6:log:9", "--y", "momentum=0:0.9:lin:7",
                              "--metric", c.metric, "--out", path});
        REQUIRE(r.status == 0);
        std::ifstream file(path);
        const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        std::remove(path.c_str());
        const auto rows = csv_fields(text);
        REQUIRE(rows.size() == 1 + 9 * 7);
        // The best row by the metric, read from the CSV alone: diverged rows and (for steps) runs that
        // did not converge never win; the first of equals wins.
        std::size_t best = 0;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            if (rows[i][6] == "diverged" || (std::string(c.metric) == "steps" && rows[i][6] != "converged")) continue;
            if (best == 0 || std::stod(rows[i][static_cast<std::size_t>(c.column)]) < std::stod(rows[best][static_cast<std::size_t>(c.column)]))
                best = i;
        }
        REQUIRE(best > 0);
        const auto err_lines = lines(r.err);
        REQUIRE_FALSE(err_lines.empty());
        const std::string& last = err_lines.back();
        REQUIRE(last.rfind("best: ", 0) == 0);
        const auto values = best_line_values(last);
        REQUIRE(values.size() == 3);
        CHECK(values[0].first == "lr");
        CHECK(values[1].first == "momentum");
        CHECK(values[2].first == c.metric);
        CHECK(values[0].second == std::stod(rows[best][0]));
        CHECK(values[1].second == std::stod(rows[best][1]));
        CHECK(values[2].second == std::stod(rows[best][static_cast<std::size_t>(c.column)]));
    }
}

TEST_CASE("a sweep metric with nothing to show says so", "[cli][sweep]") {
    const std::string path = "optiviz_test_sweep_none.csv";
    const Result r = run({"sweep", "--surface", "quadratic", "--optimizer", "sgd", "--start", "1,1", "--steps", "2", "--x",
                          "lr=0.01:0.1:log:4", "--y", "momentum=0:0.5:lin:3", "--metric", "steps", "--out", path});
    std::remove(path.c_str());
    REQUIRE(r.status == 0);
    const auto err_lines = lines(r.err);
    REQUIRE(err_lines.size() == 2);
    CHECK(err_lines[0].rfind("note: No cell converged", 0) == 0);
    CHECK(err_lines[1] == "best: none (no cell has a steps value)");
}

TEST_CASE("basins end with the start whose run ends lowest", "[cli][sweep]") {
    const std::string path = "optiviz_test_basins_best.csv";
    const Result r = run({"basins", "--surface", "himmelblau", "--optimizer", "sgd", "--lr", "0.01", "--steps", "40",
                          "--grid", "-5,5,-5,5", "--res", "6", "--out", path});
    REQUIRE(r.status == 0);
    std::ifstream file(path);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::remove(path.c_str());
    const auto rows = csv_fields(text);
    std::size_t best = 0;
    for (std::size_t i = 1; i < rows.size(); ++i)
        if (rows[i][6] != "diverged" && (best == 0 || std::stod(rows[i][4]) < std::stod(rows[best][4]))) best = i;
    REQUIRE(best > 0);
    const auto values = best_line_values(lines(r.err).back());
    REQUIRE(values.size() == 3);
    CHECK(values[0].second == std::stod(rows[best][0]));
    CHECK(values[1].second == std::stod(rows[best][1]));
    CHECK(values[2].first == "loss");
    CHECK(values[2].second == std::stod(rows[best][4]));
}

TEST_CASE("basin maps group where runs end when the surface knows only some of its minima", "[cli][sweep][basins]") {
    const auto surface = optiviz::make_surface("rastrigin", {});
    optiviz::RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.002}};
    config.steps = 300;
    const optiviz::BasinResult raw = optiviz::run_basins(*surface, config, {-2.5, 2.5, -2.5, 2.5}, 20);
    int unknown = 0;
    for (int b : raw.basin) unknown += b == -1;
    REQUIRE(unknown > 200);  // Rastrigin lists only its global minimum
    const optiviz::BasinResult found = optiviz::app::with_found_minima(raw);
    CHECK(found.minima.size() >= 9);  // the dips around the centre
    for (std::size_t i = 0; i < found.basin.size(); ++i) {
        CHECK(found.basin[i] != -1);
        if (raw.basin[i] >= 0) CHECK(found.basin[i] == raw.basin[i]);  // known minima keep their index
        if (found.basin[i] >= 0) {
            const auto& m = found.minima[static_cast<std::size_t>(found.basin[i])];
            CHECK(std::hypot(found.cells[i].x - m.x(), found.cells[i].y - m.y()) <= 0.02 * std::hypot(5.0, 5.0) + 1e-12);
        }
    }
}

TEST_CASE("sweep --starts K: the aggregate columns are the median and worst of K traces", "[cli][sweep][aggregate]") {
    const std::string path = "optiviz_test_sweep_k.csv";
    const Result r = run({"sweep", "--surface", "rosenbrock", "--optimizer", "sgd", "--start", "-1,1", "--steps", "40", "--x",
                          "lr=1e-4:1e-3:log:3", "--y", "momentum=0:0.9:lin:2", "--starts", "5", "--spread", "0.3",
                          "--aggregate", "worst", "--out", path});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("wrote " + path + ": 3 x 2 cells x 5 starts of 40 steps", 0) == 0);
    std::ifstream file(path);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::remove(path.c_str());
    const auto rows = csv_fields(text);
    REQUIRE(rows.size() == 7);
    const auto& header = rows[0];
    auto column = [&](const std::string& name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    // Row 6: lr = 1e-3, momentum = 0.9. Its five runs, by trace: the start, then the jittered starts
    // of tuning's cloud, each with seed k (no mini-batches here, so the seed does not matter).
    std::vector<double> losses;
    const auto starts = optiviz::tune_starts({-1, 1}, 5, 0.3);
    for (const auto& s : starts) {
        char start[96];
        std::snprintf(start, sizeof start, "%.17g,%.17g", s.x(), s.y());
        const Result t = run({"trace", "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "0.001", "--momentum", "0.9",
                              "--start", start, "--steps", "40"});
        REQUIRE(t.status == 0);
        const std::string last = lines(t.out).back();
        losses.push_back(std::stod(last.substr(last.rfind(',') + 1)));
    }
    std::sort(losses.begin(), losses.end());
    const auto& row = rows[6];
    CHECK(row[column("starts")] == "5");
    CHECK(row[column("aggregate")] == "worst");
    CHECK(std::stod(row[column("loss_median")]) == Approx(losses[2]).epsilon(1e-12));
    CHECK(std::stod(row[column("loss_worst")]) == Approx(losses[4]).epsilon(1e-12));
    CHECK(row[column("diverged")] == "0");
    // The best line names the worst-of-5 aggregate.
    CHECK(lines(r.err).back().find("(worst of 5 starts)") != std::string::npos);
}

TEST_CASE("bad --starts, --spread or --aggregate: one line, exit 2, no file", "[cli][sweep][aggregate]") {
    const std::string path = "optiviz_test_bad_starts.csv";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--starts", "0"}, "--starts must be a whole number from 1 to 1024, got 0"},
        {{"--starts", "1025"}, "--starts must be a whole number from 1 to 1024, got 1025"},
        {{"--starts", "two"}, "--starts must be a whole number from 1 to 1024, got two"},
        {{"--starts", "4", "--spread", "-0.5"}, "--spread must be >= 0"},
        {{"--aggregate", "mean"}, "unknown aggregate 'mean'"},
    };
    for (const char* command : {"sweep", "basins"})
        for (const auto& [extra, expected] : cases) {
            std::vector<std::string> args = {command, "--surface", "booth", "--optimizer", "adam", "--steps", "5", "--out", path};
            if (std::string(command) == "sweep")
                args.insert(args.end(), {"--start", "0,0", "--x", "lr=1e-3:1:log:3", "--y", "beta1=0:0.9:lin:3"});
            else
                args.insert(args.end(), {"--grid", "-1,1,-1,1", "--res", "4"});
            args.insert(args.end(), extra.begin(), extra.end());
            INFO(command << " " << extra.front() << " " << extra.back());
            const Result r = run(args);
            CHECK(r.status == 2);
            CHECK(r.out.empty());
            CHECK(lines(r.err).size() == 1);
            CHECK(r.err.find(expected) != std::string::npos);
            CHECK_FALSE(std::ifstream(path).good());
            std::remove(path.c_str());
        }
}

TEST_CASE("basins --starts K: each row says how many of K agree", "[cli][sweep][aggregate]") {
    const std::string path = "optiviz_test_basins_k.csv";
    const Result r = run({"basins", "--surface", "himmelblau", "--optimizer", "sgd", "--lr", "0.01", "--steps", "300",
                          "--grid", "-5,5,-5,5", "--res", "4", "--starts", "6", "--out", path});
    REQUIRE(r.status == 0);
    std::ifstream file(path);
    const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::remove(path.c_str());
    const auto rows = csv_fields(text);
    REQUIRE(rows.size() == 17);
    // The same map from core: the CSV's basin and agreement columns are its cells'.
    const auto surface = optiviz::make_surface("himmelblau", {});
    optiviz::RunConfig config;
    config.optimizer = "sgd";
    config.hyper = {{"lr", 0.01}};
    config.steps = 300;
    const optiviz::BasinResult b =
        optiviz::run_basins(*surface, config, {-5, 5, -5, 5}, 4, 0.0, {}, optiviz::MultiStart{6, optiviz::kDefaultBasinSpread});
    for (std::size_t i = 0; i < 16; ++i) {
        CHECK(rows[i + 1][8] == "6");
        CHECK(std::stoi(rows[i + 1][7]) == b.basin[i]);
        CHECK(std::stoi(rows[i + 1][10]) == b.agree[i]);
    }
}

TEST_CASE("the option --frame-times needs enough frames to time: 7 and more", "[cli][perf]") {
    auto launch = [](const std::vector<std::string>& args, std::string& err_text) {
        std::vector<const char*> argv{"optiviz"};
        for (const auto& a : args) argv.push_back(a.c_str());
        std::ostringstream out, err;
        optiviz::cli::LaunchRequest request;
        const int status = optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), out, err, &request);
        err_text = err.str();
        return std::make_pair(status, request);
    };
    std::string err;
    auto [ok, request] = launch({"--frames", "7", "--frame-times"}, err);
    CHECK(ok == 0);
    CHECK(request.requested);
    CHECK(request.window.frame_times);
    CHECK(request.window.frames == 7);
    for (const char* frames : {"6", "0"}) {
        CAPTURE(frames);
        const auto [status, refused] = launch({"--frames", frames, "--frame-times"}, err);
        CHECK(status == 2);
        CHECK_FALSE(refused.requested);
        CHECK(err.find("--frame-times needs --frames N with N > 6") != std::string::npos);
    }
    const auto [plain, untimed] = launch({"--frames", "7"}, err);
    CHECK(plain == 0);
    CHECK_FALSE(untimed.window.frame_times);
}

TEST_CASE("render --layout 3d draws the 3-D view (as --view 3d); --view still decides when given", "[render][cli]") {
    // The pixels are compared, not the files: the scene embedded in the PNG says which option
    // asked for the view ("layout": "3d" or "map"), and that is allowed to differ.
    auto picture = [](std::vector<std::string> extra, const std::string& path) {
        std::vector<std::string> args = {"render", "--preset", "himmelblau-four", "--steps", "20", "--size", "320x200", "--out", path};
        args.insert(args.end(), extra.begin(), extra.end());
        const Result r = run(args);
        REQUIRE(r.status == 0);
        const auto image = optiviz::render::read_png(path);
        std::remove(path.c_str());
        REQUIRE(image);
        return std::string(image->rgba.begin(), image->rgba.end());
    };
    const std::string layout = picture({"--layout", "3d"}, "optiviz_test_layout_3d.png");
    const std::string view = picture({"--view", "3d"}, "optiviz_test_view_3d.png");
    const std::string map = picture({}, "optiviz_test_map.png");
    REQUIRE(!layout.empty());
    CHECK(layout == view);
    CHECK(layout != map);
    CHECK(picture({"--layout", "3d", "--view", "landscape"}, "optiviz_test_layout_map.png") == map);
    CHECK(picture({"--layout", "both"}, "optiviz_test_layout_both.png") == picture({"--view", "map+3d"}, "optiviz_test_both.png"));
}
