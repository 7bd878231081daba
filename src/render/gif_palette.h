// One 8-bit palette for a whole animated GIF, and the mapping of RGBA frames onto it.
//
// Why our own quantizer rather than FFmpeg's palettegen/paletteuse filters: the palette must be
// known before the first frame is encoded (one palette for the whole animation, so colours do not
// jump between frames), the frames are drawn one at a time on the GL thread and never all held in
// memory, and the tests must be able to predict every pixel's index exactly. A weighted median cut
// over frames sampled across the animation gives the heatmap's gradient most of the 255 colours;
// ordered (Bayer) pattern dithering between neighbouring entries then hides the remaining steps.
// Ordered, not error-diffusion dithering: a pixel's index depends only on its own colour and
// position, so the parts of the picture that do
// not change between frames keep exactly the same indices (no shimmering, and the GIF encoder can
// skip them), and the mapping is exactly reproducible.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace optiviz::render {

// Up to 255 opaque colours; index 255 is never used by the mapping, so the encoder may use it as
// the transparent colour for pixels that did not change since the previous frame.
struct GifPalette {
    static constexpr int kMaxColors = 255;
    std::vector<std::array<std::uint8_t, 3>> colors;  // RGB, at most kMaxColors entries
};

// Accumulates the colours of sampled frames, then cuts them into a palette.
class PaletteBuilder {
public:
    PaletteBuilder();
    // Adds every pixel of an RGBA8 frame (alpha ignored). Frames may differ in number, not in kind.
    void add_frame(const std::uint8_t* rgba, int width, int height);
    // The palette: a median cut of the histogram (6 bits a channel) into at most 255 boxes, each
    // colour the mean of the pixels in its box. The box cut next is the one with the most pixels
    // times its longest side, so a thin path of a colour far from the rest still gets its own
    // entry. Throws std::logic_error if no frame was added.
    GifPalette build() const;

private:
    struct Bin {
        std::uint64_t count = 0, r = 0, g = 0, b = 0;
    };
    std::vector<Bin> bins_;  // 64 x 64 x 64
};

// Maps RGBA8 frames to palette indices. Each colour is drawn as a mix of two palette entries — its
// nearest and the one whose mix with it comes closest — in a proportion of n / 64, and an 8 x 8
// Bayer matrix says which pixels take which (ordered "pattern" dithering). Mixing along the
// palette, not along grey, is what a colormap needs: a heatmap colour between two entries of the
// gradient becomes a fine pattern of those two, so the average follows the gradient without steps.
// Mixes of far-apart colours are penalised (they would read as noise), so flat colours that are in
// the palette stay exact. Colours are looked up at 7 bits a channel. Not thread-safe (it fills a
// lookup table as it goes): one mapper per thread.
class PaletteMapper {
public:
    explicit PaletteMapper(const GifPalette& palette);
    // `indices` receives width * height bytes, top row first.
    void map(const std::uint8_t* rgba, int width, int height, std::uint8_t* indices);
    // The palette entry nearest to a colour (squared RGB distance, the first on ties).
    std::uint8_t nearest(int r, int g, int b) const;

    struct Mix {
        std::uint8_t first, second;  // palette indices
        int share;                   // 0..64: how many of 64 pixels take `second`
    };
    // How the colour (in units of a level, fractions allowed) is drawn.
    Mix mix(double r, double g, double b) const;

private:
    GifPalette palette_;
    std::vector<std::uint32_t> lookup_;  // 7 bits a channel -> packed Mix + 1, 0 until first needed
};

}  // namespace optiviz::render
