// Reading PNG files through Debian's libstb (stb_image), for the window's icon.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optiviz::render {

struct RgbaImage {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  // width × height × 4, top row first
};

// The PNG at `path` as RGBA8, or nothing when it is missing or not a PNG of at most 1024×1024.
std::optional<RgbaImage> read_png(const std::string& path);

}  // namespace optiviz::render
