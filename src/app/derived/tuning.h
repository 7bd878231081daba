// The window's tuning: "Tune run" and "Tune all" as a background Job (progress, Cancel), and, when
// a search finishes, its best settings applied to the scene as one edit (the frame's SceneHistory
// records it, so Ctrl+Z undoes it). A search carries the key it was computed for: the surface (with
// its data), the start and each run's settings. A search whose surface or start no longer match the
// scene is refused whole; a run that was edited while it was tuned keeps the edit. The table then
// says what is stale, and keeps saying it whenever the scene stops matching it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app_state.h"
#include "app/derived/job.h"
#include "core/analysis/tune.h"
#include "ui/panels/tune_panel.h"

namespace optiviz::app {

// What a search was computed for, besides each run's settings: the surface as it was built (its key)
// and the start.
struct TuneKey {
    SurfaceKey surface;
    Eigen::Vector2d start{0, 0};
    bool operator==(const TuneKey&) const = default;
};
TuneKey tune_key(const SurfaceKey& surface, const Scene& scene);

// Why a search with `key` does not fit `scene` ("" when it does): "the surface is himmelblau now,
// tuned on rosenbrock", "the data changed", "the start moved from (-1.5, 2)".
std::string tune_key_mismatch(const TuneKey& key, const Scene& scene);

// What one search tuned: its key, and for each run its index, its settings before tuning and the result.
struct TuneBatch {
    TuneKey key;
    std::vector<std::size_t> runs;
    std::vector<RunConfig> before;    // scene.runs[i].config when the search started
    std::vector<std::string> labels;  // "2: Adam" (a run's own label, or its optimizer's name)
    std::vector<TuneResult> results;
};

// The search for run `run` of `scene` with the scene's tune settings (the same request shape for every
// run: budget, starts, spread, objective, refinement; the second parameter for runs that have it).
TuneRequest tune_request(const Scene& scene, std::size_t run);

// The settings run `batch.runs[k]` has when this search's result is in it: its settings before tuning
// with the best lr (and second parameter) when the best setting has a score.
RunConfig tuned_config(const TuneBatch& batch, std::size_t k);

struct ApplyOutcome {
    int applied = 0;      // runs that got their best settings
    int skipped = 0;      // runs edited (or removed) while tuning: they keep their edit
    int no_score = 0;     // runs where no setting had a score: nothing to apply, they keep theirs
    std::string refused;  // the key mismatch that refused the whole search ("" if none)
};
// Gives each run of `batch` its best settings if the scene still has the batch's key and the run is
// unchanged since the search started. A refused search changes nothing.
ApplyOutcome apply_tuned(const TuneBatch& batch, Scene& scene);

// The row of the race's winner: among runs whose best setting has a score, the fewest diverged
// particles at it (unless the search allowed divergence), then the lowest score, then the lowest
// median loss, then the first run. None with fewer than two runs or no score at all.
std::optional<std::size_t> race_winner(const TuneBatch& batch);

// "applied the best settings to 2 runs (Ctrl+Z undoes it)", "not applied: the surface is ...".
std::string applied_message(const ApplyOutcome& outcome);

class Tuning {
public:
    // Starts (Tune run / Tune all, cancelling a search in progress) or cancels a search.
    void apply(const ui::TuneRequests& requests, AppState& state);
    // Takes a finished search and applies its best settings to the scene (never blocks); checks the
    // shown table against the scene (call once per frame).
    void update(AppState& state);
    // Waits for a search in progress, then takes it (scripted screenshots, tests).
    void wait(AppState& state);
    bool running() const { return job_.pending(); }

    ui::TuneStatus status() const;
    const TuneBatch* last() const { return last_.get(); }

private:
    Job<TuneBatch> job_;
    // Brings the table's staleness in line with `scene`.
    void check_stale(const Scene& scene);

    std::shared_ptr<const TuneBatch> last_;
    std::string stale_;                    // the table's key mismatch with the scene
    std::vector<std::string> row_stale_;   // per row: why that run no longer has its tuned settings
    long shown_steps_ = 0;                 // the scene's steps
    std::string message_;
    bool message_is_error_ = false;
};

}  // namespace optiviz::app
