#include "app/derived/surface_cache.h"

#include <algorithm>
#include <cmath>

namespace optiviz::app {

ui::SurfaceImage SurfaceCache::get(const KeyedSurface& keyed, const ui::SurfaceImageRequest& request) {
    const LossSurface& surface = *keyed.surface;
    Key key{keyed.key, request.view, request.linear_height};
    if (key != key_) {
        // Costly surfaces (logistic) get a coarser mesh, as the 2-D map gets a coarser grid.
        const double budget = 8e6 / static_cast<double>(std::max<std::size_t>(surface.cost_per_point(), 1));
        const int resolution =
            std::clamp(static_cast<int>(std::sqrt(budget)), 16, kMeshResolution);
        key_.reset();  // a sampling that throws leaves no key for a mesh it did not finish
        sample_field_into(grid_, surface, request.view, resolution, resolution);
        renderer_.upload(grid_, kHeightScale, request.linear_height);
        key_ = std::move(key);
        ++recomputations_;
    }
    target_.resize(request.width, request.height, true);
    renderer_.draw(target_, request.camera, request.contours ? 14.0f : 0.0f);
    return {reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(target_.texture())), &grid_};
}

}  // namespace optiviz::app
