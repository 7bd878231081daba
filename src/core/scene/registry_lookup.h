// Finding a registry entry (surface, optimizer, preset) by its name, with the one-line error every
// registry gives: "unknown surface 'himmelblo'; did you mean 'himmelblau'? (known: a, b, c)".
#pragma once

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/io/text_escape.h"

namespace optiviz {

// Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`: the optimal string
// alignment distance.
inline std::size_t spelling_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t replace = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, replace});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// " did you mean 'x'?" or " did you mean 'x' or 'y'?" naming the candidates closest to `typed`
// (a quarter of its length in edits, at least one); "" when none is that close. Long inputs are
// not compared (they are not typos of short names).
inline std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates) {
    if (typed.empty() || typed.size() > 64) return "";
    const std::size_t allowed = std::max<std::size_t>(1, (typed.size() + 1) / 4);
    std::size_t best = allowed + 1;
    std::vector<std::string> closest;
    for (const std::string& candidate : candidates) {
        const std::size_t d = spelling_distance(typed, candidate);
        if (d == 0 || d > allowed || d > best) continue;
        if (d < best) closest.clear();
        best = d;
        if (std::find(closest.begin(), closest.end(), candidate) == closest.end()) closest.push_back(candidate);
    }
    if (closest.empty()) return "";
    std::string text = " did you mean '" + closest[0] + "'";
    for (std::size_t i = 1; i < closest.size(); ++i) text += (i + 1 == closest.size() ? " or '" : ", '") + closest[i] + "'";
    return text + "?";
}

template <class Entry>
const Entry& find_by_name(std::span<const Entry> entries, std::string_view name, std::string_view kind) {
    for (const Entry& entry : entries)
        if (entry.name == name) return entry;
    std::string known;
    std::vector<std::string> names;
    for (const Entry& entry : entries) {
        known += (known.empty() ? "" : ", ") + std::string(entry.name);
        names.emplace_back(entry.name);
    }
    std::string hint = did_you_mean(name, names);
    if (!hint.empty()) hint = ";" + hint;
    // The name comes from a command line or a file: cut and escaped for the message.
    throw std::invalid_argument("unknown " + std::string(kind) + " '" + printable(name) + "'" + hint + " (known: " + known + ")");
}

}  // namespace optiviz
