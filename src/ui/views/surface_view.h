// The 3-D view: the surface as a lit mesh (rendered by the app into a texture) with the runs'
// paths riding on it, projected through the same OrbitCamera; drag to orbit, right/middle-drag or
// shift-drag to pan, wheel to zoom. Like the map: the start and the minima sit on the surface, every
// run's marker is drawn after all paths, and the colorbar and the legend (with each run's status)
// have their own column to the right of the mesh.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/presentation/color_scale.h"
#include "core/presentation/orbit_camera.h"
#include "ui/views/landscape_view.h"

namespace optiviz::ui {

struct SurfaceImageRequest {
    OrbitCamera camera;
    ViewRect view;
    int width = 0, height = 0;
    bool contours = true;
    bool linear_height = false;
};

struct SurfaceImage {
    ImTextureID texture = nullptr;     // the mesh, first row at the bottom (GL)
    const FieldGrid* grid = nullptr;   // its samples and log scale (paths use the same scale)
};

struct SurfaceViewInput {
    std::string title;
    // Modules that are on (ui/overlay.h), by name: those with a 3-D drawing (the particle clouds) draw
    // on the mesh before the runs' paths.
    std::map<std::string, ParamOverrides> overlays;
    ViewRect view;                     // the rectangle the mesh covers
    float height_scale = 0.6f;         // model height of the top of the colour scale
    OrbitCamera camera;
    std::vector<RunView> runs;
    long step = 0;
    std::vector<Eigen::Vector2d> minima;
    Eigen::Vector2d start{0, 0};
    std::function<SurfaceImage(const SurfaceImageRequest&)> image;  // renders the mesh (app-provided)
    bool contours = true;        // contour lines on the mesh
    bool linear_height = false;  // height ∝ loss instead of its log scale
    const LossSurface* surface = nullptr;  // puts the minima and the start on the mesh
    long steps = 0;                        // the runs' budget, for the legend's status words
    std::optional<double> best_loss;       // the surface's global minimum value ("local minimum")
    int front_run = -1;                    // a run brought forward (hovered in the map's legend): drawn last
};

// The model height (before height_scale) of a loss: its log-scale colour coordinate, or with
// `linear`, its place between the grid's lowest and highest loss.
double surface_height(const FieldGrid& grid, double loss, bool linear);

// The height (before height_scale, as surface_height) of the drawn mesh at data point (x, y): the
// mesh render/surface_mesh_renderer.cpp builds (a vertex at each sample, two triangles per square,
// split along the diagonal from sample (c, r) to (c + 1, r + 1)) interpolated linearly. Markers that
// sit on the surface use it, so they touch the mesh instead of floating above or sinking below it.
double mesh_height(const FieldGrid& grid, double x, double y, bool linear);

// Whether model point `p` is hidden from the camera's eye by the mesh (a height field over the view,
// heights × height_scale): the depth test for markers drawn over the rendered mesh.
bool hidden_by_mesh(const FieldGrid& grid, const OrbitCamera& camera, float height_scale, bool linear,
                    const Eigen::Vector3d& p);

// Where data points go on the drawn mesh, for modules that draw on it (MeshOverlayContext).
class MeshPlacement {
public:
    virtual ~MeshPlacement() = default;
    // Whether (x, y) lies in the rectangle the mesh covers.
    virtual bool inside_view(double x, double y) const = 0;
    // A path's point at (x, y) with this loss, just above the mesh (paths never sink in); false when
    // the camera cannot project it.
    virtual bool lifted(double x, double y, double loss, ImVec2& p) const = 0;
    // A marker on the drawn mesh at (x, y), and whether the mesh hides it from the eye.
    virtual bool on_mesh(double x, double y, ImVec2& p, bool& hidden) const = 0;
};

// The row of `t` shown at playback step `step` (the last row once the path has ended).
std::size_t shown_mesh_row(const Trajectory& t, long step);

struct SurfaceViewActions {
    std::optional<OrbitCamera> new_camera;
};

// Model coordinates of a data point at height t (the normalized log loss).
Eigen::Vector3d surface_point(const ViewRect& view, float height_scale, double x, double y, double t);

// Where the mesh is drawn inside a canvas of `size` pixels (canvas-relative): below the title's
// `title_lines` rows, left of the colorbar and the legend column.
void surface_mesh_rect(ImVec2 size, float font_size, ImVec2& min, ImVec2& max, int title_lines = 1);

SurfaceViewActions draw_surface_view(const SurfaceViewInput& input, ImVec2 size, bool interactive);

}  // namespace optiviz::ui
