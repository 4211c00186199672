#include "util/durable_file.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace netius {
namespace {

int fail(std::string* error, const char* call, const std::string& path, int err) {
    if (error) *error = errno_message(std::string(call) + "(" + path + ")", err);
    return err;
}

}  // namespace

int write_pieces(int fd, std::initializer_list<std::string_view> pieces, const std::string& path,
                 std::string* error) {
    std::vector<iovec> iov;
    iov.reserve(pieces.size());
    for (std::string_view p : pieces)
        if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
    std::size_t first = 0;
    while (first < iov.size()) {
        const ssize_t n = ::writev(fd, iov.data() + first, static_cast<int>(iov.size() - first));
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(error, "write", path, errno);
        }
        auto left = static_cast<std::size_t>(n);
        while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
        if (first < iov.size()) {
            iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
            iov[first].iov_len -= left;
        }
    }
    return 0;
}

int write_new_file_synced(const std::string& path, std::initializer_list<std::string_view> pieces,
                          std::string* error) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) return fail(error, "open", path, errno);
    int err = write_pieces(fd.get(), pieces, path, error);
    if (err == 0 && ::fsync(fd.get()) != 0) err = fail(error, "fsync", path, errno);
    if (err == 0 && ::close(fd.release()) != 0) err = fail(error, "close", path, errno);
    if (err) ::unlink(path.c_str());
    return err;
}

int sync_directory(const std::string& dir, std::string* error) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return fail(error, "open", dir, errno);
    if (::fsync(fd.get()) != 0) return fail(error, "fsync", dir, errno);
    return 0;
}

}  // namespace netius
