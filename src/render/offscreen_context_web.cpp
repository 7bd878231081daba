// The browser build's OffscreenContext: a page draws only into its canvas's WebGL2 context (the
// window's), so there is no second, surfaceless one. Only the command-line exports ask for it.
#include <stdexcept>

#include "render/offscreen_context.h"

namespace optiviz::render {

OffscreenContext::OffscreenContext() {
    throw std::runtime_error("offscreen rendering is not available in the browser");
}

OffscreenContext::~OffscreenContext() = default;

// Never reached: no OffscreenContext is ever made here.
std::string OffscreenContext::renderer() const { return display_ && context_ ? "none" : std::string(); }

}  // namespace optiviz::render
