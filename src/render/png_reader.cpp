#include "render/png_reader.h"

#include <stb_image.h>

#include <cstring>
#include <memory>

namespace optiviz::render {

std::optional<RgbaImage> read_png(const std::string& path) {
    int width = 0, height = 0, channels = 0;
    // Only the size first: a corrupt or huge header is refused before any pixel is decoded.
    if (!stbi_info(path.c_str(), &width, &height, &channels) || width < 1 || height < 1 || width > 1024 || height > 1024)
        return std::nullopt;
    const std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load(path.c_str(), &width, &height, &channels, 4), stbi_image_free);
    if (!pixels) return std::nullopt;
    RgbaImage image;
    image.width = width;
    image.height = height;
    image.rgba.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    std::memcpy(image.rgba.data(), pixels.get(), image.rgba.size());
    return image;
}

}  // namespace optiviz::render
