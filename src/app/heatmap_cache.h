// Provides the landscape's heatmap image: samples the surface on the CPU (batched core call),
// uploads it and renders it through the heatmap shader into a texture — only when the view, the
// picture size or the surface changed.
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
    HeatmapCache();  // needs a current GL context

    // `surface_revision` must change whenever the surface does.
    ui::HeatmapImage get(const LossSurface& surface, std::uint64_t surface_revision, const ui::HeatmapRequest& request);

    int recomputations() const { return recomputations_; }

private:
    render::HeatmapRenderer renderer_;
    render::Framebuffer target_;
    FieldGrid grid_;
    ui::HeatmapRequest last_{};
    std::uint64_t revision_ = ~0ull;
    const LossSurface* surface_ = nullptr;
    int recomputations_ = 0;
};

}  // namespace optiviz::app
