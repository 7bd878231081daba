// Provides the landscape's heatmap image: samples the surface on the CPU (batched core call),
// uploads it and renders it through the heatmap shader into a texture — only when its key (the
// surface's key, by value; the view; the picture size) changed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "app/derived/derived_scene.h"
#include "core/presentation/color_scale.h"
#include "render/framebuffer.h"
#include "render/heatmap_renderer.h"
#include "ui/views/landscape_view.h"

namespace optiviz::app {

class HeatmapCache {
public:
    // Needs a current GL context. Without `contours`, the image has no contour lines (vector export
    // draws them as lines, ui::LandscapeInput::contour_lines).
    explicit HeatmapCache(bool contours = true);

    // What the image depends on.
    struct Key {
        SurfaceKey surface;
        ViewRect view;
        int width = 0, height = 0;
        bool operator==(const Key&) const = default;
    };

    // Resamples only when the key differs from the last call's.
    ui::HeatmapImage get(const KeyedSurface& surface, const ui::HeatmapRequest& request);

    int recomputations() const { return recomputations_; }

private:
    render::HeatmapRenderer renderer_;
    render::Framebuffer target_;
    FieldGrid grid_;
    std::optional<Key> key_;  // of the image held
    int recomputations_ = 0;
    bool contours_ = true;
};

}  // namespace optiviz::app
