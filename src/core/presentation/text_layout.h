// The one text layout for legends, captions, titles and equation boxes: lines break only at spaces
// (and at the text's own newlines), never inside a number, a formula or a word ("lr 0." / "05" reads
// as two numbers). Only a single word wider than the whole box is cut, and then visibly, with "…".
// Widths come from the caller's font through `measure`, so core stays free of any UI library.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace optiviz {

// Width of a piece of text in the caller's units (pixels).
using TextMeasure = std::function<float(std::string_view)>;

// `text` laid out in lines no wider than `width` where that is possible: words (runs of non-space
// characters) are kept whole and joined by single spaces; a word wider than `width` is ellipsized
// (see below) on its own line. Explicit '\n' always breaks. Leading spaces of a paragraph are kept.
std::vector<std::string> wrap_at_spaces(std::string_view text, float width, const TextMeasure& measure);

// The same lines joined with '\n'.
std::string wrap_text(std::string_view text, float width, const TextMeasure& measure);

// `text` if it fits in `width`, else its longest prefix (whole UTF-8 characters) followed by "…" that
// fits (just "…" if nothing else does).
std::string ellipsize(std::string_view text, float width, const TextMeasure& measure);

}  // namespace optiviz
