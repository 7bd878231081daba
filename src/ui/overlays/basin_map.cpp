// The basin map: every start of the view coloured by the minimum the run reaches from there, over
// the heatmap and under the paths. Its settings (which run, starts per side, K starts per cell, their
// spread, median or worst) are scene settings like any overlay's; the picture itself is computed by
// the app and arrives as LandscapeInput::overlay.
#include "ui/panels/slider.h"
#include "ui/overlays/basin_map.h"

#include <imgui.h>

#include "core/io/limits.h"
#include "ui/panels/analysis_panel.h"
#include "ui/overlay.h"

namespace optiviz::ui {

namespace {

constexpr ParamSpec kParams[] = {
    {"run", "basins of", 0, 0, limits::kMaxRuns - 1, false, false, 0, limits::kMaxRuns - 1, false, ParamKind::Integer,
     "the run whose basins are mapped (0-based)"},
    {"resolution", "starts per side", 96, 1, limits::kMaxBasinResolution, false, false, 16, limits::kSliderMaxBasinResolution,
     false, ParamKind::Integer, "starts along each side of the view"},
    {"starts", "starts per cell", 1, 1, limits::kMaxMapStarts, false, false, 1, limits::kSliderMaxMapStarts, false,
     ParamKind::Integer, "K runs per cell from jittered starts (and mini-batch seeds), as Tune judges a setting"},
    {"spread", "spread", kDefaultBasinSpread, 0, 1e6, false, false, 0, 2, false, ParamKind::Real,
     "start jitter as a fraction of a cell's size"},
    {"worst", "worst", 0, 0, 1, false, false, 0, 1, false, ParamKind::Flag,
     "the steps that make a cell paler: the median (0) or the worst (1) of its starts"},
};

BasinMapSettings from_values(const ParamValues& v) {
    BasinMapSettings s;
    s.run = static_cast<int>(v.get("run"));
    s.resolution = static_cast<int>(v.get("resolution"));
    s.starts = MultiStart{static_cast<int>(v.get("starts")), v.get("spread")};
    s.aggregate = v.flag("worst") ? Aggregate::Worst : Aggregate::Median;
    return s;
}

ParamOverrides to_overrides(const BasinMapSettings& s) {
    return {{"run", s.run},
            {"resolution", s.resolution},
            {"starts", s.starts.count},
            {"spread", s.starts.spread},
            {"worst", s.aggregate == Aggregate::Worst ? 1.0 : 0.0}};
}

// The image covers the rectangle the map was computed for (it may lag a pan by a job).
void draw_basin_map(const OverlayContext& c, const ParamValues&) {
    if (!c.input || !c.input->overlay) return;
    const ViewRect& v = c.input->overlay_view;
    c.draw_list->AddImage(c.input->overlay, c.map.to_screen(v.x_min, v.y_max), c.map.to_screen(v.x_max, v.y_min), {0, 1}, {1, 0});
}

bool basin_panel(const Scene& scene, ParamOverrides& settings) {
    BasinMapSettings s;
    try {
        s = from_values(ParamValues(kBasinMapOverlay, kParams, settings));
    } catch (const std::invalid_argument&) {
        // A hand-edited scene's refused settings: the panel starts from the defaults.
    }
    const BasinMapSettings before = s;
    run_combo("basins of", s.run, scene, /*simulated_only=*/true);  // an imported run has no settings to map
    slider_int("starts per side", &s.resolution, 16, limits::kSliderMaxBasinResolution);
    s.resolution = std::clamp(s.resolution, 1, limits::kMaxBasinResolution);
    multi_start_editor("basin starts", s.starts.count, s.starts.spread, s.aggregate, "start jitter as a fraction of a cell's size",
                       "the steps that make a cell paler: median or worst");
    if (s == before) return false;
    settings = to_overrides(s);
    return true;
}

}  // namespace

std::optional<BasinMapSettings> basin_map_settings(const Scene& scene) {
    const auto on = scene.overlays.find(std::string(kBasinMapOverlay));
    if (on == scene.overlays.end()) return std::nullopt;
    try {
        return from_values(ParamValues(kBasinMapOverlay, kParams, on->second));
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // refused settings (the CLI and scene files refuse them before they get here)
    }
}

void set_basin_map(Scene& scene, const BasinMapSettings& settings) { scene.overlays[std::string(kBasinMapOverlay)] = to_overrides(settings); }

extern const OverlayModule kBasinMapOverlayModule;
const OverlayModule kBasinMapOverlayModule{
    kBasinMapOverlay, "basin map", "colour every start point of the view by the minimum this run ends in from there", kParams,
    draw_basin_map, basin_panel};

}  // namespace optiviz::ui
