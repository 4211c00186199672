#include "net/http/client/url.hpp"

#include <arpa/inet.h>

#include <charconv>

#include "net/http/char_class.hpp"

namespace netius::net::http {
namespace {

using detail::has_class;

constexpr char kHex[] = "0123456789ABCDEF";

// The scheme of `text` if it starts with one (RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" /
// "-" / "." ) ":"), else empty.
std::string_view scheme_of(std::string_view text) {
    if (text.empty() || !is_ascii_alpha(text[0])) return {};
    for (std::size_t i = 1; i < text.size(); ++i) {
        char c = text[i];
        if (c == ':') return text.substr(0, i);
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.') break;
    }
    return {};
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && detail::hex_value(s[i + 1]) >= 0 &&
            detail::hex_value(s[i + 2]) >= 0) {
            out +=
                static_cast<char>(detail::hex_value(s[i + 1]) * 16 + detail::hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// Path and query with every byte a request-target may not hold percent-encoded (RFC 3986
// §2.1); valid escapes are kept. The fragment is already gone.
std::string encode_target(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool escape = c == '%' && i + 2 < s.size() &&
                            has_class(s[i + 1], detail::kHexDigit) &&
                            has_class(s[i + 2], detail::kHexDigit);
        if (escape || (c != '%' && c != '[' && c != ']' && has_class(c, detail::kTargetChar))) {
            out += c;
        } else {
            const auto b = static_cast<unsigned char>(c);
            out += '%';
            out += kHex[b >> 4];
            out += kHex[b & 15];
        }
    }
    return out;
}

// Joins path and query into a target: "/" when the path is empty (RFC 9112 §3.2.1).
std::string make_target(std::string_view path, std::string_view query, bool has_query) {
    std::string target = remove_dot_segments(path.empty() ? std::string_view("/") : path);
    if (target.empty() || target.front() != '/') target.insert(target.begin(), '/');
    if (has_query) target.append(1, '?').append(query);
    return encode_target(target);
}

bool parse_port(std::string_view digits, std::uint16_t& port) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535)
        return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

bool parse_host(std::string_view hostport, Url& out, std::string& error) {
    std::string_view port;
    if (!hostport.empty() && hostport.front() == '[') {
        std::size_t close = hostport.find(']');
        if (close == std::string_view::npos) return error = "unterminated IPv6 address", false;
        out.host = std::string(hostport.substr(1, close - 1));
        in6_addr a6{};
        if (::inet_pton(AF_INET6, out.host.c_str(), &a6) != 1)
            return error = "'" + out.host + "' is not an IPv6 address", false;
        char canonical[INET6_ADDRSTRLEN];  // RFC 5952: lower case, longest zero run as "::"
        out.host = ::inet_ntop(AF_INET6, &a6, canonical, sizeof canonical);
        out.ipv6 = true;
        std::string_view rest = hostport.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return error = "junk after the IPv6 address", false;
        port = rest.empty() ? rest : rest.substr(1);
    } else {
        std::size_t colon = hostport.rfind(':');
        std::string_view host = hostport.substr(0, colon);
        port = colon == std::string_view::npos ? std::string_view{} : hostport.substr(colon + 1);
        for (char c : host) {
            if (static_cast<unsigned char>(c) >= 0x80)
                return error = "non-ASCII host names are not supported (use the IDNA form)", false;
            if (!has_class(c, detail::kRegName) || c == '%')
                return error = "invalid character in the host name", false;
        }
        out.host.clear();
        for (char c : host) out.host += detail::ascii_lower(c);
        out.ipv6 = false;
    }
    if (out.host.empty()) return error = "no host", false;
    out.port = out.tls() ? 443 : 80;
    if (!port.empty() && !parse_port(port, out.port))
        return error = "invalid port '" + std::string(port) + "'", false;
    return true;
}

}  // namespace

std::string Url::authority() const {
    std::string a;
    if (ipv6)
        a.append(1, '[').append(host).append(1, ']');
    else
        a = host;
    if (!default_port()) a.append(1, ':').append(std::to_string(port));
    return a;
}

std::string Url::origin() const {
    if (!socket_path.empty()) return "unix:" + socket_path;
    return scheme + "://" + authority();
}

std::string Url::to_string() const {
    if (!socket_path.empty()) return origin();
    return origin() + target;
}

std::string remove_dot_segments(std::string_view path) {
    std::string out;
    while (!path.empty()) {
        if (path.substr(0, 3) == "../") {  // A
            path.remove_prefix(3);
        } else if (path.substr(0, 2) == "./" || path.substr(0, 3) == "/./") {  // A, B
            path.remove_prefix(2);
        } else if (path == "/.") {
            path = "/";
        } else if (path.substr(0, 4) == "/../" || path == "/..") {  // C
            path = path.size() == 3 ? std::string_view("/") : path.substr(3);
            std::size_t slash = out.rfind('/');
            out.erase(slash == std::string::npos ? 0 : slash);
        } else if (path == "." || path == "..") {  // D
            path = {};
        } else {  // E: the first segment, with its leading "/" if any
            std::size_t next = path.find('/', path.front() == '/' ? 1 : 0);
            out.append(path.substr(0, next));
            path = next == std::string_view::npos ? std::string_view{} : path.substr(next);
        }
    }
    return out;
}

bool parse_url(std::string_view text, Url& out, std::string& error) {
    out = Url{};
    std::string_view scheme = scheme_of(text);
    std::string_view rest = text;
    const bool host_port = !scheme.empty() && text.size() > scheme.size() + 1 &&
                           text[scheme.size() + 1] >= '0' && text[scheme.size() + 1] <= '9';
    if (!scheme.empty() && text.substr(scheme.size(), 3) == "://")
        rest.remove_prefix(scheme.size() + 3);
    else if (scheme.empty() || host_port)
        scheme = "http";  // "host[:port]/path", as curl guesses
    // else "mailto:x": a scheme without an authority, refused below
    for (char c : scheme) out.scheme += detail::ascii_lower(c);
    if (out.scheme != "http" && out.scheme != "https")
        return error = "unsupported scheme '" + out.scheme + "'", false;
    rest = rest.substr(0, rest.find('#'));
    const std::size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    std::string_view tail = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
        std::string_view userinfo = authority.substr(0, at);
        std::size_t colon = userinfo.find(':');
        out.user = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos)
            out.password = percent_decode(userinfo.substr(colon + 1));
        out.has_userinfo = true;
        authority.remove_prefix(at + 1);
    }
    if (!parse_host(authority, out, error)) return false;
    std::size_t q = tail.find('?');
    out.target =
        make_target(tail.substr(0, q), q == std::string_view::npos ? "" : tail.substr(q + 1),
                    q != std::string_view::npos);
    return true;
}

bool resolve_url(const Url& base, std::string_view reference, Url& out, std::string& error) {
    reference = reference.substr(0, reference.find('#'));
    if (!scheme_of(reference).empty()) return parse_url(reference, out, error);
    if (reference.substr(0, 2) == "//")
        return parse_url(base.scheme + ":" + std::string(reference), out, error);
    out = base;
    out.user.clear();
    out.password.clear();
    out.has_userinfo = false;
    std::string_view base_target = base.target;
    const std::size_t bq = base_target.find('?');
    std::string_view base_path = base_target.substr(0, bq);
    const std::size_t q = reference.find('?');
    std::string_view path = reference.substr(0, q);
    const bool has_query = q != std::string_view::npos;
    std::string_view query = has_query ? reference.substr(q + 1) : std::string_view{};
    if (path.empty()) {  // RFC 3986 §5.2.2: same path; the reference's query, or the base's
        if (!has_query && bq != std::string_view::npos) {
            out.target = base.target;
            return true;
        }
        out.target = make_target(base_path, query, has_query);
        return true;
    }
    if (path.front() == '/') {
        out.target = make_target(path, query, has_query);
        return true;
    }
    // §5.2.3 merge: the base path up to its last "/", then the reference path.
    std::string merged(base_path.substr(0, base_path.rfind('/') + 1));
    merged += path;
    out.target = make_target(merged, query, has_query);
    return true;
}

}  // namespace netius::net::http
