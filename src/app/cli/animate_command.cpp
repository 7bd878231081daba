#include "app/cli/animate_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "app/export/animation_export.h"
#include "core/io/limits.h"
#include "core/presentation/number_text.h"

namespace optiviz::cli {

std::string AnimateOptions::stray_option() const {
    if (fps) return "--fps";
    if (duration) return "--duration";
    if (steps_per_frame) return "--steps-per-frame";
    if (from) return "--from";
    if (to) return "--to";
    if (time) return "--time";
    return "";
}

namespace {

// "[#########...........]  45/180 frames" rewritten in place.
void draw_progress_bar(std::ostream& err, int done, int total) {
    constexpr int kWidth = 30;
    const int filled = total > 0 ? done * kWidth / total : 0;
    std::string bar = "\r[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] ";
    char count[64];
    std::snprintf(count, sizeof count, "%d/%d frames", done, total);
    err << bar << count << std::flush;
}

}  // namespace

void run_animate(const RenderRequest& request, const AnimateOptions& options, std::ostream& out, std::ostream& err) {
    app::AnimationRequest animation;
    animation.path = options.path;
    animation.width = request.width;
    animation.height = request.height;
    animation.view = app::parse_picture_view(request.view);
    // The bounds named here are the ones the plan enforces (core/io/limits.h), so a refusal states them.
    if (options.fps)
        animation.fps = static_cast<int>(parse_whole_between(*options.fps, "--fps", limits::kMinAnimationFps, limits::kMaxAnimationFps));
    if (options.duration) animation.duration = parse_number(*options.duration, "--duration");
    if (options.steps_per_frame)
        animation.steps_per_frame = parse_whole_between(*options.steps_per_frame, "--steps-per-frame", 1, limits::kMaxSteps);
    if (options.from) animation.from = parse_whole_between(*options.from, "--from", 0, limits::kMaxSteps);
    if (options.to) animation.to = parse_whole_between(*options.to, "--to", 0, limits::kMaxSteps);
    if (options.time) animation.timing = app::parse_frame_timing(*options.time);

    const bool bar = &err == &std::cerr && ::isatty(STDERR_FILENO) == 1;
    std::string summary;
    try {
        summary = app::run_animation(request.scene, animation, [&](int done, int total) {
            if (bar) draw_progress_bar(err, done, total);
        });
    } catch (...) {
        if (bar) err << "\r\033[K" << std::flush;
        throw;
    }
    if (bar) err << "\r\033[K" << std::flush;
    out << summary;
}

}  // namespace optiviz::cli
