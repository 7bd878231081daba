// `optiviz render`: the landscape picture without a window (EGL surfaceless, no X server needed).
#pragma once

#include <iosfwd>
#include <string>

#include "core/scene/scene.h"

namespace optiviz::cli {

struct RenderRequest {
    Scene scene;
    int width = 1280, height = 800;
    std::string out_path;  // FILE.png, FILE.svg, FILE.pdf, or - (a PNG on standard output)
    int frames = 0;  // > 0: also render this many frames and report mean and 99th-percentile time
    bool transparent = false;  // no background: alpha 0 outside what the views draw (PNG), no paper (SVG, PDF)
    std::string view = "landscape";  // landscape | data | both | 3d | map+3d | loss, ... (app/export/picture.h)
};

// The picture `render` draws when --view is not given: what the scene's layout shows in the window
// ("3d" for --layout 3d, "map+3d" for both, else "landscape"), so `render --layout 3d` draws the 3-D view.
std::string view_for_layout(Scene::Layout layout);

// Parses "WxH" (16..3840 × 16..2160). Throws std::invalid_argument.
void parse_size(const std::string& text, int& width, int& height);

// Renders and writes the picture; a one-line summary goes to `out`. With out_path "-" the PNG itself
// goes to `out` (drawn whole first: a failure writes nothing) and the summary to `err`. Throws
// std::runtime_error or std::invalid_argument with one line (no file is left half-written).
void run_render(const RenderRequest& request, std::ostream& out, std::ostream& err);

}  // namespace optiviz::cli
