// Cairo's SVG in one spelling for the tests. Cairo 1.16 (Debian 12) writes a path's paint as one
// style attribute, style="fill:none;stroke-width:2;stroke:rgb(100%,0%,0%);...", and cairo 1.18
// (Debian 13) as separate attributes, fill="none" stroke-width="2" stroke="rgb(100%, 0%, 0%)", in
// the same order. normalized_cairo_svg rewrites the second form into the first, so a test reads
// one form whatever cairo wrote.
#pragma once

#include <string>

namespace optiviz::test {

inline std::string normalized_cairo_svg(const std::string& svg) {
    std::string out;
    out.reserve(svg.size());
    std::size_t at = 0;
    for (std::size_t tag = svg.find("<path ", at); tag != std::string::npos; tag = svg.find("<path ", at)) {
        const std::size_t end = svg.find('>', tag);
        if (end == std::string::npos) break;
        out.append(svg, at, tag - at);
        const std::string attributes = svg.substr(tag + 6, end - tag - 6);
        at = end;
        if (attributes.rfind("style=", 0) == 0) {  // already cairo 1.16's form
            out += "<path " + attributes;
            continue;
        }
        std::string style, rest;
        for (std::size_t i = 0; i < attributes.size();) {
            const std::size_t equals = attributes.find("=\"", i);
            const std::size_t close = equals == std::string::npos ? std::string::npos : attributes.find('"', equals + 2);
            if (close == std::string::npos) {
                rest += attributes.substr(i);
                break;
            }
            std::size_t name_start = i;
            while (name_start < equals && attributes[name_start] == ' ') ++name_start;
            const std::string name = attributes.substr(name_start, equals - name_start);
            std::string value = attributes.substr(equals + 2, close - equals - 2);
            if (name == "d" || name == "transform" || name == "clip-path") {
                rest += " " + name + "=\"" + value + "\"";
            } else {
                for (std::size_t space = value.find(", "); space != std::string::npos; space = value.find(", ", space))
                    value.erase(space + 1, 1);
                style += name + ":" + value + ";";
            }
            i = close + 1;
        }
        out += "<path style=\"" + style + "\"" + rest;
    }
    out.append(svg, at, std::string::npos);
    return out;
}

}  // namespace optiviz::test
