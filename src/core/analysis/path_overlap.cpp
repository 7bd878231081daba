#include "core/analysis/path_overlap.h"

#include <algorithm>
#include <cmath>

namespace optiviz {

namespace {

bool same_row(const Trajectory& a, const Trajectory& b, std::size_t k, double tolerance) {
    return std::abs(a.x[k] - b.x[k]) <= tolerance && std::abs(a.y[k] - b.y[k]) <= tolerance;
}

}  // namespace

std::vector<SharedPath> shared_paths(const std::vector<const Trajectory*>& paths, double tolerance, long last_row,
                                     long min_steps) {
    std::vector<SharedPath> shared(paths.size());
    const std::size_t cap = static_cast<std::size_t>(std::max(last_row, 1L)) + 1;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const Trajectory* a = paths[i];
        if (!a || a->size() < 2) continue;
        for (std::size_t j = 0; j < i; ++j) {
            const Trajectory* b = paths[j];
            if (!b || b->size() < 2 || !same_row(*a, *b, 0, tolerance) || !same_row(*a, *b, 1, tolerance)) continue;
            const std::size_t rows = std::min({a->size(), b->size(), cap});
            std::size_t k = 1;
            while (k + 1 < rows && same_row(*a, *b, k + 1, tolerance)) ++k;
            if (k + 1 < rows && static_cast<long>(k) < min_steps) continue;  // parted too soon to be one path
            const bool both_go_on = k + 1 < a->size() && k + 1 < b->size();
            shared[i] = {static_cast<int>(j), static_cast<long>(k), k + 1 == a->size() && a->size() == b->size(),
                         k + 1 == rows && both_go_on};
            break;
        }
    }
    return shared;
}

}  // namespace optiviz
