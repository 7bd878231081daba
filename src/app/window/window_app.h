// The interactive window: GLFW + OpenGL 3.3 core + Dear ImGui.
#pragma once

#include <string>

#include "core/scene/scene.h"
#include "ui/canvas/imgui_compat.h"

namespace optiviz::app {

struct WindowOptions {
    int width = 1440, height = 900;
    bool size_given = false;      // false: the size remembered from the last session, if any
    int frames = 0;               // > 0: close after this many frames (smoke tests, scripted screenshots)
    std::string screenshot_path;  // with frames: export the landscape PNG before closing
    std::string window_capture_path;  // with frames: save the whole window (controls included) as PNG
    bool hidden = false;          // no visible window (tests)
    bool tune_all = false;          // start "Tune all" with the panel's defaults on the first frame
    // With frames: print the mean wall time per frame from frame kTimedFrom to the one before the last
    // (the last waits for background work) to stderr: "optiviz: frames 5-64: 12.3 ms/frame".
    bool frame_times = false;
    static constexpr int kTimedFrom = 5;
    std::string scene_path;         // the scene file the scene was read from ("": none): the title names it, Save writes it
    bool restore_session = false;   // interactive: open the last session's scene (settings.h) instead of `scene`
};

// Runs until the window closes. Interactive sessions (frames == 0) read and write the settings
// (window size, recent files, last folder; see settings.h) and keep the session (the scene, restored
// on the next launch with restore_session); closing with unsaved edits asks Save / Discard / Cancel.
// Scripted ones leave settings and session alone and never ask. Returns the process exit status; without a display it prints one
// line pointing to `optiviz render` and returns 1.
int run_window_app(const Scene& scene, const WindowOptions& options);

// Which key types which letter on the X server's (or compositor's) current keyboard layout, from
// glfwGetKeyName; GLFW must be initialised. The window rebuilds it every second or so.
ui::KeyLayout glfw_key_layout();

}  // namespace optiviz::app
