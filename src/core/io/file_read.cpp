#include "core/io/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "core/io/text_escape.h"

namespace optiviz {

namespace {

std::string byte_count(std::uintmax_t bytes) {
    char text[64];
    if (bytes >= (1u << 20))
        std::snprintf(text, sizeof text, "%ju bytes (%.0f MB)", bytes, static_cast<double>(bytes) / (1 << 20));
    else
        std::snprintf(text, sizeof text, "%ju bytes", bytes);
    return text;
}

}  // namespace

std::string read_regular_file(const std::string& path, const std::string& kind, std::uintmax_t max_bytes) {
    const std::string shown = printable(path, 200);
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw std::invalid_argument(shown + ": cannot open " + kind + " (" + std::strerror(errno) + ")");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw std::invalid_argument(shown + ": cannot read " + kind + " (" + std::strerror(errno) + ")");
    if (!S_ISREG(info.st_mode))
        throw std::invalid_argument(shown + ": " + kind + " is not a regular file (a folder, device or FIFO)");
    const auto size = static_cast<std::uintmax_t>(info.st_size);
    if (size > max_bytes)
        throw std::invalid_argument(shown + ": " + kind + " is " + std::to_string(size) + " bytes; the limit is " +
                                    byte_count(max_bytes));
    std::string bytes;
    bytes.resize(static_cast<std::size_t>(size));
    std::size_t done = 0;
    // The file may change while it is read: never read past the limit.
    while (true) {
        if (done == bytes.size()) {
            if (bytes.size() > max_bytes)
                throw std::invalid_argument(shown + ": " + kind + " grew past the limit of " + byte_count(max_bytes));
            bytes.resize(bytes.size() + 4096);
        }
        const ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::invalid_argument(shown + ": cannot read " + kind + " (" + std::strerror(errno) + ")");
        }
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
    }
    bytes.resize(done);
    return bytes;
}

}  // namespace optiviz
