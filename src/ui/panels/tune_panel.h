// Controls for tuning: search one run's learning rate (and optionally one more parameter), or every
// run's with the same budget, starts and objective (a fair race), and the table of what each run
// was tuned to. The panel edits the scene's tune settings and reports requests; the app runs the search in the
// background (app/derived/tuning.h) and applies the best settings to the scene.
#pragma once

#include <string>
#include <vector>

#include "core/scene/scene.h"

namespace optiviz::ui {

// The settings are the scene's (Scene::tune, core/scene/analysis_settings.h): saved and undone with it.
using TuneSettings = optiviz::TuneSettings;

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
    bool found = false;         // false: no setting had a finite score (nothing applied; lr is the least bad)
    bool every_diverged = false;  // every setting tried had a diverged particle: lr is the least bad
    bool winner = false;        // the race's winner (Tune all, two runs or more)
    std::string stale;          // why the run no longer has these settings ("" when it has them)
};

struct TuneStatus {
    bool running = false;
    float progress = 0;
    std::string objective;      // of the table's search (tune_goal_name)
    long budget = 0;
    long shown_steps = 0;       // the scene's steps now (the table warns when they are not the budget)
    int starts = 0;
    std::string stale;          // why the whole table no longer fits the scene ("" when it does)
    std::vector<TuneRow> rows;  // the last finished search
    std::string message;        // what happened to the last search (applied, stale, an error)
    bool message_is_error = false;
};

struct TuneRequests {
    bool tune_run = false;  // tune settings.run
    bool tune_all = false;  // every run, same budget and objective
    bool cancel = false;
};

// Edits scene.tune; reports Tune run / Tune all / Cancel.
TuneRequests draw_tune_panel(Scene& scene, const TuneStatus& status);

// The last search's table: per tuned run, its best lr (and second parameter), score and diverged
// particles; the budget it was tuned on (marked when the runs show another number of steps), the
// winner, and what is stale. Columns fit their widest cell and the table scrolls sideways rather than
// cut a number. Draws nothing without one.
void draw_tune_table(const TuneStatus& status);

// The table's header and cells: run, lr, also (only when some row tuned a second parameter), score,
// diverged ("7/16"). Numbers are whole, to 3 significant digits ("6.69e-05", "inf").
struct TuneTable {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};
TuneTable tune_table(const TuneStatus& status);

}  // namespace optiviz::ui
