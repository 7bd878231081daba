#include "core/presentation/color_scale.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>

namespace optiviz {

std::array<float, 3> viridis(double t) {
    if (!(t > 0)) return kViridisStops.front();
    if (t >= 1) return kViridisStops.back();
    const double scaled = t * (kViridisStops.size() - 1);
    const auto i = static_cast<std::size_t>(scaled);
    const auto f = static_cast<float>(scaled - static_cast<double>(i));
    std::array<float, 3> c{};
    for (int k = 0; k < 3; ++k) c[k] = kViridisStops[i][k] * (1 - f) + kViridisStops[i + 1][k] * f;
    return c;
}

std::uint32_t viridis_rgb(double t) {
    const auto c = viridis(t);
    auto channel = [](float v) { return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.f, 1.f) * 255)); };
    return (channel(c[0]) << 16) | (channel(c[1]) << 8) | channel(c[2]);
}

double LogColorScale::normalize(double loss) const {
    if (!std::isfinite(loss)) return std::numeric_limits<double>::quiet_NaN();
    const double v = std::log10(std::max(loss - floor, epsilon));
    return (v - lo) / (hi - lo);
}

double LogColorScale::loss_at(double t) const { return floor + std::pow(10.0, lo + t * (hi - lo)); }

std::vector<double> LogColorScale::ticks() const {
    // Round loss values (1, 2, 5 × 10^k, and their negatives), spread out along the bar: with a
    // non-zero floor the scale is log(loss − floor), so ticks are chosen by where they land.
    const double top = loss_at(1.0), bottom = loss_at(0.0);
    std::vector<double> candidates;
    const double span = std::max(std::abs(top), std::abs(bottom));
    if (!(span > 0) || !std::isfinite(span)) return {};
    const int k_max = static_cast<int>(std::ceil(std::log10(span))) + 1;
    for (int k = k_max - 24; k <= k_max; ++k)
        for (double m : {1.0, 2.0, 5.0}) {
            const double v = m * std::pow(10.0, k);
            candidates.push_back(v);
            candidates.push_back(-v);
        }
    candidates.push_back(0.0);
    std::vector<std::pair<double, double>> placed;  // (t, value)
    for (double v : candidates) {
        if (v <= bottom || v > top) continue;
        const double t = normalize(v);
        if (std::isfinite(t) && t >= 0.04 && t <= 1.0) placed.emplace_back(t, v);
    }
    std::sort(placed.begin(), placed.end());
    // The bar's bottom (a hair above the lowest loss, the known minimum's when it is in view) is always
    // labelled, so a function with negative values reads from its real minimum, not from 0.
    std::vector<double> result{bottom};
    // Prefer 1 × 10^k: take them first where they fit, then fill with 2s and 5s.
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& [t, v] : placed) {
            const double mantissa = std::abs(v) / std::pow(10.0, std::floor(std::log10(std::abs(v) > 0 ? std::abs(v) : 1.0)));
            const bool is_one = v == 0.0 || std::abs(mantissa - 1.0) < 1e-9;
            if ((pass == 0) != is_one) continue;
            bool fits = true;
            for (double r : result) fits = fits && std::abs((r == bottom ? 0.0 : normalize(r)) - t) >= 0.09;
            if (fits) result.push_back(v);
        }
    }
    std::sort(result.begin(), result.end());
    return result;
}

namespace {

// The scale's ε: the 2nd percentile of the visible losses above the floor (over at most 65 536 of
// the cells, evenly strided), kept between 4 and 8 decades below the span and rounded down to 1, 2 or
// 5 × 10^k (the colour bar's "≤ v" then reads as a round number when the floor is 0). So a few
// percent of the view at most share the bottom colour, unless even 8 decades cannot resolve them.
double clamp_epsilon(const std::vector<double>& loss, double floor, double span) {
    const std::size_t stride = std::max<std::size_t>(1, loss.size() / 65536);
    std::vector<double> above;
    above.reserve(loss.size() / stride + 1);
    for (std::size_t i = 0; i < loss.size(); i += stride)
        if (std::isfinite(loss[i])) above.push_back(loss[i] - floor);
    double p2 = span * 1e-4;
    if (!above.empty()) {
        const auto at = above.begin() + static_cast<std::ptrdiff_t>(above.size() * 2 / 100);
        std::nth_element(above.begin(), at, above.end());
        p2 = *at;
    }
    const double epsilon = std::clamp(p2, span * 1e-8, span * 1e-4);
    const double decade = std::pow(10.0, std::floor(std::log10(epsilon)));
    const double mantissa = epsilon / decade;
    const double rounded = decade * (mantissa >= 5 ? 5 : mantissa >= 2 ? 2 : 1);
    return rounded > 0 && std::isfinite(rounded) ? rounded : epsilon;
}

}  // namespace

bool FieldGrid::varies() const {
    const double* first = nullptr;
    for (const double& value : loss) {
        if (!std::isfinite(value)) continue;
        if (!first) first = &value;
        else if (value != *first) return true;
    }
    return false;
}

FieldGrid sample_field(const LossSurface& surface, const ViewRect& view, int width, int height) {
    FieldGrid grid;
    sample_field_into(grid, surface, view, width, height);
    return grid;
}

void sample_field_into(FieldGrid& grid, const LossSurface& surface, const ViewRect& view, int width, int height) {
    grid.width = std::max(width, 1);
    grid.height = std::max(height, 1);
    grid.view = view;
    const auto count = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    // Scratch reused between calls on this thread.
    thread_local std::vector<double> xs, ys, gx, gy;
    xs.resize(count);
    ys.resize(count);
    gx.resize(count);
    gy.resize(count);
    for (int r = 0; r < grid.height; ++r) {
        const double y = view.y_min + (view.y_max - view.y_min) * (r + 0.5) / grid.height;
        for (int c = 0; c < grid.width; ++c) {
            const auto i = static_cast<std::size_t>(r) * static_cast<std::size_t>(grid.width) + static_cast<std::size_t>(c);
            xs[i] = view.x_min + (view.x_max - view.x_min) * (c + 0.5) / grid.width;
            ys[i] = y;
        }
    }
    grid.loss.resize(count);
    // Large grids are split between two threads: evaluation and the log scale are per pixel.
    // Plain pointers: a thread_local named inside a lambda would be the other thread's (empty) one.
    const double* px = xs.data();
    const double* py = ys.data();
    double* pgx = gx.data();
    double* pgy = gy.data();
    auto evaluate_range = [&surface, &grid, px, py, pgx, pgy](std::size_t begin, std::size_t end) {
        surface.evaluate({end - begin, px + begin, py + begin}, {grid.loss.data() + begin, pgx + begin, pgy + begin});
    };
    const std::size_t half = count / 2;
#ifdef __EMSCRIPTEN__
    constexpr std::size_t kSplitAbove = std::numeric_limits<std::size_t>::max();  // the browser build has one thread
#else
    constexpr std::size_t kSplitAbove = 65536;
#endif
    if (count > kSplitAbove) {
        // A future, not a bare thread: whichever half throws, the other is waited for (the future's
        // destructor joins) and the exception reaches the caller; nothing calls std::terminate.
        std::future<void> other = std::async(std::launch::async, evaluate_range, half, count);
        evaluate_range(0, half);
        other.get();
    } else {
        evaluate_range(0, count);
    }

    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    for (double f : grid.loss) {
        if (!std::isfinite(f)) continue;
        lowest = std::min(lowest, f);
        highest = std::max(highest, f);
    }
    for (const auto& m : surface.minima()) lowest = std::min(lowest, surface.value(m.x(), m.y()));
    if (!std::isfinite(lowest)) lowest = 0, highest = 1;
    LogColorScale& s = grid.scale;
    s = LogColorScale{};
    s.floor = lowest;
    const double span = std::max(highest - lowest, 1e-300);
    s.epsilon = clamp_epsilon(grid.loss, lowest, span);
    s.lo = std::log10(s.epsilon);
    s.hi = std::log10(span);
    if (!(s.hi > s.lo)) s.hi = s.lo + 1;  // a flat view: one colour, nothing to resolve
    s.clamped_low = std::any_of(grid.loss.begin(), grid.loss.end(), [&](double f) { return f - lowest < s.epsilon; });
    grid.normalized.resize(count);
    auto normalize_range = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const double t = s.normalize(grid.loss[i]);
            grid.normalized[i] = std::isfinite(t) ? static_cast<float>(std::clamp(t, 0.0, 1.0)) : -1.0f;
        }
    };
    if (count > kSplitAbove) {
        std::thread other(normalize_range, half, count);
        normalize_range(0, half);
        other.join();
    } else {
        normalize_range(0, count);
    }
}

namespace {

double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double to_srgb(double c) { return c <= 0.0031308 ? c * 12.92 : 1.055 * std::pow(c, 1 / 2.4) - 0.055; }

std::array<double, 3> linear_rgb(std::uint32_t rgb) {
    return {to_linear(((rgb >> 16) & 0xFF) / 255.0), to_linear(((rgb >> 8) & 0xFF) / 255.0), to_linear((rgb & 0xFF) / 255.0)};
}

}  // namespace

std::array<double, 3> srgb_to_lab(std::uint32_t rgb) {
    const auto [r, g, b] = linear_rgb(rgb);
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16) / 116; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

double delta_e(std::uint32_t a, std::uint32_t b) {
    const auto la = srgb_to_lab(a), lb = srgb_to_lab(b);
    return std::sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) + (la[2] - lb[2]) * (la[2] - lb[2]));
}

double delta_e_2000(const std::array<double, 3>& lab1, const std::array<double, 3>& lab2) {
    // Sharma, Wu & Dalal (2005), equations 2 to 22, with kL = kC = kH = 1. Angles in degrees.
    constexpr double kPi = 3.14159265358979323846;
    const double deg = 180.0 / kPi, rad = kPi / 180.0;
    const double c1 = std::hypot(lab1[1], lab1[2]), c2 = std::hypot(lab2[1], lab2[2]);
    const double c_mean7 = std::pow((c1 + c2) / 2, 7);
    const double g = 0.5 * (1 - std::sqrt(c_mean7 / (c_mean7 + std::pow(25.0, 7))));
    const double a1 = (1 + g) * lab1[1], a2 = (1 + g) * lab2[1];
    const double cp1 = std::hypot(a1, lab1[2]), cp2 = std::hypot(a2, lab2[2]);
    auto hue = [&](double a, double b) {
        if (a == 0 && b == 0) return 0.0;
        const double h = std::atan2(b, a) * deg;
        return h < 0 ? h + 360 : h;
    };
    const double h1 = hue(a1, lab1[2]), h2 = hue(a2, lab2[2]);
    const double dl = lab2[0] - lab1[0], dc = cp2 - cp1;
    double dh = 0;
    if (cp1 * cp2 != 0) {
        dh = h2 - h1;
        if (dh > 180) dh -= 360;
        else if (dh < -180) dh += 360;
    }
    const double dbig_h = 2 * std::sqrt(cp1 * cp2) * std::sin(dh / 2 * rad);
    const double l_mean = (lab1[0] + lab2[0]) / 2, cp_mean = (cp1 + cp2) / 2;
    double h_mean = h1 + h2;
    if (cp1 * cp2 != 0) {
        if (std::abs(h1 - h2) <= 180) h_mean = (h1 + h2) / 2;
        else h_mean = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
    }
    const double t = 1 - 0.17 * std::cos((h_mean - 30) * rad) + 0.24 * std::cos(2 * h_mean * rad) +
                     0.32 * std::cos((3 * h_mean + 6) * rad) - 0.20 * std::cos((4 * h_mean - 63) * rad);
    const double d_theta = 30 * std::exp(-((h_mean - 275) / 25) * ((h_mean - 275) / 25));
    const double cp_mean7 = std::pow(cp_mean, 7);
    const double rc = 2 * std::sqrt(cp_mean7 / (cp_mean7 + std::pow(25.0, 7)));
    const double sl = 1 + 0.015 * (l_mean - 50) * (l_mean - 50) / std::sqrt(20 + (l_mean - 50) * (l_mean - 50));
    const double sc = 1 + 0.045 * cp_mean, sh = 1 + 0.015 * cp_mean * t;
    const double rt = -std::sin(2 * d_theta * rad) * rc;
    const double x = dl / sl, y = dc / sc, z = dbig_h / sh;
    return std::sqrt(x * x + y * y + z * z + rt * y * z);
}

double delta_e_2000(std::uint32_t a, std::uint32_t b) { return delta_e_2000(srgb_to_lab(a), srgb_to_lab(b)); }

std::uint32_t simulate_color_vision(std::uint32_t rgb, ColorVision vision) {
    static constexpr double kProtan[3][3] = {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}};
    static constexpr double kDeutan[3][3] = {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}};
    static constexpr double kTritan[3][3] = {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}};
    if (vision == ColorVision::Normal) return rgb;
    const auto& m = vision == ColorVision::Protan ? kProtan : vision == ColorVision::Deutan ? kDeutan : kTritan;
    const auto c = linear_rgb(rgb);
    std::uint32_t out = 0;
    for (int i = 0; i < 3; ++i) {
        const double v = std::clamp(m[i][0] * c[0] + m[i][1] * c[1] + m[i][2] * c[2], 0.0, 1.0);
        out = (out << 8) | static_cast<std::uint32_t>(std::lround(to_srgb(v) * 255));
    }
    return out;
}

std::uint32_t area_palette(std::size_t index) {
    // Muted tones (after Paul Tol's "light" and "pale" sets): olives, sands, pinks and greys, each at
    // least 25 (CIE76) from every run colour (test_scene.cpp), so a basin never reads as a run.
    static constexpr std::uint32_t kAreas[] = {0x99AA66, 0xEEBBCC, 0xEEDD88, 0x99BBBB, 0xCCAAAA,
                                               0xCCBB99, 0xAACCCC, 0xBBAACC, 0xDDDDDD, 0xCCDDAA};
    return kAreas[index % std::size(kAreas)];
}

}  // namespace optiviz
