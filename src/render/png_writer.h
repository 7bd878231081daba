// PNG files through Debian's libstb (stb_image_write).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace optiviz::render {

// Writes RGBA8 pixels (top row first). Throws std::runtime_error("PATH: cannot write PNG") on failure.
void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace optiviz::render
