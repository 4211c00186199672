#include "net/http/request_target.hpp"

#include "net/http/char_class.hpp"

namespace netius::net::http {

namespace {

using detail::has_class;

// "%" HEXDIG HEXDIG everywhere a "%" appears (RFC 3986 §2.1).
bool valid_percent_encoding(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') continue;
        if (i + 2 >= s.size()) return false;
        if (!has_class(s[i + 1], detail::kHexDigit) || !has_class(s[i + 2], detail::kHexDigit))
            return false;
        i += 2;
    }
    return true;
}

// Splits "path?query" (path may be empty) and validates both: path-abempty and query
// characters are the target's without the brackets (IP literals only) and, in the path, "?".
// One pass; percent-encodings are checked only where a "%" was seen.
bool split_path_query(std::string_view rest, RequestHead& head) {
    std::size_t i = 0;
    bool percent = false;
    for (; i < rest.size() && has_class(rest[i], detail::kPathChar); ++i) percent |= rest[i] == '%';
    std::string_view path = rest.substr(0, i), query;
    if (i < rest.size()) {
        if (rest[i] != '?') return false;
        query = rest.substr(i + 1);
        for (char c : query) {
            if (!has_class(c, detail::kPathChar) && c != '?') return false;
            percent |= c == '%';
        }
    }
    if (percent && (!valid_percent_encoding(path) || !valid_percent_encoding(query))) return false;
    head.path = path.empty() ? std::string_view("/") : path;
    head.query = query;
    return true;
}

bool valid_port(std::string_view port, bool required) {
    if (required && port.empty()) return false;
    for (char c : port)
        if (!is_ascii_digit(c)) return false;
    return true;
}

}  // namespace

bool valid_authority(std::string_view value, bool require_port) noexcept {
    if (value.empty()) return false;
    std::string_view host;
    std::string_view rest;
    if (value.front() == '[') {
        std::size_t close = value.find(']');
        if (close == std::string_view::npos || close == 1) return false;
        host = value.substr(1, close - 1);
        for (char c : host)
            if (!has_class(c, detail::kHexDigit) && c != ':' && c != '.' && !is_ascii_alpha(c) &&
                c != '%' && c != '-' && c != '_' && c != '~')
                return false;
        rest = value.substr(close + 1);
    } else {
        std::size_t end = 0;  // the host runs to the first byte a reg-name cannot hold
        bool percent = false;
        for (; end < value.size() && has_class(value[end], detail::kRegName); ++end)
            percent |= value[end] == '%';
        host = value.substr(0, end);
        rest = value.substr(end);  // empty, ":port", or an invalid byte (refused below)
        if (host.empty()) return false;
        if (percent && !valid_percent_encoding(host)) return false;
    }
    if (rest.empty()) return !require_port;
    if (rest.front() != ':') return false;
    return valid_port(rest.substr(1), require_port);
}

bool parse_request_target(std::string_view method, std::string_view target, RequestHead& head) {
    head.scheme = head.authority = head.path = head.query = {};
    if (target.empty()) return false;
    if (method == "CONNECT") {  // RFC 9112 §3.2.3
        head.form = TargetForm::kAuthority;
        head.authority = target;
        return valid_authority(target, true);
    }
    if (target.front() == '/') {  // §3.2.1
        head.form = TargetForm::kOrigin;
        return split_path_query(target, head);
    }
    if (target == "*") {  // §3.2.4
        head.form = TargetForm::kAsterisk;
        head.path = target;
        return method == "OPTIONS";
    }
    // §3.2.2 absolute-form: scheme "://" authority path-abempty [ "?" query ]
    head.form = TargetForm::kAbsolute;
    std::size_t colon = target.find(':');
    if (colon == std::string_view::npos || colon == 0 || !is_ascii_alpha(target.front()))
        return false;
    std::string_view scheme = target.substr(0, colon);
    for (char c : scheme)
        if (!is_ascii_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.')
            return false;
    std::string_view rest = target.substr(colon + 1);
    if (rest.substr(0, 2) != "//") return false;
    rest.remove_prefix(2);
    std::size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    if (!valid_authority(authority, false)) return false;  // rejects userinfo ("@")
    head.scheme = scheme;
    head.authority = authority;
    return split_path_query(end == std::string_view::npos ? std::string_view{} : rest.substr(end),
                            head);
}

std::optional<std::string> decode_path(std::string_view path) {
    std::string out = "/";
    std::string segment;
    bool trailing_slash = true;
    while (!path.empty()) {
        const std::size_t slash = path.find('/');
        std::string_view raw = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (raw.empty()) continue;  // "//" and the leading "/"
        segment.clear();
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] != '%') {
                segment.push_back(raw[i]);
                continue;
            }
            if (i + 2 >= raw.size()) return std::nullopt;
            const int hi = detail::hex_value(raw[i + 1]), lo = detail::hex_value(raw[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            const char c = static_cast<char>(hi * 16 + lo);
            if (c == '/' || c == '\0') return std::nullopt;
            segment.push_back(c);
            i += 2;
        }
        trailing_slash = slash != std::string_view::npos;
        if (segment == ".") {
            trailing_slash = true;
            continue;
        }
        if (segment == "..") {
            if (out.size() == 1) return std::nullopt;  // above the root
            out.resize(out.rfind('/', out.size() - 2) + 1);
            trailing_slash = true;
            continue;
        }
        out.append(segment).push_back('/');
    }
    if (!trailing_slash && out.size() > 1) out.pop_back();
    return out;
}

void append_percent_encoded(std::string& out, std::string_view bytes, bool keep_slash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved || (keep_slash && c == '/')) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        }
    }
}

}  // namespace netius::net::http
