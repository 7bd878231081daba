#include "render/texture_readback.h"

namespace optiviz::render {

TexturePixels read_texture(GLuint texture) {
    TexturePixels result;
    if (texture == 0 || !glIsTexture(texture)) return result;
    GLint previous = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &previous);
    glBindTexture(GL_TEXTURE_2D, texture);
    GLint width = 0, height = 0, mag_filter = GL_LINEAR;
    glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_WIDTH, &width);
    glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_HEIGHT, &height);
    glGetTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, &mag_filter);
    if (width > 0 && height > 0) {
        result.width = width;
        result.height = height;
        result.nearest = mag_filter == GL_NEAREST;
        result.rgba.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, result.rgba.data());
    }
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(previous));
    return result;
}

}  // namespace optiviz::render
