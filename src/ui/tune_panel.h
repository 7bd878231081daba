// Controls for tuning: search one run's learning rate (and optionally one more parameter), or every
// run's with the same budget, starts and objective (a fair race), and the table of what each run
// was tuned to. The panel edits settings and reports requests; the app runs the search in the
// background (app/tuning.h) and applies the best settings to the scene.
#pragma once

#include <string>
#include <vector>

#include "core/scene.h"

namespace optiviz::ui {

struct TuneSettings {
    int run = 0;              // the run "Tune run" tunes
    long budget = 500;        // steps every particle runs
    int starts = 16;          // K particles per setting (the start and K−1 jittered ones)
    double spread = 0.1;      // start jitter (standard deviation, parameter units)
    int objective = 0;        // 0 median loss, 1 worst loss, 2 steps to tolerance, 3 distance to a minimum
    std::string second;       // one more parameter to tune (runs whose optimizer has it); empty: lr only
    int refine = 2;           // refinement rounds around the best lr
};

// One tuned run, as the table shows it.
struct TuneRow {
    std::string run;            // "2: Adam"
    double lr = 0;
    std::string second_param;   // empty without one
    double second = 0;
    double score = 0;           // +inf: nothing had a value
    double median_loss = 0;
    int diverged = 0;           // of the best setting's particles
    int tried = 0;              // settings tried
    bool found = false;         // false: no setting had a finite score (nothing applied)
};

struct TuneStatus {
    bool running = false;
    float progress = 0;
    std::string objective;      // of the table's search
    long budget = 0;
    int starts = 0;
    std::vector<TuneRow> rows;  // the last finished search
    std::string message;        // what happened to the last search (applied, stale, an error)
    bool message_is_error = false;
};

struct TuneRequests {
    bool tune_run = false;  // tune settings.run
    bool tune_all = false;  // every run, same budget and objective
    bool cancel = false;
};

// The objectives in TuneSettings::objective order, by core name (core/tune.h).
inline constexpr const char* kTuneObjectiveNames[] = {"median-loss", "worst-loss", "steps", "distance"};

TuneRequests draw_tune_panel(TuneSettings& settings, const Scene& scene, const TuneStatus& status);

// The last search's table: per tuned run, its best lr (and second parameter), score and diverged
// particles. Draws nothing without one.
void draw_tune_table(const TuneStatus& status);

}  // namespace optiviz::ui
