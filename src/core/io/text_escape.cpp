#include "core/io/text_escape.h"

#include <cstdio>

namespace optiviz {

namespace {

// Length of the valid UTF-8 sequence starting at text[i] (2..4), or 0 if there is none. Overlong
// forms, surrogates and code points above U+10FFFF are not valid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned min = 0, code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2, min = 0x80, code = lead & 0x1Fu;
    else if (lead >= 0xE0 && lead <= 0xEF) length = 3, min = 0x800, code = lead & 0x0Fu;
    else if (lead >= 0xF0 && lead <= 0xF4) length = 4, min = 0x10000, code = lead & 0x07u;
    else return 0;
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
        code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    // C1 controls (U+0080..U+009F) act on terminals too.
    if (code >= 0x80 && code <= 0x9F) return 0;
    return length;
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_chars) {
    std::string out;
    std::size_t shown = 0, i = 0;
    while (i < text.size()) {
        if (shown >= max_chars) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
            ++i;
        } else if (const std::size_t length = c >= 0x80 ? utf8_length(text, i) : 0; length > 0) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
            out += escaped;
            ++i;
        }
        ++shown;
    }
    return out;
}

bool is_printable_line(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            ++i;
            continue;
        }
        const std::size_t length = c >= 0x80 ? utf8_length(text, i) : 0;
        if (length == 0) return false;
        i += length;
    }
    return true;
}

}  // namespace optiviz
