// Files written whole or not at all: every file optiviz writes (pictures, CSVs, scenes, screenshots)
// goes through here, so a full disk, a missing permission or a bad path never leaves a truncated file
// in place of a good one.
#pragma once

#include <string>
#include <string_view>

namespace optiviz {

// Writes `bytes` to `path` through a temporary file in the same folder: create, write, flush, fsync,
// close, then rename over `path`. Afterwards `path` holds either its old content (on failure) or
// exactly `bytes` (on success), never a mix. An existing file keeps its permission bits; a new one
// gets 0666 minus the umask. A symbolic link is followed, so the file it points to is replaced.
//
// Throws std::invalid_argument for a path that can never be written (empty, a folder, a device or
// FIFO such as /dev/full) and std::runtime_error for a failure of the system (no space, no
// permission, missing folder). Both carry one line: "PATH: cannot write: REASON". The temporary file
// is removed on every failure.
void write_file_atomically(const std::string& path, std::string_view bytes);

// The checks write_file_atomically makes before writing (a name, not a folder or device, a folder
// that exists), so a command can refuse a bad --out before minutes of work. Throws the same messages.
void check_output_path(const std::string& path);

}  // namespace optiviz
