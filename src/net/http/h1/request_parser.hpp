#pragma once
// Incremental, strict HTTP/1.1 request-head parser (RFC 9112 §2-§7, RFC 9110 §5-§7). Pure: no
// I/O, no logging, no allocation once its field array has grown to the largest head seen.
// Views in the RequestHead point into the caller's buffer and live as long as those bytes.
//
// Strictness (each rejection answers its status, then the connection closes):
//   400  malformed request line; method over kMaxMethodBytes; bad target form; field name
//        not a token; whitespace before the colon; obs-fold or whitespace before the first
//        field (§5.2, §2.2); bare CR or bare LF anywhere (§2.2: we never accept LF alone);
//        NUL or other CTL in a value; missing Host on HTTP/1.1, several Host lines, or an
//        invalid Host (§3.2); Content-Length not 1*DIGIT, overflowing, or duplicates that
//        differ (§6.3); Transfer-Encoding with Content-Length or on HTTP/1.0 (§6.1);
//        chunked applied twice; userinfo in an absolute-form target (RFC 9110 §4.2.4).
//   411  PUT without Content-Length or Transfer-Encoding. Other methods without either have
//        no content (§6.3 rule 7). This is nginx's choice (PUT needs a length; since 0.6.36
//        a POST without one is simply empty): curl's bare `-X POST` keeps working.
//   413  Content-Length over Limits::max_body_bytes (known before any content is read).
//   414  request-target over Limits::max_target_bytes.
//   431  head over Limits::max_head_bytes, or more than max_header_count field lines.
//   501  a transfer coding other than chunked (§6.1; nginx answers the same).
//   505  HTTP major version other than 1. HTTP/1.2..1.9 are served as 1.1 (RFC 9110 §2.5).
// Up to any number of empty lines before the request line are skipped (§2.2).
// Errors are found in input order (byte-level syntax first, then head semantics), so a given
// byte sequence gets the same answer however it is split across calls.
#include <cstdint>
#include <string_view>

#include "net/http/h1/field_lines.hpp"
#include "net/http/limits.hpp"
#include "net/http/parse_result.hpp"
#include "net/http/request_head.hpp"

namespace netius::net::http {

/// A resumable parser for one request head at a time (one per connection). Each call scans
/// only the bytes it has not seen, so a head trickling in byte by byte costs linear time.
/// Not thread-safe; owned by the connection's loop thread.
class RequestParser {
  public:
    /// `limits` must outlive the parser (it is the server's configuration).
    explicit RequestParser(const Limits& limits) noexcept : limits_(&limits) {}

    /// Parses the head at the start of `input`. Between calls the caller passes the same
    /// bytes again, possibly more and possibly at another address (the buffer may have
    /// moved); that is, `input` always starts at the first byte of the request.
    /// Returns Complete{head bytes} with `out` filled, Incomplete (out untouched), or the
    /// ParseError to answer. After Complete or ParseError the same result is returned until
    /// reset().
    ParseResult parse(std::string_view input, RequestHead& out);

    /// Ready for the next request on the connection (keeps capacity).
    void reset() noexcept;

    /// Bytes of the current head scanned so far; > 0 means a request has started arriving.
    std::size_t scanned() const noexcept { return pos_; }

  private:
    enum class State : std::uint8_t {
        kStart,
        kStartLf,
        kMethod,
        kTarget,
        kVersion,
        kRequestLineLf,
        kFieldStart,
        kField,  // inside a field line, after its first byte (detail::FieldLines)
        kValueLf,
        kHeadEndLf,
        kDone,
        kFailed,
    };

    ParseResult fail(Status status, std::string_view reason) noexcept;
    ParseResult finish(std::string_view input, RequestHead& out);

    const Limits* limits_;
    State state_ = State::kStart;
    std::size_t pos_ = 0;  // next byte to scan
    std::uint32_t method_ = 0, target_ = 0, target_end_ = 0, version_ = 0;
    detail::FieldLines fields_;
    ParseError error_{Status::kBadRequest, {}};
};

/// One-shot form: parses `input` from scratch (it may hold the whole head or a prefix).
/// Same contract as RequestParser::parse; convenient for tests and tools.
ParseResult parse_request_head(std::string_view input, const Limits& limits, RequestHead& out);

}  // namespace netius::net::http
