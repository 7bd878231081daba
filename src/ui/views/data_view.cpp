#include "ui/views/data_view.h"
#include "ui/canvas/draw_style.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace optiviz::ui {

namespace {

// Clips the line y = a·x + c to the rectangle and returns its end points, if it crosses it.
bool clip_line(double a, double c, const ViewRect& r, Eigen::Vector2d& p, Eigen::Vector2d& q) {
    std::vector<Eigen::Vector2d> hits;
    for (double x : {r.x_min, r.x_max}) {
        const double y = a * x + c;
        if (y >= r.y_min && y <= r.y_max) hits.emplace_back(x, y);
    }
    if (a != 0) {
        for (double y : {r.y_min, r.y_max}) {
            const double x = (y - c) / a;
            if (x > r.x_min && x < r.x_max) hits.emplace_back(x, y);
        }
    }
    if (hits.size() < 2 || !std::isfinite(a) || !std::isfinite(c)) return false;
    p = hits[0];
    q = hits[1];
    return true;
}

}  // namespace

Eigen::Vector2d to_data_units(const Eigen::Vector2d& wb, bool standardized, const Standardization& s) {
    if (!standardized) return wb;
    return {wb.x() / s.sd, wb.y() - wb.x() * s.mean / s.sd};
}

ViewRect data_bounds(const Dataset& d) {
    if (d.size() == 0) return {};
    const auto [x_lo, x_hi] = std::minmax_element(d.x.begin(), d.x.end());
    const auto [y_lo, y_hi] = std::minmax_element(d.y.begin(), d.y.end());
    return {*x_lo, *x_hi, *y_lo, *y_hi};
}

ViewRect data_view_rect(const ViewRect& bounds, bool classification) {
    ViewRect r = bounds;
    const double mx = std::max((r.x_max - r.x_min) * 0.08, 1e-9), my = std::max((r.y_max - r.y_min) * 0.12, 1e-9);
    r = {r.x_min - mx, r.x_max + mx, r.y_min - my, r.y_max + my};
    if (classification) r.y_min = -0.1, r.y_max = 1.1;
    return r;
}

namespace {

// The plot's rectangle and its mapping from data units to the screen.
struct DataFrame {
    ImVec2 pmin, pmax;
    ViewRect r;
    ImVec2 to_screen(double x, double y) const {
        return ImVec2{static_cast<float>(pmin.x + (x - r.x_min) / (r.x_max - r.x_min) * (pmax.x - pmin.x)),
                      static_cast<float>(pmax.y - (y - r.y_min) / (r.y_max - r.y_min) * (pmax.y - pmin.y))};
    }
};

// Grid lines, tick labels and the axes' names (the y axis's name above the tick labels).
void draw_data_axes(Canvas* dl, const DataViewInput& input, const DataFrame& f, ImVec2 origin, ImVec2 size, float font) {
    const ImVec2 pmin = f.pmin, pmax = f.pmax;
    for (double x : nice_ticks(f.r.x_min, f.r.x_max, static_cast<int>((pmax.x - pmin.x) / (font * 5)))) {
        const float sx = f.to_screen(x, 0).x;
        dl->AddLine({sx, pmin.y}, {sx, pmax.y}, IM_COL32(0, 0, 0, 20));
        const std::string label = format_number(x);
        dl->AddText({sx - ImGui::CalcTextSize(label.c_str()).x / 2, pmax.y + font * 0.3f}, kInk, label.c_str());
    }
    for (double y : nice_ticks(f.r.y_min, f.r.y_max, static_cast<int>((pmax.y - pmin.y) / (font * 3)))) {
        const float sy = f.to_screen(0, y).y;
        dl->AddLine({pmin.x, sy}, {pmax.x, sy}, IM_COL32(0, 0, 0, 20));
        const std::string label = format_number(y);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({pmin.x - ts.x - font * 0.3f, sy - ts.y / 2}, kInk, label.c_str());
    }
    dl->PushClipRect(origin, {origin.x + size.x, origin.y + size.y}, true);
    dl->AddText({(pmin.x + pmax.x - ImGui::CalcTextSize(input.x_label.c_str()).x) / 2, pmax.y + font * 1.3f}, kInk,
                input.x_label.c_str());
    dl->AddText({origin.x + font * 0.5f, pmin.y - font * 1.25f}, kInk, input.y_label.c_str());
    dl->PopClipRect();
}

// The data points. A million rows cannot all be drawn each frame: an even subsample of at most 4000
// shows the cloud's shape (the fit still uses every row). In the window they come as one picture
// made once (points_image); pictures draw the circles.
void draw_data_points(Canvas* dl, const DataViewInput& input, const DataFrame& f, float font) {
    const Dataset& d = *input.data;
    const PointsImageRequest points{f.r, static_cast<int>(f.pmax.x - f.pmin.x), static_cast<int>(f.pmax.y - f.pmin.y),
                                    point_radius(font)};
    const ImTextureID image = input.points_image && points.width > 0 && points.height > 0 ? input.points_image(points) : nullptr;
    if (image) {
        dl->AddImage(image, f.pmin, {f.pmin.x + static_cast<float>(points.width), f.pmin.y + static_cast<float>(points.height)});
        return;
    }
    const std::size_t stride = std::max<std::size_t>(1, d.size() / 4000);
    for (std::size_t i = 0; i < d.size(); i += stride) {
        const ImVec2 c = f.to_screen(d.x[i], d.y[i]);
        dl->AddCircleFilled(c, points.radius, IM_COL32(60, 60, 70, 230), 12);
        dl->AddCircle(c, points.radius, IM_COL32(255, 255, 255, 230), 12, 1.0f);
    }
}

// The least-squares line, dashed black: the answer every run should reach.
void draw_least_squares(Canvas* dl, const DataViewInput& input, const DataFrame& f, float font) {
    const Eigen::Vector2d ls = to_data_units(*input.least_squares, input.standardized, input.standardization);
    Eigen::Vector2d p, q;
    if (!clip_line(ls.x(), ls.y(), f.r, p, q)) return;
    const ImVec2 a = f.to_screen(p.x(), p.y()), b = f.to_screen(q.x(), q.y());
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    const int dashes = std::max(1, static_cast<int>(length / (font * 0.8f)));
    for (int k = 0; k < dashes; k += 2) {
        const float f0 = static_cast<float>(k) / dashes, f1 = static_cast<float>(k + 1) / dashes;
        dl->AddLine({a.x + (b.x - a.x) * f0, a.y + (b.y - a.y) * f0}, {a.x + (b.x - a.x) * f1, a.y + (b.y - a.y) * f1}, kInk, 2.0f);
    }
}

// One run's model at the shown step: the predicted probability σ(w·x + b) and its decision boundary
// (where it is ½) for classification, else its line.
void draw_run_fit(Canvas* dl, const DataViewInput& input, const DataFrame& f, const RunView& run, const Eigen::Vector2d& line,
                  float ls) {
    if (input.classification) {
        std::vector<ImVec2> curve;
        for (int k = 0; k <= 200; ++k) {
            const double x = f.r.x_min + (f.r.x_max - f.r.x_min) * k / 200.0;
            curve.push_back(f.to_screen(x, 1.0 / (1.0 + std::exp(-(line.x() * x + line.y())))));
        }
        dl->AddPolyline(curve.data(), static_cast<int>(curve.size()), IM_COL32(0, 0, 0, 200), 0, 5.0f * ls);
        dl->AddPolyline(curve.data(), static_cast<int>(curve.size()), rgb(run.color), 0, 3.0f * ls);
        if (line.x() == 0) return;
        const double boundary = -line.y() / line.x();
        if (boundary > f.r.x_min && boundary < f.r.x_max) {
            const float sx = f.to_screen(boundary, 0).x;
            dl->AddLine({sx, f.pmin.y}, {sx, f.pmax.y}, rgb(run.color, 220), 2.0f * ls);
        }
        return;
    }
    Eigen::Vector2d p, q;
    if (!clip_line(line.x(), line.y(), f.r, p, q)) return;
    dl->AddLine(f.to_screen(p.x(), p.y()), f.to_screen(q.x(), q.y()), IM_COL32(0, 0, 0, 200), 5.0f * ls);
    dl->AddLine(f.to_screen(p.x(), p.y()), f.to_screen(q.x(), q.y()), rgb(run.color), 3.0f * ls);
}

// A fitted line over one drawn before it (`share` of `sharers` on that line, from 1): the line is cut
// into periods of `sharers` dashes and this run draws only its own dash of each, so the first run
// shows in dash 0 and every later one in its own phase.
void draw_shared_fit(Canvas* dl, const DataFrame& f, const RunView& run, const Eigen::Vector2d& line, int share, int sharers,
                     float font) {
    Eigen::Vector2d p, q;
    if (!clip_line(line.x(), line.y(), f.r, p, q)) return;
    const ImVec2 a = f.to_screen(p.x(), p.y()), b = f.to_screen(q.x(), q.y());
    const float dash = font * 0.9f, length = std::hypot(b.x - a.x, b.y - a.y);
    for (float s = dash * static_cast<float>(share); s < length; s += dash * static_cast<float>(sharers)) {
        const float s0 = s / length, s1 = std::min(s + dash, length) / length;
        dl->AddLine({a.x + (b.x - a.x) * s0, a.y + (b.y - a.y) * s0}, {a.x + (b.x - a.x) * s1, a.y + (b.y - a.y) * s1},
                    rgb(run.color), 3.0f * line_scale(font));
    }
}

// Which fitted lines lie on one drawn earlier at the shown step (closer than its dark edge is wide at
// both edges of the plot, so the later one would cover it): `share` is the run's place among the runs on that line (0: the first, drawn
// whole), `sharers` how many there are, `with` the first one's index.
struct FitShare {
    int share = 0, sharers = 1, with = -1;
};

template <class LineOf>
std::vector<FitShare> shared_fits(const DataViewInput& input, const DataFrame& f, const LineOf& line_of, float tolerance) {
    std::vector<FitShare> shares(input.runs.size());
    if (input.classification) return shares;
    std::vector<std::optional<std::pair<float, float>>> ends(input.runs.size());  // screen y at the plot's left and right
    for (std::size_t i = 0; i < input.runs.size(); ++i) {
        if (!input.runs[i].visible) continue;
        if (const auto line = line_of(input.runs[i]); line && std::isfinite(line->x()) && std::isfinite(line->y()))
            ends[i] = {f.to_screen(f.r.x_min, line->x() * f.r.x_min + line->y()).y,
                       f.to_screen(f.r.x_max, line->x() * f.r.x_max + line->y()).y};
    }
    for (std::size_t i = 0; i < ends.size(); ++i) {
        if (!ends[i] || shares[i].with >= 0) continue;
        std::vector<std::size_t> group{i};
        for (std::size_t j = i + 1; j < ends.size(); ++j)
            if (ends[j] && shares[j].with < 0 && std::abs(ends[j]->first - ends[i]->first) < tolerance &&
                std::abs(ends[j]->second - ends[i]->second) < tolerance)
                group.push_back(j);
        if (group.size() < 2) continue;
        for (std::size_t k = 0; k < group.size(); ++k)
            shares[group[k]] = {static_cast<int>(k), static_cast<int>(group.size()), static_cast<int>(i)};
    }
    return shares;
}

// What the line styles mean, and which fitted lines coincide: "dashed: least squares", "runs 2 and 3
// on run 1's line (alternating dashes)", one a line.
std::string data_notes(const DataViewInput& input, const std::vector<FitShare>& shares) {
    std::string note = input.classification ? "curves: P(y = 1); vertical lines: decision boundaries" : "dashed: least squares";
    // One line per group: "run 3 on run 2's line" or "runs 2, 3 and 4 on run 1's line".
    for (std::size_t first = 0; first < shares.size(); ++first) {
        std::vector<std::size_t> on;
        for (std::size_t i = 0; i < shares.size(); ++i)
            if (shares[i].share > 0 && shares[i].with == static_cast<int>(first)) on.push_back(i + 1);
        if (on.empty()) continue;
        std::string runs = on.size() == 1 ? "run " : "runs ";
        for (std::size_t k = 0; k < on.size(); ++k)
            runs += (k == 0 ? "" : k + 1 == on.size() ? " and " : ", ") + std::to_string(on[k]);
        note += "\n" + runs + " on run " + std::to_string(first + 1) + "'s line (alternating dashes)";
    }
    return note;
}

}  // namespace

void draw_data_view(const DataViewInput& input, ImVec2 size) {
    WindowCanvas dl;  // the window, or the vector export's canvas
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    dl->AddRectFilled(origin, {origin.x + size.x, origin.y + size.y}, IM_COL32(250, 250, 250, 255));
    if (!input.data || input.data->size() == 0) {
        ImGui::Dummy(size);
        return;
    }
    const Dataset& d = *input.data;
    const auto title_lines = static_cast<float>(std::count(input.title.begin(), input.title.end(), '\n'));
    DataFrame f;
    f.r = data_view_rect(input.bounds ? *input.bounds : data_bounds(d), input.classification);
    f.pmin = {origin.x + font * 3.8f, origin.y + font * (3.4f + 1.2f * title_lines)};
    f.pmax = {origin.x + size.x - font * 1.0f, origin.y + size.y - font * 2.6f};
    auto line_of = [&](const RunView& run) -> std::optional<Eigen::Vector2d> {
        if (!run.trajectory || run.trajectory->size() == 0) return std::nullopt;
        const Trajectory& t = *run.trajectory;
        const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), t.size() - 1);
        return to_data_units({t.x[k], t.y[k]}, input.standardized, input.standardization);
    };
    // Coinciding lines are found at the plot's width (the notes' rows do not change it).
    const std::vector<FitShare> shares = shared_fits(input, f, line_of, 4.0f * line_scale(font));
    const std::string notes = wrap_to_width(data_notes(input, shares), f.pmax.x - f.pmin.x);
    // The notes end on the y axis's row, right-aligned, above the plot (never on the data); a second
    // and later line moves the plot down.
    f.pmin.y += (line_count(notes) - 1.0f) * ImGui::GetTextLineHeight();
    dl->AddText({origin.x + font * 0.5f, origin.y + font * 0.4f}, kInk, input.title.c_str());
    dl->AddRectFilled(f.pmin, f.pmax, IM_COL32(255, 255, 255, 255));
    draw_data_axes(dl, input, f, origin, size, font);
    const ImVec2 notes_size = ImGui::CalcTextSize(notes.c_str());
    dl->AddText({f.pmax.x - notes_size.x, f.pmin.y - font * 1.25f - (line_count(notes) - 1.0f) * ImGui::GetTextLineHeight()}, kInk,
                notes.c_str());

    dl->PushClipRect(f.pmin, f.pmax, true);
    // The points first: however many rows there are, the residuals and the fitted lines stay on top.
    draw_data_points(dl, input, f, font);
    // Residuals of one run: vertical segments from each point to its line.
    if (!input.classification && input.residuals_of >= 0 && static_cast<std::size_t>(input.residuals_of) < input.runs.size()) {
        const RunView& run = input.runs[static_cast<std::size_t>(input.residuals_of)];
        if (const auto line = line_of(run))
            for (std::size_t i = 0; i < d.size(); i += std::max<std::size_t>(1, d.size() / 4000))
                dl->AddLine(f.to_screen(d.x[i], d.y[i]), f.to_screen(d.x[i], line->x() * d.x[i] + line->y()), rgb(run.color, 200),
                            1.5f);
    }
    if (input.least_squares && !input.classification) draw_least_squares(dl, input, f, font);
    // The run brought forward (its legend row hovered) is drawn last and whole.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < input.runs.size(); ++i)
        if (static_cast<int>(i) != input.front_run) order.push_back(i);
    if (input.front_run >= 0 && static_cast<std::size_t>(input.front_run) < input.runs.size())
        order.push_back(static_cast<std::size_t>(input.front_run));
    for (const std::size_t i : order) {
        const RunView& run = input.runs[i];
        const auto line = run.visible ? line_of(run) : std::nullopt;
        if (!line) continue;
        if (shares[i].share > 0 && static_cast<int>(i) != input.front_run)
            draw_shared_fit(dl, f, run, *line, shares[i].share, shares[i].sharers, font);
        else
            draw_run_fit(dl, input, f, run, *line, line_scale(font));
    }
    dl->PopClipRect();
    dl->AddRect(f.pmin, f.pmax, kInk);
    ImGui::Dummy(size);
}

}  // namespace optiviz::ui
