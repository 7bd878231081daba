// The application's one state: the scene, the surface built from it, every run's trajectory,
// playback and the panel's fields. The window, PNG export and `optiviz render` all read it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/dataset.h"
#include "core/loss_surface.h"
#include "core/scene.h"
#include "core/simulation.h"
#include "ui/control_panel.h"
#include "ui/data_view.h"
#include "ui/surface_view.h"
#include "ui/landscape_view.h"
#include "ui/loss_plot.h"

namespace optiviz::app {

class AppState {
public:
    // Builds the surface and computes every run. Throws std::invalid_argument for a bad scene.
    explicit AppState(Scene scene);

    const Scene& scene() const { return scene_; }
    Scene& scene_for_edit() { return scene_; }
    const LossSurface& surface() const { return *surface_; }
    std::shared_ptr<const LossSurface> shared_surface() const { return surface_; }
    const std::vector<Trajectory>& trajectories() const { return trajectories_; }
    // Each run's particle cloud (empty for runs without one).
    const std::vector<std::vector<Trajectory>>& clouds() const { return clouds_; }
    std::uint64_t surface_revision() const { return surface_revision_; }

    ui::Playback playback;
    ui::PanelState panel;

    // Applies the panel's requests: recomputes what changed. A run whose settings are invalid keeps
    // its previous trajectory and the error goes to panel.message.
    void apply(const ui::PanelRequests& requests);
    // Rebuilds the surface from the scene (after surface edits). Keeps the old one on error.
    bool rebuild_surface();
    // Recomputes the given runs (all when empty), on all cores.
    void recompute(std::vector<std::size_t> runs = {});

    void set_start(const Eigen::Vector2d& start);
    void set_view(const ViewRect& view);
    void reset_view();

    // Replaces the whole state with a scene file; on error the current state is kept and the
    // message says why. Returns true on success.
    bool load_scene_file(const std::string& path);
    bool save_scene_file(const std::string& path);
    bool export_csv(const std::string& path);

    // Advances playback by `seconds` of wall time (frame-rate independent).
    void advance(double seconds);
    long last_step() const;  // the last row of the longest run
    long shown_step() const { return static_cast<long>(playback.step); }

    void set_camera(const OrbitCamera& camera) { scene_.camera = camera; }
    bool has_data() const { return original_data_ != nullptr; }
    // The data in its own units (data-driven surfaces only; null otherwise).
    const std::shared_ptr<const Dataset>& original_data() const { return original_data_; }

private:
    void set_message(std::string text, bool error);

    Scene scene_;
    std::shared_ptr<const Dataset> data_;           // as fitted (standardised if asked)
    std::shared_ptr<const Dataset> original_data_;  // in its own units, for the data panel
    std::shared_ptr<const LossSurface> surface_;  // shared with background jobs, which may outlive an edit
    std::vector<Trajectory> trajectories_;
    std::vector<std::vector<Trajectory>> clouds_;
    std::uint64_t surface_revision_ = 0;
};

// Builds the surface a scene names (loading its dataset). Throws std::invalid_argument.
std::unique_ptr<LossSurface> build_surface(const Scene& scene, std::shared_ptr<const Dataset>* data_out = nullptr);

// Runs every run of the scene on `surface` (in parallel). Invalid runs throw std::invalid_argument.
std::vector<Trajectory> compute_runs(const Scene& scene, const LossSurface& surface);

// Writes every run's rows as CSV: run,label,step,x,y,loss,grad_norm.
std::string trajectories_csv(const Scene& scene, const std::vector<Trajectory>& trajectories);

}  // namespace optiviz::app
