// Draws a FieldGrid as a lit 3-D mesh (shaders/surface.*) seen from an OrbitCamera, into a
// Framebuffer with a depth buffer.
#pragma once

#include <memory>

#include "core/presentation/color_scale.h"
#include "core/presentation/orbit_camera.h"
#include "render/framebuffer.h"
#include "render/shader_program.h"

namespace optiviz::render {

class SurfaceMeshRenderer {
public:
    SurfaceMeshRenderer();  // needs a current GL 3.3 core context
    ~SurfaceMeshRenderer();
    SurfaceMeshRenderer(const SurfaceMeshRenderer&) = delete;
    SurfaceMeshRenderer& operator=(const SurfaceMeshRenderer&) = delete;

    // Builds the mesh from the grid: x, y ∈ [−1, 1] across the grid's view, z = t·height_scale
    // (t the grid's normalized loss, or with `linear_height` the loss's place between the grid's
    // lowest and highest; values that overflowed sit at the top). Colours always follow t.
    void upload(const FieldGrid& grid, float height_scale, bool linear_height = false);

    void draw(const Framebuffer& target, const OrbitCamera& camera, float contour_levels = 14.0f) const;

private:
    std::unique_ptr<ShaderProgram> program_;
    GLuint vao_ = 0, vbo_ = 0, ibo_ = 0;
    GLsizei index_count_ = 0;
};

}  // namespace optiviz::render
