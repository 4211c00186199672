#pragma once
// Socket helpers over UniqueFd (the only owner that closes an fd). Sockets are created
// non-blocking and close-on-exec. Setup functions throw netius::Error with the house message
// "<call>(<args>): <strerror>", e.g. "bind(127.0.0.1:9090): Address already in use"; the
// helpers used on the loop return an errno value instead (0 = success). Any thread.
#include <sys/socket.h>

#include "net/inet_address.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::sockets {

struct ListenOptions {
    /// SO_REUSEPORT: several processes (workers) each bind their own listener to one port and
    /// the kernel spreads connections across them. TCP only.
    bool reuse_port = false;
    int backlog = SOMAXCONN;
};

/// A new non-blocking stream socket of `family` (AF_INET, AF_INET6, AF_UNIX). Throws.
UniqueFd create_stream(int family);

/// Creates, binds and listens. TCP sockets get SO_REUSEADDR (a restart does not wait for
/// TIME_WAIT) and, if asked, SO_REUSEPORT; IPv6 sockets are IPV6_V6ONLY so "::" and "0.0.0.0"
/// can be bound side by side. For a unix path, a stale socket file (a socket nobody accepts
/// on) is removed first; a live socket or any other kind of file is an error, never removed.
/// Throws netius::Error.
UniqueFd listen_on(const InetAddress& address, const ListenOptions& options = {});

/// True if `fd` is a listening stream socket (for adopted fds, e.g. systemd's LISTEN_FDS).
bool is_listening(int fd);

/// getsockname / getpeername. Throws netius::Error.
InetAddress local_address(int fd);
InetAddress peer_address(int fd);

/// A blocking connect with no timeout beyond the kernel's; for tools and tests on loopback.
/// The returned fd is blocking. Throws netius::Error "connect(ADDRESS): <strerror>".
UniqueFd connect_blocking(const InetAddress& address);

/// Loop-side helpers: return 0 or an errno value, never throw.
int set_tcp_nodelay(int fd, bool on);
int set_nonblocking(int fd, bool on);
int shutdown_write(int fd);
/// The pending error of the socket (SO_ERROR), which reading clears.
int socket_error(int fd);
/// Bytes in the socket's send queue that the peer has not acknowledged yet (SIOCOUTQ; TCP
/// and unix stream sockets); 0 when the kernel cannot say.
std::size_t unsent_bytes(int fd);

}  // namespace netius::net::sockets
