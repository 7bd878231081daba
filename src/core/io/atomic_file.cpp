#include "core/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "core/io/text_escape.h"

namespace optiviz {

namespace {

[[noreturn]] void fail_system(const std::string& path, const std::string& reason) {
    throw std::runtime_error(path + ": cannot write: " + reason);
}

std::string errno_text(int error) { return std::strerror(error); }

// The file a write to `path` lands in: a symbolic link is replaced by what it points to, so
// renaming the temporary file does not turn the link into a plain file.
std::string resolve_target(const std::string& path) {
    struct stat link_info {};
    if (::lstat(path.c_str(), &link_info) != 0 || !S_ISLNK(link_info.st_mode)) return path;
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (resolved == nullptr) return path;  // a dangling link: the rename replaces it
    std::string target = resolved;
    std::free(resolved);
    return target;
}

std::string folder_of(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Owns the temporary file until it is renamed: any early exit closes and removes it.
class TemporaryFile {
public:
    TemporaryFile(const std::string& folder, const std::string& shown_path) {
        static std::atomic<unsigned> counter{0};
        for (int attempt = 0; attempt < 100; ++attempt) {
            name_ = folder + "/.optiviz-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".tmp";
            fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd_ >= 0) return;
            if (errno != EEXIST) fail_system(shown_path, "cannot create a file in " + folder + ": " + errno_text(errno));
        }
        fail_system(shown_path, "cannot find a free temporary name in " + folder);
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    ~TemporaryFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!name_.empty()) ::unlink(name_.c_str());
    }

    int fd() const { return fd_; }
    const std::string& name() const { return name_; }
    // Closes the descriptor and reports close's own error (NFS and quotas report late).
    int close() {
        const int result = ::close(fd_);
        fd_ = -1;
        return result == 0 ? 0 : errno;
    }
    void keep() { name_.clear(); }

private:
    std::string name_;
    int fd_ = -1;
};

void write_all(int fd, std::string_view bytes, const std::string& shown_path) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            fail_system(shown_path, errno_text(errno));
        }
        if (written == 0) fail_system(shown_path, "the system accepted no bytes");
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

// Refuses what can never be written; returns whether the target exists (with its status).
bool check_target(const std::string& path, const std::string& target, struct stat& existing) {
    if (path.empty()) throw std::invalid_argument("cannot write a file with an empty name");
    const bool exists = ::stat(target.c_str(), &existing) == 0;
    if (exists && S_ISDIR(existing.st_mode))
        throw std::invalid_argument(path + ": cannot write: it is a folder");
    if (exists && !S_ISREG(existing.st_mode))
        throw std::invalid_argument(path + ": cannot write: not a regular file (a device, FIFO or socket)");
    if (!target.empty() && target.back() == '/')
        throw std::invalid_argument(path + ": cannot write: the name ends in '/'");
    return exists;
}

}  // namespace

void check_output_path(const std::string& path) {
    const std::string target = resolve_target(path);
    struct stat existing {};
    check_target(path, target, existing);
    struct stat folder {};
    const std::string folder_name = folder_of(target);
    const std::string shown = printable(path, 120);
    if (::stat(folder_name.c_str(), &folder) != 0)
        fail_system(shown, "cannot create a file in " + printable(folder_name, 120) + ": " + errno_text(errno));
    if (!S_ISDIR(folder.st_mode)) fail_system(shown, "cannot create a file in " + printable(folder_name, 120) + ": " + errno_text(ENOTDIR));
    const std::size_t name_bytes = target.size() - target.find_last_of('/') - 1;
    const long name_max = ::pathconf(folder_name.c_str(), _PC_NAME_MAX);
    if (name_max > 0 && name_bytes > static_cast<std::size_t>(name_max))
        throw std::invalid_argument(shown + ": cannot write: the file name is " + std::to_string(name_bytes) +
                                    " bytes long; this folder takes at most " + std::to_string(name_max));
    // A folder that exists may still refuse a new file (a read-only file system, no permission, a
    // kernel folder such as /proc): try as the write will, with a temporary file removed at once.
    TemporaryFile probe(folder_name, shown);
}

namespace {

// Keep the old file's permission bits; fchmod cannot widen past what the owner may set.
void copy_permissions(const TemporaryFile& temporary, bool exists, const struct stat& existing, const std::string& path) {
    if (exists && ::fchmod(temporary.fd(), existing.st_mode & 07777) != 0)
        fail_system(path, "cannot copy the permissions: " + errno_text(errno));
}

// Syncs and renames the temporary file over `target`, then syncs the folder.
void commit_temporary(TemporaryFile& temporary, const std::string& target, const std::string& path) {
    if (::fsync(temporary.fd()) != 0) fail_system(path, errno_text(errno));
    if (const int error = temporary.close(); error != 0) fail_system(path, errno_text(error));
    if (::rename(temporary.name().c_str(), target.c_str()) != 0) fail_system(path, errno_text(errno));
    temporary.keep();
    // Make the rename itself durable; a folder that cannot be synced is no reason to fail.
    const int folder = ::open(folder_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
    if (path.empty()) throw std::invalid_argument("cannot write a file with an empty name");
    const std::string target = resolve_target(path);
    struct stat existing {};
    const bool exists = check_target(path, target, existing);

    TemporaryFile temporary(folder_of(target), path);
    copy_permissions(temporary, exists, existing, path);
    write_all(temporary.fd(), bytes, path);
    commit_temporary(temporary, target, path);
}

struct PendingFile::Impl {
    std::string path, target;
    std::unique_ptr<TemporaryFile> temporary;
};

PendingFile::PendingFile(const std::string& path) : impl_(std::make_unique<Impl>()) {
    check_output_path(path);
    impl_->path = path;
    impl_->target = resolve_target(path);
    struct stat existing {};
    const bool exists = check_target(path, impl_->target, existing);
    impl_->temporary = std::make_unique<TemporaryFile>(folder_of(impl_->target), path);
    copy_permissions(*impl_->temporary, exists, existing, path);
}

PendingFile::~PendingFile() = default;  // TemporaryFile removes an uncommitted file

const std::string& PendingFile::temporary_path() const { return impl_->temporary->name(); }

void PendingFile::commit() { commit_temporary(*impl_->temporary, impl_->target, impl_->path); }

}  // namespace optiviz
