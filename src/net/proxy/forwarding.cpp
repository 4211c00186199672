#include "net/proxy/forwarding.hpp"

#include <algorithm>

#include "net/http/char_class.hpp"
#include "util/ascii.hpp"

namespace netius::net::proxy {
namespace {

using http::Header;

constexpr std::string_view kHopByHop[] = {"connection", "keep-alive",        "te",
                                          "trailer",    "transfer-encoding", "upgrade"};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// The names every Connection field line lists (RFC 9110 §7.6.1), in any case.
std::vector<std::string_view> connection_options(const std::vector<Header>& in) {
    std::vector<std::string_view> names;
    for (const Header& h : in) {
        if (!iequals(h.name, "connection")) continue;
        http::for_each_list_element(h.value, [&names](std::string_view e) { names.push_back(e); });
    }
    return names;
}

bool named_in(std::string_view name, const std::vector<std::string_view>& names) {
    return std::any_of(names.begin(), names.end(),
                       [name](std::string_view n) { return iequals(n, name); });
}

// Whether `value` may go into a field value unchanged: no CR, LF, NUL or other control but
// HTAB (RFC 9110 §5.5). What the proxy writes itself is checked so that no caller's value can
// split a field line (netius-proxy-spec.md §8 item 3).
bool field_safe(std::string_view value) {
    return std::all_of(value.begin(), value.end(),
                       [](char c) { return http::detail::has_class(c, http::detail::kFieldChar); });
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return http::detail::has_class(c, http::detail::kToken);
    });
}

// A token as it is, anything else as a quoted-string (RFC 9110 §5.6.4), for RFC 7239 values.
std::string token_or_quoted(std::string_view s) {
    if (is_token(s)) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

bool trusted(const ClientSide& client, const ForwardingOptions& options) {
    // An empty AllowList allows everyone; as a list of trusted proxies it trusts no one.
    return options.trusted != nullptr && !options.trusted->empty() && client.peer != nullptr &&
           options.trusted->allows(client.peer->get());
}

// The client's address as X-Forwarded-For writes it: "192.0.2.1", "2001:db8::1" (an
// IPv4-mapped IPv6 peer of a dual-stack listener as its IPv4 form); "unknown" for a unix
// socket peer or none (RFC 7239 §6.3; Squid writes the same in X-Forwarded-For).
std::string client_ip(const ClientSide& client) {
    if (client.peer == nullptr || client.peer->is_unix()) return "unknown";
    std::string host = client.peer->host();
    constexpr std::string_view kMapped = "::ffff:";
    if (client.peer->is_ipv6() && starts_with_ci(host, kMapped) &&
        host.find('.') != std::string::npos)
        host.erase(0, kMapped.size());
    return host;
}

// RFC 7239 §6: the "for" parameter's node from client_ip(); an IPv6 address in brackets and
// quotes.
std::string forwarded_node(const std::string& ip) {
    if (ip.find(':') != std::string::npos) return "\"[" + ip + "]\"";
    return ip;
}

std::string_view via_version(http::Version v) {
    switch (v) {
        case http::Version::kHttp10:
            return "1.0";
        case http::Version::kHttp2:
            return "2";
        case http::Version::kHttp11:
            break;
    }
    return "1.1";
}

std::string via_value(std::string_view version, const ForwardingOptions& options) {
    std::string value(version.empty() ? std::string_view("1.1") : version);
    value += ' ';
    value += options.pseudonym.empty() ? std::string_view("netius") : options.pseudonym;
    return value;
}

// `in` without the hop-by-hop fields, those its Connection lines name and those `also_drop`
// names; the values copied.
template <std::size_t N>
Fields end_to_end(const std::vector<Header>& in, const std::string_view (&also_drop)[N]) {
    const std::vector<std::string_view> named = connection_options(in);
    Fields out;
    out.reserve(in.size() + 6);
    for (const Header& h : in) {
        if (is_hop_by_hop(h.name) || named_in(h.name, named)) continue;
        if (std::any_of(std::begin(also_drop), std::end(also_drop),
                        [&h](std::string_view n) { return iequals(h.name, n); }))
            continue;
        out.emplace_back(std::string(h.name), std::string(h.value));
    }
    return out;
}

// Removes every `name` line from `fields`; returns their values joined with ", " (RFC 9110
// §5.3: field lines of one name are one comma-separated list).
std::string take_combined(Fields& fields, std::string_view name) {
    std::string combined;
    auto keep = std::remove_if(fields.begin(), fields.end(), [&](const auto& f) {
        if (!iequals(f.first, name)) return false;
        if (!f.second.empty()) combined += (combined.empty() ? "" : ", ") + f.second;
        return true;
    });
    fields.erase(keep, fields.end());
    return combined;
}

bool has_field(const Fields& fields, std::string_view name) {
    return std::any_of(fields.begin(), fields.end(),
                       [name](const auto& f) { return iequals(f.first, name); });
}

// A list field extended with our element: `existing, ours` from a trusted peer, else `ours`.
void append_list(Fields& out, std::string_view name, bool trust, const std::string& ours) {
    std::string existing = take_combined(out, name);
    out.emplace_back(std::string(name), trust && !existing.empty() ? existing + ", " + ours : ours);
}

// A single-valued field: a trusted peer's value kept as it came, else ours (none if empty).
void set_single(Fields& out, std::string_view name, bool trust, const std::string& ours) {
    if (trust && has_field(out, name)) return;
    take_combined(out, name);
    if (!ours.empty()) out.emplace_back(std::string(name), ours);
}

}  // namespace

bool is_hop_by_hop(std::string_view name) noexcept {
    // Proxy-* covers Proxy-Connection, Proxy-Authorization and Proxy-Authenticate (RFC 9110
    // §11.7), meant for the proxy next to the client, never for the origin.
    if (starts_with_ci(name, "proxy-")) return true;
    return std::any_of(std::begin(kHopByHop), std::end(kHopByHop),
                       [name](std::string_view h) { return iequals(name, h); });
}

Fields forward_request(const std::vector<http::Header>& in, const ClientSide& client,
                       const ForwardingOptions& options) {
    static constexpr std::string_view kDrop[] = {"content-length", "host"};
    Fields out = end_to_end(in, kDrop);
    // Ours are added after the Connection options were removed, so a client's
    // "Connection: X-Forwarded-For" cannot strip them (only the incoming ones).
    out.emplace_back("Via", via_value(via_version(client.version), options));

    const bool trust = trusted(client, options);
    const std::string proto = client.tls ? "https" : "http";
    const std::string host = field_safe(client.host) ? std::string(client.host) : std::string();
    const std::string ip = client_ip(client);
    append_list(out, "X-Forwarded-For", trust, ip);
    set_single(out, "X-Forwarded-Proto", trust, proto);
    set_single(out, "X-Forwarded-Host", trust, host);
    set_single(out, "X-Forwarded-Port", trust,
               client.port != 0 ? std::to_string(client.port) : std::string());
    // netius sets these two as well (apps read them): the client's address, never the
    // client's own claim unless it is a trusted proxy.
    set_single(out, "X-Real-IP", trust, ip);
    set_single(out, "X-Client-IP", trust, ip);

    // RFC 7239 §4: for=...;proto=...;host=... (host omitted when the request had none).
    std::string element = "for=" + forwarded_node(ip) + ";proto=" + proto;
    if (!host.empty()) element += ";host=" + token_or_quoted(host);
    append_list(out, "Forwarded", trust, element);
    return out;
}

Fields forward_response(const std::vector<http::Header>& in, std::string_view upstream_version,
                        const ForwardingOptions& options) {
    // Server and Date: the front sends its own (nginx hides the upstream's the same way).
    static constexpr std::string_view kDrop[] = {"content-length", "server", "date"};
    Fields out = end_to_end(in, kDrop);
    out.emplace_back("Via",
                     via_value(field_safe(upstream_version) ? upstream_version : "", options));
    return out;
}

}  // namespace netius::net::proxy
