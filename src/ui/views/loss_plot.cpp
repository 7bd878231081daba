#include "ui/views/loss_plot.h"
#include "ui/canvas/draw_style.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace optiviz::ui {

namespace {
}  // namespace

LossRange loss_plot_range(const LossPlotInput& input) {
    // Range of log10(loss − floor). The top is set by the runs that do not diverge (and every run's start),
    // so a diverging run cannot push the others down the plot: it is clipped at the top with a mark. The
    // bottom follows the lowest loss shown, at most 16 decades under the top.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo, diverging_hi = -lo;
    auto log_gap = [&](double f) { return std::log10(std::max(f - input.floor, 1e-300)); };
    for (const RunView& run : input.runs) {
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const Trajectory& t = *run.trajectory;
        const bool diverges = t.outcome == Outcome::Diverged;
        for (std::size_t k = 0; k < t.size(); ++k) {
            const double v = log_gap(t.loss[k]);
            if (v > -299) lo = std::min(lo, v);
            if (!diverges || k == 0) hi = std::max(hi, v);
            else diverging_hi = std::max(diverging_hi, v);
        }
    }
    if (!std::isfinite(hi)) hi = std::isfinite(diverging_hi) ? diverging_hi : 1;
    if (!std::isfinite(lo)) lo = hi - 1;
    hi = std::ceil(hi + 0.05);
    lo = std::max(std::floor(lo - 0.05), hi - 16.0);
    if (hi <= lo) hi = lo + 1;
    return {lo, hi};
}

namespace {

// The plot's rectangle and its mapping from (step, loss) to the screen: log10 of the gap to the
// floor, clamped to the range.
struct LossAxes {
    ImVec2 pmin, pmax;
    double lo = 0, hi = 1, steps = 1, floor = 0;
    double log_gap(double f) const { return std::log10(std::max(f - floor, 1e-300)); }
    ImVec2 to_screen(double step, double loss) const {
        const double v = std::clamp(log_gap(loss), lo, hi);
        // The range's bottom sits a little above the frame, so a curve clamped there stays visible.
        return ImVec2{static_cast<float>(pmin.x + step / steps * (pmax.x - pmin.x)),
                      static_cast<float>(pmax.y - (0.04 + 0.96 * (v - lo) / (hi - lo)) * (pmax.y - pmin.y))};
    }
};

// A discrete schedule's lr cuts get wedges: at least one and at most 24 (more is a continuous decay).
bool shows_lr_wedges(const Trajectory& t) {
    std::size_t reductions = 0;
    for (std::size_t k = 1; k < t.lr.size(); ++k) reductions += t.lr[k] < t.lr[k - 1] ? 1 : 0;
    return reductions >= 1 && reductions <= 24;
}

// The title, then legend entries flowing after the y-axis title and wrapping onto further rows.
// Returns the top of the last legend row (the plot starts below it); `legend_end`: where that row's
// last entry ends.
float draw_loss_header(Canvas* dl, const LossPlotInput& input, ImVec2 origin, float right, float font, bool interactive,
                       int& hovered_run, float& legend_end) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    float top = origin.y + font * 0.2f;
    if (!input.title.empty()) {
        const std::string title = wrap_to_width(input.title, right - origin.x - font * 0.5f);
        dl->AddText(ImGui::GetFont(), font, {origin.x + font * 0.5f, top}, kInk, title.c_str(), nullptr, 0.0f);
        top += ImGui::CalcTextSize(title.c_str()).y + font * 0.3f;
    }
    const char* title = input.floor == 0.0 ? "loss (log scale):" : "loss - best known loss (log scale):";
    dl->AddText({origin.x + font * 0.5f, top}, kInk, title);
    float legend_x = origin.x + font * 1.0f + ImGui::CalcTextSize(title).x;
    float legend_y = top;
    for (std::size_t r = 0; r < input.runs.size(); ++r) {
        const RunView& run = input.runs[r];
        if (!run.visible) continue;
        float w = text_width(run.label) + font * 2.4f;
        if (legend_x + w > right && legend_x > origin.x + font * 5.0f) {
            legend_x = origin.x + font * 0.5f;
            legend_y += font * 1.3f;
        }
        // A label longer than the whole row is cut, visibly.
        const std::string label = ellipsize(run.label, right - legend_x - font * 2.0f, text_width);
        w = text_width(label) + font * 2.4f;
        // The entry's row (swatch and label): hovering it brings the run forward; the front run's is shaded.
        const ImVec2 row_min{legend_x - font * 0.5f, legend_y - font * 0.1f}, row_max{legend_x + w, legend_y + font * 1.2f};
        if (interactive && mouse.x >= row_min.x && mouse.x < row_max.x && mouse.y >= row_min.y && mouse.y < row_max.y)
            hovered_run = static_cast<int>(r);
        if (static_cast<int>(r) == input.front_run) dl->AddRectFilled(row_min, row_max, IM_COL32(230, 230, 240, 255));
        draw_line_swatch(dl, legend_x - font * 0.5f, legend_y + font * 0.55f, font * 1.0f, run.color, run.dash);
        dl->AddText({legend_x + font * 2.0f, legend_y}, kInk, label.c_str());
        legend_x += w + font * 0.5f;
    }
    // The schedules' wedges say what they are, once.
    bool wedges = false;
    for (const RunView& run : input.runs) wedges = wedges || (run.visible && run.trajectory && shows_lr_wedges(*run.trajectory));
    if (wedges) {
        const char* key = "\u25BD: the lr is lowered";
        if (legend_x + text_width(key) > right && legend_x > origin.x + font * 5.0f) {
            legend_x = origin.x + font * 0.5f;
            legend_y += font * 1.3f;
        }
        dl->AddText({legend_x, legend_y}, kInk, key);
        legend_x += text_width(key) + font * 0.5f;
    }
    legend_end = legend_x;
    return legend_y;
}

// Decade grid lines with their labels, step ticks, and the axis title.
void draw_loss_grid(Canvas* dl, const LossAxes& a, ImVec2 origin, ImVec2 size, float font) {
    const int every = std::max(1, static_cast<int>(std::ceil((a.hi - a.lo) / std::max(1.0f, (a.pmax.y - a.pmin.y) / (font * 1.5f)))));
    for (int k = static_cast<int>(a.lo); k <= static_cast<int>(a.hi); k += every) {
        const float y = a.to_screen(0, a.floor + std::pow(10.0, k)).y;
        dl->AddLine({a.pmin.x, y}, {a.pmax.x, y}, IM_COL32(0, 0, 0, 30));
        char label[16];
        std::snprintf(label, sizeof label, "1e%d", k);
        const ImVec2 ts = ImGui::CalcTextSize(label);
        dl->AddText({a.pmin.x - ts.x - font * 0.3f, y - ts.y / 2}, kInk, label);
    }
    for (double s : nice_ticks(0, a.steps, static_cast<int>((a.pmax.x - a.pmin.x) / (font * 6)))) {
        const float x = a.to_screen(s, 1).x;
        dl->AddLine({x, a.pmax.y}, {x, a.pmax.y + font * 0.3f}, kInk);
        const std::string label = format_number(s, 6);
        // The last label stays inside the picture rather than centred past its edge.
        const float lx = std::clamp(x - text_width(label) / 2, origin.x, origin.x + size.x - text_width(label) - 1.0f);
        dl->AddText({lx, a.pmax.y + font * 0.35f}, kInk, label.c_str());
    }
    // Under the tick labels, not on them.
    dl->AddText({(a.pmin.x + a.pmax.x) / 2 - font, a.pmax.y + font * 1.55f}, kInk, "step");
}

// Each learning-rate reduction of a discrete schedule (plateau, step) is a small downward wedge on
// the curve at the step that first uses the lower rate. Continuous decay (exponential, cosine)
// lowers it every step: no wedges then, the legend says the rate now.
void draw_lr_wedges(Canvas* dl, const LossAxes& a, const RunView& run, float font) {
    const Trajectory& t = *run.trajectory;
    if (!shows_lr_wedges(t)) return;
    for (std::size_t k = 1; k < t.lr.size() && k < t.size(); ++k) {
        if (!(t.lr[k] < t.lr[k - 1])) continue;
        const ImVec2 p = a.to_screen(static_cast<double>(k), t.loss[k]);
        const float h = font * 0.45f;
        const ImVec2 w1{p.x - h * 0.6f, p.y - h * 1.6f}, w2{p.x + h * 0.6f, p.y - h * 1.6f}, w3{p.x, p.y - h * 0.4f};
        dl->AddTriangleFilled(w1, w2, w3, rgb(run.color));
        dl->AddTriangle(w1, w2, w3, kOutline);
    }
}

// Where a curve first leaves the top of the range (its row), or none.
std::optional<std::size_t> first_off_top(const LossAxes& a, const Trajectory& t) {
    for (std::size_t k = 0; k < t.size(); ++k)
        if (a.log_gap(t.loss[k]) > a.hi) return k;
    return std::nullopt;
}

// A curve that leaves the top: a triangle on the top edge where it first does (its note is drawn
// above the plot, off the curves: draw_off_top_notes).
void draw_off_the_top(Canvas* dl, const LossAxes& a, const RunView& run, float font) {
    const auto k = first_off_top(a, *run.trajectory);
    if (!k) return;
    const float h = font * 0.55f;
    // Whole inside the plot, also at step 0 and the last step.
    const float x = std::clamp(a.to_screen(static_cast<double>(*k), 1).x, a.pmin.x + h * 0.6f + 1.0f, a.pmax.x - h * 0.6f - 1.0f);
    const ImVec2 top{x, a.pmin.y}, left{x - h * 0.6f, a.pmin.y + h}, right{x + h * 0.6f, a.pmin.y + h};
    dl->AddTriangleFilled(top, left, right, rgb(run.color));
    dl->AddTriangle(top, left, right, kOutline);
}

// The notes of the curves that leave the top ("off the top at step 1, diverged at 3"), each after a
// small triangle in its run's colour and its label: after the legend's last entry when they all fit
// there, else left to right from above their triangles on rows of their own between the legend and
// the plot. No note covers a curve or another note.
struct OffTopNote {
    ImVec2 at;  // the triangle's left; the text follows it
    std::uint32_t color = 0;
    std::string text;
};

std::vector<OffTopNote> off_top_notes(const LossPlotInput& input, const LossAxes& a, float font, float legend_end, float& rows) {
    std::vector<std::pair<float, OffTopNote>> found;
    for (const RunView& run : input.runs) {
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const Trajectory& t = *run.trajectory;
        const auto k = first_off_top(a, t);
        if (!k) continue;
        std::string text = run.label + ": off the top at step " + std::to_string(*k);
        if (t.outcome == Outcome::Diverged) text += ", diverged at " + std::to_string(t.diverged_step);
        found.push_back({a.to_screen(static_cast<double>(*k), 1).x, {{}, run.color, text}});
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<OffTopNote> notes;
    float cursor = a.pmin.x, row = 0;
    for (auto& [x, note] : found) {
        const float w = font * 1.0f + text_width(note.text);
        float left = std::max(x - font * 0.4f, cursor);
        if (left + w > a.pmax.x) left = a.pmax.x - w;
        if (left < cursor && cursor > a.pmin.x) {  // no room left on this row: the next one
            row += 1;
            cursor = a.pmin.x;
            left = std::min(std::max(x - font * 0.4f, cursor), a.pmax.x - w);
        }
        note.at = {std::max(left, a.pmin.x - font * 3.5f), row};
        cursor = note.at.x + w + font * 0.8f;
        notes.push_back(std::move(note));
    }
    rows = notes.empty() ? 0.0f : row + 1;
    // All of them fit after the legend's last entry: they go there (row −1), and the plot keeps its height.
    float width = 0;
    for (const OffTopNote& note : notes) width += font * 1.8f + text_width(note.text);
    if (!notes.empty() && legend_end + font + width < a.pmax.x) {
        float x = legend_end + font;
        for (OffTopNote& note : notes) {
            note.at = {x, -1.0f};
            x += font * 1.8f + text_width(note.text);
        }
        rows = 0;
    }
    return notes;
}

// Draws the notes on their rows, the first row's top at `top`.
void draw_off_top_notes(Canvas* dl, const std::vector<OffTopNote>& notes, float top, float legend_y, float font) {
    for (const OffTopNote& note : notes) {
        const float y = note.at.y < 0 ? legend_y : top + note.at.y * font * 1.25f;
        const float h = font * 0.55f, cx = note.at.x + h * 0.6f;
        dl->AddTriangleFilled({cx, y + font * 0.2f}, {cx - h * 0.6f, y + font * 0.2f + h}, {cx + h * 0.6f, y + font * 0.2f + h},
                              rgb(note.color));
        dl->AddTriangle({cx, y + font * 0.2f}, {cx - h * 0.6f, y + font * 0.2f + h}, {cx + h * 0.6f, y + font * 0.2f + h}, kOutline);
        dl->AddText({note.at.x + font * 1.0f, y}, kInk, note.text.c_str());
    }
}

// A run's curve (one point per half pixel), its schedule's wedges and where it leaves the top.
void draw_loss_curve(Canvas* dl, const LossAxes& a, const RunView& run, float font, bool front) {
    const Trajectory& t = *run.trajectory;
    std::vector<ImVec2> points;
    float last_x = -1e9f;
    for (std::size_t k = 0; k < t.size(); ++k) {
        const ImVec2 p = a.to_screen(static_cast<double>(k), t.loss[k]);
        if (p.x - last_x < 0.5f && k + 1 != t.size()) continue;
        points.push_back(p);
        last_x = p.x;
    }
    if (points.size() >= 2) {
        // Light colours (the palette's yellow) get a dark edge on the paper; later runs are dashed.
        if (srgb_to_lab(run.color)[0] > 75.0)
            dl->AddPolyline(points.data(), static_cast<int>(points.size()), IM_COL32(0, 0, 0, 120), 0, 3.5f * line_scale(font));
        // Widths grow with the text (line_scale), so a 4K export is not drawn in hairlines.
        for (const auto& piece : dash_pieces(points, run.dash, font * 0.5f))
            if (piece.size() >= 2)
                dl->AddPolyline(piece.data(), static_cast<int>(piece.size()), rgb(run.color), 0, (front ? 3.5f : 2.0f) * line_scale(font));
    }
    draw_lr_wedges(dl, a, run, font);
    draw_off_the_top(dl, a, run, font);
}

// Where the runs' settings were tuned, when it is not the steps they show: past it, a tuned lr has
// proved nothing (a tuned Nesterov may diverge at step 9 of 2 000 after 500 good ones).
void draw_tuned_budget(Canvas* dl, const LossAxes& a, long tuned_steps, float font) {
    if (tuned_steps <= 0) return;
    const bool beyond = static_cast<double>(tuned_steps) > a.steps;
    const std::string text = "tuned on " + std::to_string(tuned_steps) + " steps" + (beyond ? " \u2192" : "");
    const float x = beyond ? a.pmax.x : a.to_screen(static_cast<double>(tuned_steps), 1).x;
    if (!beyond)
        for (const auto& piece : dash_pieces({{x, a.pmin.y}, {x, a.pmax.y}}, 1, font * 0.3f))
            if (piece.size() >= 2) dl->AddLine(piece.front(), piece.back(), kInk, 1.5f * line_scale(font));
    // The label on paper at the bottom, right of the line (left of it near the right edge).
    const float w = text_width(text);
    const float tx = x + font * 0.3f + w < a.pmax.x - font * 0.2f ? x + font * 0.3f : x - font * 0.3f - w;
    const ImVec2 at{std::max(tx, a.pmin.x + font * 0.2f), a.pmax.y - font * 1.4f};
    dl->AddRectFilled({at.x - font * 0.15f, at.y - font * 0.05f}, {at.x + w + font * 0.15f, at.y + font * 1.15f}, IM_COL32(250, 250, 250, 220));
    dl->AddText(at, kInk, text.c_str());
}

}  // namespace

LossPlotActions draw_loss_plot(const LossPlotInput& input, ImVec2 size, bool interactive) {
    WindowCanvas dl;  // the window, or the vector export's canvas
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    dl->AddRectFilled(origin, {origin.x + size.x, origin.y + size.y}, IM_COL32(250, 250, 250, 255));
    LossPlotActions actions;
    float legend_end = 0;
    const float legend_y =
        draw_loss_header(dl, input, origin, origin.x + size.x - font * 0.5f, font, interactive, actions.hovered_run, legend_end);
    LossAxes a;
    a.pmin = {origin.x + font * 4.0f, legend_y + font * 1.6f};
    a.pmax = {origin.x + size.x - font * 1.0f, origin.y + size.y - font * 2.8f};
    const LossRange range = loss_plot_range(input);
    a.lo = range.lo;
    a.hi = range.hi;
    a.floor = input.floor;
    a.steps = std::max<double>(static_cast<double>(input.steps), 1.0);
    // The curves that leave the top say so on rows of their own above the plot (x does not depend on them).
    float note_rows = 0;
    const std::vector<OffTopNote> notes = off_top_notes(input, a, font, legend_end, note_rows);
    const float notes_top = a.pmin.y - font * 0.3f;
    a.pmin.y += note_rows * font * 1.25f;
    if (a.pmax.x <= a.pmin.x + 10 || a.pmax.y <= a.pmin.y + 10) {
        ImGui::Dummy(size);
        return actions;
    }
    draw_off_top_notes(dl, notes, notes_top, legend_y, font);
    draw_loss_grid(dl, a, origin, size, font);

    dl->PushClipRect(a.pmin, a.pmax, true);
    // Longer curves first: a run that stopped earlier stays visible on top of one that shares its start.
    std::vector<const RunView*> order;
    for (const RunView& run : input.runs) order.push_back(&run);
    // A curve that follows another's path (dashed) goes over it too.
    std::stable_sort(order.begin(), order.end(), [](const RunView* x, const RunView* y) {
        if (x->shared_note.empty() != y->shared_note.empty()) return y->shared_note.size() > 0;
        return (x->trajectory ? x->trajectory->size() : 0) > (y->trajectory ? y->trajectory->size() : 0);
    });
    // The run brought forward goes over every other.
    const RunView* front = input.front_run >= 0 && static_cast<std::size_t>(input.front_run) < input.runs.size()
                               ? &input.runs[static_cast<std::size_t>(input.front_run)]
                               : nullptr;
    if (front) {
        order.erase(std::remove(order.begin(), order.end(), front), order.end());
        order.push_back(front);
    }
    for (const RunView* run : order)
        if (run->visible && run->trajectory && run->trajectory->size() > 0)
            draw_loss_curve(dl, a, *run, font, run == front);
    const float cursor_x = a.to_screen(static_cast<double>(std::max(input.step, 0L)), 1).x;
    dl->AddLine({cursor_x, a.pmin.y}, {cursor_x, a.pmax.y}, IM_COL32(200, 30, 30, 220), 1.5f * line_scale(font));
    draw_tuned_budget(dl, a, input.tuned_steps, font);
    dl->PopClipRect();
    dl->AddRect(a.pmin, a.pmax, kInk);

    if (interactive) {
        ImGui::SetCursorScreenPos(a.pmin);
        ImGui::InvisibleButton("##lossplot", {a.pmax.x - a.pmin.x, a.pmax.y - a.pmin.y});
        if (ImGui::IsItemActive()) {
            const double frac = (ImGui::GetIO().MousePos.x - a.pmin.x) / (a.pmax.x - a.pmin.x);
            actions.clicked_step = std::clamp(static_cast<long>(std::lround(frac * a.steps)), 0L, input.steps);
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
