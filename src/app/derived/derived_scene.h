// Everything computed from a scene — its surface (with the data it was fitted on), each run's
// trajectory and each run's particle cloud — as artifacts keyed by exactly the fields they depend on.
//
// update() is called every frame with the scene (the model). It computes each artifact's key, which
// is cheap (a data file is stat()ed, never read; nothing is serialised), and starts a background job
// only for keys that changed. Each artifact keeps its last good value while its new one is computed,
// and the error of its current key. The views read the values; nobody tells this class what changed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/derived/job.h"
#include "app/derived/model_scene.h"
#include "core/surfaces/dataset.h"
#include "core/surfaces/loss_surface.h"
#include "core/scene/scene.h"
#include "core/optimizers/simulation.h"

namespace optiviz::app {

// A data file as a stat() sees it: new size or modification time means new content.
struct FileStamp {
    bool exists = false;
    std::uintmax_t size = 0;
    std::int64_t modified_ns = 0;
    bool operator==(const FileStamp&) const = default;
};
FileStamp stamp_of(const std::string& path);

// What a surface depends on.
struct SurfaceKey {
    std::string surface;
    std::string expression;  // your own f(x, y) (surface "expr")
    ParamOverrides params;
    DatasetChoice data;
    FileStamp file;  // for DatasetChoice::Kind::File
    bool operator==(const SurfaceKey&) const = default;
};
SurfaceKey surface_key(const Scene& scene);

struct BuiltSurface {
    std::shared_ptr<const LossSurface> surface;
    std::shared_ptr<const Dataset> data;      // as fitted (standardised if asked); null for analytic surfaces
    std::shared_ptr<const Dataset> original;  // in its own units, for the data panel
    // What the data panel reads of the data on every frame, computed once with it (never per frame).
    ViewRect data_bounds;              // the original rows' extent
    Standardization standardization;   // of the original rows' x
};
// A surface with the key it was built from: caches of pictures of it (the heatmap, the 3-D mesh) are
// keyed by the key's value, never by the object's address.
struct KeyedSurface {
    std::shared_ptr<const LossSurface> surface;
    SurfaceKey key;
};

// Builds the surface a scene names, reading its data. Throws std::invalid_argument with one line.
BuiltSurface build_surface(const Scene& scene);

// What a trajectory depends on: the surface object itself (the key holds it, so its identity
// cannot be reused), the run's whole configuration (steps and state recording included), the start.
// An imported run depends on its points (the shared, immutable path) and the surface only: its
// config and start are left at their defaults, so no slider recomputes it.
struct RunKey {
    std::shared_ptr<const LossSurface> surface;
    RunConfig config;
    Eigen::Vector2d start{0, 0};
    std::shared_ptr<const ImportedPath> imported;
    bool operator==(const RunKey& other) const {
        return surface == other.surface && config == other.config && start == other.start && imported == other.imported;
    }
};
struct CloudKey {
    RunKey run;
    int count = 0;
    double spread = 0;
    bool operator==(const CloudKey&) const = default;
};

// Run i of `scene` as the core runs it: the scene's horizon, and state recorded for the glyph run.
RunConfig run_config(const Scene& scene, std::size_t run);

class DerivedScene {
public:
    using SurfaceArtifact = Artifact<SurfaceKey, BuiltSurface>;
    using RunArtifact = Artifact<RunKey, Trajectory>;
    using CloudArtifact = Artifact<CloudKey, std::vector<Trajectory>>;

    // Brings every artifact in line with `scene` (see above). Never blocks. Returns true when it
    // started work.
    bool update(const Scene& scene);
    // Waits up to `budget` in all for work in progress, so a slider drag on a fast surface shows its
    // new paths in the same frame; slow work keeps running and shows when it is ready.
    void settle(std::chrono::steady_clock::duration budget);
    // Waits until nothing is pending (pictures, the command line and tests).
    void wait();
    // Installs a surface built elsewhere (opening a scene builds it first, to refuse a bad one).
    void set_surface(const Scene& scene, BuiltSurface built);

    const SurfaceArtifact& surface() const { return surface_; }
    std::size_t runs() const { return runs_.size(); }
    const RunArtifact& run(std::size_t i) const { return *runs_[i]; }
    const CloudArtifact& cloud(std::size_t i) const { return *clouds_[i]; }
    bool busy() const;
    // Threads not yet joined, over every artifact (cancelled work finishing included).
    std::size_t threads() const;
    // How many surfaces have been built or installed (tests: a frame that changes nothing builds none).
    int surface_builds() const { return surface_builds_; }
    // The model surface's stages (app/derived/model_scene.h); null until a model scene was shown.
    const ModelScene* model() const { return model_.get(); }

private:
    // Keeps each run's artifact with its run when runs are inserted or removed.
    template <class A, class K>
    void match(std::vector<std::unique_ptr<A>>& artifacts, const std::vector<K>& keys);

    // A model scene: its stages run, and their picture is installed as the surface and the runs.
    bool update_model(const Scene& scene);

    SurfaceArtifact surface_;
    int surface_builds_ = 0;
    std::unique_ptr<ModelScene> model_;
    int model_revision_shown_ = 0;
    int model_paths_shown_ = 0;  // the model's paths_version() the runs show
    int model_pictures_ = 0;  // every model picture installed, for unique surface keys
    std::vector<std::unique_ptr<RunArtifact>> runs_;
    std::vector<std::unique_ptr<CloudArtifact>> clouds_;
};

}  // namespace optiviz::app
