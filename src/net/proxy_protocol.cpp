#include "net/proxy_protocol.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <string>

namespace netius::net {
namespace {

constexpr std::string_view kV1Prefix = "PROXY ";
constexpr std::string_view kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);

bool is_prefix_of(std::string_view input, std::string_view full) {
    return full.substr(0, input.size()) == input.substr(0, full.size());
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
    unsigned value = 0;
    if (s.empty() || s.size() > 5 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || p != s.data() + s.size() || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

// "PROXY TCP4 1.2.3.4 5.6.7.8 1234 80\r\n" or "PROXY UNKNOWN ...\r\n" (spec §2.1).
ProxyResult parse_v1(std::string_view input) {
    // The first LF ends the line, and must follow a CR: a bare LF is an error however many
    // bytes came with it (so the verdict never depends on how the input was split).
    const auto lf = input.find('\n');
    if (lf == std::string_view::npos) {
        if (input.size() >= kMaxProxyV1Bytes) return ProxyError{"PROXY v1 line too long"};
        return ProxyIncomplete{};
    }
    if (input[lf - 1] != '\r') return ProxyError{"bare LF in PROXY v1"};
    if (lf + 1 > kMaxProxyV1Bytes) return ProxyError{"PROXY v1 line too long"};
    const std::size_t end = lf - 1;
    std::string_view line = input.substr(kV1Prefix.size(), end - kV1Prefix.size());
    std::string_view parts[5];
    std::size_t n = 0;
    while (!line.empty() && n < 5) {
        auto sp = line.find(' ');
        parts[n++] = line.substr(0, sp);
        line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    }
    ProxyHeader h;
    h.consumed = end + 2;
    if (n >= 1 && parts[0] == "UNKNOWN") return h;
    if (n != 5 || !line.empty() || (parts[0] != "TCP4" && parts[0] != "TCP6"))
        return ProxyError{"malformed PROXY v1 line"};
    auto port = parse_port(parts[3]);
    if (!port || !parse_port(parts[4])) return ProxyError{"bad port in PROXY v1 line"};
    // Both addresses must be of the family named (the destination is not used, but a line
    // with a malformed one is not a PROXY header).
    const int family = parts[0] == "TCP4" ? AF_INET : AF_INET6;
    const std::string host(parts[1]);
    unsigned char buf[16];
    if (::inet_pton(family, host.c_str(), buf) != 1 ||
        ::inet_pton(family, std::string(parts[2]).c_str(), buf) != 1)
        return ProxyError{"bad address in PROXY v1 line"};
    h.source = InetAddress::parse(host, *port);
    return h;
}

// Binary header (spec §2.2): signature, ver/cmd, family/protocol, length, addresses, TLVs.
ProxyResult parse_v2(std::string_view input) {
    if (input.size() < 16) return ProxyIncomplete{};
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(input[i]); };
    if ((b(12) >> 4) != 2) return ProxyError{"unsupported PROXY version"};
    const unsigned command = b(12) & 0x0f;
    const std::size_t length = (static_cast<std::size_t>(b(14)) << 8) | b(15);
    if (16 + length > kMaxProxyV2Bytes) return ProxyError{"PROXY v2 header too large"};
    if (input.size() < 16 + length) return ProxyIncomplete{};
    ProxyHeader h;
    h.consumed = 16 + length;
    if (command == 0) return h;  // LOCAL: the proxy's own connection (health check)
    if (command != 1) return ProxyError{"unknown PROXY v2 command"};
    const unsigned family = b(13) >> 4;
    const char* addr = input.data() + 16;
    auto port_at = [&](std::size_t off) {
        return static_cast<std::uint16_t>((b(16 + off) << 8) | b(16 + off + 1));
    };
    char text[INET6_ADDRSTRLEN];
    if (family == 1) {  // AF_INET: src, dst, sport, dport
        if (length < 12) return ProxyError{"short PROXY v2 IPv4 block"};
        ::inet_ntop(AF_INET, addr, text, sizeof text);
        h.source = InetAddress::parse(text, port_at(8));
    } else if (family == 2) {  // AF_INET6
        if (length < 36) return ProxyError{"short PROXY v2 IPv6 block"};
        ::inet_ntop(AF_INET6, addr, text, sizeof text);
        h.source = InetAddress::parse(text, port_at(32));
    }  // AF_UNSPEC and AF_UNIX carry no client address we can use
    return h;
}

}  // namespace

ProxyResult parse_proxy_header(std::string_view input) {
    if (input.empty()) return ProxyIncomplete{};
    if (input[0] == 'P') {
        if (input.size() < kV1Prefix.size())
            return is_prefix_of(input, kV1Prefix) ? ProxyResult(ProxyIncomplete{})
                                                  : ProxyError{"not a PROXY header"};
        if (input.substr(0, kV1Prefix.size()) != kV1Prefix) return ProxyError{"not a PROXY header"};
        return parse_v1(input);
    }
    if (!is_prefix_of(input, kV2Signature)) return ProxyError{"not a PROXY header"};
    if (input.size() < kV2Signature.size()) return ProxyIncomplete{};
    return parse_v2(input);
}

}  // namespace netius::net
