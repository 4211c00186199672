#pragma once
// The HAProxy PROXY protocol header, versions 1 (text) and 2 (binary), that a load balancer
// sends before the client's bytes to pass on the client's address
// (https://www.haproxy.org/download/2.8/doc/proxy-protocol.txt). Pure: no I/O, no allocation.
#include <cstddef>
#include <optional>
#include <string_view>
#include <variant>

#include "net/inet_address.hpp"

namespace netius::net {

/// The longest v1 line (spec §2.1) and the largest v2 header we accept (TLVs included).
inline constexpr std::size_t kMaxProxyV1Bytes = 107;
inline constexpr std::size_t kMaxProxyV2Bytes = 16 + 1024;

struct ProxyHeader {
    std::size_t consumed = 0;           // header bytes; the client's data follows
    std::optional<InetAddress> source;  // the client; nullopt for LOCAL / UNKNOWN (health checks)
};
struct ProxyIncomplete {};
struct ProxyError {
    std::string_view reason;  // static text, for logs
};
using ProxyResult = std::variant<ProxyHeader, ProxyIncomplete, ProxyError>;

/// Parses the header at the start of `input` (v1 or v2, told apart by the first bytes).
/// Incomplete while the input is a proper prefix of a valid header; an error as soon as it
/// cannot be one (so a client that is not a proxy is refused at once). Any thread.
ProxyResult parse_proxy_header(std::string_view input);

}  // namespace netius::net
