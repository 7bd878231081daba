// The 3-D view's mesh options (mesh_options.cpp): contour lines on the mesh, and whether the height
// follows the loss itself or its log scale (as the colours do). A module of the 3-D view: its settings
// live in the scene's module map under kMeshOptionsModule (absent: the defaults), its panel sits in the
// 3-D view's section, and it applies itself to the 3-D view's input (ui/overlay.h apply_surface_modules).
#pragma once

#include <string_view>

#include "core/scene/scene.h"

namespace optiviz::ui {

inline constexpr std::string_view kMeshOptionsModule = "mesh-3d";

struct MeshOptions {
    bool contours = true;        // contour lines on the mesh
    bool linear_height = false;  // height proportional to the loss (false: its log scale)
    bool operator==(const MeshOptions&) const = default;
};

// The scene's mesh options: the defaults when the scene has none (or refused ones).
MeshOptions mesh_options(const Scene& scene);

// Stores `options` in `scene` (the command line's --linear-height and --no-mesh-contours, tests).
void set_mesh_options(Scene& scene, const MeshOptions& options);

}  // namespace optiviz::ui
