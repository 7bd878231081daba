// PNG files through Debian's libstb (stb_image_write), with text chunks added here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace optiviz::render {

// A text chunk: a keyword of 1..79 Latin-1 characters ("Software", "Title", "Comment", ...) and its
// text. ASCII text is written as tEXt (what every reader shows), other text as UTF-8 iTXt.
struct PngText {
    std::string keyword, text;
};

// RGBA8 pixels (top row first) encoded as a PNG file's bytes, with `text` chunks after the header.
// Throws std::runtime_error when the buffer does not match the size or the encoder fails, and
// std::invalid_argument for a keyword outside 1..79 printable characters.
std::string encode_png(int width, int height, const std::vector<std::uint8_t>& rgba, const std::vector<PngText>& text = {});

// Writes RGBA8 pixels (top row first) to `path` atomically (core/io/atomic_file.h): on any failure the
// old file is untouched and the exception carries one line naming the path and the reason.
void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba,
               const std::vector<PngText>& text = {});

}  // namespace optiviz::render
