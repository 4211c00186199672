#pragma once
// Request-target forms (RFC 9112 §3.2) and authority syntax (RFC 3986 §3.2). Pure, any thread.
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

}  // namespace netius::net::http
