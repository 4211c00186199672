#include "net/socket.hpp"

#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/error.hpp"

namespace netius::net::sockets {
namespace {

void set_option(int fd, int level, int name, const char* what, const InetAddress& address) {
    int on = 1;
    if (::setsockopt(fd, level, name, &on, sizeof on) < 0)
        throw Error(
            errno_message(fmt::format("setsockopt({}, {})", address.to_string(), what), errno));
}

// A socket file left behind by a process that died: connecting to it is refused.
void remove_stale_socket(const InetAddress& address) {
    const std::string path = address.host();
    struct stat st {};
    if (::lstat(path.c_str(), &st) < 0) return;  // nothing there (or bind will say why)
    if (!S_ISSOCK(st.st_mode))
        throw Error("cannot listen on '{}': it exists and is not a socket", path);
    UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) throw Error(errno_message("socket(AF_UNIX)", errno));
    if (::connect(probe.get(), address.get(), address.length()) == 0)
        throw Error("cannot listen on '{}': another process is serving on it", path);
    if (errno != ECONNREFUSED) return;  // e.g. EACCES: let bind report it
    if (::unlink(path.c_str()) < 0 && errno != ENOENT)
        throw Error(errno_message(fmt::format("unlink({})", path), errno));
}

}  // namespace

UniqueFd create_stream(int family) {
    UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        const char* name = family == AF_INET6  ? "AF_INET6"
                           : family == AF_UNIX ? "AF_UNIX"
                                               : "AF_INET";
        throw Error(errno_message(fmt::format("socket({})", name), errno));
    }
    return fd;
}

UniqueFd listen_on(const InetAddress& address, const ListenOptions& options) {
    UniqueFd fd = create_stream(address.family());
    if (address.is_unix()) {
        remove_stale_socket(address);
    } else {
        set_option(fd.get(), SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", address);
        if (options.reuse_port)
            set_option(fd.get(), SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT", address);
        if (address.is_ipv6())
            set_option(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", address);
    }
    if (::bind(fd.get(), address.get(), address.length()) < 0)
        throw Error(errno_message(fmt::format("bind({})", address.to_string()), errno));
    if (::listen(fd.get(), options.backlog) < 0)
        throw Error(errno_message(fmt::format("listen({})", address.to_string()), errno));
    return fd;
}

bool is_listening(int fd) {
    int on = 0;
    socklen_t len = sizeof on;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) < 0) return false;
    int type = 0;
    len = sizeof type;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) return false;
    return on != 0 && type == SOCK_STREAM;
}

InetAddress local_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
        throw Error(errno_message(fmt::format("getsockname(fd {})", fd), errno));
    return InetAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

InetAddress peer_address(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
        throw Error(errno_message(fmt::format("getpeername(fd {})", fd), errno));
    return InetAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

UniqueFd connect_blocking(const InetAddress& address) {
    UniqueFd fd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw Error(errno_message(fmt::format("socket({})", address.to_string()), errno));
    if (::connect(fd.get(), address.get(), address.length()) < 0)
        throw Error(errno_message(fmt::format("connect({})", address.to_string()), errno));
    return fd;
}

int set_tcp_nodelay(int fd, bool on) {
    int v = on ? 1 : 0;
    return ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) < 0 ? errno : 0;
}

int set_nonblocking(int fd, bool on) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0) return errno;
    flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    return ::fcntl(fd, F_SETFL, flags) < 0 ? errno : 0;
}

int shutdown_write(int fd) {
    return ::shutdown(fd, SHUT_WR) < 0 ? errno : 0;
}

int socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
    return err;
}

std::size_t unsent_bytes(int fd) {
    int n = 0;
    if (::ioctl(fd, SIOCOUTQ, &n) < 0 || n < 0) return 0;
    return static_cast<std::size_t>(n);
}

}  // namespace netius::net::sockets
