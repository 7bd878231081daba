#include "core/runtime/random.h"

#include <cmath>
#include <numbers>

namespace optiviz {

std::uint64_t DeterministicRng::below(std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;  // a multiple of bound
    std::uint64_t r = next_u64();
    while (r >= limit) r = next_u64();
    return r % bound;
}

double DeterministicRng::normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace optiviz
