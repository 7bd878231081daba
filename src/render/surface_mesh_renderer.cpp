#include "render/surface_mesh_renderer.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <vector>

namespace optiviz::render {

SurfaceMeshRenderer::SurfaceMeshRenderer()
    : program_(std::make_unique<ShaderProgram>("surface.vert", "surface.frag")) {
    glGenVertexArrays(1, &vao_);
    glGenBuffers(1, &vbo_);
    glGenBuffers(1, &ibo_);
}

SurfaceMeshRenderer::~SurfaceMeshRenderer() {
    glDeleteBuffers(1, &ibo_);
    glDeleteBuffers(1, &vbo_);
    glDeleteVertexArrays(1, &vao_);
}

void SurfaceMeshRenderer::upload(const FieldGrid& grid, float height_scale, bool linear_height) {
    const int w = grid.width, h = grid.height;
    const double lo = grid.scale.floor, hi = grid.scale.loss_at(1.0);
    auto z = [&](int c, int r) {
        c = std::clamp(c, 0, w - 1);
        r = std::clamp(r, 0, h - 1);
        const auto i = static_cast<std::size_t>(r * w + c);
        const float t = grid.normalized[i];
        if (t < 0) return height_scale;  // overflow: the top
        if (linear_height)
            return static_cast<float>(std::clamp((grid.loss[i] - lo) / std::max(hi - lo, 1e-300), 0.0, 1.0)) * height_scale;
        return t * height_scale;
    };
    const float dx = 2.0f / static_cast<float>(w), dy = 2.0f / static_cast<float>(h);
    std::vector<float> vertices;
    vertices.reserve(static_cast<std::size_t>(w * h) * 7);
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c) {
            const float x = -1.0f + dx * (static_cast<float>(c) + 0.5f), y = -1.0f + dy * (static_cast<float>(r) + 0.5f);
            // Normal from central differences of the height field.
            const Eigen::Vector3f n = Eigen::Vector3f(-(z(c + 1, r) - z(c - 1, r)) / (2 * dx),
                                                      -(z(c, r + 1) - z(c, r - 1)) / (2 * dy), 1.0f)
                                          .normalized();
            const float t = grid.normalized[static_cast<std::size_t>(r * w + c)];
            vertices.insert(vertices.end(), {x, y, z(c, r), n.x(), n.y(), n.z(), t < 0 ? 1.0f : t});
        }
    std::vector<GLuint> indices;
    indices.reserve(static_cast<std::size_t>((w - 1) * (h - 1)) * 6);
    for (int r = 0; r + 1 < h; ++r)
        for (int c = 0; c + 1 < w; ++c) {
            const auto i = static_cast<GLuint>(r * w + c);
            const auto right = i + 1, up = i + static_cast<GLuint>(w), diagonal = up + 1;
            indices.insert(indices.end(), {i, right, diagonal, i, diagonal, up});
        }
    glBindVertexArray(vao_);
    glBindBuffer(GL_ARRAY_BUFFER, vbo_);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(float)), vertices.data(), GL_STATIC_DRAW);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ibo_);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(indices.size() * sizeof(GLuint)), indices.data(),
                 GL_STATIC_DRAW);
    const GLsizei stride = 7 * sizeof(float);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(0));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(3 * sizeof(float)));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(6 * sizeof(float)));
    glBindVertexArray(0);
    index_count_ = static_cast<GLsizei>(indices.size());
}

void SurfaceMeshRenderer::draw(const Framebuffer& target, const OrbitCamera& camera, float contour_levels) const {
    target.bind();
    glClearColor(0.98f, 0.98f, 0.98f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_CULL_FACE);
    glUseProgram(program_->id());
    const Eigen::Matrix4f mvp =
        (camera.projection(static_cast<double>(target.width()) / target.height()) * camera.view()).cast<float>();
    glUniformMatrix4fv(program_->uniform("mvp"), 1, GL_FALSE, mvp.data());  // Eigen is column-major, like GL
    glUniform3fv(program_->uniform("stops"), static_cast<GLsizei>(kViridisStops.size()), kViridisStops[0].data());
    glUniform3f(program_->uniform("light_direction"), 0.4f, -0.5f, 0.75f);
    glUniform1f(program_->uniform("contour_levels"), contour_levels);
    glUniform1f(program_->uniform("contour_opacity"), 0.3f);
    glBindVertexArray(vao_);
    glDrawElements(GL_TRIANGLES, index_count_, GL_UNSIGNED_INT, nullptr);
    glBindVertexArray(0);
    glUseProgram(0);
    glDisable(GL_DEPTH_TEST);
    Framebuffer::bind_default();
}

}  // namespace optiviz::render
