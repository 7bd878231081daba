// `optiviz render --animate OUT.gif|OUT.mp4|OUT.webm [--fps N] [--duration SECONDS |
// --steps-per-frame K] [--from STEP] [--to STEP] [--time steps|path|log]`: the playback as an animation, frame by frame the
// still picture of `optiviz render` (app/export/animation_export.h).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "app/cli/render_command.h"

namespace optiviz::cli {

// The options as typed; parsed strictly by run_animate so that messages name the option.
struct AnimateOptions {
    std::string path;  // --animate
    std::optional<std::string> fps, duration, steps_per_frame, from, to, time;

    // The name of an animation-only option given without --animate ("" if none).
    std::string stray_option() const;
};

// Renders and encodes; the summary line goes to `out`. A progress bar is drawn on `err` only when
// it is the process's stderr and a terminal (never into captured output). Throws
// std::invalid_argument (bad input: nothing is written) or std::runtime_error, with one line.
void run_animate(const RenderRequest& request, const AnimateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace optiviz::cli
