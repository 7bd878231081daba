#include "core/presentation/text_layout.h"

namespace optiviz {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void wrap_paragraph(std::string_view paragraph, float width, const TextMeasure& measure, std::vector<std::string>& lines) {
    std::string line;
    // Indentation the author wrote stays on the first line.
    std::size_t pos = paragraph.find_first_not_of(' ');
    if (pos == std::string_view::npos) {
        lines.emplace_back(paragraph);
        return;
    }
    line.assign(paragraph.substr(0, pos));
    const std::size_t indent = line.size();
    while (pos < paragraph.size()) {
        const std::size_t end = std::min(paragraph.find(' ', pos), paragraph.size());
        const std::string_view word = paragraph.substr(pos, end - pos);
        pos = paragraph.find_first_not_of(' ', end);
        if (pos == std::string_view::npos) pos = paragraph.size();
        const std::string candidate = line.size() > indent ? line + " " + std::string(word) : line + std::string(word);
        if (line.size() == indent || measure(candidate) <= width) {
            line = candidate;
            if (line.size() == word.size() + indent && measure(line) > width) line = ellipsize(line, width, measure);
            continue;
        }
        lines.push_back(line);
        line.assign(word);
        if (measure(line) > width) line = ellipsize(line, width, measure);
    }
    lines.push_back(line);
}

}  // namespace

std::vector<std::string> wrap_at_spaces(std::string_view text, float width, const TextMeasure& measure) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        const std::size_t newline = text.find('\n', start);
        wrap_paragraph(text.substr(start, newline == std::string_view::npos ? std::string_view::npos : newline - start), width,
                       measure, lines);
        if (newline == std::string_view::npos) break;
        start = newline + 1;
    }
    return lines;
}

std::string wrap_text(std::string_view text, float width, const TextMeasure& measure) {
    const std::vector<std::string> lines = wrap_at_spaces(text, width, measure);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (i > 0 ? "\n" : "") + lines[i];
    return out;
}

std::string ellipsize(std::string_view text, float width, const TextMeasure& measure) {
    if (measure(text) <= width) return std::string(text);
    std::size_t cut = text.size();
    while (cut > 0) {
        do --cut;
        while (cut > 0 && is_continuation(text[cut]));
        std::string candidate = std::string(text.substr(0, cut)) + std::string(kEllipsis);
        if (measure(candidate) <= width) return candidate;
    }
    return std::string(kEllipsis);
}

}  // namespace optiviz
