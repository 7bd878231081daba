#include "ui/views/landscape_view.h"

#include "core/analysis/contour_lines.h"
#include "ui/views/color_bar.h"
#include "core/presentation/ticks.h"
#include "ui/canvas/draw_style.h"
#include "ui/overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace optiviz::ui {

std::size_t shown_row(const Trajectory& t, long step) {
    return std::min<std::size_t>(static_cast<std::size_t>(std::max(step, 0L)), t.size() - 1);
}

std::vector<ImVec2> path_points(const Trajectory& t, std::size_t last, const PlotMapping& m) {
    std::vector<ImVec2> points;
    points.reserve(std::min<std::size_t>(last + 1, 4096));
    for (std::size_t k = 0; k <= last && k < t.size(); ++k) {
        ImVec2 p = m.to_screen(t.x[k], t.y[k]);
        // Far outside the plot, clamp so the line still heads the right way without huge coordinates.
        p.x = std::clamp(p.x, m.min.x - 1e4f, m.max.x + 1e4f);
        p.y = std::clamp(p.y, m.min.y - 1e4f, m.max.y + 1e4f);
        if (!points.empty() && k != last) {
            const ImVec2 q = points.back();
            if ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y) < 2.25f) continue;
        }
        points.push_back(p);
    }
    return points;
}

namespace {

using Mapping = PlotMapping;

constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kMutedInk = IM_COL32(70, 70, 90, 255);

// Everything a layer needs besides the input: where it draws and how big marks are.
struct LayerContext {
    Canvas* dl = nullptr;
    Mapping map;
    float font = 13.0f;
    float line = 1.0f;  // line_scale(font)
    ImVec2 pmin() const { return map.min; }
    ImVec2 pmax() const { return map.max; }
};

// Drops the points of `points` that lie within `tolerance` pixels of the line kept without them
// (every dropped point is checked against the chord that replaces it). Per-pixel samples make long
// contours of tiny steps that add bytes to a vector picture but nothing to the eye.
void thin_polyline(std::vector<ImVec2>& points, float tolerance) {
    if (points.size() < 3) return;
    std::vector<ImVec2> kept{points.front()};
    std::size_t anchor = 0;  // index of kept.back() in points
    auto distance = [](ImVec2 p, ImVec2 a, ImVec2 b) {
        const float dx = b.x - a.x, dy = b.y - a.y, length = std::sqrt(dx * dx + dy * dy);
        if (length < 1e-6f) return std::hypot(p.x - a.x, p.y - a.y);
        return std::abs((p.x - a.x) * dy - (p.y - a.y) * dx) / length;
    };
    for (std::size_t i = 1; i + 1 < points.size(); ++i) {
        // Can points anchor+1 .. i all go, replaced by the chord anchor -> i+1?
        bool fits = i - anchor < 64;
        for (std::size_t k = anchor + 1; fits && k <= i; ++k) fits = distance(points[k], points[anchor], points[i + 1]) <= tolerance;
        if (!fits) {
            kept.push_back(points[i]);
            anchor = i;
        }
    }
    kept.push_back(points.back());
    points.swap(kept);
}

// The heatmap shader's contour lines as polylines: the same levels and colour, about as wide as the
// shader's anti-aliased lines (a full pixel fading over a second one).
void draw_contour_lines(Canvas* dl, const FieldGrid& grid, const Mapping& map) {
    const ImU32 color = IM_COL32(255, 255, 255, static_cast<int>(std::lround(255 * kContourOpacity)));
    std::vector<ImVec2> points;
    for (int k = 1; k < kContourLevels; ++k)
        for (const auto& line : contour_lines(grid.normalized, grid.width, grid.height, static_cast<double>(k) / kContourLevels)) {
            points.clear();
            // Sample (c, r) is the centre of grid cell (c, r); row 0 is at y_min.
            for (const Eigen::Vector2d& g : line)
                points.push_back(map.to_screen(grid.view.x_min + (g.x() + 0.5) / grid.width * (grid.view.x_max - grid.view.x_min),
                                               grid.view.y_min + (g.y() + 0.5) / grid.height * (grid.view.y_max - grid.view.y_min)));
            const bool closed = line.size() > 2 && line.front() == line.back();
            thin_polyline(points, 0.1f);
            dl->AddPolyline(points.data(), static_cast<int>(points.size()) - (closed ? 1 : 0), color,
                            closed ? ImDrawFlags_Closed : ImDrawFlags_None, 2.0f);
        }
}

void draw_marker_cross(Canvas* dl, ImVec2 c, float r, ImU32 color, float line) {
    dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, kOutline, 4.0f * line);
    dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, kOutline, 4.0f * line);
    dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, color, 2.0f * line);
    dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, color, 2.0f * line);
}

void draw_star(Canvas* dl, ImVec2 c, float r, float line) {
    ImVec2 points[10];
    for (int i = 0; i < 10; ++i) {
        const float radius = (i % 2 == 0) ? r : r * 0.45f;
        const float angle = -1.5707963f + static_cast<float>(i) * 0.6283185f;
        points[i] = {c.x + radius * std::cos(angle), c.y + radius * std::sin(angle)};
    }
    // A star is convex as seen from its centre: fill it as a fan of triangles around the centre.
    for (int i = 0; i < 10; ++i) dl->AddTriangleFilled(c, points[i], points[(i + 1) % 10], kWhite);
    dl->AddPolyline(points, 10, kInk, ImDrawFlags_Closed, 1.5f * line);
}

bool in_view(const ViewRect& v, double x, double y) {
    return x >= v.x_min && x <= v.x_max && y >= v.y_min && y <= v.y_max;
}

// A run whose shown point is outside the view: its path is drawn up to the last row inside the view and
// on to the edge, where an arrow says where it went. (Drawing every later segment would paint a slab of
// back-and-forth lines over the plot.)
struct EdgeExit {
    bool left = false;
    std::size_t last_inside = 0;  // the last row inside the view (the path is drawn up to it)
    ImVec2 edge;                  // where the next segment crosses the plot's border (screen)
    ImVec2 direction;             // unit vector, screen pixels, pointing out of the plot
};

EdgeExit find_exit(const Trajectory& t, std::size_t last, const Mapping& m) {
    EdgeExit exit;
    const ViewRect& v = m.view;
    if (in_view(v, t.x[last], t.y[last])) return exit;
    std::size_t k = last;
    while (k > 0 && !in_view(v, t.x[k], t.y[k])) --k;
    if (!in_view(v, t.x[k], t.y[k])) return exit;  // never inside: drawn as it is, clipped
    exit.left = true;
    exit.last_inside = k;
    const double ax = t.x[k], ay = t.y[k], dx = t.x[k + 1] - ax, dy = t.y[k + 1] - ay;
    // The segment leaves the rectangle at the smallest s in (0, 1] that reaches a border.
    double s = 1.0;
    if (dx > 0) s = std::min(s, (v.x_max - ax) / dx);
    if (dx < 0) s = std::min(s, (v.x_min - ax) / dx);
    if (dy > 0) s = std::min(s, (v.y_max - ay) / dy);
    if (dy < 0) s = std::min(s, (v.y_min - ay) / dy);
    exit.edge = m.to_screen(ax + s * dx, ay + s * dy);
    const double px = dx / (v.x_max - v.x_min) * (m.max.x - m.min.x), py = -dy / (v.y_max - v.y_min) * (m.max.y - m.min.y);
    const double norm = std::hypot(px, py);
    exit.direction = norm > 0 ? ImVec2{static_cast<float>(px / norm), static_cast<float>(py / norm)} : ImVec2{1, 0};
    return exit;
}

// Where the arrow at the exit points: toward where the run is at the shown step (it may have turned
// since it left: out to the right, then up), else (no such point, or one back across the view) along
// the segment that left the view.
ImVec2 arrow_direction(const LayerContext& c, const EdgeExit& exit, const Trajectory& t, std::size_t row) {
    const ImVec2 now = c.map.to_screen(t.x[row], t.y[row]);
    const double dx = static_cast<double>(now.x) - exit.edge.x, dy = static_cast<double>(now.y) - exit.edge.y;
    const double norm = std::hypot(dx, dy);
    if (!std::isfinite(norm) || norm < 1.0) return exit.direction;
    const ImVec2 toward{static_cast<float>(dx / norm), static_cast<float>(dy / norm)};
    // A run now on the other side of the view (an oscillation that blew up) would make the arrow point
    // back in across the plot: then it keeps the way the run left.
    if (toward.x * exit.direction.x + toward.y * exit.direction.y < 0.2f) return exit.direction;
    return toward;
}

// Whether a box (screen pixels, widened by `margin`) meets any visible run's drawn path.
bool box_meets_paths(const LandscapeInput& input, const std::vector<EdgeExit>& exits, const Mapping& map, ImVec2 min, ImVec2 max,
                     float margin) {
    min = {min.x - margin, min.y - margin};
    max = {max.x + margin, max.y + margin};
    auto inside = [&](ImVec2 p) { return p.x > min.x && p.x < max.x && p.y > min.y && p.y < max.y; };
    for (std::size_t i = 0; i < input.runs.size(); ++i) {
        const RunView& run = input.runs[i];
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const std::size_t last = shown_row(*run.trajectory, input.step);
        auto points = path_points(*run.trajectory, exits[i].left ? exits[i].last_inside : last, map);
        if (exits[i].left) points.push_back(exits[i].edge);
        for (std::size_t k = 0; k + 1 < points.size(); ++k) {
            const ImVec2 a = points[k], b = points[k + 1];
            if (std::max(a.x, b.x) < min.x || std::min(a.x, b.x) > max.x || std::max(a.y, b.y) < min.y || std::min(a.y, b.y) > max.y)
                continue;
            const int n = std::max(1, static_cast<int>(std::hypot(b.x - a.x, b.y - a.y)));
            for (int j = 0; j <= n; ++j) {
                const float s = static_cast<float>(j) / static_cast<float>(n);
                if (inside({a.x + s * (b.x - a.x), a.y + s * (b.y - a.y)})) return true;
            }
        }
    }
    return false;
}

// An arrow at the plot's edge where a run left it, with the step and where the run is at that step.
// The label goes beside the arrow, inside the plot, where it covers no run's path: behind the arrow
// (along the way the run came), on either side of it, or further along the edge.
void draw_edge_arrow(const LayerContext& c, const EdgeExit& exit, const RunView& run, const Trajectory& t, std::size_t row,
                     long step, const LandscapeInput& input, const std::vector<EdgeExit>& exits) {
    const float h = c.font * 0.9f;
    const ImVec2 d = arrow_direction(c, exit, t, row), n{-d.y, d.x};
    // The arrow's tip sits on the border, its body inside the plot.
    ImVec2 tip{std::clamp(exit.edge.x, c.pmin().x + 1, c.pmax().x - 1), std::clamp(exit.edge.y, c.pmin().y + 1, c.pmax().y - 1)};
    ImVec2 base{tip.x - d.x * h, tip.y - d.y * h};
    ImVec2 a{base.x + n.x * h * 0.5f, base.y + n.y * h * 0.5f}, b{base.x - n.x * h * 0.5f, base.y - n.y * h * 0.5f};
    // An arrow leaving at a slant would stick a corner out past the edge: the whole arrow moves in.
    const float lo_x = c.pmin().x + 1, hi_x = c.pmax().x - 1, lo_y = c.pmin().y + 1, hi_y = c.pmax().y - 1;
    const float shift_x = std::max(0.0f, lo_x - std::min({tip.x, a.x, b.x})) - std::max(0.0f, std::max({tip.x, a.x, b.x}) - hi_x);
    const float shift_y = std::max(0.0f, lo_y - std::min({tip.y, a.y, b.y})) - std::max(0.0f, std::max({tip.y, a.y, b.y}) - hi_y);
    for (ImVec2* p : {&tip, &base, &a, &b}) *p = {p->x + shift_x, p->y + shift_y};
    c.dl->AddTriangleFilled(tip, a, b, rgb(run.color));
    c.dl->AddTriangle(tip, a, b, kOutline, 2.0f * c.line);
    const std::string label = t.outcome == Outcome::Diverged && step >= t.diverged_step
                                  ? "diverged at step " + std::to_string(t.diverged_step)
                                  : "step " + std::to_string(row) + ": (" + format_number(t.x[row], 3) + ", " +
                                        format_number(t.y[row], 3) + ")";
    const char* text = label.c_str();
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float pad = c.font * 0.2f;
    auto place = [&](ImVec2 anchor, ImVec2 away) {  // the label's corner toward `away` from `anchor`, inside the plot
        ImVec2 at{anchor.x + away.x * c.font * 0.3f - (away.x < -0.3f ? size.x : away.x > 0.3f ? 0.0f : size.x / 2),
                  anchor.y + away.y * c.font * 0.3f - (away.y < -0.3f ? size.y : away.y > 0.3f ? 0.0f : size.y / 2)};
        at.x = std::clamp(at.x, c.pmin().x + 2 + pad, c.pmax().x - size.x - 2 - pad);
        at.y = std::clamp(at.y, c.pmin().y + 2 + pad, c.pmax().y - size.y - 2 - pad);
        return at;
    };
    const ImVec2 back{-d.x, -d.y}, side_a{n.x, n.y}, side_b{-n.x, -n.y};
    const ImVec2 candidates[] = {place(base, back),
                                 place({tip.x + n.x * h, tip.y + n.y * h}, side_a),
                                 place({tip.x - n.x * h, tip.y - n.y * h}, side_b),
                                 place({base.x + n.x * (h + size.x), base.y + n.y * (h + size.y)}, side_a),
                                 place({base.x - n.x * (h + size.x), base.y - n.y * (h + size.y)}, side_b)};
    ImVec2 at = candidates[0];
    for (const ImVec2& candidate : candidates)
        if (!box_meets_paths(input, exits, c.map, candidate, {candidate.x + size.x, candidate.y + size.y}, pad + 2.0f * c.line)) {
            at = candidate;
            break;
        }
    c.dl->AddRectFilled({at.x - pad, at.y - pad * 0.5f}, {at.x + size.x + pad, at.y + size.y + pad * 0.5f},
                        IM_COL32(255, 255, 255, 225), pad);
    c.dl->AddRect({at.x - pad, at.y - pad * 0.5f}, {at.x + size.x + pad, at.y + size.y + pad * 0.5f}, rgb(run.color), pad,
                  0, 2.0f * c.line);
    c.dl->AddText(at, kInk, text);
}

using LegendRows = std::vector<std::pair<std::uint32_t, std::string>>;

// Current-position markers of every run, drawn after all paths so none hides another's. Markers that
// would land on one another are fanned out around their common point, joined to it by a thin line.
// A run whose marker sits on a minimum covers that minimum's star: the star is drawn again, smaller,
// on top of the marker, so the minimum stays marked and the reader sees the run is at it.
void redraw_covered_minima(const LayerContext& c, const LandscapeInput& input) {
    for (const auto& m : input.minima) {
        const ImVec2 star = c.map.to_screen(m.x(), m.y());
        bool covered = false;
        for (const RunView& run : input.runs) {
            if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
            const Trajectory& t = *run.trajectory;
            const std::size_t last = shown_row(t, input.step);
            const ImVec2 at = c.map.to_screen(t.x[last], t.y[last]);
            covered = covered || std::hypot(at.x - star.x, at.y - star.y) < c.font * 0.8f;
        }
        if (covered) draw_star(c.dl, star, c.font * 0.38f, c.line);
    }
}

void draw_current_markers(const LayerContext& c, const LandscapeInput& input) {
    struct Mark {
        ImVec2 at;
        const RunView* run;
        int shape;
        bool diverged;
    };
    std::vector<Mark> marks;
    for (std::size_t i = 0; i < input.runs.size(); ++i) {
        const RunView& run = input.runs[i];
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const Trajectory& t = *run.trajectory;
        const std::size_t last = shown_row(t, input.step);
        if (!in_view(c.map.view, t.x[last], t.y[last])) continue;  // an edge arrow shows it
        const bool diverged = t.outcome == Outcome::Diverged && last + 1 == t.size() && input.step >= t.diverged_step;
        marks.push_back({c.map.to_screen(t.x[last], t.y[last]), &run, static_cast<int>(i), diverged});
    }
    std::vector<bool> placed(marks.size(), false);
    const float near = c.font * 0.8f;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        if (placed[i]) continue;
        std::vector<std::size_t> group{i};
        for (std::size_t j = i + 1; j < marks.size(); ++j)
            if (!placed[j] && std::hypot(marks[j].at.x - marks[i].at.x, marks[j].at.y - marks[i].at.y) < near) group.push_back(j);
        for (std::size_t j : group) placed[j] = true;
        const float spread = group.size() > 1 ? c.font * (0.7f + 0.15f * static_cast<float>(group.size())) : 0.0f;
        // A fan near the plot's edge moves in, so every marker stays whole inside the plot.
        const float room = spread + c.font * 0.6f + 2.0f * c.line;
        const ImVec2 centre = group.size() > 1 ? ImVec2{std::clamp(marks[i].at.x, c.pmin().x + room, std::max(c.pmin().x + room, c.pmax().x - room)),
                                                        std::clamp(marks[i].at.y, c.pmin().y + room, std::max(c.pmin().y + room, c.pmax().y - room))}
                                               : marks[i].at;
        if (group.size() > 1) c.dl->AddCircleFilled(centre, c.font * 0.15f, kInk, 12);
        for (std::size_t g = 0; g < group.size(); ++g) {
            const Mark& m = marks[group[g]];
            const float angle = -1.5707963f + 6.2831853f * static_cast<float>(g) / static_cast<float>(group.size());
            const ImVec2 at{centre.x + spread * std::cos(angle), centre.y + spread * std::sin(angle)};
            if (group.size() > 1) c.dl->AddLine(centre, at, kInk, 1.5f * c.line);
            if (m.diverged) draw_marker_cross(c.dl, at, c.font * 0.45f, rgb(m.run->color), c.line);
            else draw_run_marker(c.dl, at, c.font, c.line, m.run->color, m.shape);
        }
    }
}

// One entry of the legend column.
struct LegendEntry {
    enum class Kind { Run, Patch, Text } kind;
    std::uint32_t color = 0;
    int shape = 0;      // runs: marker shape
    int run = -1;       // runs: index into input.runs
    std::string text;
    float height = 0;   // measured, wrapped
    int dash = 0;       // runs: the line's dash pattern
};

// The legend column from smin to smax: runs with their status, then patches (basin colours, the glyphs'
// key), then the equations on a tinted panel. A row goes in only if it fits; the rest is cut with a note.
void draw_legend_column(Canvas* dl, std::vector<LegendEntry>& legend, std::size_t first_equation, ImVec2 smin, ImVec2 smax,
                        float side_text_x, int front_run, float font, float line) {
    dl->PushClipRect(smin, smax, true);
    const std::string more = wrap_to_width("(more rows: a larger window or export shows them)", smax.x - smin.x);
    const float more_height = ImGui::CalcTextSize(more.c_str()).y;
    float y = smin.y;
    for (std::size_t i = 0; i < legend.size(); ++i) {
        LegendEntry& e = legend[i];
        e.height = ImGui::CalcTextSize(e.text.c_str()).y +
                   font * (e.kind == LegendEntry::Kind::Text ? 0.15f : 0.45f);
        if (i == first_equation) {
            y += font * 0.4f;
            float total = 0;
            for (std::size_t j = i; j < legend.size(); ++j)
                total += ImGui::CalcTextSize(legend[j].text.c_str()).y + font * 0.15f;
            dl->AddRectFilled({smin.x, y}, {smax.x, std::min(smax.y, y + total + font * 0.4f)}, IM_COL32(238, 238, 244, 255),
                              font * 0.3f);
            y += font * 0.2f;
        }
        // A row goes in only if the note about rows that do not fit still fits under it.
        const bool last = i + 1 == legend.size();
        if (last ? y + e.height > smax.y + font * 0.3f : y + e.height + more_height > smax.y) {
            dl->AddRectFilled({smin.x, y}, smax, kPaper);
            dl->AddText(ImGui::GetFont(), font, {smin.x, y}, kMutedInk, more.c_str(), nullptr, 0.0f);
            break;
        }
        const float row_mid = y + font * 0.5f;
        switch (e.kind) {
            case LegendEntry::Kind::Run:
                if (e.run == front_run) dl->AddRectFilled({smin.x, y - font * 0.1f}, {smax.x, y + e.height - font * 0.2f}, IM_COL32(230, 230, 240, 255));
                draw_line_swatch(dl, smin.x, row_mid, font, e.color, e.dash);
                draw_run_marker(dl, {smin.x + font * 1.35f, row_mid}, font, line, e.color, e.shape);
                dl->AddText(ImGui::GetFont(), font, {side_text_x, y}, kInk, e.text.c_str(), nullptr, 0.0f);
                break;
            case LegendEntry::Kind::Patch:
                dl->AddRectFilled({smin.x + font * 0.9f, row_mid - font * 0.45f}, {smin.x + font * 1.8f, row_mid + font * 0.45f},
                                  rgb(e.color));
                dl->AddRect({smin.x + font * 0.9f, row_mid - font * 0.45f}, {smin.x + font * 1.8f, row_mid + font * 0.45f}, kInk);
                dl->AddText(ImGui::GetFont(), font, {side_text_x, y}, kInk, e.text.c_str(), nullptr, 0.0f);
                break;
            case LegendEntry::Kind::Text:
                dl->AddText(ImGui::GetFont(), font, {smin.x + font * 0.3f, y}, i == first_equation ? kMutedInk : kInk,
                            e.text.c_str(), nullptr, 0.0f);
                break;
        }
        y += e.height;
    }
    dl->PopClipRect();
}

}  // namespace

float line_scale(float font_size) { return std::max(1.0f, std::round(font_size / 16.0f * 2.0f) / 2.0f); }

std::string stop_rule_text(const Trajectory& t, const StopRule& rule) {
    if (t.stop_reason == StopReason::LossChange)
        return "loss changed < " + format_number(rule.loss_tol, 3) +
               (rule.loss_patience > 1 ? " for " + std::to_string(rule.loss_patience) + " steps" : std::string());
    if (t.stop_reason == StopReason::GradientNorm) return "|grad| <= " + format_number(rule.grad_tol, 3);
    return "";
}

std::string run_status(const Trajectory& t, long step, long steps, std::optional<double> best_loss, const StopRule& rule,
                       const std::vector<Eigen::Vector2d>& minima) {
    if (t.size() == 0) return "no points";
    const std::size_t k = shown_row(t, step);
    std::string loss = "loss " + format_number(t.loss[k], 3);
    // Near a best known loss that is not 0, three digits read the same ("loss 0.194") for runs the
    // loss plot shows decades apart: the gap above the best is said too, as the loss plot plots it.
    if (best_loss && std::isfinite(t.loss[k])) {
        const double gap = t.loss[k] - *best_loss;
        if (gap > 0 && gap < 0.01 * std::abs(t.loss[k])) loss += " (best + " + format_number(gap, 2) + ")";
    }
    if (t.outcome == Outcome::Diverged && step >= t.diverged_step) return "diverged at step " + std::to_string(t.diverged_step);
    // A rule that ended the run names itself and the step, and nothing else names that end point.
    if (t.stopped_step >= 0 && static_cast<long>(k) >= t.stopped_step && t.stop_reason != StopReason::None)
        return "stopped: " + stop_rule_text(t, rule) + ", at step " + std::to_string(t.stopped_step) + ", " + loss;
    std::string text;
    if (t.converged_step >= 0 && static_cast<long>(k) >= t.converged_step) {
        // Converged only while it stays there: the loss must not climb back after the convergence step.
        const auto c = static_cast<std::size_t>(t.converged_step);
        const double tolerance = 1e-6 * (1.0 + std::abs(t.loss[c]));
        std::size_t left = 0;
        for (std::size_t j = c; j <= k && left == 0; ++j)
            if (t.loss[j] > t.loss[c] + tolerance) left = j;
        const bool at_best = !best_loss || t.loss[k] <= *best_loss + 1e-6 * (1.0 + std::abs(*best_loss));
        // "local minimum" only next to a minimum the surface knows (and that is not the best one).
        bool at_known_minimum = false;
        for (const auto& m : minima)
            at_known_minimum = at_known_minimum || std::hypot(t.x[k] - m.x(), t.y[k] - m.y()) <= 1e-2 * (1.0 + m.norm());
        if (left > 0)
            text = "converged at step " + std::to_string(t.converged_step) + ", left at step " + std::to_string(left) + " (" + loss + ")";
        else if (at_best)
            text = "converged at step " + std::to_string(t.converged_step);
        else if (at_known_minimum)
            text = "local minimum at step " + std::to_string(t.converged_step) + ", " + loss;
        else
            text = "gradient ~0 at step " + std::to_string(t.converged_step) + ", " + loss + " (not the best known)";
        return text;
    }
    if (steps > 0 && k + 1 == t.size() && static_cast<long>(k) >= steps)
        text = "max steps (" + std::to_string(steps) + "), " + loss;
    else
        text = "step " + std::to_string(k) + ", " + loss;
    // A schedule that lowered the learning rate: say the rate in use now.
    if (!t.lr.empty()) {
        const double now = t.lr[std::min(k, t.lr.size() - 1)];
        if (now != t.lr.front()) text += ", lr now " + format_number(now, 3);
    }
    return text;
}

// Draws a path as polylines split at sharp turns: ImGui mitres polyline joints without a limit,
// which would turn the reversals of a zig-zagging optimizer into long spikes. Whole-pixel widths
// keep ImGui on its textured anti-aliasing path (a quarter of the vertices of the fallback).
void draw_path(Canvas* dl, const std::vector<ImVec2>& points, ImU32 color, float thickness) {
    std::size_t begin = 0;
    for (std::size_t k = 1; k < points.size(); ++k) {
        bool sharp = false;
        if (k + 1 < points.size()) {
            const ImVec2 a{points[k].x - points[k - 1].x, points[k].y - points[k - 1].y};
            const ImVec2 b{points[k + 1].x - points[k].x, points[k + 1].y - points[k].y};
            const float dot = a.x * b.x + a.y * b.y;
            const float norms = std::sqrt((a.x * a.x + a.y * a.y) * (b.x * b.x + b.y * b.y));
            sharp = dot < -0.3f * norms;  // turns of more than ~107 degrees
        }
        if (sharp || k + 1 == points.size()) {
            dl->AddPolyline(points.data() + begin, static_cast<int>(k - begin + 1), color, ImDrawFlags_None, thickness);
            begin = k;
        }
    }
}

std::vector<double> nice_ticks(double lo, double hi, int target) { return optiviz::nice_ticks(lo, hi, target); }

LandscapeLayout landscape_layout(ImVec2 size, float font_size, int caption_lines) {
    LandscapeLayout layout;
    const float f = font_size;
    // The legend column: about a quarter of the width, between 9 and 24 text heights.
    const float side = std::clamp(size.x * 0.27f, f * 9.0f, f * 24.0f);
    const float left = f * 4.0f, colorbar = f * 6.0f, bottom = f * 2.6f;
    const float top = caption_lines > 0 ? f * (1.9f + 1.0f * static_cast<float>(caption_lines) + 0.6f) : f * 2.2f;
    layout.plot_min = {left, top};
    layout.plot_max = {std::max(left + 10.0f, size.x - colorbar - side), std::max(top + 10.0f, size.y - bottom)};
    // The colorbar starts a line lower than the plot: its "loss" label sits above it, below the title band.
    layout.colorbar_min = {layout.plot_max.x + f * 0.8f, layout.plot_min.y + f * 1.4f};
    layout.colorbar_max = {layout.plot_max.x + f * 1.8f, layout.plot_max.y};
    layout.side_min = {layout.plot_max.x + colorbar, layout.plot_min.y};
    layout.side_max = {std::max(layout.side_min.x + 1.0f, size.x - f * 0.4f), size.y - f * 0.4f};
    return layout;
}

ViewRect fit_view(const ViewRect& requested, float plot_width, float plot_height) {
    ViewRect v = requested;
    const double w = v.x_max - v.x_min, h = v.y_max - v.y_min;
    const double aspect = static_cast<double>(plot_width) / std::max(1.0f, plot_height);
    if (w / h < aspect) {
        const double extra = (h * aspect - w) / 2;
        v.x_min -= extra;
        v.x_max += extra;
    } else {
        const double extra = (w / aspect - h) / 2;
        v.y_min -= extra;
        v.y_max += extra;
    }
    return v;
}

namespace {

// Where everything of one landscape picture goes, in screen coordinates: the plot, the view fitted to
// its aspect, the wrapped title and caption.
struct LandscapeFrame {
    ImVec2 origin, end, size;
    float font = 13.0f;
    LandscapeLayout layout;
    ImVec2 pmin, pmax;
    ViewRect view;
    std::string title, caption;
    int title_lines = 1;
    ImVec2 side_min() const { return {origin.x + layout.side_min.x, origin.y + layout.side_min.y}; }
    ImVec2 side_max() const { return {origin.x + layout.side_max.x, origin.y + layout.side_max.y}; }
};

LandscapeFrame landscape_frame(const LandscapeInput& input, ImVec2 size) {
    LandscapeFrame f;
    f.origin = ImGui::GetCursorScreenPos();
    f.size = size;
    f.end = {f.origin.x + size.x, f.origin.y + size.y};
    f.font = ImGui::GetFontSize();
    // The caption and the title wrap to the width of the picture (less the left margin), never
    // clipped; their extra lines push the plot down.
    const float caption_width = std::max(f.font * 8.0f, size.x - f.font * 4.4f);
    f.caption = wrap_to_width(input.caption, caption_width);
    const int caption_lines = input.caption.empty() ? 0 : static_cast<int>(std::count(f.caption.begin(), f.caption.end(), '\n')) + 1;
    f.title = wrap_to_width(input.title, caption_width);
    f.title_lines = static_cast<int>(std::count(f.title.begin(), f.title.end(), '\n')) + 1;
    f.layout = landscape_layout(size, f.font, caption_lines + f.title_lines - 1);
    f.pmin = {f.origin.x + f.layout.plot_min.x, f.origin.y + f.layout.plot_min.y};
    f.pmax = {f.origin.x + f.layout.plot_max.x, f.origin.y + f.layout.plot_max.y};
    f.view = fit_view(input.view, f.pmax.x - f.pmin.x, f.pmax.y - f.pmin.y);
    return f;
}

// The legend column's run rows (measured); `front_run` becomes the run whose row the mouse is over.
std::vector<LegendEntry> run_legend(const LandscapeInput& input, const LandscapeFrame& f, float wrap, bool interactive,
                                    int& front_run) {
    std::vector<LegendEntry> legend;
    for (std::size_t i = 0; i < input.runs.size(); ++i) {
        const RunView& run = input.runs[i];
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const std::string status = !run.status.empty() ? run.status
                                   : run_status(*run.trajectory, input.step, input.steps, input.best_loss, run.stop, input.minima);
        const std::string note = run.shared_note.empty() ? "" : "\n" + run.shared_note;
        legend.push_back({LegendEntry::Kind::Run, run.color, static_cast<int>(i), static_cast<int>(i),
                          wrap_to_width(run.label + "\n" + status + note, wrap), 0, run.dash});
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    float y = f.side_min().y;
    for (LegendEntry& e : legend) {
        e.height = ImGui::CalcTextSize(e.text.c_str()).y + f.font * 0.45f;
        if (interactive && mouse.x >= f.side_min().x && mouse.x <= f.side_max().x && mouse.y >= y && mouse.y < y + e.height)
            front_run = e.run;
        y += e.height;
    }
    return legend;
}

// Layers 1 to 3: paper around the plot (not under the heatmap: on a software rasterizer that would
// cost a full layer of fill per frame), the heatmap with its contours, the basin image and the
// overlay modules (the particle clouds, faint and thin, among them). Leaves the plot's clip rectangle pushed.
// What the overlay modules (ui/overlay.h) get to draw with; `legend` receives their legend rows.
OverlayContext overlay_context(const LayerContext& canvas, const LandscapeInput& input, const LandscapeFrame& f,
                               LegendRows* legend = nullptr) {
    OverlayContext context;
    context.draw_list = canvas.dl;
    context.plot_min = f.pmin;
    context.plot_max = f.pmax;
    context.map = canvas.map;
    context.input = &input;
    context.font_size = f.font;
    context.line_scale = canvas.line;
    context.legend = legend;
    return context;
}

HeatmapImage draw_field_layers(const LayerContext& canvas, const LandscapeInput& input, const LandscapeFrame& f) {
    Canvas* dl = canvas.dl;
    const Mapping& map = canvas.map;
    const ImVec2 origin = f.origin, end = f.end, pmin = f.pmin, pmax = f.pmax;
    if (input.paper) {
        dl->AddRectFilled(origin, {end.x, pmin.y}, kPaper);
        dl->AddRectFilled({origin.x, pmax.y}, end, kPaper);
        dl->AddRectFilled({origin.x, pmin.y}, {pmin.x, pmax.y}, kPaper);
        dl->AddRectFilled({pmax.x, pmin.y}, {end.x, pmax.y}, kPaper);
    }
    HeatmapImage heat;
    if (input.heatmap) {
        heat = input.heatmap({f.view, static_cast<int>(pmax.x - pmin.x), static_cast<int>(pmax.y - pmin.y)});
        // The framebuffer's first row is the bottom one (GL), so flip v.
        if (heat.texture) dl->AddImage(heat.texture, pmin, pmax, {0, 1}, {1, 0});
    }
    dl->PushClipRect(pmin, pmax, true);
    if (input.contour_lines && heat.grid) draw_contour_lines(dl, *heat.grid, map);
    // The basin image is the basin-map overlay module's to draw (ui/overlays/basin_map.cpp).
    // The particle clouds are a module too (ui/overlays/particle_cloud.cpp), drawn last of them.
    draw_overlays(overlay_context(canvas, input, f), input.overlays, OverlayLayer::UnderPaths);
    return heat;
}

// A path whose rows are partly faint: each stretch of rows alike drawn on its own, the faint ones
// thin, translucent and dashed with no halo (where they are, the picture does not show).
void draw_faint_aware_path(const LayerContext& canvas, const RunView& run, std::size_t last, float width) {
    const Trajectory& t = *run.trajectory;
    auto faint = [&](std::size_t k) { return k < run.faint_rows.size() && run.faint_rows[k] != 0; };
    std::size_t begin = 0;
    while (begin < last) {
        // A segment k → k + 1 is faint when both its rows are.
        const bool stretch_faint = faint(begin) && faint(begin + 1);
        std::size_t end = begin + 1;
        while (end < last && (faint(end) && faint(end + 1)) == stretch_faint) ++end;
        Trajectory piece;
        for (std::size_t k = begin; k <= end; ++k) piece.x.push_back(t.x[k]), piece.y.push_back(t.y[k]);
        const auto points = path_points(piece, end - begin, canvas.map);
        if (stretch_faint) {
            for (const auto& dashed : dash_pieces(points, 1, canvas.font * 0.5f))
                draw_path(canvas.dl, dashed, rgb(run.color, 110), std::max(1.0f, width * 0.5f));
        } else {
            for (const auto& dashed : dash_pieces(points, run.dash, canvas.font * 0.5f)) {
                draw_path(canvas.dl, dashed, halo_for(run.color), width + 2.0f * canvas.line);
                draw_path(canvas.dl, dashed, rgb(run.color), width);
            }
        }
        begin = end;
    }
}

// A point of a path under the mouse: its run and row.
using HoveredPoint = std::optional<std::pair<const RunView*, std::size_t>>;

// Layer 4: every path (the hovered legend entry's last, on top); a run that left the view stops at
// the edge, where `exits` says. Returns the path point nearest the mouse, if one is near.
HoveredPoint draw_paths(const LayerContext& canvas, const LandscapeInput& input, int front_run, bool interactive,
                        std::vector<EdgeExit>& exits) {
    Canvas* dl = canvas.dl;
    const Mapping& map = canvas.map;
    const float line = canvas.line;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < input.runs.size(); ++i)
        if (static_cast<int>(i) != front_run) order.push_back(i);
    // Runs that end earlier are drawn later: where paths coincide (one optimizer under different
    // stopping rules), each shorter path stays visible on top of the longer ones.
    auto shown_rows = [&](std::size_t i) {
        const Trajectory* t = input.runs[i].trajectory;
        return t && t->size() > 0 ? shown_row(*t, input.step) : 0;
    };
    // A path that follows another (dashed) goes over it, so that both show.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const bool a_follows = !input.runs[a].shared_note.empty(), b_follows = !input.runs[b].shared_note.empty();
        if (a_follows != b_follows) return b_follows;
        return shown_rows(a) > shown_rows(b);
    });
    if (front_run >= 0) order.push_back(static_cast<std::size_t>(front_run));
    exits.assign(input.runs.size(), EdgeExit{});
    HoveredPoint hovered;
    float hovered_distance = 8.0f;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const ImVec2 pmin = canvas.pmin(), pmax = canvas.pmax();
    const bool mouse_in_plot = mouse.x >= pmin.x && mouse.x <= pmax.x && mouse.y >= pmin.y && mouse.y <= pmax.y;
    for (std::size_t i : order) {
        const RunView& run = input.runs[i];
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const Trajectory& t = *run.trajectory;
        const std::size_t last = shown_row(t, input.step);
        exits[i] = find_exit(t, last, map);
        auto points = path_points(t, exits[i].left ? exits[i].last_inside : last, map);
        if (exits[i].left) points.push_back(exits[i].edge);
        const float width = (static_cast<int>(i) == front_run ? 4.0f : 3.0f) * line;
        if (!run.faint_rows.empty()) {
            draw_faint_aware_path(canvas, run, exits[i].left ? exits[i].last_inside : last, width);
        } else {
            // A dashed path's halo is dashed too, so a path it runs over shows in its gaps.
            for (const auto& piece : dash_pieces(points, run.dash, canvas.font * 0.5f)) {
                draw_path(dl, piece, halo_for(run.color), width + 2.0f * line);
                draw_path(dl, piece, rgb(run.color), width);
            }
        }
        if (!interactive || !mouse_in_plot) continue;
        for (std::size_t k = 0; k <= last; ++k) {
            const ImVec2 p = map.to_screen(t.x[k], t.y[k]);
            const float d = std::hypot(p.x - mouse.x, p.y - mouse.y);
            if (d < hovered_distance) {
                hovered_distance = d;
                hovered = {{&run, k}};
            }
        }
    }
    return hovered;
}

// The axes' ticks and labels, the title and the caption.
void draw_axes_and_titles(Canvas* dl, const LandscapeInput& input, const LandscapeFrame& f, const Mapping& map) {
    const float font = f.font;
    const ImVec2 pmin = f.pmin, pmax = f.pmax, origin = f.origin;
    for (double x : nice_ticks(f.view.x_min, f.view.x_max, static_cast<int>((pmax.x - pmin.x) / (font * 5)))) {
        const float sx = map.to_screen(x, 0).x;
        dl->AddLine({sx, pmax.y}, {sx, pmax.y + font * 0.3f}, kInk);
        const std::string label = format_number(x);
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        dl->AddText({sx - w / 2, pmax.y + font * 0.35f}, kInk, label.c_str());
    }
    for (double y : nice_ticks(f.view.y_min, f.view.y_max, static_cast<int>((pmax.y - pmin.y) / (font * 3)))) {
        const float sy = map.to_screen(0, y).y;
        dl->AddLine({pmin.x - font * 0.3f, sy}, {pmin.x, sy}, kInk);
        const std::string label = format_number(y);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({pmin.x - font * 0.4f - ts.x, sy - ts.y / 2}, kInk, label.c_str());
    }
    dl->AddText({(pmin.x + pmax.x) / 2 - ImGui::CalcTextSize(input.x_label.c_str()).x / 2, pmax.y + font * 1.4f}, kInk,
                input.x_label.c_str());
    // The y label: above the tick labels at the top left when it is longer than the margin is wide.
    const float y_label_width = ImGui::CalcTextSize(input.y_label.c_str()).x;
    if (y_label_width <= font * 3.0f)
        dl->AddText({origin.x + font * 0.4f, (pmin.y + pmax.y) / 2 - font * 0.5f}, kInk, input.y_label.c_str());
    else
        dl->AddText({origin.x + font * 0.4f, pmin.y - font * 1.15f}, kInk, input.y_label.c_str());
    dl->PushClipRect(origin, f.end, true);
    dl->AddText(ImGui::GetFont(), font, {pmin.x, origin.y + font * 0.5f}, kInk, f.title.c_str(), nullptr, 0.0f);
    if (!input.caption.empty())
        dl->AddText(ImGui::GetFont(), font, {pmin.x, origin.y + font * (0.7f + static_cast<float>(f.title_lines))}, kMutedInk,
                    f.caption.c_str(), nullptr, 0.0f);
    dl->PopClipRect();
}

// The colour bar with loss ticks on the log scale (its clamped bottom drawn as such).
void draw_colorbar(Canvas* dl, const HeatmapImage& heat, const LandscapeFrame& f, float line) {
    // A field with one value (a model's paths alone, no loss sampled) has no scale to show.
    if (!heat.grid || !heat.grid->varies()) return;
    const ImVec2 cmin{f.origin.x + f.layout.colorbar_min.x, f.origin.y + f.layout.colorbar_min.y};
    const ImVec2 cmax{f.origin.x + f.layout.colorbar_max.x, f.origin.y + f.layout.colorbar_max.y};
    draw_color_bar(dl, log_scale_bar(heat.grid->scale), cmin, cmax, f.font, line);
}

// Clicks, drags and the wheel on the plot, and the tooltip of the path point under the mouse.
void handle_plot_mouse(const LandscapeFrame& f, const Mapping& map, const HoveredPoint& hovered, LandscapeActions& actions) {
    const ImVec2 pmin = f.pmin, pmax = f.pmax;
    const ViewRect& view = f.view;
    ImGui::SetCursorScreenPos(pmin);
    ImGui::InvisibleButton("##landscape", {pmax.x - pmin.x, pmax.y - pmin.y},
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                               ImGuiButtonFlags_MouseButtonMiddle);
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 mouse = io.MousePos;
    if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) actions.new_start = map.to_data(mouse);
    if (ImGui::IsItemActive() &&
        (ImGui::IsMouseDragging(ImGuiMouseButton_Right, 0.0f) || ImGui::IsMouseDragging(ImGuiMouseButton_Middle, 0.0f))) {
        const double dx = -io.MouseDelta.x / (pmax.x - pmin.x) * (view.x_max - view.x_min);
        const double dy = io.MouseDelta.y / (pmax.y - pmin.y) * (view.y_max - view.y_min);
        if (dx != 0 || dy != 0) actions.new_view = ViewRect{view.x_min + dx, view.x_max + dx, view.y_min + dy, view.y_max + dy};
    }
    if (ImGui::IsItemHovered() && io.MouseWheel != 0) {
        const double factor = std::pow(0.85, io.MouseWheel);  // wheel up zooms in
        const Eigen::Vector2d c = map.to_data(mouse);
        actions.new_view = ViewRect{c.x() + (view.x_min - c.x()) * factor, c.x() + (view.x_max - c.x()) * factor,
                                    c.y() + (view.y_min - c.y()) * factor, c.y() + (view.y_max - c.y()) * factor};
    }
    if (hovered && ImGui::IsItemHovered()) {
        const Trajectory& t = *hovered->first->trajectory;
        const std::size_t k = hovered->second;
        ImGui::BeginTooltip();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(hovered->first->color)), "%s", hovered->first->label.c_str());
        ImGui::TextUnformatted(point_tooltip_text(k, t.x[k], t.y[k], t.loss[k], std::hypot(t.gx[k], t.gy[k])).c_str());
        if (k < hovered->first->point_notes.size()) ImGui::TextUnformatted(hovered->first->point_notes[k].c_str());
        ImGui::EndTooltip();
    }
}

}  // namespace

LandscapeActions draw_landscape(const LandscapeInput& input, ImVec2 size, bool interactive) {
    WindowCanvas dl;  // the window, or the vector export's canvas
    const LandscapeFrame f = landscape_frame(input, size);
    const float font = f.font;
    const LayerContext canvas{dl, Mapping{f.view, f.pmin, f.pmax}, font, line_scale(font)};
    LandscapeActions actions;
    actions.plot_min = f.pmin;
    actions.plot_max = f.pmax;
    actions.shown_view = f.view;

    // The legend column's run rows come first; hovering one brings that run to the front.
    const float side_text_x = f.side_min().x + font * 2.9f;
    const float side_wrap = std::max(font * 4.0f, f.side_max().x - side_text_x);
    int hovered_row = -1;
    std::vector<LegendEntry> legend = run_legend(input, f, side_wrap, interactive, hovered_row);
    actions.front_run = hovered_row;
    // (A run brought forward from elsewhere may have been removed since: then none is.)
    const int front_run = hovered_row >= 0                                                              ? hovered_row
                          : input.front_run >= 0 && static_cast<std::size_t>(input.front_run) < input.runs.size() ? input.front_run
                                                                                                    : -1;

    const HeatmapImage heat = draw_field_layers(canvas, input, f);  // layers 1-3
    std::vector<EdgeExit> exits;
    const HoveredPoint hovered = draw_paths(canvas, input, front_run, interactive, exits);  // layer 4
    LegendRows glyph_legend;  // layer 5: overlays over the paths (the step glyphs), their key for the legend
    draw_overlays(overlay_context(canvas, input, f, &glyph_legend), input.overlays, OverlayLayer::OverPaths);
    // Layer 6: the minima and the start, over the paths.
    for (const auto& m : input.minima) draw_star(dl, canvas.map.to_screen(m.x(), m.y()), font * 0.6f, canvas.line);
    const ImVec2 start = canvas.map.to_screen(input.start.x(), input.start.y());
    dl->AddCircle(start, font * 0.45f, kOutline, 20, 4.0f * canvas.line);
    dl->AddCircle(start, font * 0.45f, kWhite, 20, 2.0f * canvas.line);
    // Layer 7: every run's current marker on top of everything drawn so far, and the edge arrows.
    draw_current_markers(canvas, input);
    redraw_covered_minima(canvas, input);
    for (std::size_t i = 0; i < input.runs.size(); ++i)
        if (exits[i].left && input.runs[i].visible)
            draw_edge_arrow(canvas, exits[i], input.runs[i], *input.runs[i].trajectory,
                            shown_row(*input.runs[i].trajectory, input.step), input.step, input, exits);
    dl->PopClipRect();
    dl->AddRect(f.pmin, f.pmax, kInk, 0.0f, 0, 1.0f);

    draw_axes_and_titles(dl, input, f, canvas.map);
    draw_colorbar(dl, heat, f, canvas.line);

    // The legend column: runs with their status, then the basin colours and the glyphs' key, then the
    // equations. Text wraps to the column; what does not fit below is cut with a note.
    for (const auto& [color, text] : input.overlay_legend)
        legend.push_back({LegendEntry::Kind::Patch, color, 0, -1, wrap_to_width(text, side_wrap), 0});
    for (const auto& [color, text] : glyph_legend)
        legend.push_back({LegendEntry::Kind::Patch, color, 0, -1, wrap_to_width(text, side_wrap), 0});
    const std::size_t first_equation = legend.size();
    const float equation_wrap = f.side_max().x - f.side_min().x - font * 0.6f;
    for (const auto& text : input.equations)
        legend.push_back({LegendEntry::Kind::Text, 0, 0, -1, wrap_to_width(text, equation_wrap), 0});
    draw_legend_column(dl, legend, first_equation, f.side_min(), f.side_max(), side_text_x, front_run, font, canvas.line);

    if (interactive) handle_plot_mouse(f, canvas.map, hovered, actions);
    ImGui::SetCursorScreenPos(f.origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
