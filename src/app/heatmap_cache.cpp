#include "app/heatmap_cache.h"

#include <algorithm>
#include <cmath>

#include "core/contour_lines.h"

namespace optiviz::app {

HeatmapCache::HeatmapCache(bool contours) : contours_(contours) {}

ui::HeatmapImage HeatmapCache::get(const std::shared_ptr<const LossSurface>& shared, const ui::HeatmapRequest& request) {
    const LossSurface& surface = *shared;
    const int width = std::max(request.width, 1), height = std::max(request.height, 1);
    const bool same = surface_ == shared && last_.width == width && last_.height == height && last_.view == request.view;
    if (!same) {
        // One sample per pixel: the shader's contours stay sharp at any zoom because the field is
        // re-sampled for every view, not stretched.
        // Costly surfaces (the logistic loss costs O(rows) per point) are sampled on a coarser grid
        // of at most ~8 million row-evaluations; the shader's linear filtering smooths it.
        const double budget = 8e6 / static_cast<double>(std::max<std::size_t>(surface.cost_per_point(), 1));
        const double scale = std::min(1.0, std::sqrt(budget / (static_cast<double>(width) * height)));
        sample_field_into(grid_, surface, request.view, std::max(8, static_cast<int>(width * scale)),
                          std::max(8, static_cast<int>(height * scale)));
        renderer_.upload(grid_);
        target_.resize(width, height);
        renderer_.draw(target_, contours_ ? static_cast<float>(kContourLevels) : 0.0f, kContourOpacity);
        last_ = request;
        last_.width = width;
        last_.height = height;
        surface_ = shared;
        ++recomputations_;
    }
    return {reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(target_.texture())), &grid_};
}

}  // namespace optiviz::app
