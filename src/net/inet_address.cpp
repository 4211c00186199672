#include "net/inet_address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "util/error.hpp"

namespace netius::net {

InetAddress::InetAddress() : addr_{}, length_(sizeof(sockaddr_in)) {
    addr_.in4.sin_family = AF_INET;
}

InetAddress InetAddress::parse(std::string_view host, std::uint16_t port) {
    std::string_view h = host;
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    std::string text(h);
    InetAddress a;
    if (::inet_pton(AF_INET, text.c_str(), &a.addr_.in4.sin_addr) == 1) {
        a.addr_.in4.sin_family = AF_INET;
        a.length_ = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, text.c_str(), &a.addr_.in6.sin6_addr) == 1) {
        a.addr_.in6.sin6_family = AF_INET6;
        a.length_ = sizeof(sockaddr_in6);
    } else {
        throw Error("'{}' is not a numeric IPv4 or IPv6 address", host);
    }
    a.set_port(port);
    return a;
}

InetAddress InetAddress::parse(std::string_view host_port) {
    if (host_port.substr(0, 5) == "unix:") {
        std::string_view path = host_port.substr(5);
        if (path.empty()) throw Error("'{}' names no unix socket path", host_port);
        return unix_path(path);
    }
    auto colon = host_port.rfind(':');
    // "::1" alone has colons but no port: a bracketed host is required before ":PORT".
    bool v6_without_brackets =
        colon != std::string_view::npos && host_port.front() != '[' && host_port.find(':') != colon;
    if (colon == std::string_view::npos || v6_without_brackets || colon + 1 == host_port.size())
        throw Error("'{}' is not HOST:PORT, [IPV6]:PORT or unix:PATH", host_port);
    std::string_view host = host_port.substr(0, colon);
    std::string_view digits = host_port.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port > 65535)
        throw Error("'{}' has an invalid port '{}'", host_port, digits);
    if (host.find(':') != std::string_view::npos && host.front() != '[')
        throw Error("'{}': write an IPv6 address in brackets, as [::1]:9090", host_port);
    try {
        return parse(host, static_cast<std::uint16_t>(port));
    } catch (const Error&) {
        throw Error("'{}' does not start with a numeric IPv4 or [IPv6] address", host_port);
    }
}

InetAddress InetAddress::unix_path(std::string_view path) {
    constexpr std::size_t kMax = sizeof(sockaddr_un::sun_path);
    if (path.empty() || path.size() >= kMax)
        throw Error("unix socket path '{}' must have 1 to {} bytes", path, kMax - 1);
    auto un = std::make_shared<sockaddr_un>();
    un->sun_family = AF_UNIX;
    std::memcpy(un->sun_path, path.data(), path.size());
    InetAddress a;
    a.addr_ = {};
    a.addr_.sa.sa_family = AF_UNIX;
    a.length_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
    a.un_ = std::move(un);
    return a;
}

InetAddress InetAddress::loopback(std::uint16_t port, bool ipv6) {
    return parse(ipv6 ? "::1" : "127.0.0.1", port);
}

InetAddress InetAddress::any(std::uint16_t port, bool ipv6) {
    return parse(ipv6 ? "::" : "0.0.0.0", port);
}

InetAddress InetAddress::from_sockaddr(const sockaddr* sa, socklen_t len) {
    InetAddress a;
    a.addr_ = {};
    if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNIX) {
        a.addr_.sa.sa_family = AF_UNIX;
        a.length_ = std::min<socklen_t>(len, sizeof(sockaddr_un));
        // An unnamed peer (the usual accepted unix client) is its family alone.
        if (a.length_ > offsetof(sockaddr_un, sun_path)) {
            auto un = std::make_shared<sockaddr_un>();
            std::memcpy(un.get(), sa, a.length_);
            a.un_ = std::move(un);
        } else {
            a.length_ = sizeof(sa_family_t);
        }
        return a;
    }
    std::memcpy(&a.addr_, sa, std::min<std::size_t>(len, sizeof a.addr_));
    a.length_ = std::min<socklen_t>(len, sizeof a.addr_);
    return a;
}

std::uint16_t InetAddress::port() const {
    if (family() == AF_INET) return ntohs(addr_.in4.sin_port);
    if (family() == AF_INET6) return ntohs(addr_.in6.sin6_port);
    return 0;
}

void InetAddress::set_port(std::uint16_t port) {
    if (family() == AF_INET) addr_.in4.sin_port = htons(port);
    if (family() == AF_INET6) addr_.in6.sin6_port = htons(port);
}

std::string InetAddress::host() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (family() == AF_INET) {  // glibc's inet_ntop goes through sprintf: fmt is far cheaper
        const auto* b = reinterpret_cast<const unsigned char*>(&addr_.in4.sin_addr);
        return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
    }
    if (family() == AF_INET6) return ::inet_ntop(AF_INET6, &addr_.in6.sin6_addr, text, sizeof text);
    if (family() == AF_UNIX && un_) {
        std::size_t max = length_ > offsetof(sockaddr_un, sun_path)
                              ? length_ - offsetof(sockaddr_un, sun_path)
                              : 0;
        return std::string(un_->sun_path, ::strnlen(un_->sun_path, max));
    }
    return {};
}

std::string InetAddress::to_string() const {
    if (is_unix()) return fmt::format("unix:{}", host());
    if (is_ipv6()) return fmt::format("[{}]:{}", host(), port());
    return fmt::format("{}:{}", host(), port());
}

}  // namespace netius::net
