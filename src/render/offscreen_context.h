// An OpenGL 3.3 core context with no window and no X server: EGL on Mesa's surfaceless platform.
// `optiviz render` and the render tests draw into Framebuffers through it.
#pragma once

#include <memory>
#include <string>

namespace optiviz::render {

class OffscreenContext {
public:
    // Creates the context and makes it current. Throws std::runtime_error with one line (naming
    // the EGL step that failed) when no such context can be had.
    OffscreenContext();
    ~OffscreenContext();
    OffscreenContext(const OffscreenContext&) = delete;
    OffscreenContext& operator=(const OffscreenContext&) = delete;

    std::string renderer() const;  // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"

private:
    void* display_ = nullptr;
    void* context_ = nullptr;
};

}  // namespace optiviz::render
