#pragma once
// BodyStream — the sending side of one streamed response (net/http/body_source.hpp): pulls pieces
// from the BodySource while the connection's output queue is empty, frames them (Content-Length,
// chunked or close-delimited, RFC 9112 §6-§7), optionally compresses them (RFC 9110 §8.4) and
// hands them to the TcpConnection. HttpSession owns one per streaming response and calls
// pump() once after the head and again on each write-complete. Loop thread only.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/http/body_source.hpp"
#include "net/http/encoding.hpp"
#include "net/http/h1/response_writer.hpp"
#include "net/tcp_connection.hpp"

namespace netius::net::http {

class BodyStream final : private BodySink {
  public:
    /// Bytes a source should read from a file per pull when it cannot hand over the file.
    static constexpr std::size_t kPieceSize = 128 * 1024;

    /// `framing` is kLength (then `source->size()` must be set), kChunked or kClose.
    /// `coding`: compress the content with it (never kIdentity). Throws netius::Error when
    /// zlib cannot allocate a compressor.
    BodyStream(std::unique_ptr<BodySource> source, Framing framing,
               std::optional<ContentCoding> coding);
    ~BodyStream();

    enum class Progress { kWaiting, kDone, kFailed };
    /// Pulls while `conn`'s output queue is empty (a few pieces at most). kWaiting: call again
    /// on write-complete, which is due (output is queued, or the last piece was written and
    /// its write-complete deferred); kDone: the whole content (and its framing end) has been
    /// handed to the connection; kFailed: the source failed, broke its size promise or made
    /// no progress — close `conn`.
    Progress pump(TcpConnection& conn);

    /// Content bytes handed to the connection so far (after compression, without framing).
    std::uint64_t content_bytes() const { return sent_; }

  private:
    void write(std::string_view data) override;
    bool accepts_files() const override { return !compressor_; }
    void write_file(UniqueFd file, off_t offset, std::uint64_t length) override;
    /// Sends content bytes with the framing (data already compressed).
    void emit(std::string_view data);
    bool finish();

    std::unique_ptr<BodySource> source_;
    Framing framing_;
    std::unique_ptr<Compressor> compressor_;
    std::optional<std::uint64_t> expected_;  // kLength: the promised size
    std::uint64_t sent_ = 0;
    std::uint64_t written_in_pull_ = 0;
    const char* broken_ = nullptr;   // why the source broke its contract, if it did
    TcpConnection* conn_ = nullptr;  // during pump() only
    std::string frame_;              // a chunk: size line, data, CRLF
    std::string zbuf_;               // compressed bytes of the current piece
};

}  // namespace netius::net::http
