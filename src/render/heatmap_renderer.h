// Draws a FieldGrid as a heatmap with contour lines (shaders/heatmap.*) into a Framebuffer.
#pragma once

#include <memory>

#include "core/presentation/color_scale.h"
#include "render/framebuffer.h"
#include "render/shader_program.h"

namespace optiviz::render {

class HeatmapRenderer {
public:
    HeatmapRenderer();  // needs a current GL 3.3 core context; throws std::runtime_error on shader errors
    ~HeatmapRenderer();
    HeatmapRenderer(const HeatmapRenderer&) = delete;
    HeatmapRenderer& operator=(const HeatmapRenderer&) = delete;

    // Uploads the grid's normalized values (call when the grid changes).
    void upload(const FieldGrid& grid);

    // Renders the uploaded field into `target` (whose size is the picture's, in pixels).
    void draw(const Framebuffer& target, float contour_levels = 14.0f, float contour_opacity = 0.35f) const;

private:
    std::unique_ptr<ShaderProgram> program_;
    GLuint vao_ = 0, field_ = 0;
};

}  // namespace optiviz::render
