#include "core/presentation/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "core/io/text_escape.h"

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

std::string format_number(double value, int significant) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    if (value == 0) return "0";
    significant = std::clamp(significant, 1, 17);
    // Round to the asked digits through decimal text (exact: "%.*e" rounds the binary value once),
    // then write the shortest text of that rounded value.
    char rounded_text[40];
    std::snprintf(rounded_text, sizeof rounded_text, "%.*e", significant - 1, value);
    const double rounded = std::strtod(rounded_text, nullptr);
    char fixed[400], scientific[40];
    const char* fixed_end = std::to_chars(fixed, fixed + sizeof fixed, rounded, std::chars_format::fixed).ptr;
    const char* sci_end = std::to_chars(scientific, scientific + sizeof scientific, rounded, std::chars_format::scientific).ptr;
    // "1.53e-06" -> "1.53e-6", "1e+07" -> "1e7".
    std::string sci(static_cast<const char*>(scientific), sci_end);
    const auto e = sci.find('e');
    std::string exponent = sci.substr(e + 1);
    const bool negative_exponent = exponent[0] == '-';
    exponent.erase(0, exponent.find_first_not_of("+-"));
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    sci = sci.substr(0, e) + "e" + (negative_exponent ? "-" : "") + exponent;
    // As %g chooses: fixed for exponents from -4 up to the significance ("2000", "0.0001"), so tick
    // labels read as plain numbers; scientific outside it ("1.23e5" at 3 digits, "1e-5").
    const int x = (negative_exponent ? -1 : 1) * std::atoi(exponent.c_str());
    if (x >= -4 && x < significant) return std::string(static_cast<const char*>(fixed), fixed_end);
    return sci;
}

bool is_number(std::string_view text) {
    double value = 0;
    return parse(text, value);
}

double parse_number(std::string_view text, const std::string& what) {
    double value = 0;
    if (!parse(text, value)) {
        // Spreadsheets in many locales write 1,5 for 1.5: say so instead of just "not a number".
        const auto comma = text.find(',');
        std::string hint;
        if (comma != std::string_view::npos && text.find(',', comma + 1) == std::string_view::npos) {
            std::string dotted(text);
            dotted[comma] = '.';
            if (parse(dotted, value)) hint = " (a decimal comma? numbers use '.')";
        }
        throw std::invalid_argument(what + ": '" + printable(text) + "' is not a number" + hint);
    }
    if (!std::isfinite(value)) throw std::invalid_argument(what + ": '" + printable(text) + "' is not a finite number");
    return value;
}

long parse_whole(std::string_view text, const std::string& what) {
    return parse_whole_at_most(text, what, std::numeric_limits<long>::max());
}

long parse_whole_at_most(std::string_view text, const std::string& what, long max) {
    long value = 0;
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (begin != end && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ptr == end && ec == std::errc::result_out_of_range)
        throw std::invalid_argument(what + ": '" + printable(text) + "' is too large (at most " + std::to_string(max) + ")");
    if (text.empty() || ec != std::errc() || ptr != end)
        throw std::invalid_argument(what + ": '" + printable(text) + "' is not a whole number");
    if (value < 0) throw std::invalid_argument(what + " must be >= 0, got " + printable(text));
    if (value > max) throw std::invalid_argument(what + " must be at most " + std::to_string(max) + ", got " + printable(text));
    return value;
}

long parse_whole_between(std::string_view text, const std::string& what, long min, long max) {
    long value = 0;
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (begin != end && *begin == '+') ++begin;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max)
        throw std::invalid_argument(what + " must be a whole number from " + std::to_string(min) + " to " +
                                    std::to_string(max) + ", got " + printable(text));
    return value;
}

std::vector<std::string> spec_items(const std::string& text) {
    std::vector<std::string> items;
    const auto colon = text.find(':');
    if (colon == std::string::npos) return items;
    for (std::size_t pos = colon + 1; pos <= text.size();) {
        const auto comma = std::min(text.find(',', pos), text.size());
        if (comma > pos) items.push_back(text.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return items;
}

}  // namespace optiviz
