// Picture files by extension: PNG, SVG and PDF from `optiviz render` and the picture renderer. The
// SVG must be XML with the runs' paths as vector elements, the PDF rendered back (pdftoppm) must
// match the PNG's layout, and bad names must be refused with nothing left behind.
#include "support/catch.h"
#include "support/cairo_svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/export/picture.h"
#include "app/export/picture_export.h"
#include "core/io/atomic_file.h"
#include "core/scene/scene.h"
#include "render/offscreen_context.h"
#include "support/run_cli.h"

using namespace optiviz;
namespace fs = std::filesystem;

namespace {

const std::string kData = OPTIVIZ_TEST_DATA_DIR;

// A fresh folder for one test's files, removed afterwards.
struct TempFolder {
    fs::path path;
    explicit TempFolder(const std::string& name) : path(fs::temp_directory_path() / ("optiviz-test-" + name)) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempFolder() { fs::remove_all(path); }
    std::string operator/(const std::string& file) const { return (path / file).string(); }
    std::vector<std::string> files() const {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(path)) names.push_back(entry.path().filename().string());
        return names;
    }
};

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int shell(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

struct Pixels {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;  // 3 bytes a pixel, top row first
};

// A binary PPM (P6, maxval 255), as pdftoppm writes without -png.
Pixels read_ppm(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    int maxval = 0;
    Pixels p;
    in >> magic >> p.width >> p.height >> maxval;
    in.get();
    REQUIRE(magic == "P6");
    REQUIRE(maxval == 255);
    p.rgb.resize(static_cast<std::size_t>(p.width) * static_cast<std::size_t>(p.height) * 3);
    in.read(reinterpret_cast<char*>(p.rgb.data()), static_cast<std::streamsize>(p.rgb.size()));
    REQUIRE(in.good());
    return p;
}

Pixels from_rgba(int width, int height, const std::vector<std::uint8_t>& rgba) {
    Pixels p{width, height, {}};
    p.rgb.reserve(rgba.size() / 4 * 3);
    for (std::size_t i = 0; i < rgba.size(); i += 4) p.rgb.insert(p.rgb.end(), {rgba[i], rgba[i + 1], rgba[i + 2]});
    return p;
}

// The mean colour difference between two pictures of one size, over blocks of `block` pixels
// (0..255 per channel, averaged): small when the same things are in the same places, whatever the
// antialiasing of single edges.
double block_difference(const Pixels& a, const Pixels& b, int block) {
    REQUIRE(a.width == b.width);
    REQUIRE(a.height == b.height);
    double total = 0;
    int blocks = 0;
    for (int by = 0; by + block <= a.height; by += block)
        for (int bx = 0; bx + block <= a.width; bx += block) {
            for (int ch = 0; ch < 3; ++ch) {
                double sa = 0, sb = 0;
                for (int y = by; y < by + block; ++y)
                    for (int x = bx; x < bx + block; ++x) {
                        const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(a.width) +
                                               static_cast<std::size_t>(x)) * 3 + static_cast<std::size_t>(ch);
                        sa += a.rgb[i];
                        sb += b.rgb[i];
                    }
                total += std::abs(sa - sb) / (block * block);
            }
            ++blocks;
        }
    return total / (3.0 * blocks);
}

// The PDF's first page as pixels at 72 dpi (one PDF point is one picture pixel).
Pixels pdf_to_pixels(const TempFolder& folder, const std::string& pdf) {
    const std::string stem = folder / "page";
    REQUIRE(shell("pdftoppm -r 72 -singlefile " + pdf + " " + stem) == 0);
    return read_ppm(stem + ".ppm");
}

struct StrokedPath {
    std::uint32_t color = 0;  // 0xRRGGBB
    double opacity = 1;
    std::size_t segments = 0;
};

// Every stroked <path> of cairo's SVG: style="fill:none;...stroke:rgb(R%,G%,B%);stroke-opacity:A;..." d="M ... L ...".
// (Read with find, not std::regex: libstdc++'s regex recurses per character and a contour's d
// attribute is long.)
std::vector<StrokedPath> stroked_paths(const std::string& svg) {
    std::vector<StrokedPath> paths;
    for (std::size_t at = svg.find("<path style=\"fill:none;"); at != std::string::npos;
         at = svg.find("<path style=\"fill:none;", at + 1)) {
        const std::size_t style_end = svg.find('"', at + 13);
        const std::string style = svg.substr(at + 13, style_end - at - 13);
        const std::size_t rgb = style.find("stroke:rgb(");
        if (rgb == std::string::npos) continue;
        StrokedPath p;
        double channel[3];
        REQUIRE(std::sscanf(style.c_str() + rgb, "stroke:rgb(%lf%%,%lf%%,%lf%%)", &channel[0], &channel[1], &channel[2]) == 3);
        for (const double c : channel) p.color = (p.color << 8) | static_cast<std::uint32_t>(std::lround(c * 2.55));
        if (const std::size_t op = style.find("stroke-opacity:"); op != std::string::npos)
            p.opacity = std::stod(style.substr(op + 15));
        const std::size_t d = svg.find("d=\"", style_end);
        const std::size_t d_end = svg.find('"', d + 3);
        p.segments = static_cast<std::size_t>(std::count(svg.begin() + static_cast<std::ptrdiff_t>(d),
                                                         svg.begin() + static_cast<std::ptrdiff_t>(d_end), 'L'));
        paths.push_back(p);
    }
    return paths;
}

Scene two_runs() {
    Scene scene = default_scene();
    scene.runs = {parse_run_spec("adam:lr=0.1", 0), parse_run_spec("sgd:lr=0.0002,momentum=0.9", 1)};
    scene.start = {-1.0, -0.5};
    scene.steps = 120;
    return scene;
}

}  // namespace

TEST_CASE("picture formats come from the file's extension", "[app][vector]") {
    CHECK(app::picture_format("a.png") == app::PictureFormat::Png);
    CHECK(app::picture_format("dir.x/b.SVG") == app::PictureFormat::Svg);
    CHECK(app::picture_format("c.Pdf") == app::PictureFormat::Pdf);
    for (const char* bad : {"d.jpg", "e", "f.svg.txt", "png", ".pdf/x"})
        CHECK_THROWS_WITH(app::picture_format(bad), Catch::Contains("unknown picture format"));
}

TEST_CASE("render --out f.svg: well-formed XML with path elements", "[render][vector][cli]") {
    TempFolder folder("svg-cli");
    const std::string svg_path = folder / "f.svg";
    const test::Result r = test::run({"render", "--size", "800x500", "--run", "adam:lr=0.1", "--steps", "50", "--out",
                                      svg_path});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("wrote " + svg_path + " (800x500, 1 runs", 0) == 0);
    REQUIRE(shell("xmllint --noout " + svg_path) == 0);
    const std::string svg = test::normalized_cairo_svg(read_all(svg_path));
    CHECK(svg.find(R"(width="800px" height="500px")") != std::string::npos);
    CHECK(svg.find("<path ") != std::string::npos);
    // The test's own check: a truncated document is not well-formed.
    write_file_atomically(folder / "cut.svg", svg.substr(0, svg.size() / 2));
    CHECK(shell("xmllint --noout " + (folder / "cut.svg")) != 0);
}

TEST_CASE("SVG export: each run's path is a vector path of many segments in its colour", "[render][vector]") {
    TempFolder folder("svg");
    app::AppState state(two_runs());
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const std::string svg_path = folder / "f.svg";
    app::export_picture(renderer, state, 800, 500, svg_path);
    const std::string svg = test::normalized_cairo_svg(read_all(svg_path));

    // Each run's colour strokes a path of many segments (its trajectory), not triangles.
    const std::vector<StrokedPath> paths = stroked_paths(svg);
    for (const RunSpec& run : state.scene().runs) {
        std::size_t longest = 0;
        for (const StrokedPath& p : paths)
            if (p.color == run.color) longest = std::max(longest, p.segments);
        INFO("run colour " << std::hex << run.color);
        CHECK(longest >= 20);
    }
    // The contour lines are vectors too: white, translucent, many of them.
    std::size_t contours = 0;
    for (const StrokedPath& p : paths) contours += p.color == 0xFFFFFF && p.opacity < 0.5 && p.segments >= 10;
    CHECK(contours >= 10);
    // The heatmap is one embedded image; the text is glyph outlines placed by <use>.
    CHECK(svg.find("<image") != std::string::npos);
    CHECK(svg.find("<use xlink:href=\"#glyph") != std::string::npos);
}

TEST_CASE("render --out f.pdf: the page rendered back matches the PNG's layout", "[render][vector]") {
    TempFolder folder("pdf");
    const int width = 800, height = 500;
    app::AppState state(two_runs());
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const Pixels png = from_rgba(width, height, renderer.render(state, width, height));
    const std::string pdf_path = folder / "f.pdf";
    app::export_picture(renderer, state, width, height, pdf_path);
    REQUIRE(read_all(pdf_path).rfind("%PDF-", 0) == 0);
    const Pixels pdf = pdf_to_pixels(folder, pdf_path);
    REQUIRE(pdf.width == width);
    REQUIRE(pdf.height == height);
    const double same = block_difference(png, pdf, 8);
    // The measure tells pictures apart: the loss plot at the same size is far from the landscape.
    const std::string other_path = folder / "other.pdf";
    app::export_picture(renderer, state, width, height, other_path, nullptr, {}, {}, app::PictureView::Loss);
    const double different = block_difference(png, pdf_to_pixels(folder, other_path), 8);
    INFO("same layout " << same << ", another view " << different);
    CHECK(same < 4.0);
    CHECK(different > 4.0 * same);
}

TEST_CASE("every view in every format", "[render][vector][cli]") {
    TempFolder folder("views");
    for (const char* view : {"landscape", "data", "both", "3d", "map+3d", "loss", "landscape+loss", "data+loss",
                             "both+loss", "3d+loss", "map+3d+loss"})
        for (const char* extension : {".png", ".svg", ".pdf"}) {
            std::string name = std::string(view) + extension;
            std::replace(name.begin(), name.end(), '+', '_');
            const std::string path = folder / name;
            const test::Result r = test::run({"render", "--surface", "mse", "--data", kData + "/linear.csv", "--run",
                                              "adam:lr=0.1", "--run", "sgd:lr=0.05", "--steps", "60", "--size", "480x300",
                                              "--view", view, "--out", path});
            INFO(view << extension << ": " << r.err);
            REQUIRE(r.status == 0);
            const std::string bytes = read_all(path);
            const std::string ext = extension;
            if (ext == ".png") CHECK(bytes.rfind("\x89PNG", 0) == 0);
            if (ext == ".pdf") CHECK(bytes.rfind("%PDF-", 0) == 0);
            if (ext == ".svg") {
                CHECK(bytes.find("<svg") != std::string::npos);
                CHECK(shell("xmllint --noout " + path) == 0);
            }
        }
}

TEST_CASE("the loss views draw the loss plot: alone, and below the landscape", "[render][vector]") {
    app::AppState state(two_runs());
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    const int width = 640, height = 400;
    const Pixels landscape = from_rgba(width, height, renderer.render(state, width, height));
    const Pixels loss = from_rgba(width, height, renderer.render(state, width, height, nullptr, {}, {}, app::PictureView::Loss));
    const Pixels both =
        from_rgba(width, height, renderer.render(state, width, height, nullptr, {}, {}, app::PictureView::LandscapeLoss));
    // The loss plot is on white paper: mostly light. The landscape's heatmap is not.
    auto mean_light = [](const Pixels& p, int y0, int y1) {
        double sum = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = 0; x < p.width; ++x) {
                const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(p.width) +
                                       static_cast<std::size_t>(x)) * 3;
                sum += (p.rgb[i] + p.rgb[i + 1] + p.rgb[i + 2]) / 3.0;
            }
        return sum / ((y1 - y0) * p.width);
    };
    CHECK(mean_light(loss, 0, height) > mean_light(landscape, 0, height) + 30);
    // landscape+loss: the bottom 28% is the loss plot, the top the landscape.
    const int split = height - static_cast<int>(std::floor(std::max(120.0, height * 0.28)));
    CHECK(mean_light(both, split + 5, height) > mean_light(both, height / 4, split - 5) + 30);
    CHECK(both.rgb != landscape.rgb);
}

TEST_CASE("bad picture names: one line, exit 2, no file left behind", "[render][vector][cli]") {
    TempFolder folder("bad");
    const std::vector<std::string> steps = {"--steps", "5", "--size", "64x48"};
    auto render_to = [&](const std::string& path) {
        std::vector<std::string> args = {"render", "--out", path};
        args.insert(args.end(), steps.begin(), steps.end());
        return test::run(args);
    };
    SECTION("an unknown extension") {
        const test::Result r = render_to(folder / "x.jpg");
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "optiviz: error: " + (folder / "x.jpg") +
                           ": unknown picture format '.jpg' (the name must end in .png, .svg or .pdf)\n");
    }
    SECTION("a folder that does not exist") {
        for (const char* name : {"no/such/x.svg", "no/such/x.pdf"}) {
            const test::Result r = render_to(folder / name);
            CHECK(r.status == 2);
            CHECK(r.out.empty());
            CHECK(r.err.find(": cannot write: ") != std::string::npos);
            CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        }
    }
    SECTION("a folder in the way of the file") {
        fs::create_directory(folder / "taken.svg");
        const test::Result r = render_to(folder / "taken.svg");
        CHECK(r.status == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(fs::is_directory(folder / "taken.svg"));
        CHECK(fs::is_empty(folder / "taken.svg"));
        fs::remove(folder / "taken.svg");
    }
    // Nothing was written, not even a temporary file.
    CHECK(folder.files().empty());
}

TEST_CASE("a failed vector export keeps the old file whole", "[render][vector]") {
    TempFolder folder("keep");
    const std::string path = folder / "keep.svg";
    write_file_atomically(path, "old picture");
    app::AppState state(two_runs());
    state.finish();
    render::OffscreenContext context;
    app::PictureRenderer renderer;
    // A data view of a surface without data fails while the picture is being drawn.
    CHECK_THROWS(app::export_picture(renderer, state, 320, 200, path, nullptr, {}, {}, app::PictureView::Data));
    CHECK(read_all(path) == "old picture");
    CHECK(folder.files() == std::vector<std::string>{"keep.svg"});
    app::export_picture(renderer, state, 320, 200, path);
    CHECK(read_all(path).find("<svg") != std::string::npos);
}
