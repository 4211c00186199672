#pragma once
// What a reverse proxy changes in the messages it forwards (RFC 9110 §7.6, RFC 7239), as
// pure functions over header lists; serve proxy's handler (proxy_handler.hpp) calls them once
// per request and once per response. Pure; any thread.
//
// Request (client -> upstream): the hop-by-hop fields are removed (Connection and every field
// it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-Connection and every
// Proxy-* field), as are Content-Length (the caller frames the body again) and Host (the
// caller sends the Host it chose); Via gets "1.1 <pseudonym>" appended (RFC 9110 §7.6.3; the
// protocol version is the one the client spoke: "2" for HTTP/2); X-Forwarded-For,
// X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-Port, X-Real-IP, X-Client-IP (netius' two)
// and Forwarded describe the client's connection. Incoming values of these are kept only when the
// peer is a trusted proxy; otherwise they are dropped and replaced, so a client cannot forge its
// address for the upstream. From a trusted peer, X-Forwarded-For and Forwarded lines are combined
// into one value with ours appended ("203.0.113.7, 10.0.0.2"; RFC 7239 §4), and an
// X-Forwarded-Proto/-Host/-Port, X-Real-IP or X-Client-IP it sent is kept as it is (it describes
// the original client). Our fields are added after the fields a Connection field names were
// removed, so "Connection: X-Forwarded-For" can remove only the incoming ones. Every other field
// keeps its place; Via and then X-Forwarded-For, -Proto, -Host, -Port, X-Real-IP, X-Client-IP and
// Forwarded come last.
//
// The client's address: "192.0.2.1", "2001:db8::1" (Forwarded: for="[2001:db8::1]"), an
// IPv4-mapped IPv6 peer as its IPv4 form; "unknown" for a unix-socket peer (RFC 7239 §6.3).
//
// Response (upstream -> client): hop-by-hop fields removed the same way (Content-Length and
// Transfer-Encoding too: the server frames the content again; Server and Date: the server
// sends its own, as nginx does), Via appended.
#include <string>
#include <string_view>
#include <vector>

#include "net/allow_list.hpp"
#include "net/http/http_types.hpp"
#include "net/http/request_head.hpp"
#include "net/inet_address.hpp"

namespace netius::net::proxy {

using Fields = std::vector<std::pair<std::string, std::string>>;

/// What the proxy knows about the client's connection.
struct ClientSide {
    const InetAddress* peer = nullptr;  // the client (after any PROXY header)
    bool tls = false;                   // X-Forwarded-Proto https, Forwarded proto=https
    std::string_view host;              // the request's Host (authority), for -Host
    std::uint16_t port = 0;             // the port the proxy listens on, for -Port
    http::Version version = http::Version::kHttp11;  // for Via: "1.0", "1.1" or "2"
};

struct ForwardingOptions {
    std::string pseudonym = "netius";  // Via's received-by
    /// Peers whose X-Forwarded-* and Forwarded values are believed and appended to. nullptr
    /// or an empty list (which AllowList reads as "everyone") trusts no one. A unix-socket
    /// peer is trusted when the list is not empty (AllowList::allows: the socket file's
    /// permissions say who may connect).
    const AllowList* trusted = nullptr;
};

/// Whether `name` (any case) is a hop-by-hop field by itself (the fixed list above; the
/// names a Connection field lists are handled by forward_request/forward_response).
bool is_hop_by_hop(std::string_view name) noexcept;

/// The fields to send upstream for a request whose fields are `in` (as received, in order),
/// without Host and framing; the caller adds Host and Content-Length / Transfer-Encoding.
/// X-Forwarded-Host and Forwarded's host= are left out when client.host is empty (or holds
/// a control character), X-Forwarded-Port when client.port is 0.
Fields forward_request(const std::vector<http::Header>& in, const ClientSide& client,
                       const ForwardingOptions& options);

/// The fields to send to the client for an upstream response whose fields are `in`, without
/// framing fields; `upstream_version` is the upstream's ("1.0", "1.1"; empty: "1.1") for Via.
Fields forward_response(const std::vector<http::Header>& in, std::string_view upstream_version,
                        const ForwardingOptions& options);

}  // namespace netius::net::proxy
