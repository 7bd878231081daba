#include "core/number_text.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace optiviz {

namespace {

bool parse(std::string_view text, double& value) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (begin != end && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    return !text.empty() && ec == std::errc() && ptr == end;
}

}  // namespace

bool is_number(std::string_view text) {
    double value = 0;
    return parse(text, value);
}

double parse_number(std::string_view text, const std::string& what) {
    double value = 0;
    if (!parse(text, value)) throw std::invalid_argument(what + ": '" + std::string(text) + "' is not a number");
    if (!std::isfinite(value)) throw std::invalid_argument(what + ": '" + std::string(text) + "' is not a finite number");
    return value;
}

long parse_whole(std::string_view text, const std::string& what) {
    long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        throw std::invalid_argument(what + ": '" + std::string(text) + "' is not a whole number");
    if (value < 0) throw std::invalid_argument(what + " must be >= 0, got " + std::string(text));
    return value;
}

}  // namespace optiviz
