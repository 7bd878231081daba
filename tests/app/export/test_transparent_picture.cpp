// `optiviz render --transparent`: no background. The PNG's margins are alpha 0 while the heatmap
// stays opaque; translucent fills keep their own colour (straight alpha, not darkened by the clear
// colour); the default picture is opaque everywhere; SVG and PDF leave out the white paper.
#include "support/catch.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "app/export/picture.h"
#include "render/offscreen_context.h"
#include "render/png_reader.h"
#include "support/run_cli.h"

using namespace optiviz;
namespace fs = std::filesystem;

namespace {

struct Folder {
    fs::path path = fs::temp_directory_path() / "optiviz-test-transparent";
    Folder() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Folder() { fs::remove_all(path); }
};

render::RgbaImage render_png(const fs::path& path, bool transparent) {
    std::vector<std::string> args = {"render", "--surface", "rosenbrock", "--run", "adam:lr=0.05", "--steps", "40",
                                     "--size", "400x300", "--out", path.string()};
    if (transparent) args.push_back("--transparent");
    const test::Result result = test::run(args);
    INFO(result.err);
    REQUIRE(result.status == 0);
    const auto image = render::read_png(path.string());
    REQUIRE(image);
    REQUIRE(image->width == 400);
    REQUIRE(image->height == 300);
    return *image;
}

int alpha_at(const render::RgbaImage& image, int x, int y) {
    return image.rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)) * 4 + 3];
}

std::string read_all(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("render --transparent: clear margins and an opaque heatmap", "[render][transparent][cli]") {
    Folder folder;
    const render::RgbaImage clear = render_png(folder.path / "clear.png", true);
    // The top left corner is margin; the centre is heatmap.
    CHECK(alpha_at(clear, 1, 1) == 0);
    CHECK(alpha_at(clear, 200, 150) == 255);
    std::size_t transparent = 0, opaque = 0;
    for (int y = 0; y < clear.height; ++y)
        for (int x = 0; x < clear.width; ++x) {
            transparent += alpha_at(clear, x, y) == 0;
            opaque += alpha_at(clear, x, y) == 255;
        }
    INFO(transparent << " transparent, " << opaque << " opaque of " << clear.width * clear.height);
    CHECK(transparent > 400u * 300u / 20);  // the margins: a real share of the picture
    CHECK(opaque > 400u * 300u / 5);        // the heatmap (a third of this small picture)

    const render::RgbaImage plain = render_png(folder.path / "plain.png", false);
    for (int y = 0; y < plain.height; ++y)
        for (int x = 0; x < plain.width; ++x) {
            INFO(x << "," << y);
            if (alpha_at(plain, x, y) != 255) REQUIRE(alpha_at(plain, x, y) == 255);
        }
}

TEST_CASE("a transparent picture keeps a translucent fill's own colour", "[render][transparent]") {
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    renderer.set_transparent(true);
    const auto pixels = renderer.render_with(
        [](ImVec2 size) {
            ImGui::GetWindowDrawList()->AddRectFilled({0, 0}, {size.x * 0.5f, size.y}, IM_COL32(240, 200, 40, 128));
        },
        64, 32);
    // A pixel in the filled half: the fill's colour at alpha 128, not darkened towards black.
    const std::size_t inside = (16u * 64u + 10u) * 4u, outside = (16u * 64u + 50u) * 4u;
    CHECK(std::abs(int(pixels[inside]) - 240) <= 2);
    CHECK(std::abs(int(pixels[inside + 1]) - 200) <= 2);
    CHECK(std::abs(int(pixels[inside + 2]) - 40) <= 2);
    CHECK(std::abs(int(pixels[inside + 3]) - 128) <= 1);
    CHECK(pixels[outside + 3] == 0);
    // Opaque again when asked: the same drawing over white paper.
    renderer.set_transparent(false);
    const auto paper = renderer.render_with([](ImVec2) {}, 64, 32);
    CHECK(paper[outside + 3] == 255);
    CHECK(paper[outside] == 255);
}

// Whether an SVG has an opaque white <rect> covering the whole width x height page. (Read by hand:
// std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.)
static bool has_white_page(const std::string& svg, double width, double height) {
    auto attribute = [](const std::string& tag, const std::string& name) {
        const auto at = tag.find(" " + name + "=\"");
        return at == std::string::npos ? std::nan("") : std::atof(tag.c_str() + at + name.size() + 3);
    };
    for (auto at = svg.find("<rect "); at != std::string::npos; at = svg.find("<rect ", at + 1)) {
        const std::string tag = svg.substr(at, svg.find('>', at) - at);
        const bool white = tag.find("fill=\"rgb(100%, 100%, 100%)\" fill-opacity=\"1\"") != std::string::npos ||
                           tag.find("fill:rgb(100%,100%,100%);fill-opacity:1;") != std::string::npos;
        const double x = attribute(tag, "x"), y = attribute(tag, "y"), w = attribute(tag, "width"), h = attribute(tag, "height");
        if (white && x <= 0 && y <= 0 && x + w >= width && y + h >= height) return true;
    }
    return false;
}

TEST_CASE("render --transparent SVG: no white paper; refused with --animate", "[render][transparent][cli]") {
    Folder folder;
    const std::vector<std::string> base = {"render", "--surface", "rosenbrock", "--size", "400x300"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return test::run(args);
    };
    REQUIRE(with({"--out", (folder.path / "paper.svg").string()}).status == 0);
    REQUIRE(with({"--out", (folder.path / "clear.svg").string(), "--transparent"}).status == 0);
    const std::string paper = read_all(folder.path / "paper.svg"), clear = read_all(folder.path / "clear.svg");
    // cairo writes the painted paper as an opaque white rectangle that covers the page (cairo 1.16
    // exactly the page, cairo 1.18 with a margin around it).
    CHECK(has_white_page(paper, 400, 300));
    CHECK_FALSE(has_white_page(clear, 400, 300));

    const test::Result animated = with({"--animate", (folder.path / "a.gif").string(), "--transparent"});
    CHECK(animated.status == 2);
    CHECK(animated.err.find("--transparent") != std::string::npos);
    CHECK_FALSE(fs::exists(folder.path / "a.gif"));
}
