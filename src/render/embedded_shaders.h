// GLSL sources from shaders/, embedded at build time (see embed_shaders.cmake).
#pragma once

#include <string_view>

namespace optiviz::render {

// The source of shaders/<name> (e.g. "heatmap.frag"), or an empty view if there is none.
std::string_view shader_source(std::string_view name);

}  // namespace optiviz::render
