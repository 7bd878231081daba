// libFuzzer harness: typed functions (--expr). Parses, compiles value and gradient, and evaluates
// them at points that reach every domain edge (0, negatives, huge, NaN). Checks: a refused input
// gets one printable line; an accepted one evaluates without crashing, within the expression
// limits' bounded time, and the same way twice (the register machine keeps no state between calls).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/surfaces/expression_surface.h"
#include "fuzz_check.h"

namespace {

bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // A parameter `a`, used or not, so the parameter rules are exercised too.
    const optiviz::ParamOverrides params = text.find('a') != std::string::npos ? optiviz::ParamOverrides{{"a", 2.5}}
                                                                                : optiviz::ParamOverrides{};
    try {
        const auto surface = optiviz::make_expression_surface_without_minima(text, params);
        double xs[] = {0.0, -0.0, 1.0, -1.5, 0.5, 1e300, -1e-320, NAN, INFINITY, 3.0};
        double ys[] = {0.0, 2.0, -1.0, 0.25, -1e300, 7.0, 1e-310, 1.0, -2.0, NAN};
        constexpr std::size_t n = sizeof xs / sizeof xs[0];
        double f[n], gx[n], gy[n];
        surface->evaluate({n, xs, ys}, {f, gx, gy});
        for (std::size_t i = 0; i < n; ++i) {
            double f1 = 0, gx1 = 0, gy1 = 0;
            surface->evaluate({1, &xs[i], &ys[i]}, {&f1, &gx1, &gy1});
            if (!same(f1, f[i]) || !same(gx1, gx[i]) || !same(gy1, gy[i])) std::abort();  // batch = one by one
        }
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    return 0;
}
