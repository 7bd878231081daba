#include "render/texture.h"

namespace optiviz::render {

Texture::~Texture() {
    if (texture_) glDeleteTextures(1, &texture_);
}

namespace {

// Fills `texture` with RGBA8 pixels, filtered with `filter`, clamped at the edges.
void define_image(GLuint texture, int width, int height, const std::uint8_t* rgba, GLint filter) {
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

void Texture::upload(int width, int height, const std::vector<std::uint32_t>& rgb, std::uint8_t alpha) {
    if (!texture_) glGenTextures(1, &texture_);
    std::vector<std::uint8_t> pixels(rgb.size() * 4);
    for (std::size_t i = 0; i < rgb.size(); ++i) {
        pixels[4 * i + 0] = static_cast<std::uint8_t>((rgb[i] >> 16) & 0xFF);
        pixels[4 * i + 1] = static_cast<std::uint8_t>((rgb[i] >> 8) & 0xFF);
        pixels[4 * i + 2] = static_cast<std::uint8_t>(rgb[i] & 0xFF);
        pixels[4 * i + 3] = alpha;
    }
    define_image(texture_, width, height, pixels.data(), GL_NEAREST);  // cells stay sharp
}

void Texture::upload_rgba(int width, int height, const std::vector<std::uint8_t>& rgba) {
    if (!texture_) glGenTextures(1, &texture_);
    define_image(texture_, width, height, rgba.data(), GL_LINEAR);
}

}  // namespace optiviz::render
