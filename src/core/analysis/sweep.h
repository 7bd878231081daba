// Many whole runs at once: hyperparameter sweeps (a grid over two optimizer parameters) and basin
// maps (a grid of start points). Every cell is a run through the same core as `optiviz trace`, so
// a cell's final point, loss and convergence step equal what trace prints for that run.
//
// Several starts per cell (MultiStart): each cell runs K particles the way tuning judges a setting
// (core/analysis/tune.h): particle 0 is the cell's own run (its start, the config's mini-batch seed); particle
// k >= 1 starts jittered by the standard normal draws of tune_starts' particle k and uses mini-batch
// seed config.seed + k. A cell then reports the median or the worst of its K runs (Aggregate), with
// the same conventions as tuning's objectives (a run without a value counts as +inf).
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/surfaces/loss_surface.h"
#include "core/optimizers/simulation.h"

namespace optiviz {

// One axis of a sweep: `count` values of optimizer parameter `param` from lo to hi (inclusive),
// evenly spaced, or evenly spaced in log10 when `log` (then lo > 0).
struct SweepAxis {
    std::string param;
    double lo = 0, hi = 1;
    bool log = false;
    int count = 16;  // 1 .. 4096

    std::vector<double> values() const;
    bool operator==(const SweepAxis&) const = default;
};

// Parses "NAME=LO:HI:lin|log:COUNT", e.g. "lr=1e-4:1:log:256". Throws std::invalid_argument.
SweepAxis parse_sweep_axis(const std::string& text, const std::string& what);

// Throws std::invalid_argument for an axis that cannot be drawn: LO, HI or HI − LO not finite, a
// count outside 1..limits::kMaxAxisCount, or LO and HI too close for distinct cells.
void validate_sweep_axis(const SweepAxis& axis, const std::string& what);

enum class SweepMetric { FinalLoss, Steps, Distance };
SweepMetric parse_sweep_metric(const std::string& name);  // final-loss | steps | distance
std::string_view sweep_metric_name(SweepMetric metric);

// The outcome of one run, as trace would report it.
struct CellResult {
    double x = 0, y = 0, loss = 0;  // last finite point and its loss
    long last_step = 0;              // its step (the requested steps unless the run diverged)
    long converged_step = -1;        // first step with gradient norm <= tol, or -1
    Outcome outcome = Outcome::MaxSteps;
};

// The median or the worst (the largest: every metric is lower-is-better) of a cell's K runs.
enum class Aggregate { Median, Worst };
Aggregate parse_aggregate(const std::string& name);  // median | worst
std::string_view aggregate_name(Aggregate aggregate);

// K starts per cell. Sweeps: `spread` is the standard deviation of the start jitter in parameter
// units (as tuning's). Basins: a fraction of the cell's size, per axis (0.25: a quarter of a cell's
// width in x and of its height in y). count 1 is one run per cell exactly as without MultiStart.
struct MultiStart {
    int count = 1;       // K, 1 .. limits::kMaxMapStarts
    double spread = 0;   // >= 0, finite
    bool operator==(const MultiStart&) const = default;
};
inline constexpr double kDefaultSweepSpread = 0.1;   // the same as TuneRequest::spread
inline constexpr double kDefaultBasinSpread = 0.25;  // a quarter of a cell

// Throws std::invalid_argument (one line naming `what`) for K outside 1..kMaxMapStarts, a negative
// or non-finite spread, or cells × K beyond limits::kMaxGridCells runs.
void validate_multi_start(const MultiStart& starts, double cells, const std::string& what);

// The aggregate of one metric over a cell's K runs, as tuning scores a setting: a run without a
// value (diverged, never converged for Steps, no known minimum for Distance) counts as +inf, so the
// median is +inf when at least half of the runs (more than half, for odd K) have none and the worst
// is +inf when any has none. Empty runs: +inf.
double aggregate_metric(std::span<const CellResult> runs, SweepMetric metric, Aggregate aggregate,
                        const std::vector<Eigen::Vector2d>& minima);
// The same with NaN for "no value" (+inf above), so for K = 1 it equals metric_value of the run.
double aggregate_value(std::span<const CellResult> runs, SweepMetric metric, Aggregate aggregate,
                       const std::vector<Eigen::Vector2d>& minima);
// True when divergence decides the cell: its final-loss aggregate has no value (K = 1: the run diverged).
bool aggregate_diverged(std::span<const CellResult> runs, Aggregate aggregate);
// The median of values (+inf counts as a value; even counts: the mean of the middle two, +inf if
// the upper one is); +inf for none. The median above and tuning's.
double median_of(std::vector<double> values);
int diverged_count(std::span<const CellResult> runs);   // outcome Diverged or a non-finite loss
int converged_count(std::span<const CellResult> runs);  // outcome Converged

struct SweepOptions {
    int threads = 0;                              // 0: every worker of the shared pool
    std::optional<Priority> priority = std::nullopt;  // where it queues in the shared pool (unset: the caller's)
    const std::atomic<bool>* cancel = nullptr;    // set to true to stop: the call then throws
    std::atomic<long>* progress = nullptr;        // cells finished so far (for progress bars)
};

struct SweepResult {
    SweepAxis x_axis, y_axis;
    MultiStart starts;              // K runs per cell
    std::vector<CellResult> cells;  // y_axis.count rows of x_axis.count cells; row 0 is y = lo;
                                    // each cell's particle 0 (the run from the start itself)
    std::vector<CellResult> runs;   // K > 1 only: every run, runs[cell·K + k] (runs[cell·K] == cells[cell])

    const CellResult& at(int ix, int iy) const { return cells[static_cast<std::size_t>(iy * x_axis.count + ix)]; }
    std::size_t index(int ix, int iy) const { return static_cast<std::size_t>(iy * x_axis.count + ix); }
    // The K runs of a cell (by index) in particle order.
    std::span<const CellResult> runs_of(std::size_t cell) const;
};

// Runs `base` K times per cell (see MultiStart) with the two swept parameters replaced; each line
// of cells runs as one batched ensemble of its cells × K particles with the swept value per particle
// (see EnsembleOptions::particle_params), so a sweep over any two parameters runs batched (with
// mini-batches and K > 1, one ensemble per seed: a line's cells × 1). Throws std::invalid_argument
// for an unknown parameter or a swept value out of its valid range (naming the value), a bad
// MultiStart, and std::runtime_error("cancelled") when cancelled (no partial result escapes).
// options.progress counts cells.
SweepResult run_sweep(const LossSurface& surface, const RunConfig& base, Eigen::Vector2d start, const SweepAxis& x,
                      const SweepAxis& y, const SweepOptions& options = {}, const MultiStart& starts = {});

// A cell's value for a metric: final loss; steps to converge (NaN if it never did); distance from
// the final point to the nearest known minimum (NaN if the surface has none). NaN for diverged cells.
double metric_value(const CellResult& cell, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima);

struct BasinResult {
    ViewRect grid;
    int resolution = 0;                 // resolution × resolution starts at cell centres, row 0 at y_min
    MultiStart starts;                  // K runs per cell (spread: a fraction of the cell size)
    std::vector<double> start_x, start_y;  // the cell centres (particle 0 of each cell)
    std::vector<CellResult> cells;      // per cell, the first of its runs (in particle order) that ends in its basin
    std::vector<int> basin;             // index into minima, -1: near none of them, -2: diverged;
                                        // with K > 1 the label most of the cell's runs have
    std::vector<int> agree;             // how many of the cell's K runs have that label (K = 1: 1)
    std::vector<CellResult> runs;       // K > 1 only: every run, runs[cell·K + k]
    std::vector<int> run_basin;         // K > 1 only: each run's label, as `basin`
    std::vector<Eigen::Vector2d> minima;
    // Set by app::with_found_minima: minima[*listed ..] were found numerically (runs converged there,
    // away from the surface's listed minima); found_loss[m − *listed] is the lowest loss reached there.
    std::optional<std::size_t> listed;
    std::vector<double> found_loss;

    std::span<const CellResult> runs_of(std::size_t cell) const;  // the K runs of a cell
};

// Particle k of basin cell (column c, row r) starts at the cell centre for k = 0, else at the centre
// + spread·(cell width·u, cell height·v) with (u, v) the draws of tune_starts({0, 0}, K, 1)[k].
// Runs `config` K times from every cell of the grid (one batched ensemble; with mini-batches and
// K > 1, one per seed). The grid must pass validate_view (core/scene/scene.h) and resolution² × K × steps
// stay within limits::kMaxMapParticleSteps. A run belongs to minimum m when it ends within `radius`
// of it (default: 1% of the grid's diagonal); a cell's basin is the label most of its K runs have
// (ties: the one its lowest-numbered particle among the tied labels has, so K = 1 is the centre run's).
// options.progress counts runs (resolution² × K).
BasinResult run_basins(const LossSurface& surface, const RunConfig& config, const ViewRect& grid, int resolution,
                       double radius = 0.0, const EnsembleOptions& options = {}, const MultiStart& starts = {});

}  // namespace optiviz
