#pragma once
// Incremental HTTP/1.1 response-head parser for the client (RFC 9112 §4-§7, RFC 9110 §5-§6),
// the counterpart of RequestParser. Pure: no I/O, no logging, no allocation once its field
// array has grown. Views in the ClientResponseHead point into the caller's buffer.
//
// Accepted: "HTTP/1.x NNN [reason]" (a missing reason phrase is allowed, RFC 9112 §4), line
// ends CRLF or a bare LF (§2.2 lets a recipient accept LF alone; servers in the wild send
// it), empty lines before the status line (a stray CRLF after the previous body), a
// Content-Length repeated with the same value, also as a list ("5, 5", RFC 9110 §8.6).
// Rejected (a ParseError whose reason says why; `status` is 502, what a gateway would
// answer): HTTP/0.9 or a major version other than 1, a malformed status line or code, a bare
// CR, obs-fold (§5.2 allows unfolding; we refuse rather than rewrite the buffer), a field
// name that is not a token or whitespace before its colon, control characters in a value,
// an invalid or conflicting Content-Length, a head over Limits::max_head_bytes or more than
// Limits::max_header_count field lines (only those two fields of Limits are used).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "net/http/h1/field_lines.hpp"
#include "net/http/limits.hpp"
#include "net/http/parse_result.hpp"
#include "net/http/request_head.hpp"

namespace netius::net::http {

/// A parsed response head. Plain data; views valid while the parsed bytes are.
struct ClientResponseHead {
    Version version = Version::kHttp11;
    int status = 0;                               // 100..999
    std::string_view reason;                      // may be empty
    std::vector<Header> headers;                  // every field line in order, duplicates kept
    std::optional<std::uint64_t> content_length;  // when a valid Content-Length was sent
    bool transfer_encoding = false;               // a Transfer-Encoding field was present
    bool chunked = false;    // ... and chunked is its final coding (RFC 9112 §6.3)
    bool keep_alive = true;  // the connection may carry another request (§9.3)

    /// The value of the first field line called `name` (case-insensitive), or nullopt.
    std::optional<std::string_view> get(std::string_view name) const noexcept;
    /// Whether a line of the list-valued field `name` holds `token` (case-insensitive).
    bool has_token(std::string_view name, std::string_view token) const noexcept;
    void clear() noexcept;
};

/// How the content after a response head is delimited (RFC 9112 §6.3).
enum class BodyFraming : std::uint8_t {
    kNone,        // HEAD request, 1xx, 204, 304: no content, whatever the fields say
    kLength,      // Content-Length bytes
    kChunked,     // the chunked transfer coding
    kUntilClose,  // everything until the server closes (no length, or TE without chunked)
};

/// The framing of a response to a HEAD (`head_request`) or other request.
BodyFraming body_framing(const ClientResponseHead& head, bool head_request) noexcept;

/// A resumable parser for one response head at a time (one per client connection). Not
/// thread-safe; owned by the connection's loop thread.
class ResponseParser {
  public:
    /// `limits` must outlive the parser.
    explicit ResponseParser(const Limits& limits) noexcept : limits_(&limits) {}

    /// Same contract as RequestParser::parse: `input` always starts at the first byte of the
    /// response (pass it again with more bytes, possibly moved). Returns Complete{head bytes},
    /// Incomplete, or the ParseError; after Complete/ParseError the same until reset().
    ParseResult parse(std::string_view input, ClientResponseHead& out);
    /// Ready for the next response (keeps capacity).
    void reset() noexcept;

  private:
    enum class State : std::uint8_t {
        kStart,
        kStartLf,
        kVersion,
        kCode,
        kAfterCode,
        kReason,
        kLineLf,
        kFieldStart,
        kField,  // inside a field line, after its first byte (detail::FieldLines)
        kHeadEndLf,
        kDone,
        kFailed,
    };

    ParseResult fail(std::string_view reason) noexcept;
    ParseResult finish(std::string_view input, ClientResponseHead& out);
    /// A line ended at `i` (its CR or LF): records what the line held.
    void end_line(std::uint32_t i) noexcept;

    const Limits* limits_;
    State state_ = State::kStart;
    std::size_t pos_ = 0;
    std::uint32_t start_ = 0, code_ = 0, reason_ = 0, reason_end_ = 0;
    bool in_status_line_ = true;
    detail::FieldLines fields_;
    ParseError error_{Status::kBadGateway, {}};
};

}  // namespace netius::net::http
