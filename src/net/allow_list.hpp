#pragma once
// Client address allow-list (netius ALLOWED): IPv4/IPv6 addresses and CIDR ranges.
// Immutable after construction; any thread may call allows() concurrently.
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netius::net {

class AllowList {
  public:
    /// An empty list allows everyone.
    AllowList() = default;

    /// Parses entries such as "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"; netius separates
    /// them with ';' (also accepted: ',' and spaces). Throws netius::Error naming the first bad
    /// entry (bad address, prefix length out of range, host bits set are accepted and masked).
    static AllowList parse(std::string_view text);

    bool empty() const { return ranges_.empty(); }

    /// True when the list is empty or `addr` (AF_INET or AF_INET6; IPv4-mapped IPv6 addresses
    /// match IPv4 entries) falls in one of the ranges. Unix-socket peers are always allowed:
    /// their access is governed by the socket file's permissions.
    bool allows(const sockaddr* addr) const;

  private:
    struct Range {
        std::array<std::uint8_t, 16> bytes{};  // IPv4 stored as IPv4-mapped IPv6
        int prefix = 128;
    };
    std::vector<Range> ranges_;
};

}  // namespace netius::net
