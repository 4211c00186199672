#include "util/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace netius {

namespace {

std::string read_all(int fd, const std::string& name) {
    std::string out;
    char chunk[65536];
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(errno_message(fmt::format("cannot read '{}'", name), errno));
        if (n == 0) return out;
        if (out.size() + static_cast<std::size_t>(n) > kMaxInputFile)
            throw Error("'{}' is larger than {} MiB", name, kMaxInputFile >> 20);
        out.append(chunk, static_cast<std::size_t>(n));
    }
}

void write_all(int fd, std::string_view data, const std::string& name) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(errno_message(fmt::format("cannot write '{}'", name), errno));
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

std::string read_input(const std::string& path) {
    if (path == "-") return read_all(STDIN_FILENO, "<stdin>");
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw Error(errno_message(fmt::format("cannot open '{}'", path), errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode))
        throw Error("'{}' is a directory", path);
    return read_all(fd.get(), path);
}

void write_stdout(std::string_view data) {
    write_all(STDOUT_FILENO, data, "<stdout>");
}

AtomicFile::AtomicFile(std::string path, const WriteOptions& options)
    : path_(std::move(path)), options_(options) {
    if (!options.overwrite && ::access(path_.c_str(), F_OK) == 0)
        throw Error("'{}' exists; use --force to overwrite it", path_);
    auto slash = path_.rfind('/');
    dir_ = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
    tmp_ = (slash == std::string::npos ? std::string() : dir_) + ".netius-XXXXXX";
    fd_ = ::mkostemp(tmp_.data(), O_CLOEXEC);
    if (fd_ < 0)
        throw Error(errno_message(fmt::format("cannot create a file in '{}'", dir_), errno));
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(tmp_.c_str());
    }
}

void AtomicFile::write(std::string_view data) {
    write_all(fd_, data, tmp_);
}

void AtomicFile::truncate() {
    if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0)
        throw Error(errno_message(fmt::format("cannot truncate '{}'", tmp_), errno));
}

void AtomicFile::commit() {
    UniqueFd fd(std::exchange(fd_, -1));  // from here on, failures remove the file below
    try {
        // Keep the mode of a file we replace; new files get options.mode minus the umask.
        struct stat st {};
        mode_t mode;
        if (::stat(path_.c_str(), &st) == 0) {
            mode = st.st_mode & 07777;
        } else {
            mode_t mask = ::umask(0);
            ::umask(mask);
            mode = options_.mode & ~mask;
        }
        if (::fchmod(fd.get(), mode) != 0)
            throw Error(errno_message(fmt::format("cannot chmod '{}'", tmp_), errno));
        if (options_.fsync && ::fsync(fd.get()) != 0)
            throw Error(errno_message(fmt::format("cannot fsync '{}'", tmp_), errno));
        if (!options_.overwrite) {
            // link() fails with EEXIST instead of replacing a file created meanwhile.
            if (::link(tmp_.c_str(), path_.c_str()) != 0)
                throw Error(errno_message(fmt::format("cannot create '{}'", path_), errno));
            ::unlink(tmp_.c_str());
        } else if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
            throw Error(errno_message(fmt::format("cannot replace '{}'", path_), errno));
        }
    } catch (...) {
        ::unlink(tmp_.c_str());
        throw;
    }
    if (!options_.fsync) return;
    // Make the rename durable too.
    UniqueFd dfd(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd) ::fsync(dfd.get());
}

void write_output(const std::string& path, std::string_view data, const WriteOptions& options) {
    if (path == "-") return write_stdout(data);
    AtomicFile file(path, options);
    file.write(data);
    file.commit();
}

}  // namespace netius
