#include "core/analysis/sweep.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <mutex>
#include <thread>

#include "core/io/limits.h"
#include "core/optimizers/lr_schedule.h"
#include "core/presentation/number_text.h"
#include "core/optimizers/optimizer.h"
#include "core/scene/scene.h"
#include "core/io/text_escape.h"
#include "core/analysis/tune.h"

namespace optiviz {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The label of a run: the nearest minimum within radius, -1 near none, -2 diverged.
int basin_label(const CellResult& run, const std::vector<Eigen::Vector2d>& minima, double radius) {
    if (run.outcome == Outcome::Diverged) return -2;
    int label = -1;
    double best = radius;
    for (std::size_t m = 0; m < minima.size(); ++m) {
        const double d = std::hypot(run.x - minima[m].x(), run.y - minima[m].y());
        if (d <= best) {
            best = d;
            label = static_cast<int>(m);
        }
    }
    return label;
}

CellResult cell_from(const EnsembleResult& r, std::size_t i) {
    CellResult c;
    c.x = r.x[i];
    c.y = r.y[i];
    c.loss = r.loss[i];
    c.last_step = r.last_step[i];
    c.converged_step = r.converged_step[i];
    c.outcome = r.outcome[i];
    return c;
}

}  // namespace

std::vector<double> SweepAxis::values() const {
    std::vector<double> v(static_cast<std::size_t>(std::max(count, 0)));
    for (int i = 0; i < count; ++i) {
        const double f = count == 1 ? 0.0 : static_cast<double>(i) / (count - 1);
        v[static_cast<std::size_t>(i)] = log ? std::pow(10.0, std::log10(lo) + f * (std::log10(hi) - std::log10(lo)))
                                             : lo + f * (hi - lo);
    }
    if (count > 1) v.back() = hi;  // exact end points
    if (count > 0) v.front() = lo;
    return v;
}

static SweepAxis parse_sweep_axis_fields(const std::string& text, const std::string& what);

SweepAxis parse_sweep_axis(const std::string& text, const std::string& what) {
    try {
        return parse_sweep_axis_fields(text, what);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(printable(e.what(), 300));
    }
}

static SweepAxis parse_sweep_axis_fields(const std::string& text, const std::string& what) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw std::invalid_argument(what + ": expected NAME=LO:HI:lin|log:COUNT, got '" + text + "'");
    SweepAxis axis;
    axis.param = text.substr(0, eq);
    std::vector<std::string> parts;
    std::size_t pos = eq + 1;
    while (true) {
        const auto colon = text.find(':', pos);
        parts.push_back(text.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos));
        if (colon == std::string::npos) break;
        pos = colon + 1;
    }
    if (parts.size() != 4) throw std::invalid_argument(what + ": expected NAME=LO:HI:lin|log:COUNT, got '" + text + "'");
    axis.lo = parse_number(parts[0], what + " low end");
    axis.hi = parse_number(parts[1], what + " high end");
    if (parts[2] != "lin" && parts[2] != "log")
        throw std::invalid_argument(what + ": scale must be lin or log, got '" + parts[2] + "'");
    axis.log = parts[2] == "log";
    const double count = parse_number(parts[3], what + " count");
    if (count != std::floor(count) || count < 1 || count > limits::kMaxAxisCount)
        throw std::invalid_argument(what + ": count must be a whole number from 1 to " +
                                    std::to_string(limits::kMaxAxisCount) + ", got '" + printable(parts[3]) + "'");
    axis.count = static_cast<int>(count);
    if (axis.log && !(axis.lo > 0 && axis.hi > 0))
        throw std::invalid_argument(what + ": a log axis needs LO and HI > 0");
    validate_sweep_axis(axis, what);
    return axis;
}

void validate_sweep_axis(const SweepAxis& axis, const std::string& what) {
    if (!std::isfinite(axis.lo) || !std::isfinite(axis.hi)) throw std::invalid_argument(what + ": LO and HI must be finite");
    if (axis.count < 1 || axis.count > limits::kMaxAxisCount)
        throw std::invalid_argument(what + ": count must be from 1 to " + std::to_string(limits::kMaxAxisCount));
    if (axis.count == 1) return;
    if (!std::isfinite(axis.hi - axis.lo)) throw std::invalid_argument(what + ": HI - LO must be finite");
    // Cells must differ: an axis over a few representable values would draw identical cells.
    const double lo = axis.log ? std::log10(axis.lo) : axis.lo, hi = axis.log ? std::log10(axis.hi) : axis.hi;
    const double scale = std::max(std::abs(lo), std::abs(hi));
    if (std::abs(hi - lo) < scale * 1e-12 || std::abs(hi - lo) < 1e-300)
        throw std::invalid_argument(what + ": LO and HI are too close for " + std::to_string(axis.count) +
                                    " distinct values (they must differ by more than 1e-12 of their size)");
}

SweepMetric parse_sweep_metric(const std::string& name) {
    if (name == "final-loss") return SweepMetric::FinalLoss;
    if (name == "steps") return SweepMetric::Steps;
    if (name == "distance") return SweepMetric::Distance;
    throw std::invalid_argument("unknown metric '" + name + "' (known: final-loss, steps, distance)");
}

std::string_view sweep_metric_name(SweepMetric metric) {
    switch (metric) {
        case SweepMetric::FinalLoss: return "final-loss";
        case SweepMetric::Steps: return "steps";
        case SweepMetric::Distance: return "distance";
    }
    return "final-loss";
}

Aggregate parse_aggregate(const std::string& name) {
    if (name == "median") return Aggregate::Median;
    if (name == "worst") return Aggregate::Worst;
    throw std::invalid_argument("unknown aggregate '" + printable(name, 40) + "' (known: median, worst)");
}

std::string_view aggregate_name(Aggregate aggregate) { return aggregate == Aggregate::Worst ? "worst" : "median"; }

void validate_multi_start(const MultiStart& starts, double cells, const std::string& what) {
    if (starts.count < 1 || starts.count > limits::kMaxMapStarts)
        throw std::invalid_argument(what + ": starts must be from 1 to " + std::to_string(limits::kMaxMapStarts) + ", got " +
                                    std::to_string(starts.count));
    if (!std::isfinite(starts.spread) || starts.spread < 0)
        throw std::invalid_argument(what + ": the spread must be a finite number >= 0");
    if (cells * starts.count > static_cast<double>(limits::kMaxGridCells))
        throw std::invalid_argument(what + ": " + std::to_string(static_cast<long long>(cells)) + " cells x " +
                                    std::to_string(starts.count) + " starts is more than " +
                                    std::to_string(limits::kMaxGridCells) + " runs");
}

double median_of(std::vector<double> values) {
    if (values.empty()) return kInf;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    if (n % 2 == 1) return values[n / 2];
    const double lo = values[n / 2 - 1], hi = values[n / 2];
    return std::isinf(hi) ? kInf : lo + (hi - lo) / 2;
}

double aggregate_metric(std::span<const CellResult> runs, SweepMetric metric, Aggregate aggregate,
                        const std::vector<Eigen::Vector2d>& minima) {
    std::vector<double> values;
    values.reserve(runs.size());
    for (const CellResult& run : runs) {
        const double v = metric_value(run, metric, minima);  // NaN: diverged, never converged, no minimum
        values.push_back(std::isfinite(v) ? v : kInf);
    }
    if (values.empty()) return kInf;
    if (aggregate == Aggregate::Worst) return *std::max_element(values.begin(), values.end());
    return median_of(std::move(values));
}

double aggregate_value(std::span<const CellResult> runs, SweepMetric metric, Aggregate aggregate,
                       const std::vector<Eigen::Vector2d>& minima) {
    if (runs.size() == 1) return metric_value(runs[0], metric, minima);  // exactly the single run's value
    const double v = aggregate_metric(runs, metric, aggregate, minima);
    return std::isinf(v) ? std::numeric_limits<double>::quiet_NaN() : v;
}

bool aggregate_diverged(std::span<const CellResult> runs, Aggregate aggregate) {
    if (runs.size() == 1) return runs[0].outcome == Outcome::Diverged;
    return std::isinf(aggregate_metric(runs, SweepMetric::FinalLoss, aggregate, {}));
}

int diverged_count(std::span<const CellResult> runs) {
    int n = 0;
    for (const CellResult& run : runs) n += run.outcome == Outcome::Diverged || !std::isfinite(run.loss) ? 1 : 0;
    return n;
}

int converged_count(std::span<const CellResult> runs) {
    int n = 0;
    for (const CellResult& run : runs) n += run.outcome == Outcome::Converged ? 1 : 0;
    return n;
}

std::span<const CellResult> SweepResult::runs_of(std::size_t cell) const {
    if (runs.empty()) return {&cells[cell], 1};
    const auto k = static_cast<std::size_t>(starts.count);
    return {runs.data() + cell * k, k};
}

std::span<const CellResult> BasinResult::runs_of(std::size_t cell) const {
    if (runs.empty()) return {&cells[cell], 1};
    const auto k = static_cast<std::size_t>(starts.count);
    return {runs.data() + cell * k, k};
}

SweepResult run_sweep(const LossSurface& surface, const RunConfig& base, Eigen::Vector2d start, const SweepAxis& x,
                      const SweepAxis& y, const SweepOptions& options, const MultiStart& multi) {
    if (x.param == y.param) throw std::invalid_argument("the two sweep axes must be different parameters");
    validate_sweep_axis(x, "the x axis");
    validate_sweep_axis(y, "the y axis");
    validate_multi_start(multi, static_cast<double>(x.count) * y.count, "the sweep");
    const LossSurface::EvaluationCost cost = surface.evaluation_cost();
    limits::check_map_work(static_cast<double>(x.count) * y.count * multi.count, base.steps, "the sweep", cost.factor, cost.size);
    const OptimizerInfo& info = find_optimizer(base.optimizer);
    const auto xs = x.values(), ys = y.values();
    // Validate every swept value up front: a bad range is an error, not a grid of failures.
    for (const auto* axis : {&x, &y}) {
        const ParamSpec* spec = nullptr;
        for (const auto& p : info.params)
            if (p.name == axis->param) spec = &p;
        if (!spec) {
            ParamOverrides probe{{axis->param, 0.0}};
            ParamValues(info.name, info.params, probe);  // throws "adam has no parameter '...'"
        }
        for (double v : axis->values()) validate_param(info.name, *spec, v);
    }
    RunConfig probe = base;
    probe.hyper[x.param] = xs.front();
    probe.hyper[y.param] = ys.front();
    validate_run(surface, probe);

    SweepResult result;
    result.x_axis = x;
    result.y_axis = y;
    result.starts = multi;
    const std::size_t cells = xs.size() * ys.size();
    const auto K = static_cast<std::size_t>(multi.count);
    const std::vector<Eigen::Vector2d> particle_starts = tune_starts(start, multi.count, multi.spread);
    result.cells.resize(cells);
    if (K > 1) result.runs.resize(cells * K);
    // Mini-batch runs share one seed per ensemble: with K > 1, one ensemble per seed.
    const bool ensemble_per_seed = K > 1 && base.batch_size > 0;
    // Lines of cells (all values of one axis at one value of the other) run as batched ensembles
    // with the swept values per particle: exactly equal to separate runs. The values run along x
    // unless x is the learning rate under a schedule that cannot take one lr per particle, and then
    // along y.
    const bool lr_per_particle_ok =
        base.schedule.kind == ScheduleKind::Constant || base.schedule.kind == ScheduleKind::Plateau;
    const bool along_x = x.param != "lr" || lr_per_particle_ok;
    const auto& along = along_x ? xs : ys;    // values per particle within a line
    const auto& across = along_x ? ys : xs;   // one value per line
    const std::string& along_param = along_x ? x.param : y.param;
    const std::string& across_param = along_x ? y.param : x.param;
    std::atomic<bool> failed{false};
    std::string failure;
    std::mutex failure_mutex;
    const std::size_t lines = across.size();
    WorkerPool& pool = WorkerPool::shared();
    const std::size_t threads = std::max<std::size_t>(
        1, std::min<std::size_t>(options.threads > 0 ? static_cast<std::size_t>(options.threads) : pool.size(), lines));
    // A band of lines runs as one ensemble in tiles of kTile values × kTile lines, so that a chunk of
    // the ensemble's particles (256) shares a few dozen optimizer variants, and with them their
    // per-step tables (Adam's bias corrections per β): a β2 × β1 sweep then reads as little table
    // memory per step as an lr × β1 one. A line's value is then per particle too, except a learning
    // rate that cannot be (a schedule), whose lines run one by one. Bands are small enough for every
    // thread to get several.
    constexpr std::size_t kTile = 16;
    const bool across_per_particle = across_param != "lr" || lr_per_particle_ok;
    // A learning rate along the lines needs no table, and one line per band keeps the other
    // parameter's tables one per chunk: tiles only when both values bring tables of their own.
    const bool tiles = across_per_particle && along_param != "lr";
    const std::size_t band = tiles ? std::clamp<std::size_t>(lines / (2 * threads), 1, kTile) : 1;
    // The particles of lines first_line .. first_line + band_lines − 1 with starts first_k ..
    // first_k + k_count − 1: one ensemble, or one per seed when every seed runs on its own.
    auto run_band = [&](std::size_t first_line, std::size_t band_lines, std::size_t first_k, std::size_t k_count) {
        RunConfig config = base;
        config.hyper[across_param] = across[first_line];
        if (ensemble_per_seed) config.seed = base.seed + first_k;
        std::vector<double> sxs, sys, along_values, across_values;
        std::vector<std::size_t> cell_of, k_of;  // per particle
        for (std::size_t tile = 0; tile < along.size(); tile += kTile)
            for (std::size_t line = first_line; line < first_line + band_lines; ++line)
                for (std::size_t c = tile; c < std::min(tile + kTile, along.size()); ++c)
                    for (std::size_t k = first_k; k < first_k + k_count; ++k) {
                        sxs.push_back(particle_starts[k].x());
                        sys.push_back(particle_starts[k].y());
                        along_values.push_back(along[c]);
                        across_values.push_back(across[line]);
                        cell_of.push_back(along_x ? line * xs.size() + c : c * xs.size() + line);
                        k_of.push_back(k);
                    }
        const ParticleParam params[] = {{along_param, along_values}, {across_param, across_values}};
        EnsembleOptions ensemble;
        ensemble.threads = 1;
        ensemble.cancel = options.cancel;
        ensemble.particle_params = std::span<const ParticleParam>(params, across_per_particle ? 2 : 1);
        const EnsembleResult r = run_ensemble(surface, config, sxs, sys, ensemble);
        for (std::size_t i = 0; i < cell_of.size(); ++i) {
            const CellResult run = cell_from(r, i);
            if (k_of[i] == 0) result.cells[cell_of[i]] = run;
            if (K > 1) result.runs[cell_of[i] * K + k_of[i]] = run;
        }
    };
    // One pool item a band: a worker can take higher-priority work between bands.
    auto run_item = [&](std::size_t item) {
        if (failed || (options.cancel && options.cancel->load(std::memory_order_relaxed))) return;
        const std::size_t first_line = item * band;
        const std::size_t band_lines = std::min(band, lines - first_line);
        try {
            if (ensemble_per_seed)
                for (std::size_t k = 0; k < K; ++k) run_band(first_line, band_lines, k, 1);
            else
                run_band(first_line, band_lines, 0, K);
        } catch (const std::exception& e) {
            if (options.cancel && options.cancel->load()) return;  // cancelled: the caller throws
            std::lock_guard<std::mutex> lock(failure_mutex);
            if (!failed) failure = e.what();
            failed = true;
            return;
        }
        if (options.progress) options.progress->fetch_add(static_cast<long>(along.size() * band_lines));
    };
    pool.parallel_for((lines + band - 1) / band, run_item, options.priority, threads);
    if (options.cancel && options.cancel->load()) throw std::runtime_error("cancelled");
    if (failed) throw std::invalid_argument(failure);
    return result;
}

double metric_value(const CellResult& cell, SweepMetric metric, const std::vector<Eigen::Vector2d>& minima) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (cell.outcome == Outcome::Diverged) return kNaN;
    switch (metric) {
        case SweepMetric::FinalLoss: return cell.loss;
        case SweepMetric::Steps: return cell.converged_step >= 0 ? static_cast<double>(cell.converged_step) : kNaN;
        case SweepMetric::Distance: {
            if (minima.empty()) return kNaN;
            double best = std::numeric_limits<double>::infinity();
            for (const auto& m : minima) best = std::min(best, std::hypot(cell.x - m.x(), cell.y - m.y()));
            return best;
        }
    }
    return kNaN;
}

BasinResult run_basins(const LossSurface& surface, const RunConfig& config, const ViewRect& grid, int resolution,
                       double radius, const EnsembleOptions& options, const MultiStart& multi) {
    if (resolution < 1 || resolution > limits::kMaxBasinResolution)
        throw std::invalid_argument("resolution must be from 1 to " + std::to_string(limits::kMaxBasinResolution));
    if (!(grid.x_max > grid.x_min) || !(grid.y_max > grid.y_min))
        throw std::invalid_argument("the grid must have XMAX > XMIN and YMAX > YMIN");
    validate_view(grid, "the grid");
    const double cell_count = static_cast<double>(resolution) * resolution;
    validate_multi_start(multi, cell_count, "the basin map");
    const LossSurface::EvaluationCost cost = surface.evaluation_cost();
    limits::check_map_work(cell_count * multi.count, config.steps, "the basin map", cost.factor, cost.size);
    BasinResult result;
    result.grid = grid;
    result.resolution = resolution;
    result.starts = multi;
    result.minima = surface.minima();
    const auto n = static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution);
    const auto K = static_cast<std::size_t>(multi.count);
    result.start_x.resize(n);
    result.start_y.resize(n);
    for (int r = 0; r < resolution; ++r)
        for (int c = 0; c < resolution; ++c) {
            const auto i = static_cast<std::size_t>(r * resolution + c);
            result.start_x[i] = grid.x_min + (grid.x_max - grid.x_min) * (c + 0.5) / resolution;
            result.start_y[i] = grid.y_min + (grid.y_max - grid.y_min) * (r + 0.5) / resolution;
        }
    if (!(radius > 0)) radius = 0.01 * std::hypot(grid.x_max - grid.x_min, grid.y_max - grid.y_min);
    result.cells.resize(n);
    result.basin.assign(n, -1);
    result.agree.assign(n, 1);
    if (K == 1) {
        const EnsembleResult r = run_ensemble(surface, config, result.start_x, result.start_y, options);
        for (std::size_t i = 0; i < n; ++i) {
            result.cells[i] = cell_from(r, i);
            result.basin[i] = basin_label(result.cells[i], result.minima, radius);
        }
        return result;
    }

    // K runs per cell: run (cell i, particle k) at index i·K + k of one ensemble, or i of ensemble
    // k when mini-batches need a seed per particle. tune_starts around the origin with unit spread
    // gives its draws (u, v) exactly.
    const double w = (grid.x_max - grid.x_min) / resolution, h = (grid.y_max - grid.y_min) / resolution;
    const auto draws = tune_starts({0, 0}, multi.count, 1.0);
    std::vector<double> sx(n * K), sy(n * K);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < K; ++k) {
            sx[i * K + k] = k == 0 ? result.start_x[i] : result.start_x[i] + multi.spread * w * draws[k].x();
            sy[i * K + k] = k == 0 ? result.start_y[i] : result.start_y[i] + multi.spread * h * draws[k].y();
        }
    result.runs.resize(n * K);
    if (config.batch_size == 0) {
        const EnsembleResult r = run_ensemble(surface, config, sx, sy, options);
        for (std::size_t j = 0; j < n * K; ++j) result.runs[j] = cell_from(r, j);
    } else {
        std::vector<double> kx(n), ky(n);
        for (std::size_t k = 0; k < K; ++k) {
            for (std::size_t i = 0; i < n; ++i) {
                kx[i] = sx[i * K + k];
                ky[i] = sy[i * K + k];
            }
            RunConfig seeded = config;
            seeded.seed = config.seed + k;
            const EnsembleResult r = run_ensemble(surface, seeded, kx, ky, options);
            for (std::size_t i = 0; i < n; ++i) result.runs[i * K + k] = cell_from(r, i);
        }
    }
    result.run_basin.resize(n * K);
    for (std::size_t j = 0; j < n * K; ++j) result.run_basin[j] = basin_label(result.runs[j], result.minima, radius);
    std::vector<int> votes(result.minima.size() + 2);  // labels -2 .. minima - 1
    for (std::size_t i = 0; i < n; ++i) {
        const int* labels = result.run_basin.data() + i * K;
        // The most common label; ties go to the label seen first in particle order.
        std::fill(votes.begin(), votes.end(), 0);
        for (std::size_t k = 0; k < K; ++k) ++votes[static_cast<std::size_t>(labels[k] + 2)];
        std::size_t best = 0;
        int best_count = 0;
        for (std::size_t k = 0; k < K; ++k) {
            const int count = votes[static_cast<std::size_t>(labels[k] + 2)];
            if (count > best_count) {
                best_count = count;
                best = k;
            }
        }
        result.basin[i] = labels[best];
        result.agree[i] = best_count;
        result.cells[i] = result.runs[i * K + best];
    }
    return result;
}

}  // namespace optiviz
