// What every harness checks besides "no crash, no hang": a refused input gets one line of
// printable text, as the command line and the window show it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/io/text_escape.h"

namespace optiviz::fuzz {

inline void check_message(const std::exception& e) {
    const std::string message = e.what();
    if (message.empty() || !is_printable_line(message)) {
        std::fprintf(stderr, "message is not one printable line: %s\n", printable(message, 400).c_str());
        std::abort();
    }
}

}  // namespace optiviz::fuzz
