#pragma once
// Response content codings (RFC 9110 §8.4): negotiation from Accept-Encoding (§12.5.3) and
// zlib compressors for gzip and deflate. Negotiation is pure (any thread); a Compressor is one
// stream, used by one thread at a time.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "net/http/request_head.hpp"

struct z_stream_s;  // zlib's stream; zlib.h stays out of this header

namespace netius::net::http {

/// kBrotli (RFC 7932) is negotiated and named only: netius serves precompressed .br files but
/// has no brotli compressor.
enum class ContentCoding : std::uint8_t { kIdentity, kGzip, kDeflate, kBrotli };

/// "identity", "gzip", "deflate" or "br": the Content-Encoding value (identity is never sent).
std::string_view coding_name(ContentCoding coding) noexcept;

/// The coding named `name` (case-insensitive; "x-gzip" is gzip, RFC 9110 §8.4.1.3), or
/// nullopt for any other name.
std::optional<ContentCoding> parse_coding(std::string_view name) noexcept;

/// Chooses the coding of a response (RFC 9110 §12.5.3). `accept_encoding` holds the values of
/// every Accept-Encoding line in order (none: the field is absent); `offered` the codings the
/// server can produce, most preferred first. Rules: the highest q wins, ties go to the
/// earlier offered coding; q=0 excludes; an explicit entry beats "*"; identity is acceptable
/// unless excluded ("identity;q=0", or "*;q=0" without an identity entry) but, when not
/// listed, ranks below every listed coding; an element with a malformed q is ignored. A
/// request without the field gets identity when offered (compressing for clients that did not
/// ask breaks too many of them), else the first offered. Returns nullopt when nothing offered
/// is acceptable: answer 406 or send identity anyway (§12.5.3 allows either).
std::optional<ContentCoding> negotiate_encoding(std::span<const std::string_view> accept_encoding,
                                                std::span<const ContentCoding> offered) noexcept;

/// negotiate_encoding over `request`'s Accept-Encoding lines.
std::optional<ContentCoding> negotiate_encoding(const RequestHead& request,
                                                std::span<const ContentCoding> offered) noexcept;

/// A streaming gzip (RFC 1952) or deflate compressor. "deflate" is the zlib format (RFC 1950)
/// as RFC 9110 §8.4.1.2 defines it, not a raw deflate stream. About 256 KiB of zlib state
/// while alive: create one per response being compressed, not per connection.
class Compressor {
  public:
    /// `level` is zlib's 0..9, -1 for its default (6). Throws std::invalid_argument for
    /// kIdentity, kBrotli or a bad level, netius::Error when zlib cannot allocate its state.
    explicit Compressor(ContentCoding coding, int level = -1);
    ~Compressor();
    Compressor(Compressor&&) noexcept;
    Compressor& operator=(Compressor&&) noexcept;

    /// Compresses `in`, appending whatever output zlib produces to `out` (possibly nothing:
    /// zlib buffers). `flush`: also emit everything buffered (Z_SYNC_FLUSH), so a client can
    /// decode what was sent so far (one flush per chunk of a streamed response).
    void update(std::string_view in, std::string& out, bool flush = false);
    /// Ends the stream, appending the rest and the trailer (gzip CRC/length, zlib Adler-32).
    void finish(std::string& out);
    /// Ready for a new stream with the same coding and level.
    void reset();

  private:
    struct Deleter {
        void operator()(z_stream_s* z) const noexcept;
    };
    void run(int flush_mode, std::string& out);
    std::unique_ptr<z_stream_s, Deleter> z_;
};

/// One-shot: the whole of `data` compressed with `coding` (identity returns it unchanged).
std::string compress(ContentCoding coding, std::string_view data, int level = -1);

}  // namespace netius::net::http
