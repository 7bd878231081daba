// PNG files through Debian's libstb (stb_image_write).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace optiviz::render {

// RGBA8 pixels (top row first) encoded as a PNG file's bytes. Throws std::runtime_error when the
// buffer does not match the size or the encoder fails.
std::string encode_png(int width, int height, const std::vector<std::uint8_t>& rgba);

// Writes RGBA8 pixels (top row first) to `path` atomically (core/atomic_file.h): on any failure the
// old file is untouched and the exception carries one line naming the path and the reason.
void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace optiviz::render
