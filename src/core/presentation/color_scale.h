// How loss values become colours: a logarithmic scale over the visible range and the viridis
// colormap. Shared by the heatmap shader (which receives the stops as uniforms) and the colorbar,
// so the two cannot disagree.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/surfaces/loss_surface.h"

namespace optiviz {

// Viridis sampled at 9 evenly spaced stops (sRGB, 0..1); linear interpolation between stops.
inline constexpr std::array<std::array<float, 3>, 9> kViridisStops = {{
    {68 / 255.f, 1 / 255.f, 84 / 255.f},
    {72 / 255.f, 40 / 255.f, 120 / 255.f},
    {62 / 255.f, 73 / 255.f, 137 / 255.f},
    {49 / 255.f, 104 / 255.f, 142 / 255.f},
    {38 / 255.f, 130 / 255.f, 142 / 255.f},
    {31 / 255.f, 158 / 255.f, 137 / 255.f},
    {53 / 255.f, 183 / 255.f, 121 / 255.f},
    {109 / 255.f, 205 / 255.f, 89 / 255.f},
    {253 / 255.f, 231 / 255.f, 37 / 255.f},
}};

std::array<float, 3> viridis(double t);  // t clamped to [0, 1]
std::uint32_t viridis_rgb(double t);     // the same as 0xRRGGBB

// t = (log10(max(f − floor, ε)) − lo) / (hi − lo), lo = log10(ε), clamped to [0, 1]: losses from
// floor + ε up to the visible range's top are resolved on a log scale, whatever the surface's scale,
// and negative losses (Styblinski–Tang) are shifted. Losses below floor + ε all take the bottom
// colour: the scale is clamped there (`clamped_low`), and every colour bar says so (a pointed end and
// "≤ v", as matplotlib's `extend`). sample_field chooses ε so that at most ~2% of the visible cells
// are clamped, resolving 4 to 8 decades below the top: a steep surface's flat valley (Beale's) keeps
// its colours instead of one dark slab.
struct LogColorScale {
    double floor = 0.0;  // the smallest loss in view (or a known minimum's value, if lower)
    double epsilon = 1e-6;
    double lo = 0.0, hi = 1.0;
    bool clamped_low = false;   // some visible loss is below loss_at(0) (drawn in the bottom colour)
    bool clamped_high = false;  // some visible loss is above loss_at(1) (drawn in the top colour)

    double normalize(double loss) const;   // NaN for non-finite losses; not clamped to [0, 1]
    double loss_at(double t) const;        // inverse of normalize on [0, 1]: loss_at(0) = floor + ε
    // Loss values for colorbar ticks: the bar's bottom (loss_at(0)) first, then 1, 2, 5 × 10^k that
    // fall inside the scale and keep their distance from the bottom, at most ~8.
    std::vector<double> ticks() const;
};

// A grid of the surface over `view`: width × height samples at pixel centres, row 0 at y_min.
struct FieldGrid {
    int width = 0, height = 0;
    ViewRect view;
    std::vector<double> loss;        // width*height, row-major
    std::vector<float> normalized;   // the same through `scale`: [0, 1], or −1 where not finite
    LogColorScale scale;
    // True when the samples take more than one finite value: only then is there a scale to show (a
    // model's logged paths alone are drawn on a flat field, and a colour bar would claim a loss).
    bool varies() const;
};

// Samples `surface` (batched) and fits the scale to what is visible.
FieldGrid sample_field(const LossSurface& surface, const ViewRect& view, int width, int height);

// Same, reusing `grid`'s storage (the window re-samples on every pan and zoom; fresh buffers of a
// few megabytes each time cost more in page faults than the sampling itself).
void sample_field_into(FieldGrid& grid, const LossSurface& surface, const ViewRect& view, int width, int height);

// Colour science for checking palettes: CIELAB (D65) of an sRGB colour 0xRRGGBB, the CIE76
// difference of two such colours, and how a dichromat sees a colour (Machado, Oliveira & Fernandes
// 2009, severity 1, applied in linear RGB).
std::array<double, 3> srgb_to_lab(std::uint32_t rgb);
double delta_e(std::uint32_t a, std::uint32_t b);
// CIEDE2000 (Sharma, Wu & Dalal 2005) between two CIELAB colours, and between two sRGB colours.
double delta_e_2000(const std::array<double, 3>& lab1, const std::array<double, 3>& lab2);
double delta_e_2000(std::uint32_t a, std::uint32_t b);
enum class ColorVision { Normal, Protan, Deutan, Tritan };
std::uint32_t simulate_color_vision(std::uint32_t rgb, ColorVision vision);

// The colours of areas that are not runs (basin maps): ten pale tones, each well apart from every run
// colour, so a basin cannot be read as a path. Index wraps.
std::uint32_t area_palette(std::size_t index);

}  // namespace optiviz
