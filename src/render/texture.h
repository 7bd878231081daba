// An RGBA8 texture uploaded from CPU pixels (basin overlays and other computed images).
#pragma once

#include <cstdint>
#include <vector>

#include "render/gl.h"

namespace optiviz::render {

class Texture {
public:
    Texture() = default;
    ~Texture();
    Texture(const Texture&) = delete;
    Texture& operator=(const Texture&) = delete;

    // `rgb` holds width × height colours 0xRRGGBB, row 0 first; alpha is `alpha` (0..255) everywhere.
    // Nearest filtering: each cell stays a crisp square.
    void upload(int width, int height, const std::vector<std::uint32_t>& rgb, std::uint8_t alpha);
    // `rgba` holds width × height × 4 bytes (straight alpha), row 0 first; linear filtering (pictures
    // drawn at their own pixel size, like the data panel's points).
    void upload_rgba(int width, int height, const std::vector<std::uint8_t>& rgba);
    GLuint id() const { return texture_; }
    bool empty() const { return texture_ == 0; }

private:
    GLuint texture_ = 0;
};

}  // namespace optiviz::render
