#include "render/heatmap_renderer.h"

namespace optiviz::render {

HeatmapRenderer::HeatmapRenderer() : program_(std::make_unique<ShaderProgram>("heatmap.vert", "heatmap.frag")) {
    glGenVertexArrays(1, &vao_);  // core profile needs a bound VAO even without vertex buffers
    glGenTextures(1, &field_);
    glBindTexture(GL_TEXTURE_2D, field_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

HeatmapRenderer::~HeatmapRenderer() {
    glDeleteTextures(1, &field_);
    glDeleteVertexArrays(1, &vao_);
}

void HeatmapRenderer::upload(const FieldGrid& grid) {
    glBindTexture(GL_TEXTURE_2D, field_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, grid.width, grid.height, 0, GL_RED, GL_FLOAT, grid.normalized.data());
}

void HeatmapRenderer::draw(const Framebuffer& target, float contour_levels, float contour_opacity) const {
    target.bind();
    glDisable(GL_BLEND);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glUseProgram(program_->id());
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, field_);
    glUniform1i(program_->uniform("field"), 0);
    glUniform3fv(program_->uniform("stops"), static_cast<GLsizei>(kViridisStops.size()), kViridisStops[0].data());
    glUniform1f(program_->uniform("contour_levels"), contour_levels);
    glUniform1f(program_->uniform("contour_opacity"), contour_opacity);
    glBindVertexArray(vao_);
    glDrawArrays(GL_TRIANGLES, 0, 6);
    glBindVertexArray(0);
    glUseProgram(0);
    Framebuffer::bind_default();
}

}  // namespace optiviz::render
