// Your own runs beside optiviz's: `--trajectory`, the window's state, the exports and the picture.
#include "support/catch.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/cli/cli.h"
#include "app/window/file_dialog.h"
#include "app/derived/imported_runs.h"
#include "app/cli/scene_options.h"
#include "app/derived/tuning.h"
#include "app/derived/view_inputs.h"
#include "core/io/imported_trajectory.h"
#include "core/surfaces/surface_registry.h"
#include "render/png_reader.h"
#include "support/run_cli.h"

using namespace optiviz;
using optiviz::test::Result;
using optiviz::test::run;

namespace {

const std::string kData = OPTIVIZ_TEST_DATA_DIR;
const std::string kMine = kData + "/mine.csv";

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("optiviz-imported-" + std::to_string(::getpid()) + "-" + name)).string();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// Pixels of exactly `color` (0xRRGGBB) in a PNG.
long pixels_of(const std::string& png, std::uint32_t color) {
    const auto image = render::read_png(png);
    REQUIRE(image);
    long count = 0;
    for (std::size_t i = 0; i + 3 < image->rgba.size(); i += 4)
        if (image->rgba[i] == ((color >> 16) & 0xFF) && image->rgba[i + 1] == ((color >> 8) & 0xFF) && image->rgba[i + 2] == (color & 0xFF))
            ++count;
    return count;
}

}  // namespace

TEST_CASE("imported: trace output read back equals the run it came from", "[imported][cli]") {
    const Result r = run({"trace", "--surface", "rosenbrock", "--optimizer", "adam", "--lr", "0.05", "--start", "-1.5,2",
                          "--steps", "300"});
    REQUIRE(r.status == 0);
    const auto paths = parse_imported_paths(r.out, "trace.csv");
    REQUIRE(paths.size() == 1);
    RunConfig config;
    config.optimizer = "adam";
    config.hyper["lr"] = 0.05;
    config.steps = 300;
    const Trajectory t = run_trajectory(*make_surface("rosenbrock", {}, nullptr), config, {-1.5, 2});
    CHECK(paths[0].x == t.x);
    CHECK(paths[0].y == t.y);
    CHECK(paths[0].loss == t.loss);
}

TEST_CASE("imported: the window's trajectory export read back gives every run with its label", "[imported]") {
    Scene scene = default_scene();
    scene.steps = 200;
    scene.runs[1].label = "momentum, \"heavy\"";
    app::AppState state(scene);
    state.finish();
    const auto paths = parse_imported_paths(app::trajectories_csv(state), "export.csv");
    REQUIRE(paths.size() == scene.runs.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
        INFO("run " << i);
        CHECK(paths[i].run == std::to_string(i));
        CHECK(paths[i].label == run_label(scene.runs[i]));
        CHECK(paths[i].x == state.trajectory(i)->x);
        CHECK(paths[i].y == state.trajectory(i)->y);
        CHECK(paths[i].loss == state.trajectory(i)->loss);
    }
}

TEST_CASE("imported: a run from a file is not re-simulated and takes its loss from the surface without a loss column", "[imported]") {
    const std::string file = temp_path("noloss.csv");
    write_text(file, "x,y\n-1,1\n0,0.5\n0.5,0.25\n");
    cli::SceneOptions options;
    options.surface = "rosenbrock";
    options.runs = {"adam:lr=0.05"};
    options.trajectories = {file + ":label=my run"};
    options.steps = "100";
    const Scene built = cli::build_scene(options);
    REQUIRE(built.runs.size() == 2);
    CHECK(built.runs[1].color == run_palette(1));  // its position's colour
    app::AppState state(built);
    state.finish();
    const auto surface = make_surface("rosenbrock", {}, nullptr);
    const Trajectory* t = state.trajectory(1);
    REQUIRE(t);
    CHECK(t->x == std::vector<double>{-1, 0, 0.5});
    CHECK(t->loss == std::vector<double>{surface->value(-1, 1), surface->value(0, 0.5), surface->value(0.5, 0.25)});
    CHECK(app::run_views(state)[1].label == "my run");

    // Moving the start, the horizon or the surface's parameter: the optimizer's run changes, the
    // imported points do not; its loss follows the surface.
    state.scene().start = {0.5, 0.5};
    state.scene().steps = 50;
    state.scene().surface_params["b"] = 10;
    state.finish();
    CHECK(state.trajectory(0)->x.front() == 0.5);
    CHECK(state.trajectory(1)->x == std::vector<double>{-1, 0, 0.5});
    const auto flatter = make_surface("rosenbrock", {{"b", 10}}, nullptr);
    CHECK(state.trajectory(1)->loss[1] == flatter->value(0, 0.5));
    // ...and the export carries it with its label.
    CHECK(app::trajectories_csv(state).find("\n1,my run,2,0.5,0.25,") != std::string::npos);
    std::filesystem::remove(file);
}

TEST_CASE("imported: bad trajectory files are one line and exit 2 on the command line", "[imported][cli]") {
    const std::string bad = temp_path("bad.csv");
    write_text(bad, "step,x,y\n0,1,2\n1,nan,3\n");
    const std::string out = temp_path("never.png");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"render", "--trajectory", bad, "--steps", "5", "--size", "64x48", "--out", out},
          std::vector<std::string>{"render", "--trajectory", kData + "/none.csv", "--steps", "5", "--size", "64x48", "--out", out},
          std::vector<std::string>{"render", "--trajectory", kData + "/mine.csv:label=", "--out", out}}) {
        const Result r = run(args);
        INFO(r.err);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    CHECK(run({"render", "--trajectory", bad, "--out", out}).err ==
          "optiviz: error: " + bad + ":3: x: 'nan' is not a finite number\n");
    std::filesystem::remove(bad);
}

TEST_CASE("imported: standard input as a trajectory", "[imported][cli]") {
    cli::SceneOptions options;
    options.surface = "booth";
    options.runs = {"sgd:lr=0.01"};
    options.trajectories = {"-"};
    options.steps = "10";
    CHECK(options.reads_stdin());
    CHECK_THROWS_WITH(cli::build_scene(options), "--trajectory -: standard input is not available here");
    options.stdin_text = "step,x,y\n0,1,1\n1,2,2\n";
    const Scene scene = cli::build_scene(options);
    REQUIRE(scene.runs.size() == 2);
    CHECK(scene.runs[1].imported->source == kStandardInputName);
    CHECK(run_labels(scene)[1] == kStandardInputName);
    options.data = "-";
    CHECK_THROWS_WITH(options.reads_stdin(), "standard input (-) can be read by one option only");
    // With no file to go back to, a saved scene keeps the points.
    CHECK(scene_from_json(scene_to_json(scene), "s.json") == scene);
}

TEST_CASE("imported: the window adds a dropped trajectory as a run and keeps the scene for a bad one", "[imported]") {
    app::AppState state(default_scene());
    state.finish();
    const std::size_t runs = state.scene().runs.size();
    state.open_dropped_file(kMine);
    REQUIRE(state.scene().runs.size() == runs + 1);
    CHECK(state.scene().runs.back().imported->x.size() == 2001);
    CHECK(state.scene().runs.back().color == run_palette(runs));
    CHECK_FALSE(state.panel.message_is_error);
    CHECK(state.scene().surface == "rosenbrock");  // not taken for data

    const std::string bad = temp_path("drop.csv");
    write_text(bad, "step,x,y\n0,1,2\n1,1,\n");
    const Scene before = state.scene();
    CHECK_FALSE(app::add_trajectory_file(state, bad));
    CHECK(state.scene() == before);
    CHECK(state.panel.message_is_error);
    CHECK(state.panel.message == bad + ":3: y: '' is not a number");
    std::filesystem::remove(bad);
}

TEST_CASE("imported: the rendered picture has the imported run's colour", "[imported][cli][render]") {
    const std::string with = temp_path("with.png"), without = temp_path("without.png");
    const std::vector<std::string> base = {"render", "--surface", "rosenbrock", "--run", "sgd:lr=0.001", "--size", "800x500"};
    std::vector<std::string> a = base, b = base;
    a.insert(a.end(), {"--trajectory", kMine, "--out", with});
    b.insert(b.end(), {"--out", without});
    REQUIRE(run(a).status == 0);
    REQUIRE(run(b).status == 0);
    // The imported run is run 2: the palette's second colour, in the map, the loss plot and the legend.
    const long own = pixels_of(with, run_palette(1)), none = pixels_of(without, run_palette(1));
    INFO(own << " vs " << none);
    CHECK(own > none + 200);
    std::filesystem::remove(with);
    std::filesystem::remove(without);
}

TEST_CASE("imported: the open dialog and the panel's Add field add the file's runs", "[imported][files]") {
    app::AppState state(default_scene());
    state.finish();
    const std::size_t runs = state.scene().runs.size();
    CHECK_FALSE(app::apply_file_choice(state, {ui::FilePurpose::OpenTrajectory, kMine}));
    REQUIRE(state.scene().runs.size() == runs + 1);
    CHECK(state.panel.trajectory_file == kMine);
    CHECK(app::suggested_path(state, ui::FilePurpose::OpenTrajectory) == kMine);
    ui::PanelCommands add;
    add.open_trajectory = kMine;
    state.run_commands(add);
    CHECK(state.scene().runs.size() == runs + 2);
    CHECK(state.panel.message == "added 1 run from " + kMine);
    state.finish();
    CHECK(state.trajectory(runs + 1)->size() == 2001);
}

TEST_CASE("imported: tuning leaves your own run alone", "[imported][tune]") {
    Scene scene;
    scene.steps = 50;
    scene.runs.push_back(parse_run_spec("sgd:lr=0.001", 0));
    for (RunSpec& run : app::imported_runs(kMine, std::nullopt, 1)) scene.runs.push_back(run);
    scene.tune.run = 1;
    app::AppState state(scene);
    state.finish();
    app::Tuning tuning;
    tuning.apply(ui::TuneRequests{true, false, false}, state);
    CHECK_FALSE(tuning.running());
    CHECK(tuning.status().message == "mine.csv is imported: it has no settings to tune");
    tuning.apply(ui::TuneRequests{false, true, false}, state);  // tune all: the optimizer's run only
    tuning.wait(state);
    REQUIRE(tuning.last());
    CHECK(tuning.last()->runs == std::vector<std::size_t>{0});
}

TEST_CASE("imported: open-with a trajectory CSV adds it as a run, other CSVs stay data", "[imported][cli]") {
    const std::string data = temp_path("data.csv");
    write_text(data, "x,y\n1,2\n3,4\n");
    for (const auto& [file, trajectory] : {std::pair{kMine, true}, std::pair{data, false}}) {
        const std::vector<std::string> args = {"optiviz", file, "--steps", "5"};
        std::vector<const char*> argv;
        for (const auto& a : args) argv.push_back(a.c_str());
        std::ostringstream out, err;
        cli::LaunchRequest launch;
        REQUIRE(cli::run(static_cast<int>(argv.size()), argv.data(), out, err, &launch) == 0);
        INFO(err.str());
        CHECK(launch.scene.surface == (trajectory ? "rosenbrock" : "mse"));
        CHECK(static_cast<bool>(launch.scene.runs.back().imported) == trajectory);
    }
    std::filesystem::remove(data);
}
