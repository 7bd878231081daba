#include "render/offscreen_context.h"

#include "render/gl.h"
// epoxy's EGL header, not <EGL/egl.h>: both define the Khronos base types and must not meet.
#include <epoxy/egl.h>

#include <stdexcept>

namespace optiviz::render {

OffscreenContext::OffscreenContext() {
    auto get_platform_display =
        reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
    EGLDisplay display = EGL_NO_DISPLAY;
    if (get_platform_display) display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (display == EGL_NO_DISPLAY) display = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (display == EGL_NO_DISPLAY) throw std::runtime_error("offscreen rendering: no EGL display (is Mesa's libegl1 installed?)");
    EGLint major = 0, minor = 0;
    if (!eglInitialize(display, &major, &minor)) throw std::runtime_error("offscreen rendering: eglInitialize failed");
    display_ = display;
    if (!eglBindAPI(EGL_OPENGL_API)) throw std::runtime_error("offscreen rendering: EGL has no desktop OpenGL");
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
    EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    if (context == EGL_NO_CONTEXT) throw std::runtime_error("offscreen rendering: cannot create an OpenGL 3.3 core context");
    context_ = context;
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
        throw std::runtime_error("offscreen rendering: eglMakeCurrent failed (no surfaceless support?)");
}

OffscreenContext::~OffscreenContext() {
    if (display_) {
        eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (context_) eglDestroyContext(display_, context_);
        eglTerminate(display_);
    }
}

std::string OffscreenContext::renderer() const {
    const auto* text = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    return text ? text : "unknown";
}

}  // namespace optiviz::render
