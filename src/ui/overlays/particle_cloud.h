// Particle clouds (particle_cloud.cpp): extra copies of a run from jittered starts (and, with
// mini-batches, their own shuffling seeds), drawn faintly in the map and on the 3-D mesh. One
// setting for every run it applies to — the same jittered starts for each, the fair comparison — in
// the scene's module map. The app computes each cloud in the background from these settings
// (app/derived/derived_scene.cpp: a keyed artifact running core's run_cloud) and counts its paths in
// the scene's trajectory memory budget (OverlayModule::extra_paths).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/scene/scene.h"

namespace optiviz::ui {

inline constexpr std::string_view kParticleCloudOverlay = "particle-cloud";
inline constexpr int kEveryRun = -1;  // ParticleCloudSettings::run: a cloud around every run

struct ParticleCloudSettings {
    int particles = 16;   // extra particles per run, 0 .. limits::kMaxCloud
    double spread = 0.1;  // standard deviation of the start jitter, parameter units (>= 0)
    int run = kEveryRun;  // the run with a cloud (0-based), or kEveryRun
    bool operator==(const ParticleCloudSettings&) const = default;
};

// The scene's cloud settings, or nothing when the module is off or its settings are refused.
std::optional<ParticleCloudSettings> particle_cloud(const Scene& scene);

// Turns the clouds on in `scene` with `settings` (tests, the command line's adopted cloud=).
void set_particle_cloud(Scene& scene, const ParticleCloudSettings& settings);

// The cloud run `run` of `scene` carries: none (0 particles) unless the module is on, names this run
// or every run, and the run is simulated (a run read from a file has no optimizer to run again).
struct RunCloud {
    int particles = 0;
    double spread = 0;
    bool operator==(const RunCloud&) const = default;
};
RunCloud cloud_of_run(const Scene& scene, std::size_t run);

}  // namespace optiviz::ui
