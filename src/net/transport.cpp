#include "net/transport.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "net/buffer.hpp"
#include "net/socket.hpp"

namespace netius::net {
namespace {

IoResult from_errno(int err, IoStatus again) {
    if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR) return {again, 0, 0};
    return {IoStatus::Error, 0, err};
}

}  // namespace

IoResult Transport::send_file(int, off_t, std::size_t) {
    return {IoStatus::Error, 0, ENOTSUP};
}

std::string Transport::error_string(const IoResult& result) const {
    return std::strerror(result.error);
}

IoResult PlainTransport::read(Buffer& in) {
    int err = 0;
    ssize_t n = in.read_fd(fd_, &err);
    if (n > 0) return {IoStatus::Ok, static_cast<std::size_t>(n), 0};
    if (n == 0) return {IoStatus::Eof, 0, 0};
    return from_errno(err, IoStatus::WantRead);
}

IoResult PlainTransport::write(const char* data, std::size_t len) {
    // MSG_NOSIGNAL: a closed peer gives EPIPE here even if SIGPIPE is not ignored.
    ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL);
    if (n >= 0) {
        if (n == 0 && len > 0) return {IoStatus::WantWrite, 0, 0};
        return {IoStatus::Ok, static_cast<std::size_t>(n), 0};
    }
    return from_errno(errno, IoStatus::WantWrite);
}

IoResult PlainTransport::write_more(const char* data, std::size_t len) {
    ssize_t n = ::send(fd_, data, len, MSG_NOSIGNAL | MSG_MORE);
    if (n >= 0) {
        if (n == 0 && len > 0) return {IoStatus::WantWrite, 0, 0};
        return {IoStatus::Ok, static_cast<std::size_t>(n), 0};
    }
    return from_errno(errno, IoStatus::WantWrite);
}

IoResult PlainTransport::shutdown_write() {
    if (int err = sockets::shutdown_write(fd_)) return {IoStatus::Error, 0, err};
    return {};
}

IoResult PlainTransport::send_file(int file_fd, off_t offset, std::size_t len) {
    ssize_t n = ::sendfile(fd_, file_fd, &offset, len);
    if (n >= 0) return {IoStatus::Ok, static_cast<std::size_t>(n), 0};
    return from_errno(errno, IoStatus::WantWrite);
}

}  // namespace netius::net
