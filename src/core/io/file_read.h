// Reading the files a user names (data CSVs, scenes): only regular files of bounded size, so a FIFO,
// /dev/zero or a folder is refused at once instead of blocking or reading forever.
#pragma once

#include <cstdint>
#include <string>

namespace optiviz {

// The whole content of `path`. Throws std::invalid_argument with one line:
// "PATH: cannot open KIND: REASON", "PATH: KIND is not a regular file (a folder, device or FIFO)" or
// "PATH: KIND is N bytes; the limit is M bytes (K MB)". Never blocks on a FIFO (it is opened non-blocking and refused).
std::string read_regular_file(const std::string& path, const std::string& kind, std::uintmax_t max_bytes);

}  // namespace optiviz
