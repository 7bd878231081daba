// The inputs a fuzz campaign found (issues 10 and 16), each as a regression test: every one ends
// quickly with exit 0 or 2 and one printable line, without giant allocations or endless loops.
#include "support/catch.h"

#include <sys/stat.h>

#include <sstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "support/run_cli.h"
#include "core/io/text_escape.h"
#include "support/full_disk.h"

using namespace optiviz;
using namespace optiviz::test;

namespace {

using optiviz::test::Result;
using optiviz::test::run;

// Exit 2, nothing on stdout, and exactly one line of printable text containing `expected`.
void check_refused(const Result& r, const std::string& expected) {
    INFO(printable(r.err, 400));
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    REQUIRE(!r.err.empty());
    CHECK(r.err.back() == '\n');
    CHECK(is_printable_line(r.err.substr(0, r.err.size() - 1)));
    CHECK(r.err.rfind("optiviz: error: ", 0) == 0);
    CHECK(r.err.find(expected) != std::string::npos);
}

std::vector<std::string> trace_on(const std::string& data, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"trace", "--surface", "mse", "--data", data, "--optimizer", "sgd", "--start", "0,0",
                                     "--steps", "3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

}  // namespace

TEST_CASE("axes of a few representable values draw instead of looping", "[cli][render][robust]") {
    ScratchFolder folder;
    // Rosenbrock's default view with a = 1e8 spans y = 1e16 ± 2: a handful of doubles.
    CHECK(run({"render", "--out", folder.file("a.png"), "--size", "320x200", "--surface", "rosenbrock", "--param",
               "a=1e8"})
              .status == 0);
    // An mse CSV whose y is constant near 1e7, shown with its data view.
    write_bytes(folder.file("flat.csv"), "x,y\n1,10000000\n2,10000000.000000002\n3,10000000\n");
    CHECK(run({"render", "--out", folder.file("b.png"), "--size", "320x200", "--surface", "mse", "--data",
               folder.file("flat.csv"), "--view", "both", "--steps", "50"})
              .status == 0);
    // A narrow but resolvable basin grid.
    CHECK(run({"basins", "--surface", "booth", "--optimizer", "sgd", "--steps", "3", "--grid", "0,1e-15,0,1e-15", "--res",
               "4", "--out", folder.file("c.png"), "--size", "320x200"})
              .status == 0);
}

TEST_CASE("degenerate or undrawable axes, grids and views are refused up front", "[cli][robust]") {
    ScratchFolder folder;
    check_refused(run({"sweep", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "3", "--x",
                       "lr=1e-3:1e-2:log:3", "--y", "momentum=0.5:0.50000000000000011:lin:4", "--out", folder.file("s.png")}),
                  "--y: LO and HI are too close for 4 distinct values");
    check_refused(run({"basins", "--surface", "booth", "--optimizer", "sgd", "--steps", "3", "--grid", "0,1e39,0,1e39",
                       "--res", "4", "--out", folder.file("b.png")}),
                  "--grid: coordinates must be within +-1e30, got 1e39");
    check_refused(run({"basins", "--surface", "booth", "--optimizer", "sgd", "--steps", "3", "--grid", "1,1.0000000000000002,0,1",
                       "--res", "4", "--out", folder.file("b.png")}),
                  "--grid is too narrow");
    write_bytes(folder.file("huge_view.json"),
                R"({"format":"optiviz-scene","surface":{"name":"booth"},"start":[0,0],"view":[-1e308,1e308,-1e308,1e308],)"
                R"("glyph_run":0,"runs":[{"optimizer":"adam"}]})");
    check_refused(run({"render", "--scene", folder.file("huge_view.json"), "--out", folder.file("v.png")}),
                  "the view: coordinates must be within +-1e30");
}

TEST_CASE("requests beyond the limits say the limit and the asked size", "[cli][robust]") {
    ScratchFolder folder;
    check_refused(run({"render", "--out", folder.file("r.png"), "--steps", "1000000", "--run", "adam:cloud=1024"}),
                  "1000000 steps x 1025 particles need 39101 MB; the limit is 1024 MB");
    check_refused(run({"render", "--out", folder.file("r.png"), "--steps", "1000001"}), "--steps must be at most 1000000");
    check_refused(run({"sweep", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "1000000", "--x",
                       "lr=1e-3:1e-2:log:100", "--y", "momentum=0:0.9:lin:100", "--out", folder.file("s.csv")}),
                  "sweep: 10000 cells x 1000000 steps is 1e+10 particle-steps; the limit is 4e+09");
    check_refused(run({"basins", "--surface", "booth", "--optimizer", "sgd", "--steps", "1000000", "--grid", "0,1,0,1",
                       "--res", "4096", "--out", folder.file("b.csv")}),
                  "basins: 16777216 cells x 1000000 steps");
    check_refused(run({"trace", "--surface", "booth", "--optimizer", "sgd", "--schedule", "cosine", "--t-max",
                       "9223372036854775807", "--start", "0,0", "--steps", "3"}),
                  "--t-max must be a whole number from 1 to 1000000000000, got 9223372036854775807");
    write_bytes(folder.file("rows.json"), R"({"format":"optiviz-scene","surface":{"name":"logistic","data":{"synthetic":)"
                                          R"({"rows":1e12}}},"start":[0,0],"view":[-1,1,-1,1],"runs":[]})");
    check_refused(run({"render", "--scene", folder.file("rows.json"), "--out", folder.file("r.png")}),
                  "rows must be a whole number from 2 to 10000000, got 1000000000000.0");
    write_bytes(folder.file("steps.json"),
                R"({"format":"optiviz-scene","surface":{"name":"booth"},"start":[0,0],"view":[-1,1,-1,1],"steps":1e27,"runs":[]})");
    check_refused(run({"render", "--scene", folder.file("steps.json"), "--out", folder.file("r.png")}),
                  "steps must be a whole number from 0 to 1000000, got 1e+27");
    write_bytes(folder.file("glyph.json"),
                R"({"format":"optiviz-scene","surface":{"name":"booth"},"start":[0,0],"view":[-1,1,-1,1],"glyph_run":99,"runs":[]})");
    check_refused(run({"render", "--scene", folder.file("glyph.json"), "--out", folder.file("r.png")}),
                  "glyph_run must be a whole number from -1 to 63, got 99");
}

TEST_CASE("data files must be regular files of bounded size", "[cli][robust]") {
    ScratchFolder folder;
    const std::string fifo = folder.file("fifo.csv");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    check_refused(run(trace_on(fifo)), "fifo.csv: data file is not a regular file");
    check_refused(run(trace_on("/dev/zero")), "/dev/zero: data file is not a regular file");
    check_refused(run(trace_on(folder.path())), ": data file is not a regular file");
    check_refused(run({"render", "--scene", fifo, "--out", folder.file("r.png")}), "fifo.csv: scene file is not a regular file");
}

TEST_CASE("parse errors name what was expected, escaped and cut", "[cli][robust]") {
    ScratchFolder folder;
    write_bytes(folder.file("d.csv"), "x,y\n1,2\n3,4\n");
    check_refused(run(trace_on(folder.file("d.csv"), {"--columns", "99999999999999999999,1"})),
                  "d.csv:1: column 99999999999999999999 is beyond any file's columns");
    write_bytes(folder.file("mac.csv"), "x,y\r1,2\r3,oops\r");
    check_refused(run(trace_on(folder.file("mac.csv"))), "mac.csv:3:3: 'oops' is not a number");
    write_bytes(folder.file("esc.csv"), "x,y\n1,2\n3,\x1B[31mred\n");
    check_refused(run(trace_on(folder.file("esc.csv"))), "esc.csv:3:3: '\\x1B[31mred' is not a number");
    check_refused(run({"trace", "--surface", "bad\x1B[2Jname", "--optimizer", "sgd", "--start", "0,0", "--steps", "1"}),
                  "unknown surface 'bad\\x1B[2Jname'");
    check_refused(run({"render", "--out", "x.png", "--run", "ada\x04"}), "unknown optimizer 'ada\\x04'");  // fuzz finding
    check_refused(run({"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", std::string(5000, '9')}),
                  "--steps: '" + std::string(60, '9') + "...' is too large");
    check_refused(run({"trace", "--surface", "booth", "--optimizer", "adam", "--amsgrad=2", "--start", "0,0", "--steps", "3"}),
                  "--amsgrad: expected 0 or 1, got '2'");
    write_bytes(folder.file("dc.csv"), "x;y\n1,5;2\n3;4\n");
    check_refused(run(trace_on(folder.file("dc.csv"))), "dc.csv:2:1: '1,5' has a decimal comma: read the file with --decimal ,");
}

TEST_CASE("decimal commas are read with --decimal , and switches take 0 or 1", "[cli][robust]") {
    ScratchFolder folder;
    write_bytes(folder.file("dc.csv"), "x;y\n1,5;2\n3;4\n");
    const Result comma = run(trace_on(folder.file("dc.csv"), {"--decimal", ","}));
    write_bytes(folder.file("dot.csv"), "x,y\n1.5,2\n3,4\n");
    const Result dot = run(trace_on(folder.file("dot.csv")));
    REQUIRE(comma.status == 0);
    CHECK(comma.out == dot.out);
    const auto amsgrad = [](const char* flag) {
        return run({"trace", "--surface", "rosenbrock", "--optimizer", "adam", flag, "--lr", "0.5", "--start", "-1,1",
                    "--steps", "30"});
    };
    const Result on = amsgrad("--amsgrad"), on1 = amsgrad("--amsgrad=1"), off = amsgrad("--amsgrad=0");
    REQUIRE(on.status == 0);
    CHECK(on.out == on1.out);
    CHECK(off.out != on.out);
}

TEST_CASE("trace prints row 0 even when the start is already beyond the divergence bound", "[cli][robust]") {
    const Result r = run({"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "1e9,0", "--steps", "3"});
    CHECK(r.status == 0);
    CHECK(r.out == "step,x,y,loss\n0,1000000000,0,4.999999966e+18\n");
    CHECK(r.err == "diverged at step 0\n");
}

TEST_CASE("every error message is one line of printable text", "[cli][robust]") {
    ScratchFolder folder;
    write_bytes(folder.file("bin.csv"), std::string("x,y\n\0\x01\x02\xFF\n", 10));
    write_bytes(folder.file("bin.json"), std::string("\x1B[2J{\"format\":\xFF\0", 17));
    write_bytes(folder.file("long.csv"), "x,y\n1,2\n3," + std::string(100000, 'z') + "\n");
    write_bytes(folder.file("mac.csv"), "a,b\r" + std::string(10000, '1') + ",2\r");
    const std::vector<std::vector<std::string>> inputs = {
        trace_on(folder.file("bin.csv")),
        trace_on(folder.file("long.csv")),
        trace_on(folder.file("mac.csv")),
        {"render", "--scene", folder.file("bin.json"), "--out", folder.file("r.png")},
        {"render", "--out", "/dev/full", "--steps", "5", "--size", "64x48"},
        {"render", "--out", folder.file("no/such/x.png"), "--steps", "5", "--size", "64x48"},
        {"render", "--out", "x.png", "--run", "adam:lr=\x1B[31m"},
        {"render", "--out", "x.png", "--run", std::string(3000, 'a') + "\n"},
        {"render", "--out", "x.png", "--param", "a\n=1"},
        {"render", "--out", "x.png", "--start", "1,\xFF"},
        {"render", "--out", "x.png", "--camera", "1,2,\x07"},
        {"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "3", "--bogus\x1B[2J"},
        {"sweep", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "3", "--x", "\x1B=1:2:lin:2",
         "--y", "lr=1:2:lin:2", "--out", "s.csv"},
        {"sweep", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "3", "--x", "lr=1:2:lin:2",
         "--y", "momentum=0:1:lin:2", "--out", "s.\x1B"},
        {"basins", "--surface", "booth", "--optimizer", "sgd", "--steps", "3", "--grid", "0,1,0,\n", "--res", "4", "--out", "b.csv"},
        {"trace", "--surface", "mse", "--data", folder.file("bin.csv"), "--columns", "\x1B,\x1B", "--optimizer", "sgd",
         "--start", "0,0", "--steps", "3"},
        {"trace", "--surface", "booth", "--optimizer", "sgd", "--start", "0,0", "--steps", "3", "--decimal", "\t"},
    };
    for (const auto& args : inputs) {
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        INFO(printable(joined, 200));
        const Result r = run(args);
        INFO(printable(r.err, 600));
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        REQUIRE(!r.err.empty());
        CHECK(r.err.find('\n') == r.err.size() - 1);
        CHECK(is_printable_line(r.err.substr(0, r.err.size() - 1)));
        CHECK(r.err.size() < 600);
    }
}

TEST_CASE("picture sizes beyond int are a message, not undefined behaviour", "[cli][robust]") {
    check_refused(run({"render", "--out", "x.png", "--size", "99999999999x1"}), "--size: expected WxH such as 1280x800");
    check_refused(run({"render", "--out", "x.png", "--size", "640x"}), "--size: expected WxH such as 1280x800");
    check_refused(run({"render", "--out", "x.png", "--size", "640x400x"}), "--size: expected WxH such as 1280x800");
    check_refused(run({"render", "--out", "x.png", "--size", "4000x400"}), "--size: must be between 16x16 and 3840x2160");
}
