// The command line's conventions: "-" for standard input and output, which stream carries what,
// help that reads like other tools' (program name, value names, examples, `optiviz help COMMAND`),
// "did you mean" for typos, `list --json`, and a failed write to standard output.
#include "support/catch.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"
#include "core/optimizers/optimizer.h"
#include "core/scene/presets.h"
#include "core/scene/scene.h"
#include "core/surfaces/surface_registry.h"
#include "support/run_cli.h"

namespace {

using optiviz::test::Result;

// As optiviz::test::run, with `input` as standard input.
Result run_with_input(std::vector<std::string> args, const std::string& input, optiviz::cli::LaunchRequest* launch = nullptr) {
    args.insert(args.begin(), "optiviz");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::istringstream in(input);
    std::ostringstream out, err;
    const int status = optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), in, out, err, launch);
    return {status, out.str(), err.str()};
}

Result run(std::vector<std::string> args) { return run_with_input(std::move(args), ""); }

std::string file_text(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

const std::string kData = OPTIVIZ_TEST_DATA_DIR;
const std::vector<std::string> kCommands = {"trace", "sweep", "basins", "tune", "list", "render"};

}  // namespace

TEST_CASE("standard input as --data -: the CSV is read as the file would be", "[cli][stdio]") {
    const std::vector<std::string> args = {"trace", "--surface", "mse", "--optimizer", "adam", "--lr", "0.1",
                                           "--start", "0,0", "--steps", "20", "--data"};
    std::vector<std::string> from_file = args, from_stdin = args;
    from_file.push_back(kData + "/linear.csv");
    from_stdin.push_back("-");
    const Result file = run(from_file);
    const Result piped = run_with_input(from_stdin, file_text(kData + "/linear.csv"));
    REQUIRE(file.status == 0);
    REQUIRE(piped.status == 0);
    CHECK(piped.out == file.out);
    CHECK(line_count(piped.out) == 22);
}

TEST_CASE("standard input as --data -, empty: one line of error naming standard input", "[cli][stdio]") {
    const Result r = run_with_input({"trace", "--surface", "mse", "--optimizer", "sgd", "--start", "0,0", "--steps", "3",
                                     "--data", "-"},
                                    "");
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(line_count(r.err) == 1);
    CHECK(r.err.find("standard input") != std::string::npos);
}

TEST_CASE("standard input as --scene - and --data - opens the window's scene", "[cli][stdio]") {
    optiviz::Scene saved = optiviz::default_scene();
    saved.surface = "himmelblau";
    saved.steps = 123;
    optiviz::cli::LaunchRequest launch;
    const Result r = run_with_input({"--scene", "-"}, optiviz::scene_to_json(saved), &launch);
    REQUIRE(r.status == 0);
    REQUIRE(launch.requested);
    CHECK(launch.scene.surface == "himmelblau");
    CHECK(launch.scene.steps == 123);

    optiviz::cli::LaunchRequest with_data;
    const Result d = run_with_input({"--surface", "mse", "--data", "-", "--run", "sgd:lr=0.01"},
                                    "x,y\n1,2\n2,4.5\n3,6\n", &with_data);
    REQUIRE(d.status == 0);
    CHECK(with_data.scene.data.kind == optiviz::DatasetChoice::Kind::Inline);
    CHECK(with_data.scene.data.rows_y == std::vector<double>{2, 4.5, 6});
}

TEST_CASE("sweep --out - writes the CSV alone to standard output and the summary to standard error", "[cli][stdio]") {
    const std::vector<std::string> args = {"sweep", "--surface", "rosenbrock", "--optimizer", "sgd", "--start", "-1,1",
                                           "--steps", "30", "--x", "lr=1e-4:1e-3:log:3", "--y", "momentum=0:0.9:lin:2",
                                           "--out"};
    const std::string path = "optiviz_test_conventions_sweep.csv";
    std::vector<std::string> to_file = args, to_stdout = args;
    to_file.push_back(path);
    to_stdout.push_back("-");
    const Result file = run(to_file);
    const Result piped = run(to_stdout);
    const std::string written = file_text(path);
    std::remove(path.c_str());
    REQUIRE(file.status == 0);
    REQUIRE(piped.status == 0);
    CHECK(piped.out == written);
    CHECK(file.out.rfind("wrote " + path, 0) == 0);  // a file: its name is the product on stdout
    CHECK(piped.err.find("wrote -:") != std::string::npos);
    CHECK(piped.err.find("best: ") != std::string::npos);
}

TEST_CASE("help: the program name in usage lines, value names, no {1}, an example per command", "[cli][help]") {
    for (const std::string& command : kCommands) {
        INFO(command);
        const Result r = run({command, "--help"});
        REQUIRE(r.status == 0);
        CHECK(r.out.find("Usage: optiviz " + command + " [OPTIONS]") != std::string::npos);
        CHECK(r.out.find("TEXT") == std::string::npos);
        CHECK(r.out.find("{1}") == std::string::npos);
        CHECK(r.out.find("Example:\n  optiviz " + command) != std::string::npos);
    }
    const Result top = run({"--help"});
    CHECK(top.out.rfind("optiviz", 0) == 0);
    CHECK(top.out.find("Usage: optiviz [OPTIONS]") != std::string::npos);
    CHECK(top.out.find("TEXT") == std::string::npos);
    CHECK(run({"trace", "--help"}).out.find("--nesterov ") != std::string::npos);
    CHECK(run({"trace", "--help"}).out.find("--start X,Y") != std::string::npos);
}

TEST_CASE("optiviz help [COMMAND] is --help", "[cli][help]") {
    CHECK(run({"help"}).out == run({"--help"}).out);
    CHECK(run({"help"}).status == 0);
    const Result trace = run({"help", "trace"});
    CHECK(trace.status == 0);
    CHECK(trace.out == run({"trace", "--help"}).out);
    const Result typo = run({"help", "rendr"});
    CHECK(typo.status == 2);
    CHECK(typo.err.find("did you mean 'render'?") != std::string::npos);
}

TEST_CASE("did you mean: commands, options, surfaces, optimizers, presets", "[cli][typo]") {
    struct Case {
        std::vector<std::string> args;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {{"rendr", "--out", "x.png"}, "optiviz: error: unknown command 'rendr'; did you mean 'render'?"},
        {{"render", "--surfce", "himmelblau", "--out", "x.png"},
         "optiviz: error: unknown option '--surfce' for optiviz render; did you mean '--surface'?"},
        {{"trace", "--surface", "rosenbrock", "--optimizer", "adamm", "--start", "0,0", "--steps", "3"},
         "did you mean 'adam' or 'adamw'?"},
        {{"trace", "--surface", "himmelblo", "--optimizer", "adam", "--start", "0,0", "--steps", "3"},
         "unknown surface 'himmelblo'; did you mean 'himmelblau'?"},
        {{"--preset", "narow-valley"}, "did you mean 'narrow-valley'?"},
        {{"trace", "--surface", "rosenbrock", "--optimizer", "adam", "--start", "0,0", "--steps", "3", "--lrr", "1"},
         "unknown option '--lrr' for optiviz trace; did you mean '--lr'?"},
    };
    for (const Case& c : cases) {
        INFO(c.args[0] << " " << c.args[1]);
        const Result r = run(c.args);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(line_count(r.err) == 1);
        CHECK(r.err.find(c.expected) != std::string::npos);
    }
    // Nothing close: no suggestion, but the list of commands.
    const Result far = run({"zzzzzz"});
    CHECK(far.err.find("did you mean") == std::string::npos);
    CHECK(far.err.find("commands: ") != std::string::npos);
}

TEST_CASE("list --json names every command, option, registry entry and choice", "[cli][list]") {
    const Result r = run({"list", "--json"});
    REQUIRE(r.status == 0);
    const nlohmann::json list = nlohmann::json::parse(r.out);
    CHECK(list["format"] == "optiviz-list");
    std::set<std::string> commands(list["commands"].begin(), list["commands"].end());
    for (const std::string& command : kCommands) CHECK(commands.count(command) == 1);
    std::set<std::string> surfaces, optimizers, presets;
    for (const auto& s : list["surfaces"]) surfaces.insert(s["name"].get<std::string>());
    for (const auto& o : list["optimizers"]) optimizers.insert(o["name"].get<std::string>());
    for (const auto& p : list["presets"]) presets.insert(p["name"].get<std::string>());
    for (const auto& s : optiviz::surface_registry()) CHECK(surfaces.count(std::string(s.name)) == 1);
    for (const auto& o : optiviz::optimizer_registry()) CHECK(optimizers.count(std::string(o.name)) == 1);
    for (const auto& p : optiviz::preset_registry()) CHECK(presets.count(std::string(p.name)) == 1);
    const auto schedules = list["choices"]["--schedule"];
    CHECK(std::find(schedules.begin(), schedules.end(), "plateau") != schedules.end());
    const auto trace_options = list["options"]["optiviz trace"];
    CHECK(std::find(trace_options.begin(), trace_options.end(), "--nesterov") != trace_options.end());
    const auto trace_switches = list["switches"]["optiviz trace"];
    CHECK(std::find(trace_switches.begin(), trace_switches.end(), "--nesterov") != trace_switches.end());
    CHECK(std::find(trace_switches.begin(), trace_switches.end(), "--start") == trace_switches.end());
    // One member per line in the sections the bash completion reads with sed.
    CHECK(r.out.find("\n    \"optiviz trace\": [\"--help\"") != std::string::npos);
    CHECK(r.out.find("\n    \"--schedule\": [\"constant\"") != std::string::npos);
}

TEST_CASE("choices listed for completion are accepted by the commands", "[cli][list]") {
    const nlohmann::json list = nlohmann::json::parse(run({"list", "--json"}).out);
    for (const auto& view : list["choices"]["--view"]) {
        INFO(view);
        const Result r = run({"render", "--view", view.get<std::string>(), "--out", "/no/such/dir/x.png"});
        CHECK(r.err.find("--view") == std::string::npos);  // refused for the path, never for the view
    }
    for (const auto& schedule : list["choices"]["--schedule"]) {
        INFO(schedule);
        CHECK(run({"trace", "--surface", "quadratic", "--optimizer", "sgd", "--start", "1,1", "--steps", "2", "--schedule",
                   schedule.get<std::string>()})
                  .status == 0);
    }
}

TEST_CASE("a failed write to standard output is one line and a failure", "[cli][stdio]") {
    std::FILE* full = std::fopen("/dev/full", "w");
    REQUIRE(full != nullptr);
    std::fputs("step,x,y,loss\n", full);
    std::ostringstream err;
    CHECK_FALSE(optiviz::cli::finish_standard_output(full, err));
    std::fclose(full);
    CHECK(err.str() == "optiviz: error: cannot write to standard output: No space left on device\n");

    // As main() meets it: std::cout.flush() already failed, nothing is left in the buffer.
    std::FILE* flushed = std::fopen("/dev/full", "w");
    REQUIRE(flushed != nullptr);
    std::fputs("step,x,y,loss\n", flushed);
    CHECK(std::fflush(flushed) != 0);
    std::ostringstream late;
    CHECK_FALSE(optiviz::cli::finish_standard_output(flushed, late));
    std::fclose(flushed);
    CHECK(late.str().rfind("optiviz: error: cannot write to standard output", 0) == 0);

    std::FILE* null = std::fopen("/dev/null", "w");
    REQUIRE(null != nullptr);
    std::fputs("fine\n", null);
    std::ostringstream quiet;
    CHECK(optiviz::cli::finish_standard_output(null, quiet));
    std::fclose(null);
    CHECK(quiet.str().empty());
}

TEST_CASE("a scene with unknown keys opens with one warning; a newer format is refused", "[cli][scene]") {
    const std::string folder = "optiviz_test_scene_format";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder + "/scenes");
    nlohmann::json scene = nlohmann::json::parse(optiviz::scene_to_json(optiviz::default_scene()));
    scene["colour"] = "red";
    const std::string path = folder + "/scenes/extra.json";
    std::ofstream(path) << scene.dump();
    optiviz::cli::LaunchRequest launch;
    const Result extra = run_with_input({"--scene", path}, "", &launch);
    CHECK(extra.status == 0);
    CHECK(extra.err == "optiviz: warning: " + path + ": unknown keys ignored: colour\n");

    scene.erase("colour");
    scene["version"] = 99;
    std::ofstream(path) << scene.dump();
    const Result newer = run({"render", "--scene", path, "--out", folder + "/x.png"});
    CHECK(newer.status == 2);
    CHECK(newer.err == "optiviz: error: " + path + ": written by a newer optiviz (format 99); this one reads " + std::to_string(optiviz::kSceneFormatVersion) + "\n");
    CHECK_FALSE(std::filesystem::exists(folder + "/x.png"));

    // A relative data path is found beside the scene, wherever optiviz runs.
    scene["version"] = 1;
    scene["surface"] = {{"name", "mse"}, {"data", {{"file", "points.csv"}, {"columns", {"x", "y"}}}}};
    std::ofstream(path) << scene.dump();
    std::ofstream(folder + "/scenes/points.csv") << "x,y\n1,2\n2,4\n3,6.5\n";
    const Result beside = run_with_input({"--scene", path}, "", &launch);
    CHECK(beside.status == 0);
    CHECK(launch.scene.data.path == folder + "/scenes/points.csv");
    std::filesystem::remove_all(folder);
}

TEST_CASE("render --out - writes the PNG alone to standard output and the summary to standard error", "[cli][render]") {
    const Result r = run({"render", "--size", "64x48", "--run", "adam:lr=0.05", "--steps", "20", "--out", "-"});
    REQUIRE(r.status == 0);
    REQUIRE(r.out.size() > 24);
    CHECK(r.out.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    const auto be32 = [&](std::size_t at) {
        return (static_cast<unsigned char>(r.out[at]) << 24) | (static_cast<unsigned char>(r.out[at + 1]) << 16) |
               (static_cast<unsigned char>(r.out[at + 2]) << 8) | static_cast<unsigned char>(r.out[at + 3]);
    };
    CHECK(be32(16) == 64);  // IHDR width and height
    CHECK(be32(20) == 48);
    CHECK(r.err.rfind("wrote - (64x48, 1 runs", 0) == 0);
    // A failure writes nothing to standard output.
    const Result bad = run({"render", "--size", "64x48", "--view", "data", "--out", "-"});
    CHECK(bad.status == 2);
    CHECK(bad.out.empty());
}
