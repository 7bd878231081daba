// Many whole runs at once: hyperparameter sweeps (a grid over two optimizer parameters) and basin
// maps (a grid of start points). Every cell is a run through the same core as `optiviz trace`, so
// a cell's final point, loss and convergence step equal what trace prints for that run.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/loss_surface.h"
#include "core/simulation.h"

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

struct SweepOptions {
    int threads = 0;                              // 0: every hardware thread
    const std::atomic<bool>* cancel = nullptr;    // set to true to stop: the call then throws
    std::atomic<long>* progress = nullptr;        // cells finished so far (for progress bars)
};

struct SweepResult {
    SweepAxis x_axis, y_axis;
    std::vector<CellResult> cells;  // y_axis.count rows of x_axis.count cells; row 0 is y = lo

    const CellResult& at(int ix, int iy) const { return cells[static_cast<std::size_t>(iy * x_axis.count + ix)]; }
};

// Runs `base` once per cell with the two swept parameters replaced; each line of cells runs as one
// batched ensemble with the swept value per particle (see EnsembleOptions::particle_params), so a
// sweep over any two parameters runs batched. Throws std::invalid_argument
// for an unknown parameter or a swept value out of its valid range (naming the value), and
// std::runtime_error("cancelled") when cancelled (no partial result escapes).
SweepResult run_sweep(const LossSurface& surface, const RunConfig& base, Eigen::Vector2d start, const SweepAxis& x,
                      const SweepAxis& y, const SweepOptions& options = {});

// A cell's value for a metric: final loss; steps to converge (NaN if it never did); distance from
// the final point to the nearest known minimum (NaN if the surface has none). NaN for diverged cells.
double metric_value(const CellResult& cell, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima);

struct BasinResult {
    ViewRect grid;
    int resolution = 0;                 // resolution × resolution starts at cell centres, row 0 at y_min
    std::vector<double> start_x, start_y;
    std::vector<CellResult> cells;
    std::vector<int> basin;             // index into minima, -1: near none of them, -2: diverged
    std::vector<Eigen::Vector2d> minima;
};

// Runs `config` from every start of the grid (one batched ensemble). The grid must pass
// validate_view (core/scene.h) and resolution² × steps stay within limits::kMaxMapParticleSteps. A run belongs to minimum m
// when it ends within `radius` of it (default: 1% of the grid's diagonal).
BasinResult run_basins(const LossSurface& surface, const RunConfig& config, const ViewRect& grid, int resolution,
                       double radius = 0.0, const EnsembleOptions& options = {});

}  // namespace optiviz
