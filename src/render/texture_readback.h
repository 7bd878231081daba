// Reading a texture's pixels back to the CPU, for pictures that embed what the GPU drew (the
// heatmap and the 3-D view in SVG and PDF export).
#pragma once

#include <cstdint>
#include <vector>

#include "render/gl.h"

namespace optiviz::render {

struct TexturePixels {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  // width × height × 4, row 0 first (texture coordinate v = 0)
    bool nearest = false;            // magnified with GL_NEAREST (crisp cells) rather than GL_LINEAR
};

// Level 0 of the 2-D texture `texture` as RGBA8. Needs a current GL context; returns an empty
// result for 0 or a name that is not a texture.
TexturePixels read_texture(GLuint texture);

}  // namespace optiviz::render
