// optiviz entry point: subcommands run without a window; no subcommand opens the app.
#include <iostream>

#include "app/cli/cli.h"

int main(int argc, char** argv) {
    optiviz::cli::LaunchRequest launch;
    int status = optiviz::cli::run(argc, argv, std::cin, std::cout, std::cerr, &launch);
    // A result that did not reach its reader is a failure, not a success (`optiviz trace ... > /dev/full`).
    std::cout.flush();
    if (!optiviz::cli::finish_standard_output(stdout, std::cerr) && status == 0) status = 1;
    if (status != 0 || !launch.requested) return status;
    return optiviz::app::run_window_app(launch.scene, launch.window);
}
