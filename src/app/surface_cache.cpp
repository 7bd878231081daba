#include "app/surface_cache.h"

#include <algorithm>
#include <cmath>

namespace optiviz::app {

ui::SurfaceImage SurfaceCache::get(const std::shared_ptr<const LossSurface>& shared, const ui::SurfaceImageRequest& request) {
    const LossSurface& surface = *shared;
    const bool same_mesh = surface_ == shared && view_ == request.view && linear_height_ == request.linear_height;
    if (!same_mesh) {
        // Costly surfaces (logistic) get a coarser mesh, as the 2-D map gets a coarser grid.
        const double budget = 8e6 / static_cast<double>(std::max<std::size_t>(surface.cost_per_point(), 1));
        const int resolution =
            std::clamp(static_cast<int>(std::sqrt(budget)), 16, kMeshResolution);
        sample_field_into(grid_, surface, request.view, resolution, resolution);
        renderer_.upload(grid_, kHeightScale, request.linear_height);
        linear_height_ = request.linear_height;
        surface_ = shared;
        view_ = request.view;
    }
    target_.resize(request.width, request.height, true);
    renderer_.draw(target_, request.camera, request.contours ? 14.0f : 0.0f);
    return {reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(target_.texture())), &grid_};
}

}  // namespace optiviz::app
