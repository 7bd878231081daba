// Text from files and command lines, made safe to show: messages quote what they could not read,
// and that text may be long, binary or hold terminal escape sequences.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace optiviz {

// `text` as one line of printable text: control bytes (including ESC, CR, LF, DEL) and bytes that
// are not valid UTF-8 become \xNN, and text longer than `max_chars` is cut with "..." after it.
// Valid UTF-8 letters stay as they are.
std::string printable(std::string_view text, std::size_t max_chars = 60);

// True when `text` is one line of printable ASCII or valid UTF-8 (no control bytes at all).
bool is_printable_line(std::string_view text);

}  // namespace optiviz
