// Numbers as text, both ways. Parsing is strict and shared by the command line, data files, run specs
// and sweep axes: the whole text must be the number, and messages name what was being read.
// Writing is one formatter for every view and output (legends, ticks, equations, tables, titles).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace optiviz {

// The shortest text that reads back as `value` rounded to `significant` digits (1..17): "0.05",
// "2000", "1.53e-6", "-3.1e7", "1e-5" (never "6.69e-0": the exponent is always whole, and written
// without '+' or leading zeros). Fixed notation for exponents from -4 to significant - 1, as %g
// chooses; scientific otherwise.
// Non-finite values read "inf", "-inf", "nan"; -0 reads "0".
std::string format_number(double value, int significant = 6);

// True when the whole text is a number (a leading '+' is allowed; inf and nan parse).
bool is_number(std::string_view text);

// The whole text as a finite number. Throws std::invalid_argument with "WHAT: 'TEXT' is not a number"
// or "WHAT: 'TEXT' is not a finite number".
double parse_number(std::string_view text, const std::string& what);

// The whole text as a whole number >= 0 (counts, steps, seeds). Throws std::invalid_argument with
// "WHAT: 'TEXT' is not a whole number" or "WHAT must be >= 0, got TEXT".
long parse_whole(std::string_view text, const std::string& what);

// Same, and at most `max`: "WHAT must be at most MAX, got TEXT"; digits beyond a long's range give
// "WHAT: 'TEXT' is too large (at most MAX)". Quoted text is cut and escaped (core/io/text_escape.h).
long parse_whole_at_most(std::string_view text, const std::string& what, long max);

// The whole text as a whole number from `min` to `max`, the bounds the caller really accepts. Every
// refusal (a fraction, 1e30, nan, a sign, digits beyond a long) is one line that states them:
// "WHAT must be a whole number from MIN to MAX, got TEXT" (TEXT cut and escaped).
long parse_whole_between(std::string_view text, const std::string& what, long min, long max);

// The settings of a "NAME:key=value,key=value" spec (--run, --overlay): the non-empty items after
// the first ':', split at ','. A spec without ':' has none.
std::vector<std::string> spec_items(const std::string& text);

}  // namespace optiviz
