#include "core/presentation/view_framing.h"

#include <algorithm>
#include <cmath>

namespace optiviz {

namespace {

struct Box {
    double x_min = INFINITY, x_max = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
    void add(double x, double y) {
        if (!std::isfinite(x) || !std::isfinite(y)) return;
        x_min = std::min(x_min, x);
        x_max = std::max(x_max, x);
        y_min = std::min(y_min, y);
        y_max = std::max(y_max, y);
    }
    bool contains(double x, double y) const { return x >= x_min && x <= x_max && y >= y_min && y <= y_max; }
    bool empty() const { return !(x_max >= x_min); }
};

}  // namespace

ViewRect frame_view(const ViewRect& fallback, const Eigen::Vector2d& start, const std::vector<Eigen::Vector2d>& minima,
                    const std::vector<const Trajectory*>& paths) {
    Box anchors;
    anchors.add(start.x(), start.y());
    for (const auto& m : minima) anchors.add(m.x(), m.y());
    // How far a path may go and still be framed: the anchors and the default view, grown by half.
    Box reach = anchors;
    reach.add(fallback.x_min, fallback.y_min);
    reach.add(fallback.x_max, fallback.y_max);
    if (reach.empty()) return fallback;
    const double grow_x = (reach.x_max - reach.x_min) * 0.5, grow_y = (reach.y_max - reach.y_min) * 0.5;
    reach.x_min -= grow_x;
    reach.x_max += grow_x;
    reach.y_min -= grow_y;
    reach.y_max += grow_y;

    Box frame = anchors;
    for (const Trajectory* t : paths) {
        if (!t) continue;
        for (std::size_t k = 0; k < t->size(); ++k)
            if (reach.contains(t->x[k], t->y[k])) frame.add(t->x[k], t->y[k]);
    }
    if (frame.empty()) return fallback;
    const double fallback_side = std::max(fallback.x_max - fallback.x_min, fallback.y_max - fallback.y_min);
    double w = frame.x_max - frame.x_min, h = frame.y_max - frame.y_min;
    const double cx = (frame.x_min + frame.x_max) / 2, cy = (frame.y_min + frame.y_max) / 2;
    w *= 1.2;
    h *= 1.2;
    const double least = std::max({0.15 * fallback_side, 0.3 * std::max(w, h), 1e-9 * (std::abs(cx) + std::abs(cy) + 1)});
    w = std::max(w, least);
    h = std::max(h, least);
    const ViewRect framed{cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2};
    if (!std::isfinite(framed.x_min + framed.x_max + framed.y_min + framed.y_max)) return fallback;
    return framed;
}

}  // namespace optiviz
