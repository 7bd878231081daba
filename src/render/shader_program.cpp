#include "render/shader_program.h"

#include <stdexcept>
#include <vector>

#include "render/embedded_shaders.h"

namespace optiviz::render {

namespace {

std::string info_log(GLuint object, bool is_program) {
    GLint length = 0;
    is_program ? glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length) : glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)));
    is_program ? glGetProgramInfoLog(object, length, nullptr, log.data())
               : glGetShaderInfoLog(object, length, nullptr, log.data());
    std::string text(log.data());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

GLuint compile(GLenum type, std::string_view name) {
    const std::string_view source = shader_source(name);
    if (source.empty()) throw std::runtime_error("shader " + std::string(name) + ": not embedded in this build");
    const GLuint shader = glCreateShader(type);
    const char* text = source.data();
    const auto length = static_cast<GLint>(source.size());
    glShaderSource(shader, 1, &text, &length);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        const std::string log = info_log(shader, false);
        glDeleteShader(shader);
        throw std::runtime_error("shader " + std::string(name) + " failed to compile: " + log);
    }
    return shader;
}

}  // namespace

ShaderProgram::ShaderProgram(std::string_view vertex, std::string_view fragment) {
    const GLuint vs = compile(GL_VERTEX_SHADER, vertex);
    GLuint fs = 0;
    try {
        fs = compile(GL_FRAGMENT_SHADER, fragment);
    } catch (...) {
        glDeleteShader(vs);
        throw;
    }
    program_ = glCreateProgram();
    glAttachShader(program_, vs);
    glAttachShader(program_, fs);
    glLinkProgram(program_);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = GL_FALSE;
    glGetProgramiv(program_, GL_LINK_STATUS, &ok);
    if (!ok) {
        const std::string log = info_log(program_, true);
        glDeleteProgram(program_);
        throw std::runtime_error("program " + std::string(vertex) + " + " + std::string(fragment) +
                                 " failed to link: " + log);
    }
}

ShaderProgram::~ShaderProgram() {
    if (program_) glDeleteProgram(program_);
}

}  // namespace optiviz::render
