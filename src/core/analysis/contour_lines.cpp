#include "core/analysis/contour_lines.h"

#include <array>
#include <cstdint>
#include <unordered_map>

namespace optiviz {

namespace {

// A crossing is identified by the grid edge it lies on: even ids are horizontal edges
// (c, r)–(c+1, r), odd ids vertical edges (c, r)–(c, r+1). Every edge is shared by at most two
// cells, so every crossing joins at most two segments and the segments chain into polylines.
using EdgeId = std::int64_t;

struct Crossing {
    Eigen::Vector2d at;
    std::array<EdgeId, 2> next{-1, -1};  // the crossings it is joined to
    bool used = false;
};

}  // namespace

std::vector<std::vector<Eigen::Vector2d>> contour_lines(const std::vector<float>& values, int width, int height,
                                                        double level) {
    std::vector<std::vector<Eigen::Vector2d>> lines;
    if (width < 2 || height < 2 || values.size() < static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
        return lines;
    auto value = [&](int c, int r) {
        return static_cast<double>(values[static_cast<std::size_t>(r) * static_cast<std::size_t>(width) +
                                          static_cast<std::size_t>(c)]);
    };
    std::unordered_map<EdgeId, Crossing> crossings;
    auto crossing = [&](EdgeId id, int c0, int r0, int c1, int r1) {
        auto [it, fresh] = crossings.try_emplace(id);
        if (fresh) {
            const double a = value(c0, r0), b = value(c1, r1);
            const double t = (level - a) / (b - a);  // a and b lie on opposite sides: b != a
            it->second.at = {c0 + t * (c1 - c0), r0 + t * (r1 - r0)};
        }
        return id;
    };
    auto join = [&](EdgeId a, EdgeId b) {
        Crossing& ca = crossings[a];
        ca.next[ca.next[0] < 0 ? 0 : 1] = b;
        Crossing& cb = crossings[b];
        cb.next[cb.next[0] < 0 ? 0 : 1] = a;
    };

    for (int r = 0; r + 1 < height; ++r)
        for (int c = 0; c + 1 < width; ++c) {
            const double v[4] = {value(c, r), value(c + 1, r), value(c + 1, r + 1), value(c, r + 1)};
            if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0) continue;
            const bool above[4] = {v[0] > level, v[1] > level, v[2] > level, v[3] > level};
            // Cell edges in order bottom, right, top, left, each between corners k and k+1.
            const EdgeId base = 2 * (static_cast<EdgeId>(r) * width + c);
            const EdgeId ids[4] = {base, base + 2 + 1, base + 2 * static_cast<EdgeId>(width), base + 1};
            static constexpr int kCorner[4][4] = {{0, 0, 1, 0}, {1, 0, 1, 1}, {0, 1, 1, 1}, {0, 0, 0, 1}};
            EdgeId hits[4];
            int count = 0;
            for (int e = 0; e < 4; ++e)
                if (above[e] != above[(e + 1) % 4])
                    hits[count++] = crossing(ids[e], c + kCorner[e][0], r + kCorner[e][1], c + kCorner[e][2],
                                             r + kCorner[e][3]);
            if (count == 2) {
                join(hits[0], hits[1]);
            } else if (count == 4) {
                // A saddle: two corners above, diagonally. When the centre is on their side, the
                // lines cut off the corners below; otherwise the corners above.
                const bool centre_above = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
                // hits[k] lies on edge k; corner k sits between edges k-1 and k.
                const int cut = (above[0] != centre_above) ? 0 : 1;  // a corner to cut off
                if (cut == 0) {
                    join(hits[3], hits[0]);  // around corner 0
                    join(hits[1], hits[2]);  // around corner 2
                } else {
                    join(hits[0], hits[1]);  // around corner 1
                    join(hits[2], hits[3]);  // around corner 3
                }
            }
        }

    auto walk = [&](EdgeId start) {
        std::vector<Eigen::Vector2d> line;
        EdgeId previous = -1, current = start;
        while (current >= 0) {
            Crossing& here = crossings[current];
            if (here.used) {
                line.push_back(here.at);  // back at the start: a closed line
                break;
            }
            here.used = true;
            line.push_back(here.at);
            const EdgeId next = here.next[0] != previous ? here.next[0] : here.next[1];
            previous = current;
            current = next;
        }
        if (line.size() >= 2) lines.push_back(std::move(line));
    };
    // Open lines start at an end (a crossing joined once), then what is left are closed loops.
    for (auto& [id, c] : crossings)
        if (!c.used && (c.next[0] < 0 || c.next[1] < 0)) walk(id);
    for (auto& [id, c] : crossings)
        if (!c.used) walk(id);
    return lines;
}

}  // namespace optiviz
