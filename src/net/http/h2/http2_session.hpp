#pragma once
// Http2Session — one HTTP/2 connection (RFC 9113) between a TcpConnection and the server's
// Handler. libnghttp2 does the framing, HPACK, flow control, stream states, the §8.2 message
// checks and the built-in flood protections; this class maps each stream onto the engine's one
// model: when a stream's request is complete (or, with stream_request_bodies, as soon as its
// head is) the same Handler runs with the same Request and Response as on HTTP/1.1, and the
// answer — bytes, a streamed BodySource, a deferred Resume — goes out as HEADERS and DATA.
//
// Where a stream's request is handed to the handler: dispatch(), in http2_session_respond.cpp.
// Output is produced only while the connection's queue is small (kOutputBudget), so a client that
// stops reading holds at most that much of our memory; a stream whose window is closed holds back
// only itself.
//
// Limits mean what they mean on HTTP/1.1 (net/http/limits.hpp): header size (431; also the
// SETTINGS_MAX_HEADER_LIST_SIZE we announce), header count, target length (414), content size
// (413), header/idle/body/write timeouts. A rapid-reset, CONTINUATION, SETTINGS or PING flood
// ends the connection with GOAWAY (docs/reliability.md lists what each attack gets).
// Graceful shutdown sends GOAWAY and lets open streams finish. Loop thread only.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "net/http/h2/http2_stream.hpp"
#include "net/http/server/server_session.hpp"

struct nghttp2_session;

namespace netius::net::http {

class Http2Session final : public ServerSession {
  public:
    /// Takes over `conn` (its context is set by the caller). `proxied`: the client a PROXY
    /// header named before the preface; `read_proxy`: a PROXY header comes first (TLS + ALPN).
    Http2Session(HttpServer& server, const TcpConnectionPtr& conn,
                 std::unique_ptr<InetAddress> proxied, bool read_proxy);
    ~Http2Session() override;

    void on_message(const TcpConnectionPtr& conn, Buffer& in) override;
    void on_high_water(const TcpConnectionPtr& conn) override;
    void on_write_complete(const TcpConnectionPtr& conn) override;
    void check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) override;
    /// Sends GOAWAY (the last stream we will answer) and closes once the open ones are done.
    void close_when_idle(const TcpConnectionPtr& conn) override;
    void on_disconnect() override;
    Resume defer(const TcpConnectionPtr& conn) override;
    void finish_deferred(const TcpConnectionPtr& conn, std::uint64_t id,
                         const Resume::Fill& fill) override;
    void wake_stream(const TcpConnectionPtr& conn, std::uint64_t id) override;

    // nghttp2's callbacks (http2_session.cpp) call these.
    int on_begin_headers(std::int32_t stream_id);
    int on_header(std::int32_t stream_id, std::string_view name, std::string_view value);
    int on_headers_done(std::int32_t stream_id, bool end_stream);
    int on_data(std::int32_t stream_id, std::string_view data);
    int on_end_stream(std::int32_t stream_id);
    void on_stream_close(std::int32_t stream_id);
    /// nghttp2's data source read callback for stream `id`.
    long read_data(std::int32_t stream_id, std::uint8_t* buf, std::size_t length,
                   std::uint32_t* flags);

  private:
    Http2Stream* stream(std::int32_t id) const;
    /// Runs the handler for `s` (or answers its rejection).
    void dispatch(Http2Stream& s);
    /// Submits `response` as the answer of `s` (HEADERS, then DATA through read_data).
    void submit(Http2Stream& s, Response& response);
    /// Submits a short error answer (431, 413...) for `s`.
    void submit_error(Http2Stream& s, Status status);
    /// Grants `n` received content bytes of `s` back to the client (WINDOW_UPDATE).
    void consume(Http2Stream& s, std::uint64_t n);
    /// A streamed request's reader took content (its demand hook, on the loop).
    void on_body_demand(std::int32_t stream_id);
    /// Serialises what nghttp2 has to send into the connection while its queue is small;
    /// closes the connection once nghttp2 wants neither to read nor to write.
    void send_pending();
    /// Ends the connection after a protocol failure (nghttp2 queued its GOAWAY).
    void fail(const char* what, int code);
    /// Logs the access line of `s`'s streamed response, if one waits, with the bytes sent.
    void log_streamed(Http2Stream& s);

    TcpConnection* conn_;  // the connection whose context owns this session
    nghttp2_session* ng_ = nullptr;
    std::unordered_map<std::int32_t, std::unique_ptr<Http2Stream>> streams_;
    Http2Stream* current_ = nullptr;     // the stream whose handler is running
    std::string out_;                    // frames serialised by this send_pending()
    std::uint64_t buffered_bodies_ = 0;  // content held for handlers, all streams
    bool reading_proxy_ = false;
    bool sending_ = false;     // inside send_pending (callbacks must not re-enter it)
    bool going_away_ = false;  // GOAWAY sent: closing once the open streams are answered
    bool closed_ = false;
    Clock::time_point closed_at_;
    std::uint64_t drained_ = 0;     // input dropped since closing
    Clock::time_point idle_since_;  // when the last stream closed (the idle timeout)
};

}  // namespace netius::net::http
