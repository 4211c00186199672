#pragma once
// Client policy decisions, pure and table-tested: following redirects (RFC 9110 §15.4) and
// retrying (curl's --retry rules). Any thread.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "net/http/client/client_request.hpp"

namespace netius::net::http {

/// 301, 302, 303, 307 and 308 redirect; 300 and 304 do not (RFC 9110 §15.4).
bool is_redirect(int status) noexcept;

/// The request to send after `current` got redirect `status` with `location`:
///  - 303 turns every method but HEAD into GET without content (§15.4.4);
///  - 301/302 turn POST into GET without content, as browsers and curl do (§15.4.2-3 note);
///  - 307/308 keep the method and the content (§15.4.8-9): the same `upload`, which the
///    caller must rewind() before sending it again (never when it is not rewindable());
///  - the Location is resolved against the current URL (§10.2.2, RFC 3986 §5);
///  - credentials never leave their origin: the URL's userinfo is sent on only to the same
///    scheme, host and port, and a user-supplied Authorization or Cookie field is dropped on
///    the way to another origin (curl's rule since CVE-2018-1000007 / CVE-2022-27776).
/// Returns false with `error` set when the Location is empty or not an http(s) URL.
bool redirect_request(const ClientRequest& current, int status, std::string_view location,
                      ClientRequest& next, std::string& error);

/// Whether `method` is idempotent (RFC 9110 §9.2.2: GET, HEAD, PUT, DELETE, OPTIONS,
/// TRACE): a request that may have reached the server is retried only then.
bool idempotent(std::string_view method) noexcept;

/// Statuses worth retrying: 408, 429 and 5xx except 501 and 505 (not transient).
bool retryable_status(int status) noexcept;

/// The wait before retry number `attempt` (1-based): `fixed` when given, else a Retry-After
/// of delay-seconds (RFC 9110 §10.2.3) when the response had one, else 1 s doubling each
/// time; never more than kMaxRetryDelay.
std::chrono::milliseconds retry_delay(int attempt, std::optional<std::chrono::milliseconds> fixed,
                                      std::optional<std::string_view> retry_after) noexcept;
inline constexpr std::chrono::milliseconds kMaxRetryDelay{10 * 60 * 1000};

}  // namespace netius::net::http
