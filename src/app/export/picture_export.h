// Picture files in the format their name asks for: .png (pixels, as the window draws them), .svg
// and .pdf (vectors through cairo: lines, shapes and text stay sharp at any zoom; the heatmap and the
// 3-D view are embedded images). Used by `optiviz render --out` and the window's export (Ctrl+S).
#pragma once

#include <string>

#include "app/export/picture.h"
#include "core/scene/scene.h"
#include "render/png_writer.h"

namespace optiviz::app {

enum class PictureFormat { Png, Svg, Pdf };

// The format named by the path's extension (.png, .svg or .pdf, in any case). Throws
// std::invalid_argument with one line ("PATH: unknown picture format ...") for anything else.
PictureFormat picture_format(const std::string& path);

// The title a picture file carries (PNG Title, PDF Title, SVG <title>): the scene's caption, else
// "optiviz: SURFACE, OPTIMIZER, OPTIMIZER..." (the typed function for an expression).
std::string picture_title(const Scene& scene);

// The PNG text chunks of a picture: Software "optiviz VERSION", Title, and Comment holding the scene
// as JSON, so the picture says how to draw it again (`optiviz render --scene`).
std::vector<render::PngText> picture_png_text(const Scene& scene);

// Draws `view` of `state` at `width` × `height` and writes it to `path` in the format its extension
// names, whole or not at all (core/io/atomic_file.h), with the metadata above. Throws one line naming
// the path on failure.
void export_picture(PictureRenderer& renderer, const AppState& state, int width, int height, const std::string& path,
                    ImTextureID overlay = nullptr, ViewRect overlay_view = {},
                    std::vector<std::pair<std::uint32_t, std::string>> overlay_legend = {},
                    PictureView view = PictureView::Landscape);

}  // namespace optiviz::app
