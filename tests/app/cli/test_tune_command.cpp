// `optiviz tune` as a user meets it: argv in, the CSV table and the best line out.
#include "support/catch.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "app/cli/tune_command.h"

#include "core/surfaces/surface_registry.h"
#include "core/analysis/tune.h"
#include "support/run_cli.h"

namespace {

using optiviz::test::Result;
using optiviz::test::run;

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::istringstream fields_in(line);
        std::string field;
        while (std::getline(fields_in, field, ',')) fields.push_back(field);
        rows.push_back(fields);
    }
    return rows;
}

std::string last_line(const std::string& text) {
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
    const auto nl = trimmed.rfind('\n');
    return nl == std::string::npos ? trimmed : trimmed.substr(nl + 1);
}

}  // namespace

TEST_CASE("tune prints every setting tried as CSV and the best one last on stderr", "[cli][tune]") {
    const Result r = run({"tune", "--surface", "rosenbrock", "--optimizer", "sgd", "--momentum", "0.9", "--start", "-1.5,2",
                          "--budget", "500", "--starts", "16"});
    REQUIRE(r.status == 0);
    const auto rows = csv_rows(r.out);
    REQUIRE(rows.size() > 1);
    CHECK(rows[0] == std::vector<std::string>{"lr", "round", "score", "median_loss", "diverged", "converged"});
    // The best row read from the CSV alone: the fewest diverged starts, then the lowest score, then the
    // lowest median loss, then the smallest lr.
    auto rank = [&](std::size_t i) {
        auto number = [](const std::string& text) { return text == "inf" ? std::numeric_limits<double>::infinity() : std::stod(text); };
        return std::make_tuple(std::stoi(rows[i][4]), number(rows[i][2]), number(rows[i][3]), std::stod(rows[i][0]));
    };
    std::size_t best = 1, fewest_diverged = 1;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == 6);
        if (rank(i) < rank(best)) best = i;
        if (rows[i][4] == "0" && (rows[fewest_diverged][4] != "0" || std::stod(rows[i][2]) < std::stod(rows[fewest_diverged][2])))
            fewest_diverged = i;
    }
    CHECK(rows[best][4] == "0");  // some setting ran all 16 starts without diverging: the best is one of those
    CHECK(best == fewest_diverged);
    CHECK(last_line(r.err) == "best: lr=" + rows[best][0] + " median-loss=" + rows[best][2] + ", 0 of 16 starts diverged");
    CHECK(r.err.find("tuned sgd: " + std::to_string(rows.size() - 1) + " settings x 16 starts x 500 steps") !=
          std::string::npos);

    // The same request through the core gives the same best.
    const auto surface = optiviz::make_surface("rosenbrock", {});
    optiviz::TuneRequest request;
    request.base.optimizer = "sgd";
    request.base.hyper = {{"momentum", 0.9}};
    request.base.steps = 500;
    request.start = {-1.5, 2.0};
    request.lr = optiviz::default_lr_grid("sgd");
    const optiviz::TuneResult result = optiviz::run_tune(*surface, request);
    REQUIRE(result.best);
    CHECK(std::stod(rows[best][0]) == result.tried[*result.best].lr);
    CHECK(rows.size() - 1 == result.tried.size());
}

TEST_CASE("tune says how many starts diverged at the best, and when it is only the least bad", "[cli][tune]") {
    // Asked by name, the objective alone ranks: the lr where 7 of 16 starts diverge, said so.
    const Result risky = run({"tune", "--surface", "rosenbrock", "--optimizer", "sgd", "--momentum", "0.9", "--start",
                              "-1.5,2", "--budget", "500", "--starts", "16", "--objective", "median-loss-allow-diverged"});
    REQUIRE(risky.status == 0);
    CHECK(last_line(risky.err).rfind("best: lr=0.00208929613085404 median-loss-allow-diverged=", 0) == 0);
    CHECK(last_line(risky.err).find(", 7 of 16 starts diverged") != std::string::npos);

    // Every lr of the grid diverges somewhere: the line says so and names the least bad.
    const Result all = run({"tune", "--surface", "rosenbrock", "--optimizer", "sgd", "--start", "-1.5,2", "--budget", "200",
                            "--starts", "8", "--lr-grid", "0.5:10:4"});
    REQUIRE(all.status == 0);
    const std::string line = last_line(all.err);
    CHECK(line.rfind("best: none (no setting has a median-loss value); least bad: lr=", 0) == 0);
    CHECK(line.find(" of 8 starts diverged; every setting tried diverged somewhere, this is the least bad") != std::string::npos);
}

TEST_CASE("the best line for each kind of result", "[cli][tune]") {
    using namespace optiviz;
    TuneResult r;
    r.starts = 16;
    r.second_param = "momentum";
    auto add = [&](double lr, double score, int diverged) {
        TuneCandidate c;
        c.lr = lr;
        c.second = 0.5;
        c.score = score;
        c.median_loss = score;
        c.diverged = diverged;
        r.tried.push_back(c);
    };
    CHECK(cli::best_line(r) == "best: none (nothing was tried)");
    add(0.25, 0.125, 3);
    add(0.5, 0.0625, 5);
    r.best = 0;
    CHECK(cli::best_line(r) == "best: lr=0.25 momentum=0.5 median-loss=0.125, 3 of 16 starts diverged; every setting tried "
                               "diverged somewhere, this is the least bad");
    add(1, 1, 0);
    r.best = 2;
    r.allow_diverged = true;
    CHECK(cli::best_line(r) == "best: lr=1 momentum=0.5 median-loss-allow-diverged=1, 0 of 16 starts diverged");
    r.tried[2].score = std::numeric_limits<double>::infinity();
    r.allow_diverged = false;
    // Settings 0 and 1 have a score but diverged at some starts: the line says why none was chosen.
    CHECK(cli::best_line(r) == "best: none (no setting with 0 of 16 starts diverged has a median-loss value; "
                               "those with one diverged at more starts); least bad: lr=1 momentum=0.5, 0 of 16 starts "
                               "diverged");
    r.tried[0].score = r.tried[1].score = std::numeric_limits<double>::infinity();
    CHECK(cli::best_line(r) ==
          "best: none (no setting has a median-loss value); least bad: lr=1 momentum=0.5, 0 of 16 starts diverged");
}

TEST_CASE("tune with a second parameter and a grid of its own", "[cli][tune]") {
    const Result r = run({"tune", "--surface", "rosenbrock", "--optimizer", "adam", "--start", "-1.5,2", "--budget", "200",
                          "--starts", "4", "--lr-grid", "1e-3:1:4", "--also", "beta1=0.5:0.9:lin:3", "--refine", "0",
                          "--objective", "worst-loss"});
    REQUIRE(r.status == 0);
    const auto rows = csv_rows(r.out);
    REQUIRE(rows.size() == 1 + 4 * 3);
    CHECK(rows[0][1] == "beta1");
    CHECK(rows[1][0] == "0.001");
    CHECK(rows[4][0] == "1");
    CHECK(rows[12][1] == "0.9");
    CHECK(last_line(r.err).find(" beta1=") != std::string::npos);
    CHECK(last_line(r.err).find(" worst-loss=") != std::string::npos);
}

TEST_CASE("tune refuses bad input with one line, exit status 2 and nothing on stdout", "[cli][tune]") {
    const std::vector<std::string> base{"tune", "--surface", "rosenbrock", "--optimizer", "adam", "--start", "-1.5,2"};
    struct Case {
        std::vector<std::string> extra;
        const char* message;
    };
    const Case cases[] = {
        {{"--budget", "0"}, "--budget must be a whole number from 1 to 1000000, got 0"},
        {{"--budget", "ten"}, "--budget"},
        {{"--budget", "10", "--starts", "0"}, "--starts must be a whole number from 1 to 1024, got 0"},
        {{"--budget", "10", "--starts", "5000"}, "--starts"},
        {{"--budget", "10", "--objective", "best"}, "unknown objective 'best'"},
        {{"--budget", "10", "--lr-grid", "1e-3:1"}, "--lr-grid: expected LO:HI:COUNT"},
        {{"--budget", "10", "--lr-grid", "0:1:5"}, "--lr-grid"},
        {{"--budget", "10", "--also", "momentum"}, "adam has no parameter 'momentum'"},
        {{"--budget", "10", "--refine", "9"}, "--refine"},
        {{"--budget", "10", "--spread", "-1"}, "--spread must be >= 0"},
        {{"--steps", "10"}, "--budget"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> args = base;
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        const Result r = run(args);
        CAPTURE(c.message);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(r.err.find('\n') == r.err.size() - 1);
    }
}
