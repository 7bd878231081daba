// optiviz's version (the CMake project version) and the git commit it was built from.
#pragma once

#include <string>
#include <string_view>

namespace optiviz::app {

std::string_view version();     // "X.Y.Z"
std::string_view git_commit();  // short hash, or empty when not built from a git checkout

// "optiviz X.Y.Z" plus " (git HASH)" when the commit is known: what `optiviz --version` prints.
inline std::string version_line() {
    std::string line = "optiviz " + std::string(version());
    if (!git_commit().empty()) line += " (git " + std::string(git_commit()) + ")";
    return line;
}

}  // namespace optiviz::app
