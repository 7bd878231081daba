// The command line: `optiviz trace`, `optiviz list`, and (with a window) the interactive app.
//
// Contract for every subcommand: on bad input, exactly one line on `err` ("optiviz: error: ...")
// and nothing on `out`, exit status 2. Output is assembled in memory and written only on success.
#pragma once

#include <iosfwd>

namespace optiviz::cli {

// Runs the command line in-process (tests call this directly). argv[0] is the program name.
// Returns the exit status. `launch_app` is set when the user asked for the interactive window
// (no subcommand); the caller then opens it.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool* launch_app = nullptr);

}  // namespace optiviz::cli
