#include "render/png_writer.h"

#include <stb_image_write.h>
#include <stdexcept>

#include "core/atomic_file.h"

namespace optiviz::render {

namespace {

void append_bytes(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

std::string encode_png(int width, int height, const std::vector<std::uint8_t>& rgba) {
    if (width <= 0 || height <= 0 ||
        rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
        throw std::runtime_error("the pixel buffer does not match the picture size");
    std::string bytes;
    stbi_flip_vertically_on_write(0);
    if (!stbi_write_png_to_func(append_bytes, &bytes, width, height, 4, rgba.data(), width * 4) || bytes.empty())
        throw std::runtime_error("the PNG encoder failed");
    return bytes;
}

void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba) {
    std::string bytes;
    try {
        bytes = encode_png(width, height, rgba);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
    write_file_atomically(path, bytes);
}

}  // namespace optiviz::render
