// A linked GLSL program built from embedded shader sources.
#pragma once

#include <string>
#include <string_view>

#include "render/gl.h"

namespace optiviz::render {

class ShaderProgram {
public:
    // Compiles shaders/<vertex> and shaders/<fragment>. Throws std::runtime_error naming the shader
    // and quoting the driver's info log on failure.
    ShaderProgram(std::string_view vertex, std::string_view fragment);
    ~ShaderProgram();
    ShaderProgram(const ShaderProgram&) = delete;
    ShaderProgram& operator=(const ShaderProgram&) = delete;

    GLuint id() const { return program_; }
    GLint uniform(const char* name) const { return glGetUniformLocation(program_, name); }

private:
    GLuint program_ = 0;
};

}  // namespace optiviz::render
