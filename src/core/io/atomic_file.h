// Files written whole or not at all: every file optiviz writes (pictures, CSVs, scenes, screenshots)
// goes through here, so a full disk, a missing permission or a bad path never leaves a truncated file
// in place of a good one.
#pragma once

#include <memory>
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
// that exists), so a command can refuse a bad --out before minutes of work, and more: a file name
// no longer than the folder takes (NAME_MAX), and a folder that really takes a new file (tried with
// a temporary file, removed at once: catches read-only file systems, /proc, missing permission).
// Throws the same messages (the path cut to 120 characters and escaped).
void check_output_path(const std::string& path);

// A file another library writes piece by piece (a video muxer that opens files by name), that must
// still appear whole or not at all: it writes to temporary_path(), a new file beside `path` (checked
// as check_output_path; an existing file's permission bits are kept), and commit() syncs it and
// renames it over `path`. Destroyed without a commit, the temporary file is removed. So an
// animation streams to disk (memory stays a few frames) yet a cancel or a failure leaves nothing.
class PendingFile {
public:
    explicit PendingFile(const std::string& path);  // throws as check_output_path
    ~PendingFile();
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;

    const std::string& temporary_path() const;
    // fsync, close, rename over the path, fsync the folder. Throws std::runtime_error
    // "PATH: cannot write: REASON" (the temporary file is removed).
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace optiviz
