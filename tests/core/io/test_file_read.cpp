// Files named by the user are read only when they are regular files of bounded size.
#include "support/catch.h"

#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "core/io/file_read.h"
#include "core/io/limits.h"
#include "support/full_disk.h"

using optiviz::read_regular_file;
using namespace optiviz::test;

TEST_CASE("a regular file is read whole", "[file]") {
    ScratchFolder folder;
    write_bytes(folder.file("a.csv"), std::string("x,y\n1,2\n\0z", 10));
    CHECK(read_regular_file(folder.file("a.csv"), "data file", 100) == std::string("x,y\n1,2\n\0z", 10));
}

TEST_CASE("FIFOs, devices and folders are refused at once", "[file]") {
    ScratchFolder folder;
    const std::string fifo = folder.file("pipe");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Without a writer, a blocking open would wait forever; the test finishing is the check.
    CHECK_THROWS_WITH(read_regular_file(fifo, "data file", 100), fifo + ": data file is not a regular file (a folder, device or FIFO)");
    CHECK_THROWS_WITH(read_regular_file("/dev/zero", "data file", 100),
                      "/dev/zero: data file is not a regular file (a folder, device or FIFO)");
    CHECK_THROWS_WITH(read_regular_file(folder.path(), "scene file", 100),
                      folder.path() + ": scene file is not a regular file (a folder, device or FIFO)");
    CHECK_THROWS_WITH(read_regular_file(folder.file("missing"), "data file", 100),
                      folder.file("missing") + ": cannot open data file (No such file or directory)");
}

TEST_CASE("files over the size limit are refused before reading", "[file]") {
    ScratchFolder folder;
    const std::string big = folder.file("big.csv");
    write_bytes(big, "");
    // A sparse file: the size is checked from its metadata, so nothing of it is read.
    REQUIRE(::truncate(big.c_str(), static_cast<off_t>(optiviz::limits::kMaxDataFileBytes) + 1) == 0);
    CHECK_THROWS_WITH(read_regular_file(big, "data file", optiviz::limits::kMaxDataFileBytes),
                      big + ": data file is 268435457 bytes; the limit is 268435456 bytes (256 MB)");
    write_bytes(big, "12345");
    CHECK_THROWS_WITH(read_regular_file(big, "data file", 4), big + ": data file is 5 bytes; the limit is 4 bytes");
}
