// How sweep and basin results become coloured maps (ui::GridMapInput), shared by the CLI's PNGs
// and the window's panels so both show the same colours.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/scene/scene.h"
#include "core/analysis/sweep.h"
#include "ui/views/grid_map_view.h"

namespace optiviz::app {

inline constexpr std::uint32_t kDivergedColor = 0xD62728;  // red: outside the colour scale on purpose
inline constexpr std::uint32_t kNoValueColor = 0xBDBDBD;   // grey: no value (did not converge, ...)
inline constexpr std::uint32_t kBasinDivergedColor = 0x202020;

// Steps to reach the outcome: the convergence step if it converged, else the steps it ran.
long steps_to_outcome(const CellResult& cell);

// The shortest text that reads back as the same double ("0.1", "1e-05").
std::string shortest(double v);

// With K starts per cell (SweepResult::starts), every value below is the cell's aggregate of its K
// runs (core/analysis/sweep.h aggregate_value; a cell is "diverged" when aggregate_diverged); with one start,
// the run's own value.

// The best cell of a sweep for a metric: the lowest final loss or distance, or the fewest steps to
// converge; diverged cells and cells without a value never win; ties go to the first cell in row order.
struct BestCell {
    int ix = 0, iy = 0;
    double value = 0;
    Aggregate aggregate = Aggregate::Median;
};
std::optional<BestCell> best_cell(const SweepResult& result, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima,
                                  Aggregate aggregate = Aggregate::Median);

// "lr=0.1 momentum=0.9 final-loss=1.2e-05": the cell's settings and value, each number written in the
// shortest form that reads back as the same double; with K > 1 starts, " (median of K starts)" follows.
// `significant` digits: 17 (exact, the CLI's best line) or fewer for a picture's label.
std::string describe_cell(const SweepResult& result, SweepMetric metric, const BestCell& best, int significant = 17);

// "median of 16 starts" ("" for one start): what a map's values are, for titles and legends.
std::string aggregate_phrase(int starts, Aggregate aggregate);

// Viridis over the finite metric values (log scale for losses and distances), diverged cells red. The
// scale spans the 2nd to 98th percentile when a few outliers would flatten it (clamped and marked); the
// best cell is ringed and named; a metric with no value anywhere, or one value everywhere, gets a note.
// With K > 1 starts the legend and the best cell's label say which aggregate they show.
ui::GridMapInput sweep_map(const SweepResult& result, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima,
                           std::string title, std::optional<std::pair<double, double>> marker,
                           Aggregate aggregate = Aggregate::Median);

// Where runs end when the surface's list of minima is incomplete (Rastrigin lists only its global
// one): the end points of runs that converged (their gradient norm met the run's tolerance) away from
// every listed minimum, clustered by distance (within 2% of the grid's diagonal of a cluster's first
// point) into minima found numerically, each placed at its lowest end point. With `surface`, a
// cluster counts only where the surface rises in every direction around it (a saddle the runs
// stalled on is no minimum). Returns a copy whose `minima` gains the found minima (in order of first
// appearance), with `listed` and `found_loss` set and `basin` pointing at them; runs that did not
// converge, or ended on no minimum, stay -1; diverged runs stay -2. At most `max_found` are added.
// A result that already has them is returned as it is.
BasinResult with_found_minima(const BasinResult& result, const LossSurface* surface = nullptr, std::size_t max_found = 4096);

// A colour per minimum (listed, then found) from the area palette (never a run colour): each its own
// while the palette lasts; beyond, no two minima whose basins touch on the grid share one.
std::vector<std::uint32_t> minimum_colors(const BasinResult& clustered);

// One colour per minimum, known or found (paler = slower), grey for none, near-black for diverged.
// With K > 1 starts per cell: the cell's basin is its runs' majority, "slower" is the median or worst
// of its K runs' steps to their outcome, and a cell where fewer runs agree is blended toward grey
// (by 60% when only one of its K runs has the basin, less the more agree).
std::vector<std::uint32_t> basin_colors(const BasinResult& result, long steps, Aggregate aggregate = Aggregate::Median);
ui::GridMapInput basin_map(const BasinResult& result, long steps, std::string title, Aggregate aggregate = Aggregate::Median);

// Legend rows for a basin overlay on the landscape: "basins of <run>: minimum (x, y)", ...
std::vector<std::pair<std::uint32_t, std::string>> basin_legend(const BasinResult& result, const Scene& scene, int run);

}  // namespace optiviz::app
