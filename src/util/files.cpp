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

void write_output(const std::string& path, std::string_view data, const WriteOptions& options) {
    if (path == "-") return write_stdout(data);
    if (!options.overwrite && ::access(path.c_str(), F_OK) == 0)
        throw Error("'{}' exists; use --force to overwrite it", path);

    auto slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    std::string tmp = (slash == std::string::npos ? std::string() : dir) + ".netius-XXXXXX";
    UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd) throw Error(errno_message(fmt::format("cannot create a file in '{}'", dir), errno));
    try {
        // Keep the mode of a file we replace; new files get options.mode minus the umask.
        struct stat st {};
        mode_t mode;
        if (::stat(path.c_str(), &st) == 0) {
            mode = st.st_mode & 07777;
        } else {
            mode_t mask = ::umask(0);
            ::umask(mask);
            mode = options.mode & ~mask;
        }
        if (::fchmod(fd.get(), mode) != 0)
            throw Error(errno_message(fmt::format("cannot chmod '{}'", tmp), errno));
        write_all(fd.get(), data, tmp);
        if (::fsync(fd.get()) != 0)
            throw Error(errno_message(fmt::format("cannot fsync '{}'", tmp), errno));
        if (!options.overwrite) {
            // link() fails with EEXIST instead of replacing a file created meanwhile.
            if (::link(tmp.c_str(), path.c_str()) != 0)
                throw Error(errno_message(fmt::format("cannot create '{}'", path), errno));
            ::unlink(tmp.c_str());
        } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
            throw Error(errno_message(fmt::format("cannot replace '{}'", path), errno));
        }
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    // Make the rename durable too.
    UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd) ::fsync(dfd.get());
}

}  // namespace netius
