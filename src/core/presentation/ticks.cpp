#include "core/presentation/ticks.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace optiviz {

namespace {

// The 1-2-5 step for about `target` intervals over hi − lo, computed without overflowing for
// ±1e308; 0 when the span is below what a step can express.
double nice_step(double lo, double hi, int target) {
    const double half_span = hi / 2 - lo / 2;  // finite for any finite lo, hi
    const double raw = std::min(half_span * (2.0 / target), std::numeric_limits<double>::max());
    if (!(raw > 0) || !std::isnormal(raw)) return 0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw && std::isfinite(m * magnitude)) return m * magnitude;
    return std::numeric_limits<double>::max();
}

std::vector<double> ends_only(double lo, double hi) { return {lo, hi}; }

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return {};
    target = std::clamp(target, 1, kMaxTicks);
    const double step = nice_step(lo, hi, target);
    if (!(step > 0)) return ends_only(lo, hi);
    // Multiples of `step` by integer index: adding the step would stop moving once it falls below
    // the values' spacing (an axis near 1e7 that spans a few ulps).
    const double first = std::ceil(lo / step), last = std::floor(hi / step + 1e-9);
    if (!std::isfinite(first) || !std::isfinite(last) || last - first > 2.0 * target + 1) return ends_only(lo, hi);
    std::vector<double> ticks;
    // A counter, not the index itself, drives the loop: past 2^53 adding 1 to a double stops moving.
    const auto count = static_cast<int>(last - first) + 1;
    for (int k = 0; k < count; ++k) {
        double v = (first + k) * step;
        if (std::abs(v) < step * 1e-9) v = 0.0;
        // Rounding of index × step can land an ulp outside a narrow axis: such values are dropped.
        if (!std::isfinite(v) || v < lo - step * 1e-9 || v > hi + step * 1e-9) continue;
        if (!ticks.empty() && v <= ticks.back()) continue;
        ticks.push_back(v);
    }
    return ticks.empty() ? ends_only(lo, hi) : ticks;
}

std::vector<double> decade_ticks(double lo, double hi, int target) {
    if (lo > hi) std::swap(lo, hi);
    if (!(lo > 0) || !std::isfinite(lo) || !std::isfinite(hi)) return {};
    target = std::clamp(target, 1, kMaxTicks);
    // log10 of a finite positive double lies in [-324, 309]: the decade loop is bounded.
    const int k0 = static_cast<int>(std::floor(std::log10(lo))), k1 = static_cast<int>(std::ceil(std::log10(hi)));
    const bool dense = k1 - k0 <= 2;
    const int stride = std::max(1, (k1 - k0 + target - 1) / target);  // every n-th decade
    std::vector<double> ticks;
    for (int k = k0; k <= k1; k += stride)
        for (double m : {1.0, 2.0, 5.0}) {
            if (!dense && m != 1.0) continue;
            const double v = m * std::pow(10.0, k);
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) && (ticks.empty() || v > ticks.back())) ticks.push_back(v);
        }
    return ticks;
}

}  // namespace optiviz
