// The command line: `optiviz trace`, `optiviz list`, and (with a window) the interactive app.
//
// Contract for every subcommand: on bad input, exactly one line on `err` ("optiviz: error: ...")
// and nothing on `out`, exit status 2. Output is assembled in memory and written only on success.
//
// Which stream carries what: standard output carries the command's product and nothing else, so it
// can be piped: the data when the data is written there (trace's CSV, tune's table, `--out -`,
// `list`, `list --json`, --help, --version), otherwise the line naming the file written ("wrote
// FILE ..."). Standard error carries everything a person reads beside it: notes, warnings, errors,
// "best: ..." summaries, progress, and the "wrote" line when the data itself went to stdout.
// "-" means standard input for --data and --scene (read once; not both) and standard output for
// sweep's and basins' CSV --out. Unknown commands, options, surfaces, optimizers and presets are
// reported with the closest known names ("did you mean ..."). `optiviz help [COMMAND]` is --help.
// main() checks that standard output was written whole (a full disk, a closed pipe's reader).
#pragma once

#include <cstdio>
#include <iosfwd>

#include "app/window/window_app.h"
#include "core/scene/scene.h"

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
// `in` is read (to its end) only when an option names standard input; the overload without it uses std::cin.
int run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err,
        LaunchRequest* launch = nullptr);
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, LaunchRequest* launch = nullptr);

// After a command has written to standard output: flushes it and says whether everything arrived.
// On failure writes one line to `err` ("optiviz: error: cannot write to standard output: No space
// left on device") and returns false; the caller then exits with status 1.
bool finish_standard_output(std::FILE* stream, std::ostream& err);

}  // namespace optiviz::cli
