#pragma once
// Incremental decoder of the chunked transfer coding (RFC 9112 §7.1). Pure: no I/O, no
// allocation; decoded content is returned as views into the input, never copied.
//
// Strict: chunk-size is 1..16 hex digits; optional BWS then ";" extensions, which are bounded
// by Limits::max_chunk_extension_bytes and ignored (§7.1.1); every line ends in CRLF exactly
// (a bare CR or LF is an error); chunk data must be followed by CRLF; trailer fields are
// checked like header fields (token name, no whitespace before the colon, no obs-fold, no
// CTLs), bounded by Limits::max_trailer_bytes, and ignored (§7.1.2: none is needed here).
// Errors: 400 for syntax, 413 once the content would exceed Limits::max_body_bytes (found
// while the chunk-size is read, before its data arrives), 431 for an oversized trailer.
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/http/limits.hpp"
#include "net/http/parse_result.hpp"

namespace netius::net::http {

/// What one ChunkedDecoder::decode call did.
struct ChunkedStep {
    std::size_t consumed = 0;         // input bytes used, framing and data
    std::string_view data;            // decoded content: a view into the input (may be empty)
    bool done = false;                // the last chunk and the trailer section were read
    std::optional<ParseError> error;  // answer it and close; nothing more is decoded
};

/// Decodes one chunked body (one per connection, reset() between requests). Not
/// thread-safe; owned by the connection's loop thread.
class ChunkedDecoder {
  public:
    /// `limits` must outlive the decoder.
    explicit ChunkedDecoder(const Limits& limits) noexcept : limits_(&limits) {}

    /// Decodes from the start of `input` (bytes not given before: unlike RequestParser,
    /// consumed bytes are never passed again). Stops after the first run of content, at the
    /// end of the body, at an error, or when the input is used up, so a caller loops:
    ///   while (!in.empty()) { step = decode(in); use(step.data);
    ///                         in.remove_prefix(step.consumed); if (step.done) break; }
    /// When `done`, input past `consumed` is the next pipelined request. After done or an
    /// error, further calls consume nothing and repeat it.
    ChunkedStep decode(std::string_view input) noexcept;

    void reset() noexcept;
    bool done() const noexcept { return state_ == State::kDone; }
    /// Content bytes decoded so far in this body.
    std::uint64_t decoded() const noexcept { return decoded_; }

  private:
    enum class State : std::uint8_t {
        kSize,
        kSizeMore,
        kSizeBws,
        kExtension,
        kSizeLf,
        kData,
        kDataCr,
        kDataLf,
        kTrailerStart,
        kTrailerName,
        kTrailerValue,
        kTrailerLf,
        kEndLf,
        kDone,
        kFailed,
    };
    ChunkedStep fail(std::size_t consumed, Status status, std::string_view reason) noexcept;

    const Limits* limits_;
    State state_ = State::kSize;
    std::uint64_t size_ = 0;  // chunk-size being read, then bytes left in the chunk
    std::uint64_t decoded_ = 0;
    std::size_t line_bytes_ = 0;  // hex digits, then extension bytes, of the size line
    std::size_t trailer_bytes_ = 0;
    ParseError error_{Status::kBadRequest, {}};
};

}  // namespace netius::net::http
