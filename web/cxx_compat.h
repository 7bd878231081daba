// Included before every C++ source of the browser build (web/web.cmake): the C++20 library pieces
// the desktop's libstdc++ has and emscripten 3.1.6's libc++ 13 lacks.
#pragma once

#include <version>

#if !defined(__cpp_lib_bit_cast)
namespace std {
template <class To, class From>
constexpr To bit_cast(const From& from) noexcept {
    static_assert(sizeof(To) == sizeof(From), "bit_cast between types of different sizes");
    return __builtin_bit_cast(To, from);
}
}  // namespace std
#endif

// libc++ 13 parses only integers with from_chars; the sources also read doubles with it. The same
// contract through strtod (emscripten's C library is always in the "C" locale): no leading space or
// '+', no hexadecimal ("0x1" reads as 0); overflow and underflow to zero are out of range and leave
// the value alone.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace std {
inline from_chars_result from_chars(const char* first, const char* last, double& value) {
    if (first == last || *first == '+' || *first == ' ' || (*first >= '\t' && *first <= '\r')) return {first, errc::invalid_argument};
    const std::string text(first, last);
    const std::size_t sign = text[0] == '-' ? 1 : 0;
    if (text.size() > sign + 1 && text[sign] == '0' && (text[sign + 1] == 'x' || text[sign + 1] == 'X')) {
        value = sign ? -0.0 : 0.0;
        return {first + sign + 1, errc()};
    }
    char* end = nullptr;
    errno = 0;
    const double parsed = std::strtod(text.c_str(), &end);
    if (end == text.c_str()) return {first, errc::invalid_argument};
    const char* stop = first + (end - text.c_str());
    if (errno == ERANGE && (parsed == 0 || std::isinf(parsed))) return {stop, errc::result_out_of_range};  // not a subnormal
    value = parsed;
    return {stop, errc()};
}

// And writes doubles only as integers: the shortest text that reads back as the same double, in
// fixed or scientific form, made from the shortest "%.*e" digits that round-trip.
inline to_chars_result to_chars(char* first, char* last, double value, chars_format format) {
    char digits_text[40];
    for (int precision = 0; precision < 17; ++precision) {
        std::snprintf(digits_text, sizeof digits_text, "%.*e", precision, value);
        if (std::strtod(digits_text, nullptr) == value) break;
    }
    std::string text;
    if (!std::isfinite(value) || format != chars_format::fixed) {
        text = digits_text;  // already "d.ddde-06", as to_chars writes it
    } else {
        const std::string all = digits_text;
        const bool negative = all[0] == '-';
        const std::size_t e = all.find('e');
        std::string digits = all.substr(negative ? 1 : 0, e - (negative ? 1 : 0));
        digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
        const int exponent = std::atoi(all.c_str() + e + 1);
        if (negative) text = "-";
        if (exponent < 0) {
            text += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        } else {
            const auto whole = static_cast<std::size_t>(exponent) + 1;
            if (digits.size() <= whole) {
                text += digits + std::string(whole - digits.size(), '0');
            } else {
                text += digits.substr(0, whole) + "." + digits.substr(whole);
            }
        }
    }
    if (static_cast<std::size_t>(last - first) < text.size()) return {last, errc::value_too_large};
    return {std::copy(text.begin(), text.end(), first), errc()};
}
}  // namespace std
