#pragma once
// Streaming decoder of a response's content codings (RFC 9110 §8.4): gzip (RFC 1952, also
// concatenated members), deflate (the zlib format of RFC 1950 that §8.4.1.2 specifies, and
// the raw deflate stream some servers send instead, told apart by the zlib header check),
// and br (RFC 7932) when netius is built with libbrotli. Several codings ("gzip, br") are
// undone in reverse order. Output goes to a sink in pieces of at most kChunk bytes, so a
// large body never sits in memory. One decoder per response; any one thread at a time.
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace netius::net::http {

class ContentDecoder {
  public:
    using Sink = std::function<void(std::string_view decoded)>;
    static constexpr std::size_t kChunk = 64 * 1024;

    /// The Accept-Encoding value matching what this build decodes: "gzip, deflate" or
    /// "gzip, deflate, br".
    static std::string_view accept_encoding() noexcept;

    ContentDecoder();
    ~ContentDecoder();
    ContentDecoder(ContentDecoder&&) noexcept;
    ContentDecoder& operator=(ContentDecoder&&) noexcept;

    /// Prepares for a response whose Content-Encoding lines are `codings` (in order; none:
    /// the content passes through). Returns false with error() set for a coding it cannot
    /// undo: "unsupported Content-Encoding 'compress'", or for br without libbrotli "br
    /// content is not supported by this build (no libbrotli)", or when zlib or brotli cannot
    /// allocate their state. Never throws (nor does any method: errors are return values).
    bool start(std::span<const std::string_view> codings);
    /// True when no coding applies (bytes pass through unchanged).
    bool identity() const noexcept { return stages_.empty(); }

    /// Decodes the next piece of content. Returns false with error() set on corrupt input;
    /// the decoder is then unusable.
    bool update(std::string_view in, const Sink& sink);
    /// At the end of the content: false with error() if a coded stream was cut short
    /// ("truncated gzip content").
    bool finish();
    const std::string& error() const noexcept { return error_; }

    /// One stage (one coding); defined in content_decoder.cpp.
    class Stage;

  private:
    bool make_stages(std::span<const std::string_view> codings);
    bool run(std::size_t index, std::string_view in, const Sink& sink);

    std::vector<std::unique_ptr<Stage>> stages_;  // in decoding order
    std::string error_;
};

}  // namespace netius::net::http
