#include "render/png_writer.h"

#include <stb_image_write.h>
#include <stdexcept>

namespace optiviz::render {

void write_png(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgba) {
    if (rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
        throw std::runtime_error(path + ": pixel buffer does not match the picture size");
    stbi_flip_vertically_on_write(0);
    if (!stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4))
        throw std::runtime_error(path + ": cannot write PNG (check that the folder exists and is writable)");
}

}  // namespace optiviz::render
