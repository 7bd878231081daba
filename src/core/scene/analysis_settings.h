// The settings of the window's analyses that a scene keeps, so a saved scene brings back what the
// window showed and computed: the sweep map (Scene::sweep) and the Tune panel (Scene::tune). They are
// scene fields like any other: saved in scene files, undone by Ctrl+Z, read by the app from the scene.
// (The basin map is a landscape overlay module: its settings live in Scene::overlays.)
#pragma once

#include <cstddef>
#include <string>

#include "core/analysis/sweep.h"
#include "core/analysis/tune.h"

namespace optiviz {

// The sweep map: one run's outcome over a grid of two of its hyperparameters.
struct SweepSettings {
    bool on = false;
    int run = 0;                          // the swept run, 0-based
    std::string x_param = "lr", y_param;  // empty y: the panel picks the optimizer's next parameter
    double x_lo = 1e-4, x_hi = 1, y_lo = 0, y_hi = 0.99;
    bool x_log = true, y_log = false;
    int resolution = 64;  // cells per side, 1 .. limits::kMaxAxisCount
    SweepMetric metric = SweepMetric::FinalLoss;
    // K runs per cell from jittered starts (spread in parameter units) and seeds, as tuning's.
    int starts = 1;  // 1 .. limits::kMaxMapStarts
    double spread = kDefaultSweepSpread;
    Aggregate aggregate = Aggregate::Median;  // what the map shows of a cell's K runs
    bool operator==(const SweepSettings&) const = default;
};

// "Tune run" and "Tune all": one run's learning rate (and optionally one more parameter), or every
// run's with the same budget, starts and objective.
struct TuneSettings {
    int run = 0;  // the run "Tune run" tunes, 0-based
    // Steps every particle runs. By default the scene's steps: the settings are judged on the steps
    // the runs then show (a setting tuned on 500 steps can blow up at step 1 000).
    bool budget_is_scene_steps = true;
    long budget = 500;     // used when !budget_is_scene_steps; 1 .. limits::kMaxSteps
    int starts = 16;       // K particles per setting (the start and K−1 jittered ones); 1 .. kMaxTuneStarts
    double spread = 0.1;   // start jitter (standard deviation, parameter units)
    TuneObjective objective = TuneObjective::MedianLoss;
    bool allow_diverged = false;  // rank by the objective alone, settings with diverged starts included
    std::string second;           // one more parameter to tune (runs whose optimizer has it); empty: lr only
    int refine = 2;               // refinement rounds around the best lr, 0 .. kMaxTuneRefine
    bool operator==(const TuneSettings&) const = default;
};

inline constexpr int kMaxTuneRefine = 8;           // core/analysis/tune.h's refinement rounds
inline constexpr std::size_t kMaxParamNameBytes = 64;  // a swept or tuned parameter's name

// Throw std::invalid_argument with one line naming the key ("sweep.resolution must be ...") for a
// value out of range; `runs` is the scene's number of runs (a run index names one of them, or is 0
// in a scene without runs). The swept parameters' names are checked against the run's optimizer
// only while the sweep is on (the panel moves the axes to the optimizer's parameters when it changes).
void validate_sweep_settings(const SweepSettings& sweep, const std::string& optimizer, std::size_t runs);
void validate_tune_settings(const TuneSettings& tune, std::size_t runs);

// Throws std::invalid_argument("WHAT must be a run from 0 to N, got I") unless `index` names one of
// `runs` runs (0 is allowed in a scene without runs).
void validate_run_index(long index, std::size_t runs, const std::string& what);

}  // namespace optiviz
