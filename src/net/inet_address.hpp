#pragma once
// InetAddress — a socket address: IPv4, IPv6 or a unix socket path. A value type (48 bytes);
// any thread.
//
//   parse("127.0.0.1:9090") / parse("[::1]:9090") / parse("unix:/run/netius.sock")
//   parse("::1", 9090) / parse("[::1]", 9090) / unix_path("/run/netius.sock")
//   to_string(): "127.0.0.1:9090", "[::1]:9090", "unix:/run/netius.sock" (RFC 3986 §3.2.2
//   brackets an IPv6 literal so its colons cannot be read as the port separator).
//
// Hosts are numeric only: names are resolved elsewhere (net/resolver.hpp, c-ares), never by a
// blocking lookup hidden in an address constructor.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace netius::net {

class InetAddress {
  public:
    /// 0.0.0.0:0.
    InetAddress();

    /// A numeric host ("127.0.0.1", "::1", "[::1]") and a port. Throws netius::Error naming
    /// the input if the host is not a numeric IPv4/IPv6 address.
    static InetAddress parse(std::string_view host, std::uint16_t port);
    /// "HOST:PORT", "[V6]:PORT" or "unix:PATH". Throws netius::Error naming the input.
    static InetAddress parse(std::string_view host_port);
    /// A unix socket path; throws netius::Error if empty or longer than sun_path allows.
    static InetAddress unix_path(std::string_view path);
    static InetAddress loopback(std::uint16_t port, bool ipv6 = false);
    static InetAddress any(std::uint16_t port, bool ipv6 = false);
    /// Copies a kernel-provided address (accept4, getsockname); `len` bytes of `sa`.
    static InetAddress from_sockaddr(const sockaddr* sa, socklen_t len);

    int family() const { return addr_.sa.sa_family; }
    bool is_ipv6() const { return family() == AF_INET6; }
    bool is_unix() const { return family() == AF_UNIX; }
    /// The port (0 for unix sockets).
    std::uint16_t port() const;
    void set_port(std::uint16_t port);
    /// "127.0.0.1", "::1" (no brackets) or the unix path ("" for an unnamed unix peer).
    std::string host() const;
    /// "127.0.0.1:9090", "[::1]:9090" or "unix:/path".
    std::string to_string() const;

    const sockaddr* get() const {
        return un_ ? reinterpret_cast<const sockaddr*>(un_.get()) : &addr_.sa;
    }
    socklen_t length() const { return length_; }

    friend bool operator==(const InetAddress& a, const InetAddress& b) {
        return a.to_string() == b.to_string();
    }

  private:
    union Storage {
        sockaddr sa;
        sockaddr_in in4;
        sockaddr_in6 in6;
    };
    Storage addr_;  // the family always; the whole address unless un_ holds it
    socklen_t length_;
    // A unix address with a path (110 bytes), out of line so that the common IP address (one
    // in every connection) stays small; immutable, so copies share it.
    std::shared_ptr<const sockaddr_un> un_;
};

}  // namespace netius::net
