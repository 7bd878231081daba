// optiviz entry point: subcommands run without a window; no subcommand opens the app.
#include <iostream>

#include "app/cli.h"

int main(int argc, char** argv) {
    optiviz::cli::LaunchRequest launch;
    const int status = optiviz::cli::run(argc, argv, std::cout, std::cerr, &launch);
    if (status != 0 || !launch.requested) return status;
    return optiviz::app::run_window_app(launch.scene, launch.window);
}
