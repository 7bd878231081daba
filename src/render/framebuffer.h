// An offscreen colour target (RGBA8 texture behind an FBO): the heatmap is drawn into one and shown
// as an ImGui image, and PNG exports render into one of the export's size.
#pragma once

#include <cstdint>
#include <vector>

#include "render/gl.h"

namespace optiviz::render {

class Framebuffer {
public:
    Framebuffer() = default;
    ~Framebuffer();
    Framebuffer(const Framebuffer&) = delete;
    Framebuffer& operator=(const Framebuffer&) = delete;

    // (Re)allocates storage when the size changes; width and height are clamped to >= 1. With
    // `depth`, a depth buffer is attached too (3-D drawing).
    void resize(int width, int height, bool depth = false);
    void bind() const;           // binds it for drawing and sets the viewport to its size
    static void bind_default();  // back to the window's framebuffer

    GLuint texture() const { return texture_; }
    int width() const { return width_; }
    int height() const { return height_; }

    // Reads the pixels back, top row first (as PNG files store them), RGBA8.
    std::vector<std::uint8_t> read_rgba() const;

private:
    GLuint fbo_ = 0, texture_ = 0, depth_ = 0;
    int width_ = 0, height_ = 0;
};

}  // namespace optiviz::render
