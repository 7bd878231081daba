// stb_image and stb_image_write's implementations for the browser build: the desktop links Debian's
// libstb, which has no WebAssembly build; the headers from libstb-dev carry the code.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image.h>
#include <stb_image_write.h>
