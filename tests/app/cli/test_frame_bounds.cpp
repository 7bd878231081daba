// The frame options at their bounds (issue 27): each stated bound is the one enforced, the refusal
// names it, and fractions, huge numbers and nan are refused, not truncated. One table per option:
// the minimum and maximum are accepted; max + 1, below the minimum, -1, 1.5, 1e30 and nan are one
// line, exit 2, nothing written.
#include "support/catch.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/derived/derived_scene.h"
#include "core/io/limits.h"
#include "core/scene/scene.h"
#include "support/full_disk.h"
#include "ui/overlays/particle_cloud.h"
#include "support/run_cli.h"

using namespace optiviz;
using optiviz::test::run;
using optiviz::test::ScratchFolder;

namespace {

struct Bound {
    std::string option;
    long min, max;
    std::vector<std::string> args;  // the command; the option and its value are appended
    bool try_accepted = true;       // false: an accepted value would open the window
};

std::vector<std::string> refused_values(const Bound& bound) {
    std::vector<std::string> values = {std::to_string(bound.max + 1), "-1", "1.5", "1e30", "nan", "inf", "9223372036854775808"};
    if (bound.min > 0) values.push_back(std::to_string(bound.min - 1));
    return values;
}

void check_bound(const Bound& bound, const ScratchFolder& folder) {
    const std::string expected = bound.option + " must be a whole number from " + std::to_string(bound.min) + " to " +
                                 std::to_string(bound.max) + ", got ";
    for (const std::string& value : refused_values(bound)) {
        std::vector<std::string> args = bound.args;
        args.insert(args.end(), {bound.option, value});
        INFO(bound.option << " " << value);
        const auto r = run(args);
        CHECK(r.status == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::Contains(expected + value));
        CHECK(r.out.empty());
        CHECK(test::folder_entries(folder.path()).empty());
    }
    if (!bound.try_accepted) return;
    for (const long value : {bound.min, bound.max}) {
        std::vector<std::string> args = bound.args;
        args.insert(args.end(), {bound.option, std::to_string(value)});
        INFO(bound.option << " " << value);
        const auto r = run(args);
        CHECK(r.status == 0);
        CHECK(r.err.empty());
    }
    for (const std::string& name : test::folder_entries(folder.path())) std::filesystem::remove(folder.path() + "/" + name);
}

}  // namespace

TEST_CASE("frame options accept their stated minimum and maximum and refuse everything past them", "[cli][animation][limits][render]") {
    ScratchFolder folder;
    const std::string gif = folder.file("a.gif"), png = folder.file("a.png");
    const std::vector<std::string> animate = {"render", "--steps", "20", "--size", "32x24", "--animate", gif};
    check_bound({"--fps", limits::kMinAnimationFps, limits::kMaxAnimationFps,
                 [&] { auto a = animate; a.insert(a.end(), {"--steps-per-frame", "10"}); return a; }()}, folder);
    check_bound({"--steps-per-frame", 1, limits::kMaxSteps, animate}, folder);
    check_bound({"--from", 0, limits::kMaxSteps, animate, false}, folder);
    check_bound({"--to", 0, limits::kMaxSteps, animate, false}, folder);
    check_bound({"--frames", 0, limits::kMaxTimedFrames, {"render", "--steps", "5", "--size", "16x16", "--out", png}, false}, folder);
    // The window checks its request whole before it opens: a refused --frames opens nothing.
    check_bound({"--frames", 0, limits::kMaxWindowFrames, {"--steps", "5"}, false}, folder);
}

TEST_CASE("a data surface bounds rows x steps before the work and mini-batches add their batch", "[limits][dataset]") {
    Scene scene;
    scene.surface = "logistic";
    scene.data.kind = DatasetChoice::Kind::Synthetic;
    scene.data.synthetic.rows = 2'000'000;
    scene.steps = 2000;
    scene.runs.resize(1);
    scene.runs[0].config.optimizer = "adam";
    // 2e6 rows x 2001 steps is 4e9 row evaluations: refused with the bound and the way out.
    CHECK_THROWS_WITH(app::build_surface(scene),
                      Catch::Contains("logistic on 2000000 rows: 2001 particle-steps reading 2000000 rows each and a picture of 320 "
                                     "points over 2000000 rows") &&
                          Catch::Contains("the limit is 1e+09 (fewer rows or steps, or a batch_size)"));
    scene.steps = 150;  // 3e8 + the picture's 6.4e8: accepted
    CHECK_NOTHROW(app::build_surface(scene));
    scene.steps = 2000;
    // A mini-batch adds its rows to the pass over all rows that records each step's loss.
    scene.runs[0].config.batch_size = 100;
    CHECK_THROWS_WITH(app::build_surface(scene), Catch::Contains("2001 particle-steps reading 2000100 rows each"));
    // A cloud multiplies the particles.
    scene.runs[0].config.batch_size = 0;
    scene.steps = 150;
    ui::set_particle_cloud(scene, {10, 0.1, 0});
    CHECK_THROWS_WITH(app::build_surface(scene), Catch::Contains("1661 particle-steps"));
    // The MSE has sufficient statistics: a point costs no pass over the rows, nothing to bound.
    scene.surface = "mse";
    scene.steps = 100000;
    scene.overlays.clear();
    CHECK_NOTHROW(app::build_surface(scene));
}

TEST_CASE("trace and sweep on a data surface bound rows x steps too, before the work", "[limits][dataset][cli]") {
    ScratchFolder folder;
    const std::string csv = folder.file("labels.csv");
    {
        std::ofstream out(csv);
        out << "x,y\n";
        for (int i = 0; i < 20000; ++i) out << (i % 200) * 0.01 - 1 << "," << (i % 3 == 0 ? 1 : 0) << "\n";
    }
    const std::vector<std::string> trace = {"trace", "--surface", "logistic", "--data", csv, "--optimizer", "sgd", "--lr", "0.1",
                                            "--start", "0,0", "--steps", "100000"};
    auto r = run(trace);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("the run on 20000 rows: 100001 particle-steps reading 20000 rows each is 2e+09 row evaluations; "
                                      "the limit is 1e+09"));
    // Mini-batches do not escape the bound: every step's loss is still recorded on all the rows.
    std::vector<std::string> batched = trace;
    batched.insert(batched.end(), {"--batch-size", "10"});
    r = run(batched);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("reading 20010 rows each"));
    // Within the bound, the run is accepted.
    std::vector<std::string> shorter = trace;
    shorter[shorter.size() - 1] = "2000";
    r = run(shorter);
    CHECK(r.status == 0);
    // A sweep multiplies by its cells.
    r = run({"sweep", "--surface", "logistic", "--data", csv, "--optimizer", "sgd", "--start", "0,0", "--steps", "2000",
             "--x", "lr=0.001:1:log:8", "--y", "momentum=0:0.9:lin:4", "--out", folder.file("s.csv")});
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("sweep on 20000 rows:"));
    CHECK_FALSE(std::filesystem::exists(folder.file("s.csv")));
}
