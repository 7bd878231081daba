// Provides the 3-D view's image: samples the surface on a 256 × 256 grid (only when the view or
// the surface changes), builds the mesh, and renders it from the camera into a texture.
#pragma once

#include <cstdint>
#include <memory>

#include "core/color_scale.h"
#include "render/framebuffer.h"
#include "render/surface_mesh_renderer.h"
#include "ui/surface_view.h"

namespace optiviz::app {

class SurfaceCache {
public:
    static constexpr int kMeshResolution = 256;
    static constexpr float kHeightScale = 0.6f;

    // Resamples the mesh only when the surface object, the view or the height mode changed.
    ui::SurfaceImage get(const std::shared_ptr<const LossSurface>& surface, const ui::SurfaceImageRequest& request);

private:
    render::SurfaceMeshRenderer renderer_;
    render::Framebuffer target_;
    FieldGrid grid_;
    std::shared_ptr<const LossSurface> surface_;
    ViewRect view_{};
    bool linear_height_ = false;
};

}  // namespace optiviz::app
