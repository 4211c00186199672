#pragma once
// http and https URLs for the HTTP client: parsing (RFC 3986 §3, RFC 9110 §4.2) and resolving
// a reference such as a Location value against the URL it came from (RFC 3986 §5.2). Pure:
// no I/O, no DNS; any thread.
//
// What the client needs from a URL, normalised (RFC 3986 §6.2.2): the scheme and host in
// lower case, the port made explicit, dot segments removed, the fragment dropped (it is never
// sent, RFC 9110 §4.2.4), and the path and query percent-encoded wherever a byte may not
// appear in a request-target (space, non-ASCII, '"', '<'...; a '%' that starts no valid
// escape). Valid escapes are kept as they are.
#include <cstdint>
#include <string>
#include <string_view>

namespace netius::net::http {

struct Url {
    std::string scheme;  // "http" or "https"
    /// From "user:password@", percent-decoded; has_userinfo tells an empty user from none.
    std::string user;
    std::string password;
    bool has_userinfo = false;
    std::string host;        // lower-case name, IPv4, or IPv6 without brackets
    bool ipv6 = false;       // host is an IPv6 literal
    std::uint16_t port = 0;  // explicit, or 80/443
    std::string target;      // origin-form request-target: "/" path ["?" query]
    /// Connect to this unix socket instead of host:port (serve proxy's "unix:/path"
    /// upstreams; host is then "localhost"). Not from parse_url.
    std::string socket_path;

    bool tls() const { return scheme == "https"; }
    bool default_port() const { return port == (tls() ? 443 : 80); }
    /// The Host field value (RFC 9110 §7.2): host, bracketed if IPv6, ":port" unless default.
    std::string authority() const;
    /// scheme://authority ("unix:/path" for a socket): URLs with equal origins share
    /// connections and credentials.
    std::string origin() const;
    /// The URL without its userinfo (safe for logs and messages) and without a default port.
    std::string to_string() const;
};

/// Parses an absolute http(s) URL into `out`. Without "scheme://" the URL is taken as http
/// ("example.com/x", as curl does). Returns false with `error` set for anything else: another
/// scheme ("unsupported scheme 'ftp'"), an empty or invalid host, a bad port.
bool parse_url(std::string_view text, Url& out, std::string& error);

/// Resolves `reference` against `base` (RFC 3986 §5.2.2): an absolute URL, a network-path
/// reference ("//host/p"), an absolute path, a relative path, or a query only. The result has
/// userinfo only if the reference itself carried it. Same failures as parse_url.
bool resolve_url(const Url& base, std::string_view reference, Url& out, std::string& error);

/// RFC 3986 §5.2.4: "/a/b/../c/./d" -> "/a/c/d".
std::string remove_dot_segments(std::string_view path);

}  // namespace netius::net::http
