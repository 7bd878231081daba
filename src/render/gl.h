// The one place the render layer gets OpenGL from: libepoxy resolves entry points for whatever
// context is current (GLX under X, EGL without a display).
#pragma once

#include <epoxy/gl.h>
