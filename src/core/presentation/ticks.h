// Axis tick values, shared by every plot (the map, the data view, the loss plot, the grid maps).
// Bounded for any input: an axis that spans a few representable values, ±1e308 or a subnormal
// width gets a short list, never an endless loop.
#pragma once

#include <vector>

namespace optiviz {

// The most ticks any axis gets, whatever it is asked for.
inline constexpr int kMaxTicks = 200;

// "Nice" values (1, 2, 5 × 10^k multiples) covering [lo, hi] with about `target` ticks (clamped to
// 1..kMaxTicks). Strictly increasing, at most 2·target + 2 values; values within 1e-9 steps of 0 are
// exactly 0. When the span is too narrow for distinct multiples, just {lo, hi}. Empty when lo or hi
// is not finite or hi <= lo.
std::vector<double> nice_ticks(double lo, double hi, int target);

// Ticks for a logarithmic axis over [lo, hi] (0 < lo < hi): powers of ten (every n-th decade when
// there are more than `target`), with 2 and 5 × 10^k added when the axis spans at most two decades.
// Empty when lo <= 0 or either end is not finite.
std::vector<double> decade_ticks(double lo, double hi, int target);

}  // namespace optiviz
