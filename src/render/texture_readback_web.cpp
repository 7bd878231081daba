// The browser build's texture read-back. Only vector export reads textures back (to embed the
// heatmap in an SVG or PDF), and vector export is not in the browser build (cairo_canvas_web.cpp);
// WebGL2 also lacks glGetTexImage and texture size queries. An empty result: "no image".
#include "render/texture_readback.h"

namespace optiviz::render {

TexturePixels read_texture(GLuint) { return {}; }

}  // namespace optiviz::render
