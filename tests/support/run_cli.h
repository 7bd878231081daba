// The command line as a user meets it, in-process: argv in, stdout/stderr and exit status out.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "app/cli/cli.h"

namespace optiviz::test {

struct Result {
    int status;
    std::string out, err;
};

inline Result run(std::vector<std::string> args) {
    args.insert(args.begin(), "optiviz");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int status = optiviz::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
    return {status, out.str(), err.str()};
}

}  // namespace optiviz::test
