#include "render/gif_palette.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace optiviz::render {

namespace {

constexpr int kHistogramBits = 6;
constexpr int kHistogramSide = 1 << kHistogramBits;
constexpr int kLookupBits = 7;
constexpr int kLookupSide = 1 << kLookupBits;

// The classic 8 x 8 ordered-dither matrix (values 0..63, each once).
constexpr std::uint8_t kBayer8[8][8] = {
    {0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26}, {12, 44, 4, 36, 14, 46, 6, 38},
    {60, 28, 52, 20, 62, 30, 54, 22}, {3, 35, 11, 43, 1, 33, 9, 41},   {51, 19, 59, 27, 49, 17, 57, 25},
    {15, 47, 7, 39, 13, 45, 5, 37},  {63, 31, 55, 23, 61, 29, 53, 21},
};

struct Entry {
    std::array<int, 3> level;  // histogram coordinates
    std::uint64_t count, sum[3];
};

struct Box {
    std::size_t begin, end;  // range of entries
    std::uint64_t count;
    int longest_axis, longest_side;
};

Box make_box(const std::vector<Entry>& entries, std::size_t begin, std::size_t end) {
    std::array<int, 3> lo{kHistogramSide, kHistogramSide, kHistogramSide}, hi{-1, -1, -1};
    std::uint64_t count = 0;
    for (std::size_t i = begin; i < end; ++i) {
        for (int c = 0; c < 3; ++c) {
            lo[c] = std::min(lo[c], entries[i].level[c]);
            hi[c] = std::max(hi[c], entries[i].level[c]);
        }
        count += entries[i].count;
    }
    Box box{begin, end, count, 0, hi[0] - lo[0]};
    for (int c = 1; c < 3; ++c)
        if (hi[c] - lo[c] > box.longest_side) {
            box.longest_axis = c;
            box.longest_side = hi[c] - lo[c];
        }
    return box;
}

}  // namespace

PaletteBuilder::PaletteBuilder() : bins_(static_cast<std::size_t>(kHistogramSide * kHistogramSide * kHistogramSide)) {}

void PaletteBuilder::add_frame(const std::uint8_t* rgba, int width, int height) {
    const std::size_t pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    constexpr int shift = 8 - kHistogramBits;
    for (std::size_t i = 0; i < pixels; ++i) {
        const std::uint8_t* p = rgba + i * 4;
        Bin& bin = bins_[(static_cast<std::size_t>(p[0] >> shift) << (2 * kHistogramBits)) |
                         (static_cast<std::size_t>(p[1] >> shift) << kHistogramBits) | static_cast<std::size_t>(p[2] >> shift)];
        ++bin.count;
        bin.r += p[0];
        bin.g += p[1];
        bin.b += p[2];
    }
}

GifPalette PaletteBuilder::build() const {
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < bins_.size(); ++i) {
        const Bin& bin = bins_[i];
        if (bin.count == 0) continue;
        const int r = static_cast<int>(i >> (2 * kHistogramBits)), g = static_cast<int>((i >> kHistogramBits) % kHistogramSide),
                  b = static_cast<int>(i % kHistogramSide);
        entries.push_back({{r, g, b}, bin.count, {bin.r, bin.g, bin.b}});
    }
    if (entries.empty()) throw std::logic_error("palette: no frame was sampled");

    std::vector<Box> boxes{make_box(entries, 0, entries.size())};
    while (boxes.size() < static_cast<std::size_t>(GifPalette::kMaxColors)) {
        // The box that costs the most to leave whole: many pixels spread over a long side.
        std::size_t pick = boxes.size();
        double best = 0;
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            const double score = static_cast<double>(boxes[i].count) * boxes[i].longest_side;
            if (boxes[i].end - boxes[i].begin > 1 && score > best) {
                best = score;
                pick = i;
            }
        }
        if (pick == boxes.size()) break;  // every box is one histogram bin
        const Box box = boxes[pick];
        const int axis = box.longest_axis;
        const auto first = entries.begin() + static_cast<std::ptrdiff_t>(box.begin);
        const auto last = entries.begin() + static_cast<std::ptrdiff_t>(box.end);
        std::sort(first, last, [axis](const Entry& a, const Entry& b) {
            return a.level[axis] != b.level[axis] ? a.level[axis] < b.level[axis] : a.level < b.level;
        });
        // Cut at the weighted median, never leaving a half empty.
        std::uint64_t below = 0;
        std::size_t cut = box.begin + 1;
        for (std::size_t i = box.begin; i + 1 < box.end; ++i) {
            below += entries[i].count;
            cut = i + 1;
            if (2 * below >= box.count) break;
        }
        boxes[pick] = make_box(entries, box.begin, cut);
        boxes.push_back(make_box(entries, cut, box.end));
    }

    GifPalette palette;
    for (const Box& box : boxes) {
        std::uint64_t sum[3] = {0, 0, 0};
        for (std::size_t i = box.begin; i < box.end; ++i)
            for (int c = 0; c < 3; ++c) sum[c] += entries[i].sum[c];
        std::array<std::uint8_t, 3> color{};
        for (int c = 0; c < 3; ++c) color[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((sum[c] + box.count / 2) / box.count);
        palette.colors.push_back(color);
    }
    // A stable order (darkest first) so that equal inputs give equal files.
    std::sort(palette.colors.begin(), palette.colors.end(), [](const auto& a, const auto& b) {
        const int la = a[0] + a[1] + a[2], lb = b[0] + b[1] + b[2];
        return la != lb ? la < lb : a < b;
    });
    return palette;
}

PaletteMapper::PaletteMapper(const GifPalette& palette)
    : palette_(palette), lookup_(static_cast<std::size_t>(kLookupSide * kLookupSide * kLookupSide), 0) {
    if (palette_.colors.empty() || palette_.colors.size() > static_cast<std::size_t>(GifPalette::kMaxColors))
        throw std::invalid_argument("palette: expected 1 to 255 colours");
}

std::uint8_t PaletteMapper::nearest(int r, int g, int b) const {
    int best = std::numeric_limits<int>::max();
    std::uint8_t index = 0;
    for (std::size_t i = 0; i < palette_.colors.size(); ++i) {
        const auto& c = palette_.colors[i];
        const int dr = r - c[0], dg = g - c[1], db = b - c[2];
        const int d = dr * dr + dg * dg + db * db;
        if (d < best) {
            best = d;
            index = static_cast<std::uint8_t>(i);
        }
    }
    return index;
}

PaletteMapper::Mix PaletteMapper::mix(double r, double g, double b) const {
    const double target[3] = {r, g, b};
    auto distance2 = [](const double* a, const double* c) {
        return (a[0] - c[0]) * (a[0] - c[0]) + (a[1] - c[1]) * (a[1] - c[1]) + (a[2] - c[2]) * (a[2] - c[2]);
    };
    auto color = [&](std::size_t i, double* out) {
        for (std::size_t c = 0; c < 3; ++c) out[c] = palette_.colors[i][c];
    };
    // The nearest entry alone.
    std::size_t first = 0;
    double first_error = std::numeric_limits<double>::max();
    double p[3];
    for (std::size_t i = 0; i < palette_.colors.size(); ++i) {
        color(i, p);
        const double e = distance2(target, p);
        if (e < first_error) {
            first_error = e;
            first = i;
        }
    }
    Mix best{static_cast<std::uint8_t>(first), static_cast<std::uint8_t>(first), 0};
    double best_error = first_error;
    if (first_error == 0) return best;
    double a[3];
    color(first, a);
    for (std::size_t j = 0; j < palette_.colors.size(); ++j) {
        if (j == first) continue;
        double q[3], d[3];
        color(j, q);
        double span2 = 0, along = 0;
        for (int c = 0; c < 3; ++c) {
            d[c] = q[c] - a[c];
            span2 += d[c] * d[c];
            along += (target[c] - a[c]) * d[c];
        }
        // The best share of `j` on the segment, in 64ths.
        const int share = static_cast<int>(std::lround(std::clamp(along / span2, 0.0, 1.0) * 64));
        if (share == 0) continue;
        const double t = share / 64.0;
        double mixed[3];
        for (int c = 0; c < 3; ++c) mixed[c] = a[c] + t * d[c];
        // Far-apart pairs cost more: they show as grain (Yliluoma's weighting of the pair's spread).
        const double error = distance2(target, mixed) + 0.1 * span2 * (std::abs(t - 0.5) + 0.5);
        if (error < best_error) {
            best_error = error;
            best = {static_cast<std::uint8_t>(first), static_cast<std::uint8_t>(j), share};
        }
    }
    return best;
}

void PaletteMapper::map(const std::uint8_t* rgba, int width, int height, std::uint8_t* indices) {
    constexpr int shift = 8 - kLookupBits;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
            const std::uint8_t* p = rgba + i * 4;
            std::size_t key = 0;
            for (int c = 0; c < 3; ++c) key = (key << kLookupBits) | static_cast<std::size_t>(p[c] >> shift);
            std::uint32_t& slot = lookup_[key];
            if (slot == 0) {
                // The centre of the lookup cell stands for every colour in it.
                const double half = ((1 << shift) - 1) / 2.0;
                const Mix m = mix(static_cast<double>((key >> (2 * kLookupBits)) << shift) + half,
                                  static_cast<double>(((key >> kLookupBits) % kLookupSide) << shift) + half,
                                  static_cast<double>((key % kLookupSide) << shift) + half);
                slot = 1 + (static_cast<std::uint32_t>(m.share) << 16 | static_cast<std::uint32_t>(m.second) << 8 | m.first);
            }
            const std::uint32_t m = slot - 1;
            const int share = static_cast<int>(m >> 16);
            indices[i] = static_cast<std::uint8_t>(kBayer8[y & 7][x & 7] < share ? (m >> 8) & 0xFF : m & 0xFF);
        }
    }
}

}  // namespace optiviz::render
