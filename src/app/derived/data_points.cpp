#include "app/derived/data_points.h"

#include <algorithm>
#include <cmath>

namespace optiviz::app {

namespace {

// Paints `rgba` (straight alpha, 0..1) over the pixel at `i` of `image`.
void blend(std::vector<float>& image, std::size_t i, const float rgba[4]) {
    const float a = rgba[3], keep = 1.0f - a;
    const float out_a = a + image[i + 3] * keep;
    if (out_a <= 0) return;
    for (int c = 0; c < 3; ++c) image[i + c] = (rgba[c] * a + image[i + c] * image[i + 3] * keep) / out_a;
    image[i + 3] = out_a;
}

}  // namespace

std::vector<std::uint8_t> rasterize_points(const Dataset& data, const ui::PointsImageRequest& request) {
    const int w = std::max(request.width, 1), h = std::max(request.height, 1);
    std::vector<float> image(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4, 0.0f);
    const ViewRect& r = request.rect;
    const double sx = w / (r.x_max - r.x_min), sy = h / (r.y_max - r.y_min);
    const float radius = request.radius, reach = radius + 1.0f;
    // The panel's circles: fill (60, 60, 70) and a 1-pixel white rim, both at 230/255.
    const float opacity = 230.0f / 255.0f;
    const std::size_t stride = std::max<std::size_t>(1, data.size() / 4000);
    for (std::size_t row = 0; row < data.size(); row += stride) {
        const auto cx = static_cast<float>((data.x[row] - r.x_min) * sx), cy = static_cast<float>((r.y_max - data.y[row]) * sy);
        if (!std::isfinite(cx) || !std::isfinite(cy)) continue;
        const int x0 = std::max(0, static_cast<int>(std::floor(cx - reach))), x1 = std::min(w - 1, static_cast<int>(std::ceil(cx + reach)));
        const int y0 = std::max(0, static_cast<int>(std::floor(cy - reach))), y1 = std::min(h - 1, static_cast<int>(std::ceil(cy + reach)));
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) {
                const float d = std::hypot(static_cast<float>(x) + 0.5f - cx, static_cast<float>(y) + 0.5f - cy);
                const float disc = std::clamp(radius + 0.5f - d, 0.0f, 1.0f);  // rim included
                if (disc <= 0) continue;
                const float fill = std::clamp(radius - 0.5f - d, 0.0f, 1.0f) / disc;  // share of the disc that is fill
                const float rgba[4] = {(60 * fill + 255 * (1 - fill)) / 255.0f, (60 * fill + 255 * (1 - fill)) / 255.0f,
                                       (70 * fill + 255 * (1 - fill)) / 255.0f, disc * opacity};
                blend(image, (static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4, rgba);
            }
    }
    std::vector<std::uint8_t> bytes(image.size());
    for (std::size_t i = 0; i < image.size(); ++i) bytes[i] = static_cast<std::uint8_t>(std::lround(std::clamp(image[i], 0.0f, 1.0f) * 255));
    return bytes;
}

ImTextureID DataPointsCache::get(const AppState& state, const ui::PointsImageRequest& request) {
    if (!state.original_data() || request.width <= 0 || request.height <= 0) return nullptr;
    Key key{state.keyed_surface().key, request};
    if (key != key_) {
        key_.reset();
        texture_.upload_rgba(request.width, request.height, rasterize_points(*state.original_data(), request));
        key_ = std::move(key);
        ++rasterizations_;
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_.id()));
}

}  // namespace optiviz::app
