#include "app/export/map_pictures.h"

#include "core/presentation/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

#include "core/presentation/color_scale.h"
#include "core/scene/scene.h"

namespace optiviz::app {

namespace {


std::uint32_t blend(std::uint32_t color, std::uint32_t with, double t) {
    auto mix = [&](int shift) {
        const double a = (color >> shift) & 0xFF, b = (with >> shift) & 0xFF;
        return static_cast<std::uint32_t>(std::lround(a + (b - a) * t)) << shift;
    };
    return mix(16) | mix(8) | mix(0);
}

}  // namespace

long steps_to_outcome(const CellResult& c) {
    if (c.outcome == Outcome::Converged) return c.converged_step;
    if (c.outcome == Outcome::Diverged) return c.last_step + 1;
    return c.last_step;
}

std::optional<BestCell> best_cell(const SweepResult& result, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima,
                                  Aggregate aggregate) {
    std::optional<BestCell> best;
    for (int iy = 0; iy < result.y_axis.count; ++iy)
        for (int ix = 0; ix < result.x_axis.count; ++ix) {
            const auto runs = result.runs_of(result.index(ix, iy));
            if (aggregate_diverged(runs, aggregate)) continue;
            const double v = aggregate_value(runs, metric, aggregate, minima);
            if (std::isfinite(v) && (!best || v < best->value)) best = BestCell{ix, iy, v, aggregate};
        }
    return best;
}

std::string shortest(double v) { return format_number(v, 17); }

std::string aggregate_phrase(int starts, Aggregate aggregate) {
    if (starts <= 1) return "";
    return std::string(aggregate_name(aggregate)) + " of " + std::to_string(starts) + " starts";
}

std::string describe_cell(const SweepResult& result, SweepMetric metric, const BestCell& best, int significant) {
    const auto xs = result.x_axis.values(), ys = result.y_axis.values();
    const std::string of = aggregate_phrase(result.starts.count, best.aggregate);
    const auto number = [significant](double v) { return format_number(v, significant); };
    return result.x_axis.param + "=" + number(xs[static_cast<std::size_t>(best.ix)]) + " " + result.y_axis.param + "=" +
           number(ys[static_cast<std::size_t>(best.iy)]) + " " + std::string(sweep_metric_name(metric)) + "=" +
           number(best.value) + (of.empty() ? "" : " (" + of + ")");
}

ui::GridMapInput sweep_map(const SweepResult& result, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima,
                           std::string title, std::optional<std::pair<double, double>> marker, Aggregate aggregate) {
    const bool log = metric != SweepMetric::Steps;
    const int K = result.starts.count;
    std::vector<double> values, usable;
    std::vector<bool> diverged;
    for (std::size_t i = 0; i < result.cells.size(); ++i) {
        const auto runs = result.runs_of(i);
        diverged.push_back(aggregate_diverged(runs, aggregate));
        const double v = diverged.back() ? std::numeric_limits<double>::quiet_NaN() : aggregate_value(runs, metric, aggregate, minima);
        values.push_back(v);
        if (std::isfinite(v) && (!log || v > 0)) usable.push_back(v);
    }
    std::sort(usable.begin(), usable.end());
    double lo = 1, hi = 10;
    bool clamped_low = false, clamped_high = false;
    if (!usable.empty()) {
        lo = usable.front();
        hi = usable.back();
        // A few outliers must not flatten the map: with enough cells, the scale spans the 2nd to 98th
        // percentile, and the cells beyond take the end colours (marked on the colorbar).
        if (usable.size() >= 50) {
            const double p2 = usable[usable.size() * 2 / 100], p98 = usable[usable.size() * 98 / 100];
            if (p98 > p2) {
                clamped_low = p2 > lo;
                clamped_high = p98 < hi;
                lo = p2;
                hi = p98;
            }
        }
    }
    if (log && hi <= lo * 1.0001) hi = lo * 10;
    if (!log && hi <= lo) hi = lo + 1;
    if (log && lo < hi * 1e-16) {  // at most 16 decades
        lo = hi * 1e-16;
        clamped_low = true;
    }
    ui::GridMapInput input;
    input.title = std::move(title);
    const SweepAxis& x = result.x_axis;
    const SweepAxis& y = result.y_axis;
    input.x = {x.param, x.lo, x.hi, x.log, x.count};
    input.y = {y.param, y.lo, y.hi, y.log, y.count};
    for (std::size_t i = 0; i < result.cells.size(); ++i) {
        const double v = values[i];
        if (diverged[i]) {
            input.colors.push_back(kDivergedColor);
        } else if (!std::isfinite(v)) {
            input.colors.push_back(kNoValueColor);
        } else {
            const double t = log ? (std::log10(std::max(v, lo)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                                 : (v - lo) / (hi - lo);
            input.colors.push_back(viridis_rgb(std::clamp(t, 0.0, 1.0)));
        }
    }
    // The red swatch is explained even when no cell is red, and then it says so: a map with no
    // diverged cell is a finding, not a missing colour.
    const bool none_diverged = std::find(diverged.begin(), diverged.end(), true) == diverged.end();
    input.legend.push_back({kDivergedColor, (K == 1                          ? std::string("diverged")
                                             : aggregate == Aggregate::Worst ? "diverged (any of " + std::to_string(K) + " starts)"
                                                                             : "diverged (half or more of " + std::to_string(K) + " starts)") +
                                                (none_diverged ? ": none" : "")});
    if (metric == SweepMetric::Steps) input.legend.push_back({kNoValueColor, "did not converge"});
    if (metric == SweepMetric::Distance && minima.empty()) input.legend.push_back({kNoValueColor, "no known minimum"});
    if (usable.empty()) {
        // Nothing to colour: say so instead of drawing a colour bar over a uniform map.
        input.note = metric == SweepMetric::Steps   ? "No cell converged within the steps given, so there is no step count to show. "
                                                      "Try more --steps or --metric final-loss."
                     : metric == SweepMetric::Distance ? "No cell has a distance to show (every cell diverged, or the surface "
                                                         "knows no minimum). Try --metric final-loss."
                                                       : "Every cell diverged: there is no final loss to show.";
    } else {
        // The colour bar keeps the metric's short name (a longer one is cut at the picture's edge);
        // the title, the legend and the best cell's label say which aggregate it is.
        input.colorbar = ui::GridColorbar{std::string(sweep_metric_name(metric)), lo, hi, log, clamped_low, clamped_high};
        if (usable.front() == usable.back())
            input.note = "Every cell that has a value has the same one (" + shortest(usable.front()) + "): the colours say nothing here.";
    }
    if (const auto best = best_cell(result, metric, minima, aggregate)) {
        input.best = std::pair<int, int>{best->ix, best->iy};
        input.best_label = "best (ringed): " + describe_cell(result, metric, *best, 4);  // the CSV has the exact values
    }
    input.marker = marker;
    return input;
}

namespace {

// Whether the surface rises around `at` in eight directions, `h` away: a minimum, not a saddle.
bool rises_around(const LossSurface& surface, const Eigen::Vector2d& at, double h) {
    const double f = surface.value(at.x(), at.y());
    const double slack = 1e-12 * std::max(1.0, std::abs(f));
    for (int k = 0; k < 8; ++k) {
        const double a = k * 0.7853981633974483;
        if (!(surface.value(at.x() + h * std::cos(a), at.y() + h * std::sin(a)) >= f - slack)) return false;
    }
    return true;
}

struct Cluster {
    Eigen::Vector2d first;           // where its first end point was (distances are measured from it)
    Eigen::Vector2d lowest;          // its end point with the lowest loss
    double loss = std::numeric_limits<double>::infinity();
    std::vector<std::size_t> cells;
};

}  // namespace

BasinResult with_found_minima(const BasinResult& result, const LossSurface* surface, std::size_t max_found) {
    if (result.listed) return result;
    BasinResult out = result;
    const double radius = 0.02 * std::hypot(result.grid.x_max - result.grid.x_min, result.grid.y_max - result.grid.y_min);
    const std::size_t known = result.minima.size();
    out.listed = known;
    std::vector<Cluster> clusters;
    // Clusters by the cell of a radius-sized grid their first point falls in: a point looks only at
    // clusters in its own and the eight neighbouring cells.
    std::map<std::pair<long, long>, std::vector<std::size_t>> buckets;
    auto bucket_of = [&](const Eigen::Vector2d& p) {
        return std::pair<long, long>{std::lround(std::floor(p.x() / radius)), std::lround(std::floor(p.y() / radius))};
    };
    for (std::size_t i = 0; i < out.cells.size(); ++i) {
        const CellResult& c = out.cells[i];
        if (out.basin[i] != -1 || c.outcome == Outcome::Diverged || c.converged_step < 0) continue;
        const Eigen::Vector2d end{c.x, c.y};
        if (!end.allFinite() || !std::isfinite(c.loss)) continue;
        const auto [bx, by] = bucket_of(end);
        std::optional<std::size_t> nearest;
        double best = radius;
        for (long dx = -1; dx <= 1; ++dx)
            for (long dy = -1; dy <= 1; ++dy)
                if (const auto it = buckets.find({bx + dx, by + dy}); it != buckets.end())
                    for (std::size_t k : it->second)
                        if (const double d = (clusters[k].first - end).norm(); d <= best) best = d, nearest = k;
        if (!nearest) {
            if (clusters.size() >= max_found) continue;
            nearest = clusters.size();
            clusters.push_back({end, end, c.loss, {}});
            buckets[{bx, by}].push_back(*nearest);
        }
        Cluster& cluster = clusters[*nearest];
        cluster.cells.push_back(i);
        if (c.loss < cluster.loss) cluster.loss = c.loss, cluster.lowest = end;
    }
    for (const Cluster& cluster : clusters) {
        if (surface && !rises_around(*surface, cluster.lowest, radius / 8)) continue;  // stays -1
        for (std::size_t i : cluster.cells) out.basin[i] = static_cast<int>(out.minima.size());
        out.minima.push_back(cluster.lowest);
        out.found_loss.push_back(cluster.loss);
    }
    return out;
}

std::vector<std::uint32_t> minimum_colors(const BasinResult& result) {
    const std::size_t n = result.minima.size();
    constexpr std::size_t kPalette = 10;  // area_palette's tones
    std::vector<std::uint32_t> colors(n);
    if (n <= kPalette) {
        for (std::size_t m = 0; m < n; ++m) colors[m] = area_palette(m);
        return colors;
    }
    // Too many for one tone each: basins that touch (grid neighbours) get different tones, greedily
    // (if all ten are taken around one, it keeps its own).
    std::vector<std::vector<bool>> touches(n, std::vector<bool>(n, false));
    const auto res = static_cast<std::size_t>(std::max(result.resolution, 0));
    auto link = [&](std::size_t i, std::size_t j) {
        const int a = result.basin[i], b = result.basin[j];
        if (a >= 0 && b >= 0 && a != b && static_cast<std::size_t>(a) < n && static_cast<std::size_t>(b) < n)
            touches[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = touches[static_cast<std::size_t>(b)][static_cast<std::size_t>(a)] = true;
    };
    for (std::size_t r = 0; r < res; ++r)
        for (std::size_t c = 0; c < res; ++c) {
            const std::size_t i = r * res + c;
            if (i >= result.basin.size()) continue;
            if (c + 1 < res && i + 1 < result.basin.size()) link(i, i + 1);
            if (r + 1 < res && i + res < result.basin.size()) link(i, i + res);
        }
    std::vector<std::size_t> tone(n, 0);
    for (std::size_t m = 0; m < n; ++m) {
        std::vector<bool> used(kPalette, false);
        for (std::size_t o = 0; o < m; ++o)
            if (touches[m][o]) used[tone[o]] = true;
        // Its own tone by index when no touching basin has it, else the first free one after it: all
        // ten tones stay in use, so a tone names few minima.
        tone[m] = m % kPalette;
        for (std::size_t k = 0; k < kPalette && used[tone[m]]; ++k) tone[m] = (m + k + 1) % kPalette;
        colors[m] = area_palette(tone[m]);
    }
    return colors;
}

namespace {

// The steps to the outcome of a cell: its run's, or the median or worst of its K runs'.
double cell_steps(const BasinResult& result, std::size_t cell, Aggregate aggregate) {
    const auto runs = result.runs_of(cell);
    if (runs.size() == 1) return static_cast<double>(steps_to_outcome(runs[0]));
    std::vector<double> steps;
    for (const CellResult& run : runs) steps.push_back(static_cast<double>(steps_to_outcome(run)));
    return aggregate == Aggregate::Worst ? *std::max_element(steps.begin(), steps.end()) : median_of(std::move(steps));
}

// Whether some cell has basin label `label` (−1: near no known minimum, −2: diverged). The legend
// keeps those swatches when no cell has them, and says so: like the sweep maps' "diverged: none",
// a map where nothing diverged is a finding, not a missing colour.
bool has_label(const BasinResult& result, int label) {
    return std::find(result.basin.begin(), result.basin.end(), label) != result.basin.end();
}

// Label -1: runs still moving when the steps ran out, stopped by a rule, or stalled on no minimum.
constexpr const char* kEndedAway = "ended on no minimum";

// "minimum (1, 1)" for a listed minimum; "local minimum found at (0.995, -1.99), f = 4.97" for one
// found where runs converged.
std::string describe_minimum(const BasinResult& result, std::size_t m) {
    auto tidy = [](double v) { return format_number(std::abs(v) < 1e-9 ? 0.0 : v, 3); };  // no "-4e-202" for a zero
    // Appended piece by piece: GCC 12's -Wrestrict misfires on "(" + a + ", " + b at -O3.
    const std::size_t listed = result.listed.value_or(result.minima.size());
    std::string text = m < listed ? "minimum (" : "local minimum found at (";
    text += tidy(result.minima[m].x());
    text += ", ";
    text += tidy(result.minima[m].y());
    text += ")";
    if (m >= listed) {
        text += ", f = ";
        text += tidy(result.found_loss[m - listed]);
    }
    return text;
}

}  // namespace

std::vector<std::uint32_t> basin_colors(const BasinResult& raw, long steps, Aggregate aggregate) {
    const BasinResult result = with_found_minima(raw);
    const std::vector<std::uint32_t> tones = minimum_colors(result);
    std::vector<std::uint32_t> colors;
    colors.reserve(result.cells.size());
    const double horizon = std::max(1.0, static_cast<double>(steps));
    const int K = result.starts.count;
    for (std::size_t i = 0; i < result.cells.size(); ++i) {
        const int b = result.basin[i];
        std::uint32_t color;
        if (b == -2) {
            color = kBasinDivergedColor;
        } else if (b < 0) {
            color = kNoValueColor;
        } else {
            // Slower runs are paler: the time to converge (or all the steps) over the horizon.
            const double slowness = cell_steps(result, i, aggregate) / horizon;
            color = blend(tones[static_cast<std::size_t>(b)], 0xFFFFFF, 0.45 * std::sqrt(slowness));
        }
        // Cells whose runs disagree fade toward grey: a basin that only some of K starts reach.
        if (K > 1 && i < result.agree.size() && result.agree[i] < K)
            color = blend(color, kNoValueColor, 0.6 * static_cast<double>(K - result.agree[i]) / (K - 1));
        colors.push_back(color);
    }
    return colors;
}

ui::GridMapInput basin_map(const BasinResult& raw, long steps, std::string title, Aggregate aggregate) {
    const BasinResult result = with_found_minima(raw);
    ui::GridMapInput input;
    input.title = std::move(title);
    const ViewRect& g = result.grid;
    const double res = result.resolution;
    const double dx = (g.x_max - g.x_min) / res / 2, dy = (g.y_max - g.y_min) / res / 2;
    input.equal_aspect = true;
    input.x = {"start x", g.x_min + dx, g.x_max - dx, false, result.resolution};
    input.y = {"start y", g.y_min + dy, g.y_max - dy, false, result.resolution};
    input.colors = basin_colors(raw, steps, aggregate);
    const std::vector<std::uint32_t> tones = minimum_colors(result);
    for (std::size_t m = 0; m < result.minima.size(); ++m) {
        if (m < 12) input.legend.push_back({tones[m], describe_minimum(result, m)});
        else if (m == 12) input.legend.push_back({tones[m], "... " + std::to_string(result.minima.size() - 12) + " more local minima found"});
        if (m < *result.listed) input.stars.emplace_back(result.minima[m].x(), result.minima[m].y());
    }
    input.legend.push_back({kNoValueColor, has_label(result, -1) ? kEndedAway : std::string(kEndedAway) + ": none"});
    input.legend.push_back({kBasinDivergedColor, has_label(result, -2) ? "diverged" : "diverged: none"});
    if (result.starts.count > 1)
        input.legend.push_back({blend(area_palette(0), kNoValueColor, 0.6),
                                "greyer: fewer of " + std::to_string(result.starts.count) + " starts agree"});
    return input;
}

}  // namespace optiviz::app

namespace optiviz::app {

std::vector<std::pair<std::uint32_t, std::string>> basin_legend(const BasinResult& raw, const Scene& scene, int run) {
    const BasinResult result = with_found_minima(raw);
    std::vector<std::pair<std::uint32_t, std::string>> rows;
    const std::string who = run >= 0 && static_cast<std::size_t>(run) < scene.runs.size()
                                ? run_label(scene.runs[static_cast<std::size_t>(run)])
                                : std::string("the run");
    const std::vector<std::uint32_t> tones = minimum_colors(result);
    for (std::size_t m = 0; m < result.minima.size() && m < 8; ++m) rows.push_back({tones[m], who + " from here ends at the " + describe_minimum(result, m)});
    if (result.minima.size() > 8)
        rows.push_back({tones[8], "... or at one of " + std::to_string(result.minima.size() - 8) + " more local minima found"});
    rows.push_back({kNoValueColor, "... " + std::string(kEndedAway) + (has_label(result, -1) ? "" : " (from no cell)")});
    rows.push_back({kBasinDivergedColor, has_label(result, -2) ? "... diverges" : "... diverges (from no cell)"});
    if (result.starts.count > 1)
        rows.push_back({blend(area_palette(0), kNoValueColor, 0.6),
                        "each cell: where most of " + std::to_string(result.starts.count) + " starts end (greyer: fewer agree)"});
    return rows;
}

}  // namespace optiviz::app
