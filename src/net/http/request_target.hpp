#pragma once
// Request-target forms (RFC 9112 §3.2) and authority syntax (RFC 3986 §3.2). Pure, any thread.
#include <optional>
#include <string>
#include <string_view>

#include "net/http/request_head.hpp"

namespace netius::net::http {

/// Classifies and validates `target` for `method`, filling head.form, scheme, authority, path
/// and query (views into `target`). Returns false when the target is not valid for the
/// method: CONNECT takes authority-form only (host:port), "*" is OPTIONS-only, origin-form
/// is "/" + path [? query] with valid percent-encoding, absolute-form is
/// scheme "://" authority [path] [? query] without userinfo (RFC 9110 §4.2.4).
bool parse_request_target(std::string_view method, std::string_view target, RequestHead& head);

/// Whether `value` is uri-host [":" port] (a Host field value or an authority). Brackets
/// hold an IPv6/IPvFuture literal; reg-names may hold percent-encodings. Empty is invalid
/// here (an empty Host is allowed by the caller, RFC 9112 §3.2). `require_port`: the port
/// must be present and non-empty (CONNECT).
bool valid_authority(std::string_view value, bool require_port) noexcept;

/// A request path (`RequestHead::path`, still percent-encoded) made safe to look up in a file
/// tree: percent-decoded exactly once (RFC 3986 §2.1; "%252e" stays the name "%2e"), empty
/// segments dropped, "." and ".." segments — also encoded ones ("%2e%2e") — removed as RFC
/// 3986 §5.2.4 does. The result starts with "/" and ends with "/" when the path did (or ended
/// in a dot segment). Returns nullopt, and the path must not be served, when a segment decodes
/// to a "/" ("%2F") or a NUL ("%00"), a "%" is not followed by two hex digits, or ".."
/// would climb above the root. Other bytes (backslash, invalid UTF-8) are kept as they are:
/// names, not separators. Pure, any thread.
std::optional<std::string> decode_path(std::string_view path);

/// Appends `bytes` percent-encoded for a URI path (RFC 3986 §2.1): everything but unreserved
/// characters, and "/" when `keep_slash`, becomes "%XX". The result is also safe inside an
/// HTML attribute and cannot start a scheme or an authority ("//", "\\").
void append_percent_encoded(std::string& out, std::string_view bytes, bool keep_slash);

}  // namespace netius::net::http
