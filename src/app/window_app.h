// The interactive window: GLFW + OpenGL 3.3 core + Dear ImGui.
#pragma once

#include <string>

#include "core/scene.h"
#include "ui/analysis_panel.h"

namespace optiviz::app {

struct WindowOptions {
    int width = 1440, height = 900;
    bool size_given = false;      // false: the size remembered from the last session, if any
    int frames = 0;               // > 0: close after this many frames (smoke tests, scripted screenshots)
    std::string screenshot_path;  // with frames: export the landscape PNG before closing
    std::string window_capture_path;  // with frames: save the whole window (controls included) as PNG
    bool hidden = false;          // no visible window (tests)
    ui::AnalysisSettings analysis;  // basin / sweep maps to show from the start
    bool tune_all = false;          // start "Tune all" with the panel's defaults on the first frame
    // With frames: print the mean wall time per frame from frame kTimedFrom to the one before the last
    // (the last waits for background work) to stderr: "optiviz: frames 5-64: 12.3 ms/frame".
    bool frame_times = false;
    static constexpr int kTimedFrom = 5;
};

// Runs until the window closes. Interactive sessions (frames == 0) read and write the settings
// (window size, recent files, last folder; see settings.h); scripted ones leave them alone. Returns the process exit status; without a display it prints one
// line pointing to `optiviz render` and returns 1.
int run_window_app(const Scene& scene, const WindowOptions& options);

}  // namespace optiviz::app
