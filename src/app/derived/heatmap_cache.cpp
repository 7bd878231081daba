#include "app/derived/heatmap_cache.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/contour_lines.h"

namespace optiviz::app {

HeatmapCache::HeatmapCache(bool contours) : contours_(contours) {}

ui::HeatmapImage HeatmapCache::get(const KeyedSurface& keyed, const ui::HeatmapRequest& request) {
    const LossSurface& surface = *keyed.surface;
    Key key{keyed.key, request.view, std::max(request.width, 1), std::max(request.height, 1)};
    if (key != key_) {
        // One sample per pixel: the shader's contours stay sharp at any zoom because the field is
        // re-sampled for every view, not stretched.
        // Costly surfaces (the logistic loss costs O(rows) per point) are sampled on a coarser grid
        // of at most ~8 million row-evaluations; the shader's linear filtering smooths it.
        const double budget = 8e6 / static_cast<double>(std::max<std::size_t>(surface.cost_per_point(), 1));
        const double scale = std::min(1.0, std::sqrt(budget / (static_cast<double>(key.width) * key.height)));
        key_.reset();  // a sampling that throws leaves no key for a grid it did not finish
        sample_field_into(grid_, surface, request.view, std::max(8, static_cast<int>(key.width * scale)),
                          std::max(8, static_cast<int>(key.height * scale)));
        renderer_.upload(grid_);
        target_.resize(key.width, key.height);
        renderer_.draw(target_, contours_ ? static_cast<float>(kContourLevels) : 0.0f, kContourOpacity);
        key_ = std::move(key);
        ++recomputations_;
    }
    return {reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(target_.texture())), &grid_};
}

}  // namespace optiviz::app
