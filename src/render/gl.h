// The one place the render layer gets OpenGL from: libepoxy resolves entry points for whatever
// context is current (GLX under X, EGL without a display). In the browser build it is WebGL2
// through emscripten's OpenGL ES 3.0 headers.
#pragma once

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
// The shading language ImGui's OpenGL backend compiles its shaders in.
#define OPTIVIZ_GLSL_VERSION "#version 300 es"
#else
#include <epoxy/gl.h>
#define OPTIVIZ_GLSL_VERSION "#version 330 core"
#endif
