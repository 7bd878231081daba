// The data panel's scatter as one picture: the rows drawn once into an RGBA image (CPU, antialiased
// discs as the panel's circles) and uploaded as a texture, made again only when its key — the data
// (by the surface key it came with), the plot's data rectangle, its size in pixels, the disc radius —
// changes. Drawing thousands of antialiased circles every frame cost a software renderer 100–300 ms.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/app_state.h"
#include "render/texture.h"
#include "ui/views/data_view.h"

namespace optiviz::app {

// width × height × 4 bytes (straight alpha), row 0 at the top: the rows (an even subsample of at most
// 4000, as the panel draws) as dark discs with a white rim over a transparent background.
std::vector<std::uint8_t> rasterize_points(const Dataset& data, const ui::PointsImageRequest& request);

class DataPointsCache {
public:
    struct Key {
        SurfaceKey data;
        ui::PointsImageRequest request;
        bool operator==(const Key&) const = default;
    };

    // Needs a current GL context. The picture of `state`'s data for `request` (null without data).
    ImTextureID get(const AppState& state, const ui::PointsImageRequest& request);
    int rasterizations() const { return rasterizations_; }

private:
    render::Texture texture_;
    std::optional<Key> key_;
    int rasterizations_ = 0;
};

}  // namespace optiviz::app
