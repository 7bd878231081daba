// Provides the 3-D view's image: samples the surface on a 256 × 256 grid (only when its key — the
// surface's key by value, the view, the height mode — changes), builds the mesh, and renders it
// from the camera into a texture.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "app/derived/derived_scene.h"
#include "core/presentation/color_scale.h"
#include "render/framebuffer.h"
#include "render/surface_mesh_renderer.h"
#include "ui/views/surface_view.h"

namespace optiviz::app {

class SurfaceCache {
public:
    static constexpr int kMeshResolution = 256;
    static constexpr float kHeightScale = 0.6f;

    // What the mesh depends on.
    struct Key {
        SurfaceKey surface;
        ViewRect view;
        bool linear_height = false;
        bool operator==(const Key&) const = default;
    };

    // Resamples the mesh only when its key changed; draws it from the request's camera every call.
    ui::SurfaceImage get(const KeyedSurface& surface, const ui::SurfaceImageRequest& request);
    int recomputations() const { return recomputations_; }

private:
    render::SurfaceMeshRenderer renderer_;
    render::Framebuffer target_;
    FieldGrid grid_;
    std::optional<Key> key_;  // of the mesh held
    int recomputations_ = 0;
};

}  // namespace optiviz::app
