// The basin map overlay (basin_map.cpp): where each start of the visible landscape ends, coloured by
// the minimum it reaches. The app computes the map in the background (app/derived/analysis.h) from these
// settings, read from the scene's overlay map, and hands the picture to the view as an image.
#pragma once

#include <optional>
#include <string_view>

#include "core/scene/scene.h"
#include "core/analysis/sweep.h"

namespace optiviz::ui {

inline constexpr std::string_view kBasinMapOverlay = "basin-map";

struct BasinMapSettings {
    int run = 0;           // the run whose basins are mapped, 0-based
    int resolution = 96;   // starts per side, 1 .. limits::kMaxBasinResolution
    MultiStart starts{1, kDefaultBasinSpread};  // K runs per cell; spread in cell sizes
    Aggregate aggregate = Aggregate::Median;    // the steps that make a cell paler
    bool operator==(const BasinMapSettings&) const = default;
};

// The scene's basin map settings, or nothing when the overlay is off or its settings are refused.
std::optional<BasinMapSettings> basin_map_settings(const Scene& scene);

// Turns the basin map on in `scene` with `settings` (the command line's --basins-of, tests).
void set_basin_map(Scene& scene, const BasinMapSettings& settings);

}  // namespace optiviz::ui
