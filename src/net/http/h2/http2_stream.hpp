#pragma once
// Http2Stream — one HTTP/2 stream of an Http2Session (RFC 9113 §5, §8): the request as its
// fields and content arrive, mapped onto the engine's one model (RequestHead, Request), and
// the response's content as nghttp2 asks for DATA: bytes held, a file range, or a BodySource
// pulled piece by piece (compressed on the fly for --encoding gzip/deflate). A stream pulls
// only when nghttp2 has window for it, so a slow reader holds back only its own stream.
// Loop thread only.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/callbacks.hpp"
#include "net/http/body_source.hpp"
#include "net/http/encoding.hpp"
#include "net/http/http_types.hpp"
#include "net/http/limits.hpp"
#include "net/http/server/access_log.hpp"
#include "util/unique_fd.hpp"

namespace netius::net::http {

class Http2Stream final : private BodySink {
  public:
    explicit Http2Stream(std::int32_t id) : id_(id) {}
    ~Http2Stream();
    Http2Stream(const Http2Stream&) = delete;
    Http2Stream& operator=(const Http2Stream&) = delete;

    std::int32_t id() const { return id_; }

    // ---- the request ----

    /// Adds one field of the request's header block (pseudo-fields included; nghttp2 has
    /// checked their syntax and order, RFC 9113 §8.2-§8.3). Past `max_list_size` (RFC 9113
    /// §6.5.2: name + value + 32 per field) or `limits.max_header_count` fields the request is
    /// answered 431; past `limits.max_target_bytes` of :path, 414. Returns false once the
    /// block is past twice those bounds: no client sends that, an HPACK bomb does (a few bytes
    /// that decode to megabytes), and the connection is ended rather than decoding on.
    bool add_field(std::string_view name, std::string_view value, std::size_t max_list_size,
                   const Limits& limits);
    /// The header block is complete: builds head() from the fields. `end_stream`: no content
    /// follows. Returns false when the request is malformed for this engine (a bad :path or
    /// :authority, a content-length that is not a number): answer 400.
    bool finish_head(bool end_stream);
    /// A status to answer with instead of calling the handler (431, 414, 413, 400), if any.
    std::optional<Status> rejection() const { return rejection_; }
    void reject(Status status) {
        if (!rejection_) rejection_ = status;
    }
    const RequestHead& head() const { return head_; }

    /// Request content that arrived (not streamed to a reader).
    std::string& body() { return body_; }
    /// The reader of a streamed request's content (HttpServerOptions::stream_request_bodies).
    std::shared_ptr<RequestBody>& body_stream() { return body_stream_; }
    /// Content bytes received and not yet granted back to the client (WINDOW_UPDATE).
    std::uint64_t unconsumed = 0;
    bool request_complete = false;    // END_STREAM received
    bool dispatched = false;          // the handler has been called
    bool deferred = false;            // its answer comes through Resume::finish
    bool responded = false;           // the response was submitted
    bool headers_done = false;        // the header block is complete
    Clock::time_point progress;       // last request bytes received (the body timeout)
    Clock::time_point sent_progress;  // last response content handed to nghttp2

    // ---- the response ----

    /// Holds `content` (copied) as the whole response content.
    void set_content(std::string_view content);
    /// Content produced by `source`, compressed with `coding` when set. Throws netius::Error
    /// when zlib cannot allocate a compressor.
    void set_source(std::unique_ptr<BodySource> source, std::optional<ContentCoding> coding);
    /// Whether there is content to send after the head.
    bool has_content() const { return has_content_; }
    /// Whether that content comes from a BodySource (its size known only once it has ended).
    bool streams_content() const { return source_ != nullptr; }
    /// Content bytes handed to nghttp2 as DATA so far.
    std::uint64_t content_sent = 0;
    /// The access log line of a streamed response, logged when the stream closes.
    std::unique_ptr<AccessEntry> log_entry;

    enum class Read { kData, kWait, kFailed };
    /// Up to `max` bytes of content into `buf` (nghttp2's data source read callback). kData:
    /// `n` bytes (`end` set when they are the last); kWait: nothing now (a source waiting on
    /// another thread: read again after Resume::wake); kFailed: reset the stream.
    Read read(std::uint8_t* buf, std::size_t max, std::size_t& n, bool& end);
    /// Whether read() returned kWait and waits for Resume::wake.
    bool waiting = false;

  private:
    void write(std::string_view data) override;
    bool accepts_files() const override { return !compressor_; }
    void write_file(UniqueFd file, off_t offset, std::uint64_t length) override;
    /// Fills out_ from the source; false when the content failed.
    bool refill();
    /// Moves a pending file range into out_ (rare: a source that writes after a file range).
    void spill_file();

    std::int32_t id_;
    // Request: fields kept in one arena, as (offset, length) pairs until finish_head.
    std::string arena_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> fields_;  // name, value entries
    std::size_t list_size_ = 0;
    std::size_t field_count_ = 0;
    std::optional<Status> rejection_;
    RequestHead head_;
    std::string cookie_;  // RFC 9113 §8.2.3: cookie fields joined for the HTTP/1.1 model
    std::string body_;
    std::shared_ptr<RequestBody> body_stream_;

    // Response content.
    bool has_content_ = false;
    std::string out_;  // bytes ready to be framed, from out_pos_
    std::size_t out_pos_ = 0;
    std::unique_ptr<BodySource> source_;
    std::unique_ptr<Compressor> compressor_;
    std::optional<std::uint64_t> expected_;  // the size the source announced
    std::uint64_t produced_ = 0;             // content bytes the source gave
    bool source_done_ = false;
    const char* broken_ = nullptr;  // why the source broke its contract
    UniqueFd file_;                 // a file range the source handed over
    off_t file_offset_ = 0;
    std::uint64_t file_left_ = 0;
};

}  // namespace netius::net::http
