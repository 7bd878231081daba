// The "Export animation" window: format, file, size, frame rate, length (seconds, or steps per
// frame) and step range, then a progress bar and Cancel while the export runs. It only edits its
// own settings and returns what was asked; the app starts and runs the export
// (app/export/animation_export.h) and reports back through AnimationDialogStatus.
#pragma once

#include <string>

namespace optiviz::ui {

enum class AnimationFormat { Gif = 0, Mp4 = 1, WebM = 2 };

// The dialog's settings, kept between openings.
struct AnimationDialog {
    bool open = false;
    std::string path = "optiviz.mp4";  // its extension follows the format
    AnimationFormat format = AnimationFormat::Mp4;
    int width = 1280, height = 720;  // 16..3840 x 16..2160
    int fps = 30;                    // 1..120
    bool by_duration = true;         // true: `duration` seconds; false: a frame every `steps_per_frame` steps
    float duration = 6.0f;           // seconds, 0.1..600
    int steps_per_frame = 10;        // >= 1
    bool whole_run = true;           // false: from..to
    int from = 0, to = 0;            // steps, clamped to 0..last_step
};

// What the app tells the dialog.
struct AnimationDialogStatus {
    long last_step = 0;
    bool running = false;
    float progress = 0;     // 0..1
    std::string activity;   // e.g. "rendering frame 12 of 180"
    std::string message;    // the last export's result or error
    bool message_is_error = false;
    bool file_dialogs = false;  // a native file dialog can be shown: the file field gets a "..." button
};

struct AnimationDialogActions {
    bool start = false;   // Export pressed (not while running)
    bool cancel = false;  // Cancel pressed while running
    bool choose_file = false;  // "..." pressed: show the file dialog for the animation's file
};

// Replaces the path's extension by the format's (.gif, .mp4, .webm), or appends it.
std::string with_animation_extension(const std::string& path, AnimationFormat format);

// Draws the window when `dialog.open`. Closing it while an export runs leaves the export running;
// opening it again shows the progress.
AnimationDialogActions draw_animation_dialog(AnimationDialog& dialog, const AnimationDialogStatus& status);

}  // namespace optiviz::ui
