// Files are written whole or not at all: the old file survives every failure byte for byte.
#include "support/catch.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/atomic_file.h"
#include "support/full_disk.h"

using optiviz::write_file_atomically;
using namespace optiviz::test;

// An interposition seam: this test binary's own fsync and rename, which forward to the C library's
// and, while a test records, note the order they were called in.
namespace {
std::vector<std::string>* recorded_calls = nullptr;
}  // namespace

extern "C" int fsync(int fd) {
    using Real = int (*)(int);
    static const Real real = reinterpret_cast<Real>(::dlsym(RTLD_NEXT, "fsync"));
    if (recorded_calls) recorded_calls->push_back("fsync");
    return real(fd);
}

extern "C" int rename(const char* from, const char* to) noexcept {
    using Real = int (*)(const char*, const char*);
    static const Real real = reinterpret_cast<Real>(::dlsym(RTLD_NEXT, "rename"));
    if (recorded_calls) recorded_calls->push_back("rename");
    return real(from, to);
}

TEST_CASE("an atomic write syncs its data before the rename makes it the file, and the folder after", "[atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("out.csv");
    std::vector<std::string> calls;
    recorded_calls = &calls;
    write_file_atomically(path, "data");
    recorded_calls = nullptr;
    const auto renamed = std::find(calls.begin(), calls.end(), "rename");
    REQUIRE(renamed != calls.end());
    CHECK(std::find(calls.begin(), renamed, "fsync") != renamed);  // a crash after the rename keeps the data
    CHECK(std::find(renamed, calls.end(), "fsync") != calls.end());  // and the rename itself is made durable
    CHECK(read_bytes(path) == "data");
}

TEST_CASE("an atomic write replaces the file's content exactly", "[atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("out.csv");
    write_bytes(path, "old content that is longer than the new one\n");
    write_file_atomically(path, std::string("new\0bytes", 9));
    CHECK(read_bytes(path) == std::string("new\0bytes", 9));
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"out.csv"});
}

TEST_CASE("an atomic write creates a missing file with the umask's permissions", "[atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("fresh.txt");
    const mode_t old_mask = ::umask(022);
    write_file_atomically(path, "hello");
    ::umask(old_mask);
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);
    CHECK(read_bytes(path) == "hello");
}

TEST_CASE("an atomic write keeps the old file's permission bits", "[atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("kept.txt");
    write_bytes(path, "x");
    REQUIRE(::chmod(path.c_str(), 0640) == 0);
    write_file_atomically(path, "y");
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0640);
}

TEST_CASE("an atomic write through a symbolic link replaces the linked file, not the link", "[atomic]") {
    ScratchFolder folder;
    write_bytes(folder.file("real.txt"), "old");
    REQUIRE(::symlink("real.txt", folder.file("link.txt").c_str()) == 0);
    write_file_atomically(folder.file("link.txt"), "new");
    struct stat info {};
    REQUIRE(::lstat(folder.file("link.txt").c_str(), &info) == 0);
    CHECK(S_ISLNK(info.st_mode));
    CHECK(read_bytes(folder.file("real.txt")) == "new");
}

TEST_CASE("a full disk leaves the old file byte for byte and no temporary file", "[atomic]") {
    ScratchFolder folder;
    const std::string path = folder.file("big.bin");
    const std::string old_bytes = "the old file\n";
    write_bytes(path, old_bytes);
    const std::string new_bytes(64 * 1024, 'n');
    std::string message;
    {
        FullDisk disk(8 * 1024);
        try {
            write_file_atomically(path, new_bytes);
        } catch (const std::runtime_error& e) {
            message = e.what();
        }
    }
    CHECK(message == path + ": cannot write: File too large");
    CHECK(read_bytes(path) == old_bytes);
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"big.bin"});
}

TEST_CASE("devices, folders and missing folders are refused with one line naming the path", "[atomic]") {
    ScratchFolder folder;
    CHECK_THROWS_WITH(write_file_atomically("/dev/full", "x"), "/dev/full: cannot write: not a regular file (a device, FIFO or socket)");
    CHECK_THROWS_AS(write_file_atomically("/dev/full", "x"), std::invalid_argument);
    CHECK_THROWS_WITH(write_file_atomically(folder.path(), "x"), folder.path() + ": cannot write: it is a folder");
    const std::string missing = folder.file("no/such/out.png");
    CHECK_THROWS_WITH(write_file_atomically(missing, "x"),
                      missing + ": cannot write: cannot create a file in " + folder.file("no/such") +
                          ": No such file or directory");
    CHECK_THROWS_AS(write_file_atomically("", "x"), std::invalid_argument);
    CHECK(folder_entries(folder.path()).empty());
}

TEST_CASE("output paths are checked before any work, with the writer's messages", "[atomic]") {
    ScratchFolder folder;
    CHECK_NOTHROW(optiviz::check_output_path(folder.file("new.png")));
    CHECK_THROWS_WITH(optiviz::check_output_path("/dev/full"), "/dev/full: cannot write: not a regular file (a device, FIFO or socket)");
    CHECK_THROWS_WITH(optiviz::check_output_path(folder.path()), folder.path() + ": cannot write: it is a folder");
    CHECK_THROWS_WITH(optiviz::check_output_path(folder.file("no/x.png")),
                      folder.file("no/x.png") + ": cannot write: cannot create a file in " + folder.file("no") +
                          ": No such file or directory");
    write_bytes(folder.file("plain"), "");
    CHECK_THROWS_WITH(optiviz::check_output_path(folder.file("plain/x.png")),
                      folder.file("plain/x.png") + ": cannot write: cannot create a file in " + folder.file("plain") +
                          ": Not a directory");
    CHECK(folder_entries(folder.path()) == std::vector<std::string>{"plain"});
}

TEST_CASE("output paths are checked for a name the folder takes and a folder that takes new files", "[atomic]") {
    ScratchFolder folder;
    // A name longer than the folder's NAME_MAX (255 here) would fail only at the write, after the work.
    const std::string long_name = folder.file(std::string(300, 'a') + ".png");
    CHECK_THROWS_AS(optiviz::check_output_path(long_name), std::invalid_argument);
    CHECK_THROWS_WITH(optiviz::check_output_path(long_name), Catch::Contains("the file name is 304 bytes long; this folder takes at most 255"));
    CHECK_NOTHROW(optiviz::check_output_path(folder.file(std::string(251, 'a') + ".png")));  // 255: the most it takes
    // /proc exists and is a folder, yet takes no new file: the probe finds out, and leaves nothing.
    CHECK_THROWS_WITH(optiviz::check_output_path("/proc/x.png"), Catch::Contains("/proc/x.png: cannot write: cannot create a file in /proc"));
    CHECK(folder_entries(folder.path()).empty());
}
