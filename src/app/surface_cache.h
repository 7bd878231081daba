// Provides the 3-D view's image: samples the surface on a 256 × 256 grid (only when the view or
// the surface changes), builds the mesh, and renders it from the camera into a texture.
#pragma once

#include <cstdint>

#include "core/color_scale.h"
#include "render/framebuffer.h"
#include "render/surface_mesh_renderer.h"
#include "ui/surface_view.h"

namespace optiviz::app {

class SurfaceCache {
public:
    static constexpr int kMeshResolution = 256;
    static constexpr float kHeightScale = 0.6f;

    ui::SurfaceImage get(const LossSurface& surface, std::uint64_t surface_revision, const ui::SurfaceImageRequest& request);

private:
    render::SurfaceMeshRenderer renderer_;
    render::Framebuffer target_;
    FieldGrid grid_;
    const LossSurface* surface_ = nullptr;
    std::uint64_t revision_ = ~0ull;
    ViewRect view_{};
    bool linear_height_ = false;
};

}  // namespace optiviz::app
