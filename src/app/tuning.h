// The window's tuning: "Tune run" and "Tune all" as a background Job (progress, Cancel), and, when
// a search finishes, its best settings applied to the scene as one edit (the frame's SceneHistory
// records it, so Ctrl+Z undoes it). A run that was edited while it was tuned keeps the edit: its
// row is shown but not applied.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/job.h"
#include "core/tune.h"
#include "ui/tune_panel.h"

namespace optiviz::app {

// What one search tuned: for each run, its index, its settings before tuning and the result.
struct TuneBatch {
    std::vector<std::size_t> runs;
    std::vector<RunConfig> before;    // scene.runs[i].config when the search started
    std::vector<std::string> labels;  // "2: Adam" (a run's own label, or its optimizer's name)
    std::vector<TuneResult> results;
};

// The search for `runs` of `scene` with the panel's settings (the same request shape for every run:
// budget, starts, spread, objective, refinement; the second parameter for runs that have it).
TuneRequest tune_request(const Scene& scene, std::size_t run, const ui::TuneSettings& settings);

// Gives each run of `batch` its best settings if the run is unchanged since (returns how many were
// applied; `skipped` counts changed runs).
int apply_tuned(const TuneBatch& batch, Scene& scene, int* skipped = nullptr);

class Tuning {
public:
    ui::TuneSettings settings;

    // Starts (Tune run / Tune all, cancelling a search in progress) or cancels a search.
    void apply(const ui::TuneRequests& requests, AppState& state);
    // Takes a finished search and applies its best settings to the scene (never blocks).
    void update(AppState& state);
    // Waits for a search in progress, then takes it (scripted screenshots, tests).
    void wait(AppState& state);
    bool running() const { return job_.pending(); }

    ui::TuneStatus status() const;
    const TuneBatch* last() const { return last_.get(); }

private:
    Job<TuneBatch> job_;
    std::shared_ptr<const TuneBatch> last_;
    std::string message_;
    bool message_is_error_ = false;
};

}  // namespace optiviz::app
