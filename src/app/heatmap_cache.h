// Provides the landscape's heatmap image: samples the surface on the CPU (batched core call),
// uploads it and renders it through the heatmap shader into a texture — only when its key (the
// surface object, the view, the picture size) changed.
#pragma once

#include <cstdint>
#include <memory>

#include "core/color_scale.h"
#include "render/framebuffer.h"
#include "render/heatmap_renderer.h"
#include "ui/landscape_view.h"

namespace optiviz::app {

class HeatmapCache {
public:
    // Needs a current GL context. Without `contours`, the image has no contour lines (vector export
    // draws them as lines, ui::LandscapeInput::contour_lines).
    explicit HeatmapCache(bool contours = true);

    // Resamples only when the surface object, the view or the size differ from the last call.
    ui::HeatmapImage get(const std::shared_ptr<const LossSurface>& surface, const ui::HeatmapRequest& request);

    int recomputations() const { return recomputations_; }

private:
    render::HeatmapRenderer renderer_;
    render::Framebuffer target_;
    FieldGrid grid_;
    ui::HeatmapRequest last_{};
    std::shared_ptr<const LossSurface> surface_;  // held, so its address is never reused by another
    int recomputations_ = 0;
    bool contours_ = true;
};

}  // namespace optiviz::app
