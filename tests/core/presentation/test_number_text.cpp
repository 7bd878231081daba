// Number text: the one formatter every view and output uses, and the one text layout.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "core/presentation/number_text.h"
#include "core/presentation/text_layout.h"
#include "support/catch.h"

using namespace optiviz;

TEST_CASE("format_number: the shortest text at the asked significance", "[core][number_text]") {
    CHECK(format_number(0.05) == "0.05");
    CHECK(format_number(2000) == "2000");
    CHECK(format_number(1e6) == "1e6");
    CHECK(format_number(1.53e-06) == "1.53e-6");
    CHECK(format_number(6.69e-05) == "6.69e-5");  // the tune table's "6.69e-0"
    CHECK(format_number(-3.1e7) == "-3.1e7");
    CHECK(format_number(0.1 + 0.2) == "0.3");       // six digits hide the binary noise
    CHECK(format_number(0.1 + 0.2, 17) == "0.30000000000000004");
    CHECK(format_number(0.819638, 3) == "0.82");
    CHECK(format_number(123456, 3) == "1.23e5");
    CHECK(format_number(999.96, 4) == "1000");      // rounding carries into a new digit
    CHECK(format_number(0.0001) == "0.0001");       // fixed down to 1e-4, as %g
    CHECK(format_number(0.00001) == "1e-5");
    CHECK(format_number(1e-300) == "1e-300");
    CHECK(format_number(1.7976931348623157e308, 17) == "1.7976931348623157e308");
    CHECK(format_number(-0.0) == "0");
    CHECK(format_number(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(format_number(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(format_number(std::nan("")) == "nan");
}

TEST_CASE("format_number round-trips and never truncates an exponent", "[core][number_text]") {
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return state;
    };
    for (int i = 0; i < 4000; ++i) {
        const double mantissa = static_cast<double>(next() >> 11) / 9007199254740992.0 + 0.1;
        const int exponent = static_cast<int>(next() % 80) - 40;
        const double v = (next() & 1 ? -1 : 1) * mantissa * std::pow(10.0, exponent);
        // All 17 digits: the text reads back as the very same double.
        const std::string full = format_number(v, 17);
        CHECK(std::strtod(full.c_str(), nullptr) == v);
        for (int significant : {1, 3, 6}) {
            const std::string text = format_number(v, significant);
            INFO(v << " at " << significant << " digits: " << text);
            // It reads back as v rounded to that many digits...
            char rounded[64];
            std::snprintf(rounded, sizeof rounded, "%.*e", significant - 1, v);
            CHECK(std::strtod(text.c_str(), nullptr) == std::strtod(rounded, nullptr));
            // ...with no more digits than asked, and an exponent that is a whole number.
            const auto e = text.find('e');
            const std::string mantissa_text = text.substr(0, e);
            const auto first = mantissa_text.find_first_not_of("-0.");
            int significant_digits = 0;
            for (std::size_t k = first; k < mantissa_text.size(); ++k) significant_digits += std::isdigit(static_cast<unsigned char>(mantissa_text[k])) ? 1 : 0;
            // Trailing zeros of a whole number ("2000") are not significant digits.
            if (mantissa_text.find('.') == std::string::npos)
                while (significant_digits > 1 && mantissa_text[first + static_cast<std::size_t>(significant_digits) - 1] == '0') --significant_digits;
            CHECK(significant_digits <= significant);
            if (e != std::string::npos) {
                const std::string exponent_text = text.substr(e + 1);
                CHECK(!exponent_text.empty());
                CHECK(exponent_text.find_first_not_of("-0123456789") == std::string::npos);
                CHECK(exponent_text.back() != '-');
            }
        }
    }
}

namespace {
// Every character one unit wide ("…" counts as one character).
float monospace(std::string_view text) {
    float width = 0;
    for (const char c : text) width += (static_cast<unsigned char>(c) & 0xC0) == 0x80 ? 0.0f : 1.0f;
    return width;
}
}  // namespace

TEST_CASE("the text layout breaks only at spaces and never inside a number", "[core][text_layout]") {
    // Today's breaks: "lr 0." / "05", "lr now 1." / "53e-06", "m = 0.9·(-0.819638, 0." / "893929)".
    CHECK(wrap_at_spaces("stopped at step 5, lr 0.05", 22, monospace) ==
          std::vector<std::string>{"stopped at step 5, lr", "0.05"});
    CHECK(wrap_at_spaces("step 12, loss 0.5, lr now 1.53e-6", 26, monospace) ==
          std::vector<std::string>{"step 12, loss 0.5, lr now", "1.53e-6"});
    CHECK(wrap_at_spaces("m = 0.9*(-0.819638, 0.893929)", 22, monospace) ==
          std::vector<std::string>{"m = 0.9*(-0.819638,", "0.893929)"});
    // Explicit newlines break; text that fits stays one line; spaces between words collapse at breaks.
    CHECK(wrap_at_spaces("Adam lr=0.1\nconverged at step 7", 40, monospace) ==
          std::vector<std::string>{"Adam lr=0.1", "converged at step 7"});
    CHECK(wrap_at_spaces("a b", 3, monospace) == std::vector<std::string>{"a b"});
    CHECK(wrap_at_spaces("", 3, monospace) == std::vector<std::string>{""});
    CHECK(wrap_text("one two three", 7, monospace) == "one two\nthree");
    // A word longer than the box is the only thing cut, visibly.
    CHECK(wrap_at_spaces("see 0.123456789012", 8, monospace) == std::vector<std::string>{"see", "0.12345\u2026"});
    for (const std::string& line : wrap_at_spaces("the quick brown fox jumps over 1.5e-7 and 0.25", 9, monospace))
        CHECK(monospace(line) <= 9);
}

TEST_CASE("ellipsize cuts whole characters and shows the cut", "[core][text_layout]") {
    CHECK(ellipsize("short", 10, monospace) == "short");
    CHECK(ellipsize("a longer label", 6, monospace) == "a lon\u2026");
    CHECK(ellipsize("\u03b2\u03b2\u03b2\u03b2", 3, monospace) == "\u03b2\u03b2\u2026");  // never half a Greek letter
    CHECK(ellipsize("abc", 0, monospace) == "\u2026");
}
