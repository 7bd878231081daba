// libFuzzer harness: the strict number parsers, the text escaper and the tick generator.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/presentation/number_text.h"
#include "core/io/text_escape.h"
#include "core/presentation/ticks.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (!optiviz::is_printable_line(optiviz::printable(text))) std::abort();
    try {
        if (!std::isfinite(optiviz::parse_number(text, "--lr"))) std::abort();
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    try {
        if (optiviz::parse_whole_at_most(text, "--steps", 1'000'000) > 1'000'000) std::abort();
    } catch (const std::invalid_argument& e) {
        optiviz::fuzz::check_message(e);
    }
    // Any two doubles as an axis: ticks must come back bounded, increasing and inside the axis.
    if (size >= 2 * sizeof(double) + 1) {
        double lo = 0, hi = 0;
        std::memcpy(&lo, data, sizeof lo);
        std::memcpy(&hi, data + sizeof lo, sizeof hi);
        const int target = data[2 * sizeof(double)];
        const auto ticks = optiviz::nice_ticks(lo, hi, target);
        if (ticks.size() > 2 * static_cast<std::size_t>(std::max(target, 1)) + 2) std::abort();
        const double tolerance = (hi / 2 - lo / 2) * 1e-6;
        for (std::size_t i = 0; i < ticks.size(); ++i) {
            if (!(ticks[i] >= lo - tolerance && ticks[i] <= hi + tolerance)) std::abort();
            if (i > 0 && !(ticks[i] > ticks[i - 1])) std::abort();
        }
        const auto decades = optiviz::decade_ticks(lo, hi, target);
        if (decades.size() > 2000) std::abort();
    }
    return 0;
}
