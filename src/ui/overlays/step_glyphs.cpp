// Step glyphs: one run's step at the shown step explained by arrows over the paths, with their key in
// the legend column. The settings say which run and whether the trail along its path shows too; the
// run's trajectory carries its optimizer's state because the app reads the same settings
// (app/derived/derived_scene.cpp run_config).
#include "ui/overlays/step_glyphs.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "core/io/limits.h"
#include "core/presentation/number_text.h"
#include "ui/panels/analysis_panel.h"
#include "ui/canvas/draw_style.h"
#include "ui/overlay.h"

namespace optiviz::ui {

namespace {

using LegendRows = std::vector<std::pair<std::uint32_t, std::string>>;
constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);

constexpr ParamSpec kParams[] = {
    {"run", "run", 0, 0, limits::kMaxRuns - 1, false, false, 0, limits::kMaxRuns - 1, false, ParamKind::Integer,
     "the run whose step is explained (0-based)"},
    {"trail", "along the path", 0, 0, 1, false, false, 0, 1, false, ParamKind::Flag,
     "also -grad f and the direction at points along the run's path"},
};

// Step glyphs of one run at the current step (its trajectory must carry the optimizer's state); their
// key goes to the legend column.
void draw_step_glyphs(const OverlayContext& c, const ParamValues& settings) {
    if (!c.input) return;
    const LandscapeInput& input = *c.input;
    const auto glyph_run = static_cast<std::size_t>(settings.get("run"));
    if (glyph_run >= input.runs.size()) return;
    LegendRows unused;
    LegendRows& glyph_legend = c.legend ? *c.legend : unused;
    Canvas* dl = c.draw_list;
    const PlotMapping& map = c.map;
    const float font = c.font_size;
    const float line = c.line_scale;
    const RunView& run = input.runs[glyph_run];
    const Trajectory* t = run.trajectory;
    // At the last row there is no step after it: show the last step taken.
    const std::size_t rows = t ? t->size() : 0;
    const std::size_t k = std::min(static_cast<std::size_t>(std::max(input.step, 0L)), rows >= 2 ? rows - 2 : 0);
    if (!run.visible || !t || k + 1 >= t->size() || k >= t->rate_x.size()) return;
    // The state that sets the step's direction, as its optimizer declares it (no name matching).
    const bool has_direction = t->has_direction();
    if (settings.flag("trail")) {
        // Along the path: short −∇f (red) and −momentum (violet) directions at about 24 points.
        const std::size_t stride = std::max<std::size_t>(1, k / 24);
        const float len = font * 1.4f;
        for (std::size_t j = 0; j < k; j += stride) {
            const ImVec2 p = map.to_screen(t->x[j], t->y[j]);
            const double g = std::hypot(t->gx[j], t->gy[j]);
            if (g > 0)
                dl->AddLine(p, {p.x - static_cast<float>(t->gx[j] / g) * len, p.y + static_cast<float>(t->gy[j] / g) * len},
                            IM_COL32(255, 64, 64, 230), 2.0f * line);
            if (has_direction && j < t->rate_x.size()) {
                const double mx = t->direction_at(j, 0), my = t->direction_at(j, 1), m = std::hypot(mx, my);
                if (m > 0)
                    dl->AddLine(p, {p.x - static_cast<float>(mx / m) * len, p.y + static_cast<float>(my / m) * len},
                                IM_COL32(170, 90, 255, 230), 2.0f * line);
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
        dl->AddLine(at, tip, kOutline, 5.0f * line);
        dl->AddLine(at, tip, color, 3.0f * line);
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
    // The step actually taken along each coordinate, |Δx| and |Δy|, as a box around the point: it
    // shows how differently the optimizer moves each coordinate (Adam's per-coordinate scaling). The
    // box shares the step's magnification, but never grows past a few text heights.
    const double raw_x = std::abs(sx) * pixels_per_unit, raw_y = std::abs(sy) * pixels_per_unit;
    const double box_scale = std::min(magnify, font * 4.0 / std::max({raw_x, raw_y, 1e-300}));
    const double bx = raw_x * box_scale, by = raw_y * box_scale;
    if (std::isfinite(bx) && std::isfinite(by) && bx < 4000 && by < 4000) {
        const ImVec2 b0{static_cast<float>(at.x - bx), static_cast<float>(at.y - by)};
        const ImVec2 b1{static_cast<float>(at.x + bx), static_cast<float>(at.y + by)};
        dl->AddRect(b0, b1, kOutline, 0, 0, 4.0f * line);
        dl->AddRect(b0, b1, IM_COL32(0, 229, 255, 255), 0, 0, 2.0f * line);
    }
    if (gnorm > 0) arrow(-gx / gnorm, -gy / gnorm, direction_pixels / pixels_per_unit, IM_COL32(255, 64, 64, 255));
    if (has_direction) {
        const double mx = t->direction_at(k, 0), my = t->direction_at(k, 1), mnorm = std::hypot(mx, my);
        if (mnorm > 0) arrow(-mx / mnorm, -my / mnorm, direction_pixels / pixels_per_unit, IM_COL32(170, 90, 255, 255));
    }
    arrow(sx, sy, magnify, kWhite);
    // One numbering everywhere: the step from row k to row k + 1 is step t = k + 1, as in the equations.
    glyph_legend.push_back({0xFF4040, run.label + ", step t = " + std::to_string(k + 1) + " (point " + std::to_string(k) +
                                          " to " + std::to_string(k + 1) + "): -grad f (direction, |g| = " +
                                          format_number(gnorm, 3) + ")"});
    if (has_direction) glyph_legend.push_back({0xAA5AFF, t->direction_label() + " (direction)"});
    glyph_legend.push_back({0xFFFFFF, magnify > 1.0 ? "step taken (drawn x" + format_number(std::round(magnify), 6) + ")"
                                                    : std::string("step taken")});
    glyph_legend.push_back({0x00E5FF, "step per coordinate (|dx|, |dy|) = (" + format_number(std::abs(sx), 3) + ", " +
                                          format_number(std::abs(sy), 3) + ")" +
                                          (box_scale != 1.0 ? " (box not to scale)" : "")});
}

std::optional<StepGlyphSettings> settings_of(const ParamOverrides& settings) {
    try {
        const ParamValues values(kStepGlyphsOverlay, kParams, settings);
        return StepGlyphSettings{static_cast<int>(values.get("run")), values.flag("trail")};
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // refused settings (scene files and the CLI refuse them before they get here)
    }
}

bool step_glyph_panel(const Scene& scene, ParamOverrides& settings) {
    const StepGlyphSettings before = settings_of(settings).value_or(StepGlyphSettings{});
    StepGlyphSettings s = before;
    run_combo("glyphs of", s.run, scene);
    ImGui::Checkbox("along the path", &s.trail);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("at the current step: -grad f, the momentum or first moment, the step taken and the\n"
                          "per-coordinate step sizes (read from the optimizer's state)");
    if (s == before) return false;
    settings = {{"run", s.run}, {"trail", s.trail ? 1.0 : 0.0}};
    return true;
}

// Scenes of format 1 kept the glyph run (-1: none) and the trail as scene keys.
void adopt_glyph_keys(const ParamOverrides& retired, std::map<std::string, ParamOverrides>& overlays) {
    const auto run = retired.find("glyph_run");
    if (run == retired.end() || run->second < 0) return;
    const auto trail = retired.find("glyph_trail");
    overlays[std::string(kStepGlyphsOverlay)] = {{"run", run->second}, {"trail", trail != retired.end() && trail->second != 0 ? 1.0 : 0.0}};
}

// The explained run also records its optimizer's state at every step: about two paths more.
double glyph_state_paths(const ParamValues& settings, const Scene& scene) {
    return settings.get("run") < static_cast<double>(scene.runs.size()) ? 2.0 : 0.0;
}

}  // namespace

std::optional<StepGlyphSettings> step_glyphs(const Scene& scene) {
    const auto on = scene.overlays.find(std::string(kStepGlyphsOverlay));
    if (on == scene.overlays.end()) return std::nullopt;
    return settings_of(on->second);
}

void set_step_glyphs(Scene& scene, const StepGlyphSettings& settings) {
    scene.overlays[std::string(kStepGlyphsOverlay)] = {{"run", settings.run}, {"trail", settings.trail ? 1.0 : 0.0}};
}

extern const OverlayModule kStepGlyphsOverlayModule;
const OverlayModule kStepGlyphsOverlayModule{
    kStepGlyphsOverlay, "step glyphs",
    "at the current step: -grad f, the momentum or first moment, the step taken and the per-coordinate step sizes",
    kParams, draw_step_glyphs, step_glyph_panel, OverlayLayer::OverPaths, adopt_glyph_keys, nullptr, nullptr, glyph_state_paths};

}  // namespace optiviz::ui
