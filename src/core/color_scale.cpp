#include "core/color_scale.h"

#include <algorithm>
#include <cmath>
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

double LogColorScale::normalize(double loss) const {
    if (!std::isfinite(loss)) return std::numeric_limits<double>::quiet_NaN();
    const double v = std::log10(std::max(loss - floor, 0.0) + epsilon);
    return (v - lo) / (hi - lo);
}

double LogColorScale::loss_at(double t) const { return floor + std::pow(10.0, lo + t * (hi - lo)) - epsilon; }

std::vector<double> LogColorScale::ticks() const {
    std::vector<double> result;
    const double top = loss_at(1.0) - floor;
    const double bottom = std::max(loss_at(0.0) - floor, epsilon);
    for (int k = static_cast<int>(std::floor(std::log10(bottom))); k <= static_cast<int>(std::ceil(std::log10(top)));
         ++k) {
        for (double m : {1.0, 2.0, 5.0}) {
            const double d = m * std::pow(10.0, k);
            if (d >= bottom && d <= top) result.push_back(floor + d);
        }
    }
    while (result.size() > 8) {  // keep decades only when crowded
        std::vector<double> thinned;
        for (std::size_t i = 0; i < result.size(); i += 2) thinned.push_back(result[i]);
        result = thinned;
    }
    return result;
}

FieldGrid sample_field(const LossSurface& surface, const ViewRect& view, int width, int height) {
    FieldGrid grid;
    grid.width = std::max(width, 1);
    grid.height = std::max(height, 1);
    grid.view = view;
    const auto count = static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height);
    std::vector<double> xs(count), ys(count), gx(count), gy(count);
    for (int r = 0; r < grid.height; ++r) {
        const double y = view.y_min + (view.y_max - view.y_min) * (r + 0.5) / grid.height;
        for (int c = 0; c < grid.width; ++c) {
            const auto i = static_cast<std::size_t>(r) * static_cast<std::size_t>(grid.width) + static_cast<std::size_t>(c);
            xs[i] = view.x_min + (view.x_max - view.x_min) * (c + 0.5) / grid.width;
            ys[i] = y;
        }
    }
    grid.loss.resize(count);
    surface.evaluate({count, xs.data(), ys.data()}, {grid.loss.data(), gx.data(), gy.data()});

    double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
    for (double f : grid.loss) {
        if (!std::isfinite(f)) continue;
        lowest = std::min(lowest, f);
        highest = std::max(highest, f);
    }
    for (const auto& m : surface.minima()) lowest = std::min(lowest, surface.value(m.x(), m.y()));
    if (!std::isfinite(lowest)) lowest = 0, highest = 1;
    LogColorScale& s = grid.scale;
    s.floor = lowest;
    const double span = std::max(highest - lowest, 1e-300);
    s.epsilon = span * 1e-4;
    s.lo = std::log10(s.epsilon);
    s.hi = std::log10(span + s.epsilon);
    grid.normalized.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double t = s.normalize(grid.loss[i]);
        grid.normalized[i] = std::isfinite(t) ? static_cast<float>(std::clamp(t, 0.0, 1.0)) : -1.0f;
    }
    return grid;
}

}  // namespace optiviz
