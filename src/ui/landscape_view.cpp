#include "ui/landscape_view.h"
#include "ui/draw_style.h"
#include "ui/overlay.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace optiviz::ui {

namespace {

using Mapping = PlotMapping;

void draw_marker_cross(ImDrawList* dl, ImVec2 c, float r, ImU32 color) {
    dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, kOutline, 4.0f);
    dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, kOutline, 4.0f);
    dl->AddLine({c.x - r, c.y - r}, {c.x + r, c.y + r}, color, 2.0f);
    dl->AddLine({c.x - r, c.y + r}, {c.x + r, c.y - r}, color, 2.0f);
}

void draw_star(ImDrawList* dl, ImVec2 c, float r) {
    ImVec2 points[10];
    for (int i = 0; i < 10; ++i) {
        const float radius = (i % 2 == 0) ? r : r * 0.45f;
        const float angle = -1.5707963f + static_cast<float>(i) * 0.6283185f;
        points[i] = {c.x + radius * std::cos(angle), c.y + radius * std::sin(angle)};
    }
    // A star is convex as seen from its centre: fill it as a fan of triangles around the centre.
    for (int i = 0; i < 10; ++i) dl->AddTriangleFilled(c, points[i], points[(i + 1) % 10], IM_COL32(255, 255, 255, 255));
    dl->AddPolyline(points, 10, kInk, ImDrawFlags_Closed, 1.5f);
}

// Screen-space polyline of a trajectory's rows 0..last, skipping points closer than 1.5 pixels (less than the
// line width, so nothing visible is lost).
std::vector<ImVec2> path_points(const Trajectory& t, std::size_t last, const Mapping& m) {
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

std::string status_text(const Trajectory& t, long step) {
    char buffer[96];
    if (t.outcome == Outcome::Diverged && step >= t.diverged_step) {
        std::snprintf(buffer, sizeof buffer, "diverged at step %ld", t.diverged_step);
    } else if (t.converged_step >= 0 && step >= t.converged_step) {
        std::snprintf(buffer, sizeof buffer, "converged at step %ld", t.converged_step);
    } else {
        const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(step, 0L)), t.size() - 1);
        std::snprintf(buffer, sizeof buffer, "running, loss %.3g", t.loss[k]);
    }
    return buffer;
}

}  // namespace

// Draws a path as polylines split at sharp turns: ImGui mitres polyline joints without a limit,
// which would turn the reversals of a zig-zagging optimizer into long spikes. Whole-pixel widths
// keep ImGui on its textured anti-aliasing path (a quarter of the vertices of the fallback).
void draw_path(ImDrawList* dl, const std::vector<ImVec2>& points, ImU32 color, float thickness) {
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

std::vector<double> nice_ticks(double lo, double hi, int target) {
    std::vector<double> ticks;
    if (!(hi > lo) || !std::isfinite(hi - lo)) return ticks;
    const double raw = (hi - lo) / std::max(target, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
        ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return ticks;
}

LandscapeLayout landscape_layout(ImVec2 size, float font_size, bool with_caption) {
    LandscapeLayout layout;
    const float left = font_size * 4.0f, right = font_size * 6.5f, bottom = font_size * 2.6f;
    const float top = font_size * (with_caption ? 3.4f : 2.2f);
    layout.plot_min = {left, top};
    layout.plot_max = {std::max(left + 10.0f, size.x - right), std::max(top + 10.0f, size.y - bottom)};
    layout.colorbar_min = {layout.plot_max.x + font_size * 0.8f, layout.plot_min.y};
    layout.colorbar_max = {layout.plot_max.x + font_size * 1.8f, layout.plot_max.y};
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

LandscapeActions draw_landscape(const LandscapeInput& input, ImVec2 size, bool interactive) {
    LandscapeActions actions;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float font = ImGui::GetFontSize();
    const LandscapeLayout layout = landscape_layout(size, font, !input.caption.empty());
    const ImVec2 pmin{origin.x + layout.plot_min.x, origin.y + layout.plot_min.y};
    const ImVec2 pmax{origin.x + layout.plot_max.x, origin.y + layout.plot_max.y};
    const ViewRect view = fit_view(input.view, pmax.x - pmin.x, pmax.y - pmin.y);
    const Mapping map{view, pmin, pmax};
    actions.plot_min = pmin;
    actions.plot_max = pmax;
    actions.shown_view = view;

    // Paper around the plot only: under the heatmap it would cost a full layer of fill per frame
    // on a software rasterizer.
    const ImVec2 end{origin.x + size.x, origin.y + size.y};
    dl->AddRectFilled(origin, {end.x, pmin.y}, kPaper);
    dl->AddRectFilled({origin.x, pmax.y}, end, kPaper);
    dl->AddRectFilled({origin.x, pmin.y}, {pmin.x, pmax.y}, kPaper);
    dl->AddRectFilled({pmax.x, pmin.y}, {end.x, pmax.y}, kPaper);

    // Heatmap.
    HeatmapImage heat;
    if (input.heatmap) {
        heat = input.heatmap({view, static_cast<int>(pmax.x - pmin.x), static_cast<int>(pmax.y - pmin.y)});
        // The framebuffer's first row is the bottom one (GL), so flip v.
        if (heat.texture) dl->AddImage(heat.texture, pmin, pmax, {0, 1}, {1, 0});
    }
    dl->PushClipRect(pmin, pmax, true);
    if (input.overlay) {
        const ImVec2 a = map.to_screen(input.overlay_view.x_min, input.overlay_view.y_max);
        const ImVec2 b = map.to_screen(input.overlay_view.x_max, input.overlay_view.y_min);
        dl->AddImage(input.overlay, a, b, {0, 1}, {1, 0});
    }

    // Overlay modules (the gradient field, ...): over the heatmap, under everything else.
    OverlayContext overlay_context;
    overlay_context.draw_list = dl;
    overlay_context.plot_min = pmin;
    overlay_context.plot_max = pmax;
    overlay_context.map = map;
    overlay_context.input = &input;
    overlay_context.font_size = font;
    overlay_context.line_scale = std::max(1.0f, font / 16.0f);
    draw_overlays(overlay_context, input.overlays);

    // Minima, start, paths, current points.
    for (const auto& m : input.minima) draw_star(dl, map.to_screen(m.x(), m.y()), font * 0.6f);
    const ImVec2 start = map.to_screen(input.start.x(), input.start.y());
    dl->AddCircle(start, font * 0.45f, kOutline, 20, 4.0f);
    dl->AddCircle(start, font * 0.45f, IM_COL32(255, 255, 255, 255), 20, 2.0f);

    std::optional<std::pair<const RunView*, std::size_t>> hovered;
    float hovered_distance = 8.0f;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool mouse_in_plot = mouse.x >= pmin.x && mouse.x <= pmax.x && mouse.y >= pmin.y && mouse.y <= pmax.y;
    // Particle clouds first, faint and thin, so the runs' own paths stay on top.
    for (const RunView& run : input.runs) {
        if (!run.visible || !run.cloud) continue;
        for (const Trajectory& particle : *run.cloud) {
            if (particle.size() == 0) continue;
            const std::size_t last = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), particle.size() - 1);
            const auto points = path_points(particle, last, map);
            if (points.size() >= 2)
                dl->AddPolyline(points.data(), static_cast<int>(points.size()), rgb(run.color, 150), ImDrawFlags_None, 1.0f);
            dl->AddCircleFilled(map.to_screen(particle.x[last], particle.y[last]), font * 0.18f, rgb(run.color, 200), 8);
        }
    }
    for (const RunView& run : input.runs) {
        if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
        const Trajectory& t = *run.trajectory;
        const std::size_t last = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), t.size() - 1);
        const auto points = path_points(t, last, map);
        draw_path(dl, points, kOutline, 5.0f);
        draw_path(dl, points, rgb(run.color), 3.0f);
        const ImVec2 head = map.to_screen(t.x[last], t.y[last]);
        const bool diverged_here = t.outcome == Outcome::Diverged && last + 1 == t.size() &&
                                   input.step >= t.diverged_step;
        if (diverged_here) {
            draw_marker_cross(dl, head, font * 0.45f, rgb(run.color));
        } else {
            dl->AddCircleFilled(head, font * 0.42f, kOutline, 20);
            dl->AddCircleFilled(head, font * 0.32f, rgb(run.color), 20);
        }
        if (interactive && mouse_in_plot) {
            for (std::size_t k = 0; k <= last; ++k) {
                const ImVec2 p = map.to_screen(t.x[k], t.y[k]);
                const float d = std::hypot(p.x - mouse.x, p.y - mouse.y);
                if (d < hovered_distance) {
                    hovered_distance = d;
                    hovered = {{&run, k}};
                }
            }
        }
    }
    // Step glyphs of one run at the current step (its trajectory must carry the optimizer's state).
    std::vector<std::pair<std::uint32_t, std::string>> glyph_legend;
    if (input.glyph_run >= 0 && static_cast<std::size_t>(input.glyph_run) < input.runs.size()) {
        const RunView& run = input.runs[static_cast<std::size_t>(input.glyph_run)];
        const Trajectory* t = run.trajectory;
        // At the last row there is no step after it: show the last step taken.
        const std::size_t rows = t ? t->size() : 0;
        const std::size_t k = std::min(static_cast<std::size_t>(std::max(input.step, 0L)), rows >= 2 ? rows - 2 : 0);
        if (run.visible && t && k + 1 < t->size() && k < t->rate_x.size()) {
            if (input.glyph_trail) {
                // Along the path: short −∇f (red) and −momentum (violet) directions at about 24 points.
                const std::size_t stride = std::max<std::size_t>(1, k / 24);
                const float len = font * 1.4f;
                for (std::size_t j = 0; j < k; j += stride) {
                    const ImVec2 p = map.to_screen(t->x[j], t->y[j]);
                    const double g = std::hypot(t->gx[j], t->gy[j]);
                    if (g > 0)
                        dl->AddLine(p, {p.x - static_cast<float>(t->gx[j] / g) * len, p.y + static_cast<float>(t->gy[j] / g) * len},
                                    IM_COL32(255, 64, 64, 230), 2.0f);
                    if (!t->state_names.empty() && (t->state_names[0] == "momentum_buffer" || t->state_names[0] == "exp_avg") &&
                        j < t->rate_x.size()) {
                        const double mx = t->state_at(j, 0, 0), my = t->state_at(j, 0, 1), m = std::hypot(mx, my);
                        if (m > 0)
                            dl->AddLine(p, {p.x - static_cast<float>(mx / m) * len, p.y + static_cast<float>(my / m) * len},
                                        IM_COL32(170, 90, 255, 230), 2.0f);
                    }
                }
            }
            const ImVec2 at = map.to_screen(t->x[k], t->y[k]);
            const ImVec2 unit_x = map.to_screen(t->x[k] + 1.0, t->y[k]);
            const double pixels_per_unit = unit_x.x - at.x;
            auto arrow = [&](double dx, double dy, double scale, ImU32 color) {  // dx, dy in data units
                const ImVec2 tip{static_cast<float>(at.x + dx * scale * pixels_per_unit),
                                 static_cast<float>(at.y - dy * scale * pixels_per_unit)};
                const float len = std::hypot(tip.x - at.x, tip.y - at.y);
                if (!(len > 1.0f)) return;
                const ImVec2 d{(tip.x - at.x) / len, (tip.y - at.y) / len};
                dl->AddLine(at, tip, kOutline, 5.0f);
                dl->AddLine(at, tip, color, 3.0f);
                const float h = font * 0.55f;
                dl->AddTriangleFilled(tip, {tip.x - d.x * h - d.y * h * 0.5f, tip.y - d.y * h + d.x * h * 0.5f},
                                      {tip.x - d.x * h + d.y * h * 0.5f, tip.y - d.y * h - d.x * h * 0.5f}, color);
            };
            const double direction_pixels = font * 3.5;
            const double gx = t->gx[k], gy = t->gy[k], gnorm = std::hypot(gx, gy);
            // The step taken, at true scale unless it is too small to see.
            const double sx = t->x[k + 1] - t->x[k], sy = t->y[k + 1] - t->y[k];
            const double step_pixels = std::hypot(sx, sy) * pixels_per_unit;
            const double magnify = step_pixels > 0 && step_pixels < font ? font * 2.0 / step_pixels : 1.0;
            // Effective per-coordinate step sizes: rate × |g| along each axis, as a box.
            // The box shares the step's magnification, but never grows past a few text heights
            // (a steep valley can make one side thousands of times the other).
            const double raw_x = t->rate_x[k] * std::abs(gx) * pixels_per_unit;
            const double raw_y = t->rate_y[k] * std::abs(gy) * pixels_per_unit;
            const double box_scale = std::min(magnify, font * 4.0 / std::max({raw_x, raw_y, 1e-300}));
            const double bx = raw_x * box_scale, by = raw_y * box_scale;
            if (std::isfinite(bx) && std::isfinite(by) && bx < 4000 && by < 4000) {
                const ImVec2 b0{static_cast<float>(at.x - bx), static_cast<float>(at.y - by)};
                const ImVec2 b1{static_cast<float>(at.x + bx), static_cast<float>(at.y + by)};
                dl->AddRect(b0, b1, kOutline, 0, 0, 4.0f);
                dl->AddRect(b0, b1, IM_COL32(0, 229, 255, 255), 0, 0, 2.0f);
            }
            if (gnorm > 0) arrow(-gx / gnorm, -gy / gnorm, direction_pixels / pixels_per_unit, IM_COL32(255, 64, 64, 255));
            if (!t->state_names.empty() && (t->state_names[0] == "momentum_buffer" || t->state_names[0] == "exp_avg")) {
                const double mx = t->state_at(k, 0, 0), my = t->state_at(k, 0, 1), mnorm = std::hypot(mx, my);
                if (mnorm > 0) arrow(-mx / mnorm, -my / mnorm, direction_pixels / pixels_per_unit, IM_COL32(170, 90, 255, 255));
            }
            arrow(sx, sy, magnify, IM_COL32(255, 255, 255, 255));
            char text[160];
            std::snprintf(text, sizeof text, "%s at step %zu: -grad f (direction, |g| = %.3g)", run.label.c_str(), k, gnorm);
            glyph_legend.push_back({0xFF4040, text});
            if (!t->state_names.empty() && (t->state_names[0] == "momentum_buffer" || t->state_names[0] == "exp_avg")) {
                std::snprintf(text, sizeof text, "-%s (direction)", std::string(t->state_names[0]).c_str());
                glyph_legend.push_back({0xAA5AFF, text});
            }
            if (magnify > 1.0) std::snprintf(text, sizeof text, "step taken (drawn x%.0f)", magnify);
            else std::snprintf(text, sizeof text, "step taken");
            glyph_legend.push_back({0xFFFFFF, text});
            std::snprintf(text, sizeof text, "per-coordinate steps lr_eff*|g| = (%.3g, %.3g)%s", t->rate_x[k] * std::abs(gx),
                          t->rate_y[k] * std::abs(gy), box_scale != 1.0 ? " (box not to scale)" : "");
            glyph_legend.push_back({0x00E5FF, text});
        }
    }

    // The equations box: the rule and this step's numbers, bottom left inside the plot.
    if (!input.equations.empty()) {
        float width = 0;
        for (const auto& line : input.equations) width = std::max(width, ImGui::CalcTextSize(line.c_str()).x);
        const float line_height = font * 1.2f;
        const ImVec2 bmin{pmin.x + font * 0.6f, pmax.y - font * 0.6f - line_height * static_cast<float>(input.equations.size()) - font * 0.6f};
        const ImVec2 bmax{bmin.x + width + font * 1.2f, pmax.y - font * 0.6f};
        dl->AddRectFilled(bmin, bmax, IM_COL32(255, 255, 255, 230), font * 0.3f);
        dl->AddRect(bmin, bmax, IM_COL32(0, 0, 0, 120), font * 0.3f);
        for (std::size_t i = 0; i < input.equations.size(); ++i)
            dl->AddText({bmin.x + font * 0.6f, bmin.y + font * 0.3f + line_height * static_cast<float>(i)},
                        i == 0 ? IM_COL32(70, 70, 90, 255) : kInk, input.equations[i].c_str());
    }

    dl->PopClipRect();
    dl->AddRect(pmin, pmax, kInk, 0.0f, 0, 1.0f);

    // Axes: ticks and labels.
    for (double x : nice_ticks(view.x_min, view.x_max, static_cast<int>((pmax.x - pmin.x) / (font * 5)))) {
        const float sx = map.to_screen(x, 0).x;
        dl->AddLine({sx, pmax.y}, {sx, pmax.y + font * 0.3f}, kInk);
        const std::string label = format_tick(x);
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        dl->AddText({sx - w / 2, pmax.y + font * 0.35f}, kInk, label.c_str());
    }
    for (double y : nice_ticks(view.y_min, view.y_max, static_cast<int>((pmax.y - pmin.y) / (font * 3)))) {
        const float sy = map.to_screen(0, y).y;
        dl->AddLine({pmin.x - font * 0.3f, sy}, {pmin.x, sy}, kInk);
        const std::string label = format_tick(y);
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText({pmin.x - font * 0.4f - ts.x, sy - ts.y / 2}, kInk, label.c_str());
    }
    dl->AddText({(pmin.x + pmax.x) / 2 - ImGui::CalcTextSize(input.x_label.c_str()).x / 2, pmax.y + font * 1.4f}, kInk,
                input.x_label.c_str());
    dl->AddText({origin.x + font * 0.4f, (pmin.y + pmax.y) / 2 - font * 0.5f}, kInk, input.y_label.c_str());
    dl->AddText({pmin.x, origin.y + font * 0.5f}, kInk, input.title.c_str());
    if (!input.caption.empty()) {  // clipped to the plot's width: it must not run into the colorbar
        dl->PushClipRect(origin, {pmax.x, pmin.y}, true);
        dl->AddText({pmin.x, origin.y + font * 1.7f}, IM_COL32(70, 70, 90, 255), input.caption.c_str());
        dl->PopClipRect();
    }

    // Colorbar with loss ticks on the log scale.
    if (heat.grid) {
        const LogColorScale& scale = heat.grid->scale;
        const ImVec2 cmin{origin.x + layout.colorbar_min.x, origin.y + layout.colorbar_min.y};
        const ImVec2 cmax{origin.x + layout.colorbar_max.x, origin.y + layout.colorbar_max.y};
        draw_colorbar_bands(dl, cmin, cmax);
        for (double value : scale.ticks()) {
            const double t = scale.normalize(value);
            if (!(t >= 0 && t <= 1)) continue;
            const float sy = cmax.y - static_cast<float>(t) * (cmax.y - cmin.y);
            // Tick marks inside the bar: outside, they would read as minus signs before the labels.
            dl->AddLine({cmax.x - font * 0.35f, sy}, {cmax.x, sy}, kInk, 1.5f);
            const std::string label = format_tick(value);
            dl->AddText({cmax.x + font * 0.35f, sy - font * 0.5f}, kInk, label.c_str());
        }
        dl->AddText({cmin.x - font * 0.2f, cmin.y - font * 1.3f}, kInk, "loss");
    }

    // Legend: one row per visible run, with its status.
    {
        std::vector<std::pair<const RunView*, std::string>> rows;
        float width = 0;
        for (const RunView& run : input.runs) {
            if (!run.visible || !run.trajectory || run.trajectory->size() == 0) continue;
            std::string text = run.label + "   " + status_text(*run.trajectory, input.step);
            width = std::max(width, ImGui::CalcTextSize(text.c_str()).x);
            rows.emplace_back(&run, std::move(text));
        }
        std::vector<std::pair<std::uint32_t, std::string>> extra = input.overlay_legend;
        extra.insert(extra.end(), glyph_legend.begin(), glyph_legend.end());
        for (const auto& [color, text] : extra) width = std::max(width, ImGui::CalcTextSize(text.c_str()).x);
        const std::size_t total_rows = rows.size() + extra.size();
        if (total_rows > 0) {
            const float line = font * 1.3f;
            const ImVec2 box{width + font * 3.2f, line * static_cast<float>(total_rows) + font * 0.6f};
            // Of the four corners, the legend takes the one that hides the fewest path points.
            const float margin = font * 0.6f;
            const ImVec2 corners[4] = {{pmin.x + margin, pmin.y + margin},
                                       {pmax.x - margin - box.x, pmin.y + margin},
                                       {pmin.x + margin, pmax.y - margin - box.y},
                                       {pmax.x - margin - box.x, pmax.y - margin - box.y}};
            int covered[4] = {0, 0, 0, 0};
            for (const RunView& run : input.runs) {
                if (!run.visible || !run.trajectory) continue;
                const Trajectory& t = *run.trajectory;
                const std::size_t last = std::min<std::size_t>(static_cast<std::size_t>(std::max(input.step, 0L)), t.size());
                const std::size_t stride = std::max<std::size_t>(1, last / 400);
                ImVec2 previous = map.to_screen(t.x[0], t.y[0]);
                for (std::size_t k = 0; k < last; k += stride) {
                    // Long jumps are sampled along their length: a segment can cross a corner.
                    const ImVec2 p = map.to_screen(t.x[k], t.y[k]);
                    const float length = std::hypot(p.x - previous.x, p.y - previous.y);
                    const int pieces = std::clamp(static_cast<int>(length / font), 1, 200);
                    for (int j = 1; j <= pieces; ++j) {
                        const float f = static_cast<float>(j) / static_cast<float>(pieces);
                        const ImVec2 q{previous.x + (p.x - previous.x) * f, previous.y + (p.y - previous.y) * f};
                        for (int c = 0; c < 4; ++c)
                            covered[c] += q.x >= corners[c].x && q.x <= corners[c].x + box.x && q.y >= corners[c].y &&
                                          q.y <= corners[c].y + box.y;
                    }
                    previous = p;
                }
            }
            for (const auto& m : input.minima) {
                const ImVec2 p = map.to_screen(m.x(), m.y());
                for (int c = 0; c < 4; ++c)
                    covered[c] += 1000 * (p.x >= corners[c].x && p.x <= corners[c].x + box.x && p.y >= corners[c].y &&
                                          p.y <= corners[c].y + box.y);
            }
            const int best = static_cast<int>(std::min_element(covered, covered + 4) - covered);
            const ImVec2 lmin = corners[best];
            const ImVec2 lmax{lmin.x + box.x, lmin.y + box.y};
            dl->PushClipRect(pmin, pmax, true);  // a narrow plot clips its legend rather than overhang
            dl->AddRectFilled(lmin, lmax, IM_COL32(255, 255, 255, 225), font * 0.3f);
            dl->AddRect(lmin, lmax, IM_COL32(0, 0, 0, 120), font * 0.3f);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const float y = lmin.y + font * 0.3f + line * static_cast<float>(i) + line / 2;
                draw_line_swatch(dl, lmin.x, y, font, rows[i].first->color);
                dl->AddText({lmin.x + font * 2.7f, y - font * 0.5f}, kInk, rows[i].second.c_str());
            }
            for (std::size_t j = 0; j < extra.size(); ++j) {  // the basin map's colours and the step glyphs
                const float y = lmin.y + font * 0.3f + line * static_cast<float>(rows.size() + j) + line / 2;
                dl->AddRectFilled({lmin.x + font * 0.9f, y - font * 0.45f}, {lmin.x + font * 1.8f, y + font * 0.45f},
                                  rgb(extra[j].first));
                dl->AddRect({lmin.x + font * 0.9f, y - font * 0.45f}, {lmin.x + font * 1.8f, y + font * 0.45f}, kInk);
                dl->AddText({lmin.x + font * 2.7f, y - font * 0.5f}, kInk, extra[j].second.c_str());
            }
            dl->PopClipRect();
        }
    }

    if (interactive) {
        ImGui::SetCursorScreenPos(pmin);
        ImGui::InvisibleButton("##landscape", {pmax.x - pmin.x, pmax.y - pmin.y},
                               ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                                   ImGuiButtonFlags_MouseButtonMiddle);
        const ImGuiIO& io = ImGui::GetIO();
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
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(rgb(hovered->first->color)), "%s",
                               hovered->first->label.c_str());
            ImGui::Text("step %zu\nx = %.6g\ny = %.6g\nloss = %.6g\n|grad| = %.4g", k, t.x[k], t.y[k], t.loss[k],
                        std::hypot(t.gx[k], t.gy[k]));
            ImGui::EndTooltip();
        }
    }
    ImGui::SetCursorScreenPos(origin);
    ImGui::Dummy(size);
    return actions;
}

}  // namespace optiviz::ui
