// `optiviz render --scene FILE` draws the basin map the scene asks for (its basin-map module's
// settings), computed as the window computes it: a saved scene reproduces the picture, and a scene
// file with the map renders exactly what the same scene plus `--overlay basin-map:...` renders. A map
// whose run is imported from a file is refused (exit 2), as the window refuses it; a picture without the
// landscape (the 3-D view alone) does not compute the map.
#include "support/catch.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "app/app_state.h"
#include "app/derived/analysis.h"
#include "render/png_reader.h"
#include "support/full_disk.h"
#include "support/run_cli.h"
#include "ui/overlays/basin_map.h"

using namespace optiviz;
namespace fs = std::filesystem;

namespace {

Scene basin_scene() {
    Scene scene = default_scene();
    scene.surface = "himmelblau";
    scene.runs = {parse_run_spec("sgd:lr=0.01", 0), parse_run_spec("adam:lr=0.1", 1)};
    assign_default_colors(scene.runs);
    scene.start = {0.3, -0.4};
    scene.steps = 60;
    return scene;
}

void write(const fs::path& path, const Scene& scene) {
    std::ofstream(path) << scene_to_json(scene);
}

render::RgbaImage render_png(std::vector<std::string> args, const fs::path& out) {
    args.insert(args.begin(), "render");
    for (const char* a : {"--size", "480x360", "--out"}) args.push_back(a);
    args.push_back(out.string());
    const test::Result result = test::run(args);
    INFO(result.err);
    REQUIRE(result.status == 0);
    const auto image = render::read_png(out.string());
    REQUIRE(image);
    return *image;
}

// The basin map's cell colours as the window computes them for `scene`.
std::vector<std::uint32_t> window_basin_colors(const Scene& scene) {
    app::AppState state(scene);
    state.finish();
    app::Analysis analysis;
    analysis.update(state, state.view());
    analysis.wait();
    analysis.update(state, state.view());
    REQUIRE(analysis.basins());
    return analysis.basin_colors();
}

}  // namespace

TEST_CASE("render of a scene with the basin map draws its colours exactly as the command-line options do", "[render][cli][modules]") {
    test::ScratchFolder folder;
    const Scene plain = basin_scene();
    Scene with_map = plain;
    ui::BasinMapSettings settings;
    settings.run = 1;
    settings.resolution = 12;
    ui::set_basin_map(with_map, settings);
    write(fs::path(folder.path()) / "plain.json", plain);
    write(fs::path(folder.path()) / "map.json", with_map);
    const auto off = render_png({"--scene", (fs::path(folder.path()) / "plain.json").string()}, fs::path(folder.path()) / "off.png");
    const auto on = render_png({"--scene", (fs::path(folder.path()) / "map.json").string()}, fs::path(folder.path()) / "on.png");
    const auto options = render_png({"--scene", (fs::path(folder.path()) / "plain.json").string(), "--overlay", "basin-map:run=1,resolution=12"},
                                    fs::path(folder.path()) / "options.png");
    CHECK(on.rgba == options.rgba);  // the saved scene and the options: the same picture
    REQUIRE(on.rgba.size() == off.rgba.size());
    // Where the map is drawn, each pixel is a cell's colour at the overlay's alpha over the plain picture.
    const std::vector<std::uint32_t> cells = window_basin_colors(with_map);
    constexpr double kAlpha = 200.0 / 255.0;
    std::size_t changed = 0, basin_coloured = 0;
    for (std::size_t p = 0; p + 3 < on.rgba.size(); p += 4) {
        if (on.rgba[p] == off.rgba[p] && on.rgba[p + 1] == off.rgba[p + 1] && on.rgba[p + 2] == off.rgba[p + 2]) continue;
        ++changed;
        double under[3];
        for (int k = 0; k < 3; ++k) under[k] = (on.rgba[p + k] - (1 - kAlpha) * off.rgba[p + k]) / kAlpha;
        for (std::uint32_t c : cells) {
            const double rgb[3] = {static_cast<double>((c >> 16) & 255), static_cast<double>((c >> 8) & 255), static_cast<double>(c & 255)};
            if (std::abs(rgb[0] - under[0]) < 4 && std::abs(rgb[1] - under[1]) < 4 && std::abs(rgb[2] - under[2]) < 4) {
                ++basin_coloured;
                break;
            }
        }
    }
    const std::size_t pixels = on.rgba.size() / 4;
    INFO(changed << " pixels changed, " << basin_coloured << " of them a basin cell's colour, of " << pixels);
    CHECK(changed > pixels / 4);            // the map covers the plot: a real share of the picture
    CHECK(basin_coloured > changed * 3 / 4);  // and what covers it is the window's basin colours
}

TEST_CASE("render refuses a basin map of an imported run", "[render][cli][modules][imported]") {
    test::ScratchFolder folder;
    std::ofstream(fs::path(folder.path()) / "mine.csv") << "x,y\n0.3,-0.4\n0.2,-0.3\n0.1,-0.2\n";
    const test::Result result =
        test::run({"render", "--surface", "himmelblau", "--run", "adam:lr=0.1", "--trajectory", (fs::path(folder.path()) / "mine.csv").string(),
                   "--overlay", "basin-map:run=1", "--size", "200x150", "--out", (fs::path(folder.path()) / "out.png").string()});
    CHECK(result.status == 2);
    CHECK_THAT(result.err, Catch::Contains("imported from a file"));
    CHECK_FALSE(fs::exists(fs::path(folder.path()) / "out.png"));
    // The map is computed only for pictures that show the landscape: with the loss plot below it too,
    // not for the 3-D view alone.
    auto status_for = [&](const std::string& view) {
        return test::run({"render", "--surface", "himmelblau", "--run", "adam:lr=0.1", "--trajectory", (fs::path(folder.path()) / "mine.csv").string(),
                          "--overlay", "basin-map:run=1", "--view", view, "--size", "200x150", "--out",
                          (fs::path(folder.path()) / (view == "3d" ? "3d.png" : "landscape-loss.png")).string()})
            .status;
    };
    CHECK(status_for("landscape+loss") == 2);
    CHECK(status_for("3d") == 0);
}
