#include "net/http/request_target.hpp"

#include "net/http/char_class.hpp"

namespace netius::net::http {

namespace {

using detail::has_class;

bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

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

// path-abempty / query characters: the target set without the brackets (they belong to
// IP literals only) and, for the path, without "?".
bool valid_path_or_query(std::string_view s) {
    for (char c : s)
        if (!has_class(c, detail::kTargetChar) || c == '[' || c == ']') return false;
    return valid_percent_encoding(s);
}

// Splits "path?query" (path may be empty) and validates both.
bool split_path_query(std::string_view rest, RequestHead& head) {
    std::size_t q = rest.find('?');
    std::string_view path = rest.substr(0, q);
    std::string_view query = q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1);
    if (!valid_path_or_query(path) || !valid_path_or_query(query)) return false;
    head.path = path.empty() ? std::string_view("/") : path;
    head.query = query;
    return true;
}

bool valid_port(std::string_view port, bool required) {
    if (required && port.empty()) return false;
    for (char c : port)
        if (!is_digit(c)) return false;
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
            if (!has_class(c, detail::kHexDigit) && c != ':' && c != '.' && !is_alpha(c) &&
                c != '%' && c != '-' && c != '_' && c != '~')
                return false;
        rest = value.substr(close + 1);
    } else {
        std::size_t colon = value.find(':');
        host = value.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view{} : value.substr(colon);
        if (host.empty()) return false;
        for (char c : host)
            if (!has_class(c, detail::kHostChar) || c == ':' || c == '[' || c == ']') return false;
        if (!valid_percent_encoding(host)) return false;
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
    if (colon == std::string_view::npos || colon == 0 || !is_alpha(target.front())) return false;
    std::string_view scheme = target.substr(0, colon);
    for (char c : scheme)
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
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

}  // namespace netius::net::http
