// Finding a registry entry (surface, optimizer, preset) by its name, with the one-line error every
// registry gives: "unknown surface 'x' (known: a, b, c)".
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/text_escape.h"

namespace optiviz {

template <class Entry>
const Entry& find_by_name(std::span<const Entry> entries, std::string_view name, std::string_view kind) {
    for (const Entry& entry : entries)
        if (entry.name == name) return entry;
    std::string known;
    for (const Entry& entry : entries) known += (known.empty() ? "" : ", ") + std::string(entry.name);
    // The name comes from a command line or a file: cut and escaped for the message.
    throw std::invalid_argument("unknown " + std::string(kind) + " '" + printable(name) + "' (known: " + known + ")");
}

}  // namespace optiviz
