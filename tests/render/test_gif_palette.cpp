// The GIF palette: a median cut that keeps rare but distinct colours, and an ordered dither that
// hides the steps of a fine palette without moving exact colours.
#include "support/catch.h"

#include <cmath>
#include <functional>
#include <set>

#include "render/gif_palette.h"

using namespace optiviz;

namespace {

std::vector<std::uint8_t> image(int width, int height, const std::function<std::array<int, 3>(int, int)>& color) {
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const auto c = color(x, y);
            const auto i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
            rgba[i] = static_cast<std::uint8_t>(c[0]);
            rgba[i + 1] = static_cast<std::uint8_t>(c[1]);
            rgba[i + 2] = static_cast<std::uint8_t>(c[2]);
            rgba[i + 3] = 255;
        }
    return rgba;
}

}  // namespace

TEST_CASE("a picture of few colours gets exactly those colours, and maps onto them without dither noise", "[gif]") {
    // White background, a black frame, a red line of a few pixels: 3 colours.
    const auto rgba = image(64, 48, [](int x, int y) -> std::array<int, 3> {
        if (x == 0 || y == 0 || x == 63 || y == 47) return {0, 0, 0};
        if (y == 20 && x > 10 && x < 14) return {230, 30, 40};
        return {255, 255, 255};
    });
    render::PaletteBuilder builder;
    builder.add_frame(rgba.data(), 64, 48);
    const render::GifPalette palette = builder.build();
    const std::set<std::array<std::uint8_t, 3>> colors(palette.colors.begin(), palette.colors.end());
    CHECK(colors == std::set<std::array<std::uint8_t, 3>>{{0, 0, 0}, {230, 30, 40}, {255, 255, 255}});

    render::PaletteMapper mapper(palette);
    std::vector<std::uint8_t> indices(64 * 48);
    mapper.map(rgba.data(), 64, 48, indices.data());
    for (std::size_t i = 0; i < indices.size(); ++i) {
        const auto& c = palette.colors[indices[i]];
        INFO("pixel " << i);
        REQUIRE(int{c[0]} == rgba[i * 4]);
        REQUIRE(int{c[1]} == rgba[i * 4 + 1]);
        REQUIRE(int{c[2]} == rgba[i * 4 + 2]);
    }
}

TEST_CASE("a gradient with a thin line of another colour: 255 entries, and the line keeps its own", "[gif]") {
    // A smooth blue-to-yellow ramp over most of the picture (thousands of colours), and a one-pixel
    // red line: weighted by pixel count alone the line would be merged into the ramp.
    const auto rgba = image(512, 256, [](int x, int y) -> std::array<int, 3> {
        if (y == 100) return {220, 20, 60};
        return {x / 2, (x + y) / 3, 255 - x / 2};
    });
    render::PaletteBuilder builder;
    builder.add_frame(rgba.data(), 512, 256);
    const render::GifPalette palette = builder.build();
    CHECK(palette.colors.size() == 255);
    render::PaletteMapper mapper(palette);
    const auto red = palette.colors[mapper.nearest(220, 20, 60)];
    CHECK(std::abs(red[0] - 220) + std::abs(red[1] - 20) + std::abs(red[2] - 60) <= 12);
}

TEST_CASE("pattern dithering turns a colour between two palette entries into a mix of both", "[gif]") {
    // Greys 8 levels apart; flat greys of 3 and 5 lie between two of them.
    render::GifPalette palette;
    for (int v = 0; v < 256; v += 8) palette.colors.push_back({static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v),
                                                               static_cast<std::uint8_t>(v)});
    render::PaletteMapper mapper(palette);
    for (const int grey : {3, 5}) {
        INFO("grey " << grey);
        const auto flat = image(64, 64, [grey](int, int) -> std::array<int, 3> { return {grey, grey, grey}; });
        std::vector<std::uint8_t> indices(64 * 64);
        mapper.map(flat.data(), 64, 64, indices.data());
        double mean = 0;
        std::set<int> used;
        for (const std::uint8_t i : indices) {
            mean += palette.colors[i][0] / static_cast<double>(indices.size());
            used.insert(palette.colors[i][0]);
        }
        CHECK(used == std::set<int>{0, 8});  // both neighbours, nothing further away
        // On average the colour asked for, within the 7-bit lookup's half level.
        CHECK(mean == Approx(grey).margin(0.6));
        // The same colour at the same place always gets the same index (frames do not shimmer).
        std::vector<std::uint8_t> again(64 * 64);
        mapper.map(flat.data(), 64, 64, again.data());
        CHECK(again == indices);
    }
}
