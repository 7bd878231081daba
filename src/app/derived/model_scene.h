// What a scene on the model surface derives, as keyed artifacts in the background like every other
// derived result (app/derived/derived_scene.h, app/derived/job.h), in three stages:
//   1. the data: the shipped data set split and standardised, the network and its seeded start
//      (key: the scene's ModelChoice);
//   2. each run trained in full parameter space from that start, every step's parameters kept
//      (key: the data and the run's configuration), one pool task per run;
//   3. the plane through the runs (key: the data, every run's result, the plane kind): the plane,
//      every path projected onto it with each point's distance from it, and the loss on a 17 × 17
//      grid (the first picture); then the 65 × 65 grid refined from it (same key).
// The plane stage starts once every run is in, so the picture always shows one plane with the paths
// projected onto it. A run whose settings changed (a slider) trains again alone, and the picture
// follows it at once: its first rows are trained on the calling thread within kFirstRowsBudget, the
// rest on the pool, and the rows trained so far are projected onto the plane shown every frame
// (progress() says how far it has got). Its old rows never show once its settings changed; its
// work for older settings is cancelled. When every run is in, the plane through them replaces it.
//
// DerivedScene shows the result as it shows any surface: a PlaneSurface (plane coordinates a, b;
// core/models/plane_surface.h) and, for each run, its projected path as a Trajectory.
#pragma once

#include <chrono>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/derived/job.h"
#include "core/surfaces/loss_surface.h"
#include "core/models/loss_plane.h"
#include "core/models/model_choice.h"
#include "core/models/training.h"
#include "core/scene/scene.h"
#include "core/optimizers/simulation.h"

namespace optiviz::app {

struct ModelRunKey {
    std::shared_ptr<const models::ModelData> data;
    RunConfig config;
    bool operator==(const ModelRunKey& o) const { return data == o.data && config == o.config; }
};

struct ModelPlaneKey {
    std::shared_ptr<const models::ModelData> data;
    std::vector<std::shared_ptr<const models::TrainingResult>> runs;  // the runs that trained (failed ones left out)
    std::vector<std::size_t> run_index;                               // which scene run each one is
    std::vector<RunConfig> configs;                                   // with the settings they trained with
    std::string plane;
    std::uint64_t plane_seed = 0;
    bool operator==(const ModelPlaneKey&) const = default;
};

// The plane stage's value.
struct ModelPlane {
    models::ParameterPlane plane;
    std::vector<std::vector<models::PlaneProjection>> paths;  // per key run, per row
    std::shared_ptr<const models::PlaneGrid> grid;            // 17 × 17
};

// The most rows the PCA takes from all runs together (every k-th row of each run, its last row
// always): the plane's cost grows with the square of the rows.
inline constexpr std::size_t kPcaRows = 360;

// How long update() trains a run whose settings just changed before handing it to the worker pool,
// so that the frame of a slider move already shows the new run's first steps.
inline constexpr std::chrono::milliseconds kFirstRowsBudget{4};
// How often a run training on the pool hands its rows so far to the window (about a frame).
inline constexpr std::chrono::milliseconds kRowsPublishInterval{15};

// The rows of a run trained so far, handed from its pool task to the window.
struct LiveRows {
    mutable std::mutex mutex;
    std::shared_ptr<const models::TrainingResult> rows;  // a copy of the rows so far (null before any)
    void publish(const models::TrainingResult& result);
    std::shared_ptr<const models::TrainingResult> latest() const;
};

// The plane of `runs` (their snapshots: every row's parameters) of the given kind; `initial` is the
// runs' common start (the three-point plane's origin). Throws std::invalid_argument with one line.
models::ParameterPlane model_plane(const models::Network& network, std::span<const double> initial,
                                   const std::vector<std::shared_ptr<const models::TrainingResult>>& runs,
                                   models::PlaneKind kind, std::uint64_t seed);

// Runs logged by a training script (ModelChoice::snapshots), read as training results: a row per
// snapshot (snapshot_rows: the logged steps), the loss evaluated by optiviz when the choice names a
// data set and a network of the logs' size (data then set), else the logged loss; no gradient norms.
struct LoggedRuns {
    std::shared_ptr<const models::ModelData> data;  // null: the paths alone
    std::vector<std::shared_ptr<const models::TrainingResult>> runs;
    // Per run: whether its loss column was logged (false: no data set to evaluate and "nan" in the
    // file, so the loss is unknown and the path lies on a flat field).
    std::vector<bool> loss_known;
};
// Throws std::invalid_argument with one line (a file that cannot be read, logs of different sizes,
// a network whose size is not the logs').
LoggedRuns load_logged_runs(const models::ModelChoice& choice);

// A run's projected path as the 2-D views read it: x, y the plane coordinates, loss the training
// loss at the run's real parameters (not the plane's loss there), gx the full gradient's norm and
// gy 0 (the views read a norm from them), the outcome and learning rates of the run.
Trajectory projected_trajectory(const models::TrainingResult& result, const std::vector<models::PlaneProjection>& path);

class ModelScene {
public:
    // Brings the stages in line with `scene` (a model scene). Never blocks. True when it started work.
    bool update(const Scene& scene);
    void settle(std::chrono::steady_clock::duration budget);
    void wait();
    bool busy() const;
    std::size_t threads() const;

    // Changes whenever a new picture is ready (a new plane, or its finer grid); 0 before the first.
    int revision() const { return revision_; }
    // Changes whenever a path shown changes (a new picture, or more rows of a run training again).
    int paths_version() const { return paths_version_; }
    // How far run i has got: rows trained so far (of the settings asked for), of at most `total`;
    // `training` while they are still coming (its path then shows those rows on the current plane).
    struct Progress {
        long rows = 0, total = 0;
        bool training = false;
    };
    Progress progress(std::size_t run) const;
    // Scene run i when it is a logged run (ModelChoice::snapshots): its snapshots' count, first and
    // last logged steps, and whether its loss is known (evaluated by optiviz or logged).
    struct Logged {
        long snapshots = 0, first_step = 0, last_step = 0;
        bool loss_known = false;
    };
    std::optional<Logged> logged(std::size_t run) const;
    // The picture's surface (a PlaneSurface), null before the first plane.
    std::shared_ptr<const LossSurface> surface() const { return surface_; }
    // The plane shown and what it was computed from (null before the first).
    const ModelPlane* plane() const { return published_plane_.get(); }
    const ModelPlaneKey* plane_key() const { return published_key_ ? &*published_key_ : nullptr; }
    // Scene run i as the picture shows it: its projected path, its training result (the rows so far
    // while it trains again) and the settings it trained with (all null when nothing is shown).
    const Trajectory* path(std::size_t run) const;
    const models::TrainingResult* result(std::size_t run) const;
    // Run i's test loss as a Trajectory (loss column only meaningful), null without test rows.
    const Trajectory* test_path(std::size_t run) const;
    // How far run i's path leaves the plane: the largest distance of a row from it, and the
    // distance between its first and last parameters (for scale), in parameter units.
    struct OffPlane {
        double largest = 0, travelled = 0;
    };
    std::optional<OffPlane> off_plane(std::size_t run) const;
    const RunConfig* config(std::size_t run) const;
    const std::vector<models::PlaneProjection>* projections(std::size_t run) const;
    // The data and network (null until built).
    const std::shared_ptr<const models::ModelData>& data() const { return data_.value(); }
    // Why run i (or the data, or the plane) cannot be shown for the current settings; "" if nothing failed.
    std::string error(std::size_t run) const;
    // Why the picture is not there: the data's or the plane's failure ("" if none).
    std::string picture_error() const;

private:
    using RunArtifact = Artifact<ModelRunKey, models::TrainingResult>;
    // A scene run's training and, while the plane shown is not yet through its current rows, those
    // rows projected onto that plane.
    struct RunSlot {
        RunArtifact artifact;
        std::shared_ptr<LiveRows> live;  // rows of the key asked for, while its pool task trains
        RunConfig config;                // the settings asked for
        // The fresh rows as shown: what they came from, and their projection onto published_plane_.
        std::shared_ptr<const models::TrainingResult> shown;
        std::shared_ptr<const ModelPlane> shown_on;
        std::vector<models::PlaneProjection> projections;
        Trajectory path, test_path;
    };
    // Starts training `key` in `slot`: rows on this thread within kFirstRowsBudget, the rest on the pool.
    bool start_run(RunSlot& slot, const ModelRunKey& key);
    // The rows of `slot` not yet on the plane shown, projected onto it (none when the plane holds them).
    void refresh_fresh_rows(std::size_t run);
    bool fresh(std::size_t run) const;  // run i shows its fresh rows (not the plane's path)
    bool update_logged(const Scene& scene);
    // Starts the plane and then its finer grid for `key` once the runs are in.
    bool request_plane(const ModelPlaneKey& key);
    std::optional<std::size_t> held(std::size_t run) const;  // the plane's index of scene run i
    // The rows the shown plane was computed through for scene run i, when they were trained with
    // exactly `key`'s settings (a slider moved back to them): shown again without training.
    std::shared_ptr<const models::TrainingResult> plane_rows(std::size_t run, const ModelRunKey& key) const;
    void publish();

    Artifact<models::ModelChoice, models::ModelData> data_;  // keyed by the choice without its plane
    std::vector<std::unique_ptr<RunSlot>> runs_;
    Artifact<std::string, LoggedRuns> logs_;  // keyed by the files' names, sizes and times
    Artifact<ModelPlaneKey, ModelPlane> plane_;
    Artifact<ModelPlaneKey, models::PlaneGrid> fine_;
    int revision_ = 0;
    int paths_version_ = 0;
    std::shared_ptr<const LossSurface> surface_;
    std::vector<Trajectory> paths_, test_paths_;  // per plane run
    std::shared_ptr<const ModelPlane> published_plane_;  // what surface_ and paths_ were made from
    std::optional<ModelPlaneKey> published_key_;
    std::shared_ptr<const models::PlaneGrid> published_grid_;
};

}  // namespace optiviz::app
