// The browser build's texture read-back (for the heatmap and the 3-D view in SVG export). WebGL2
// has neither glGetTexImage nor texture size queries, so the texture is attached to a framebuffer
// and read with glReadPixels, and its size is found by reading single pixels: WebGL leaves the
// bytes of a pixel outside the framebuffer untouched, so a pixel whose bytes keep two different
// fillings is outside (a pixel inside reads the same both times, which cannot equal both).
#include <array>

#include "render/texture_readback.h"

namespace optiviz::render {

namespace {

constexpr int kLargestSide = 16384;

bool inside(int x, int y) {
    for (std::uint8_t filling : {std::uint8_t{0x5A}, std::uint8_t{0xA5}}) {
        std::array<std::uint8_t, 4> pixel;
        pixel.fill(filling);
        glReadPixels(x, y, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, pixel.data());
        for (std::uint8_t byte : pixel)
            if (byte != filling) return true;
    }
    return false;
}

// The number of pixels along x (or y) from the origin: the first outside one, by bisection.
int side(bool along_x) {
    if (!inside(0, 0)) return 0;
    int in = 0, out = kLargestSide;
    while (out - in > 1) {
        const int middle = in + (out - in) / 2;
        (along_x ? inside(middle, 0) : inside(0, middle)) ? in = middle : out = middle;
    }
    return out;
}

}  // namespace

TexturePixels read_texture(GLuint texture) {
    TexturePixels result;
    if (texture == 0 || !glIsTexture(texture)) return result;
    GLint previous_framebuffer = 0, previous_texture = 0, mag_filter = GL_LINEAR;
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &previous_framebuffer);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous_texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glGetTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, &mag_filter);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous_texture));
    GLuint framebuffer = 0;
    glGenFramebuffers(1, &framebuffer);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer);
    glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture, 0);
    if (glCheckFramebufferStatus(GL_READ_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE) {
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        const int width = side(true), height = width > 0 ? side(false) : 0;
        if (width > 0 && height > 0) {
            result.width = width;
            result.height = height;
            result.nearest = mag_filter == GL_NEAREST;
            result.rgba.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
            // Framebuffer row 0 is the texture's row 0 (v = 0), as the contract wants.
            glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, result.rgba.data());
        }
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(previous_framebuffer));
    glDeleteFramebuffers(1, &framebuffer);
    return result;
}

}  // namespace optiviz::render
