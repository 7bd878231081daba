// The browser build's entry point (the desktop's is main.cpp): no command line, so the page's
// address names the scene -- `#preset=NAME` (a preset, as in the window's Presets menu) or
// `#scene=BASE64URL` (a scene file's JSON, which the page's "Link to this scene" button makes;
// web/page.js decodes it). An address that names none opens the scene this browser kept from the
// last visit (the page's localStorage), else the default scene; one that cannot be read opens the
// default scene (one line on the console).
#include <emscripten.h>

#include <cstdio>
#include <exception>
#include <string>

#include "app/cli/scene_options.h"
#include "app/window/window_app.h"
#include "core/scene/presets.h"

namespace {

optiviz::Scene scene_from_address() {
    // "preset\nNAME", "scene\nJSON", "stored\nJSON" or "" (web/page.js).
    const std::string named = emscripten_run_script_string("optivizSceneFromAddress()");
    const auto newline = named.find('\n');
    const optiviz::Scene fallback = optiviz::cli::build_scene(optiviz::cli::SceneOptions{});
    if (newline == std::string::npos) return fallback;
    const std::string kind = named.substr(0, newline), text = named.substr(newline + 1);
    try {
        if (kind == "preset") return optiviz::make_preset(text);
        if (kind == "scene") return optiviz::scene_from_json(text, "the link's scene");
        if (kind == "stored") return optiviz::scene_from_json(text, "the scene this browser kept");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "optiviz: %s (%s); showing the default scene\n",
                     kind == "stored" ? "the scene kept from the last visit does not open" : "the page's address names no scene that opens", e.what());
    }
    return fallback;
}

}  // namespace

int main() {
    optiviz::app::WindowOptions options;
    // The window is the page's canvas, as large as the browser's window when the page opened.
    options.width = emscripten_run_script_int("optivizCanvasWidth()");
    options.height = emscripten_run_script_int("optivizCanvasHeight()");
    options.size_given = true;
    return optiviz::app::run_window_app(scene_from_address(), options);
}
