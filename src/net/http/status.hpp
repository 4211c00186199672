#pragma once
// HTTP status codes (RFC 9110 §15) and their reason phrases. Pure, any thread.
#include <cstdint>
#include <string_view>

namespace netius::net::http {

/// A status code. Named values cover what netius servers send; any other 100..999 code may be
/// carried with static_cast<Status>(code).
enum class Status : std::uint16_t {
    kContinue = 100,
    kSwitchingProtocols = 101,
    kOk = 200,
    kCreated = 201,
    kAccepted = 202,
    kNoContent = 204,
    kPartialContent = 206,
    kMovedPermanently = 301,
    kFound = 302,
    kSeeOther = 303,
    kNotModified = 304,
    kTemporaryRedirect = 307,
    kPermanentRedirect = 308,
    kBadRequest = 400,
    kUnauthorized = 401,
    kForbidden = 403,
    kNotFound = 404,
    kMethodNotAllowed = 405,
    kNotAcceptable = 406,
    kRequestTimeout = 408,
    kConflict = 409,
    kGone = 410,
    kLengthRequired = 411,
    kPreconditionFailed = 412,
    kContentTooLarge = 413,
    kUriTooLong = 414,
    kUnsupportedMediaType = 415,
    kRangeNotSatisfiable = 416,
    kExpectationFailed = 417,
    kRequestHeaderFieldsTooLarge = 431,
    kInternalServerError = 500,
    kNotImplemented = 501,
    kBadGateway = 502,
    kServiceUnavailable = 503,
    kGatewayTimeout = 504,
    kHttpVersionNotSupported = 505,
};

constexpr int code(Status s) noexcept {
    return static_cast<int>(s);
}

/// The RFC 9110 §15 reason phrase ("Not Found"), or "Unknown" for a code without one.
std::string_view reason_phrase(Status s) noexcept;

/// Whether a response with this status may carry content (RFC 9110 §6.4.1: 1xx, 204 and 304
/// never do).
constexpr bool allows_content(Status s) noexcept {
    int c = code(s);
    return c >= 200 && c != 204 && c != 304;
}

}  // namespace netius::net::http
