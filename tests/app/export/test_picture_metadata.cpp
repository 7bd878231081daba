// What a picture file says about itself (issue 26.8), read back from the files `optiviz render`
// writes: the PNG's text chunks (Software, Title, and the scene as JSON that draws it again), the
// PDF's Title and Creator, the SVG's <title>; and --scale K, the same picture with K times the pixels.
#include "support/catch.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

extern "C" {
#include <libavutil/crc.h>
}

#include "app/version.h"
#include "core/scene/scene.h"
#include "render/png_reader.h"
#include "render/png_writer.h"
#include "support/full_disk.h"
#include "support/run_cli.h"

using namespace optiviz;
using optiviz::test::run;
using optiviz::test::ScratchFolder;

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t be32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

// The tEXt and iTXt chunks of a PNG, keyword → text, walking the chunks from the signature on.
// An iTXt's text follows its keyword, two flag bytes and two (here empty) strings.
std::map<std::string, std::string> png_text(const std::string& png) {
    std::map<std::string, std::string> text;
    REQUIRE(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    for (std::size_t at = 8; at + 12 <= png.size();) {
        const std::uint32_t length = be32(png, at);
        const std::string type = png.substr(at + 4, 4);
        const std::string data = png.substr(at + 8, length);
        // Every chunk's CRC-32 over type and data, by FFmpeg's implementation (not the writer's).
        const auto* type_and_data = reinterpret_cast<const std::uint8_t*>(png.data() + at + 4);
        const std::uint32_t crc = av_crc(av_crc_get_table(AV_CRC_32_IEEE_LE), 0xFFFFFFFFu, type_and_data, length + 4) ^ 0xFFFFFFFFu;
        CHECK(crc == be32(png, at + 8 + length));
        if (type == "tEXt" || type == "iTXt") {
            const std::size_t zero = data.find('\0');
            const std::size_t body = type == "tEXt" ? zero + 1 : zero + 5;
            text[data.substr(0, zero)] = data.substr(body);
        }
        if (type == "IEND") break;
        at += 12 + length;
    }
    return text;
}

}  // namespace

TEST_CASE("a PNG names the program and carries its title and the scene that draws it again", "[render][cli]") {
    ScratchFolder folder;
    const std::string png = folder.file("a.png");
    const auto r = run({"render", "--surface", "himmelblau", "--run", "adam:lr=0.1", "--run", "sgd:lr=0.01", "--steps", "30",
                        "--size", "160x100", "--out", png});
    REQUIRE(r.status == 0);
    const std::string bytes = file_bytes(png);
    const auto text = png_text(bytes);
    CHECK(text.at("Software") == app::version_line());
    CHECK(text.at("Title") == "optiviz: himmelblau, adam, sgd");
    const Scene scene = scene_from_json(text.at("Comment"), "the PNG's Comment");
    CHECK(scene.surface == "himmelblau");
    CHECK(scene.steps == 30);
    REQUIRE(scene.runs.size() == 2);
    CHECK(scene.runs[1].config.optimizer == "sgd");
    // The chunks are well formed: the picture still reads back at its size.
    const auto image = render::read_png(png);
    REQUIRE(image);
    CHECK(image->width == 160);
    CHECK(image->height == 100);
}

TEST_CASE("PNG text chunks: ASCII as tEXt, UTF-8 as iTXt, checksummed; bad keywords refused", "[render]") {
    const std::vector<std::uint8_t> pixels(4 * 4 * 4, 200);
    const std::string png = render::encode_png(4, 4, pixels, {{"Software", "optiviz 1"}, {"Title", "f(x) = x\xC2\xB2"}});
    CHECK(png.find("tEXtSoftware") != std::string::npos);
    CHECK(png.find("iTXtTitle") != std::string::npos);
    CHECK(png_text(png).at("Title") == "f(x) = x\xC2\xB2");  // and every CRC checked
    CHECK_THROWS_AS(render::encode_png(4, 4, pixels, {{"", "x"}}), std::invalid_argument);
    CHECK_THROWS_AS(render::encode_png(4, 4, pixels, {{std::string(80, 'k'), "x"}}), std::invalid_argument);
}

// pdfinfo's "Key:   value" lines as a map (poppler-utils, installed with the test dependencies).
static std::map<std::string, std::string> pdf_info(const std::string& path) {
    std::map<std::string, std::string> fields;
    FILE* pipe = popen(("pdfinfo '" + path + "' 2>/dev/null").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char line[4096];
    while (std::fgets(line, sizeof line, pipe) != nullptr) {
        std::string text(line);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        const auto colon = text.find(':');
        if (colon == std::string::npos) continue;
        const auto value = text.find_first_not_of(' ', colon + 1);
        fields[text.substr(0, colon)] = value == std::string::npos ? "" : text.substr(value);
    }
    REQUIRE(pclose(pipe) == 0);
    return fields;
}

TEST_CASE("a PDF carries Title and Creator and an SVG a title", "[render][vector][cli]") {
    ScratchFolder folder;
    Scene scene;
    scene.caption = "bowl & <valley>";
    scene.steps = 10;
    const std::string scene_path = folder.file("scene.json");
    std::ofstream(scene_path) << scene_to_json(scene);
    for (const std::string name : {"a.pdf", "a.svg"}) {
        const std::string path = folder.file(name);
        const auto r = run({"render", "--scene", scene_path, "--size", "160x100", "--out", path});
        INFO(name << ": " << r.err);
        REQUIRE(r.status == 0);
        const std::string bytes = file_bytes(path);
        if (name == "a.pdf") {
            // Read back by poppler's pdfinfo, as any PDF reader would: cairo 1.16 writes the
            // document information plainly, cairo 1.18 inside a compressed object stream.
            auto info = pdf_info(path);
            CHECK(info["Title"] == "bowl & <valley>");
            CHECK(info["Creator"] == app::version_line());
        } else {
            CHECK(bytes.find("<title>bowl &amp; &lt;valley&gt;</title>") != std::string::npos);
            CHECK(bytes.find("<desc>made by " + app::version_line() + "</desc>") != std::string::npos);
        }
    }
}

TEST_CASE("render --scale K draws K times the pixels and is refused for vectors and past the size limit", "[render][cli]") {
    ScratchFolder folder;
    const std::string png = folder.file("a.png");
    REQUIRE(run({"render", "--steps", "10", "--size", "160x100", "--scale", "2", "--out", png}).status == 0);
    const auto image = render::read_png(png);
    REQUIRE(image);
    CHECK(image->width == 320);
    CHECK(image->height == 200);
    const std::vector<std::pair<std::vector<std::string>, std::string>> refused = {
        {{"--scale", "5", "--out", png}, "--scale must be from 0.25 to 4, got 5"},
        {{"--scale", "nan", "--out", png}, "--scale: 'nan' is not a finite number"},
        {{"--scale", "2", "--out", folder.file("a.svg")}, "--scale is for PNG pictures"},
        {{"--scale", "4", "--size", "1280x800", "--out", png}, "becomes 5120x3200"},
    };
    std::filesystem::remove(png);
    for (const auto& [extra, expected] : refused) {
        std::vector<std::string> args = {"render", "--steps", "10"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = run(args);
        INFO(expected);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains(expected));
        CHECK(test::folder_entries(folder.path()).empty());
    }
}
