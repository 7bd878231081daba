// The command line: `optiviz trace`, `optiviz list`, and (with a window) the interactive app.
//
// Contract for every subcommand: on bad input, exactly one line on `err` ("optiviz: error: ...")
// and nothing on `out`, exit status 2. Output is assembled in memory and written only on success.
#pragma once

#include <iosfwd>

#include "app/window_app.h"
#include "core/scene.h"

namespace optiviz::cli {

// What the caller should open when the command line asks for the window (no subcommand).
struct LaunchRequest {
    bool requested = false;
    Scene scene;
    app::WindowOptions window;
};

// Runs the command line in-process (tests call this directly). argv[0] is the program name.
// Returns the exit status. Without a subcommand, fills `launch` (if given) and returns 0; the
// caller then opens the window.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, LaunchRequest* launch = nullptr);

}  // namespace optiviz::cli
