// optiviz entry point: subcommands run without a window; no subcommand opens the app.
#include <iostream>

#include "app/cli.h"

int main(int argc, char** argv) {
    bool launch_app = false;
    const int status = optiviz::cli::run(argc, argv, std::cout, std::cerr, &launch_app);
    if (!launch_app) return status;
    std::cerr << "optiviz: the interactive window is not built yet; try `optiviz trace --help`\n";
    return 1;
}
