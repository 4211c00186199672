#pragma once
// H2ClientSession — HTTP/2 on a client connection (RFC 9113), libnghttp2 doing the framing,
// HPACK and flow control: each exchange is a stream, many at once on one connection (up to
// the server's SETTINGS_MAX_CONCURRENT_STREAMS, at most kMaxStreams), each response head
// gathered into a ClientResponseHead (h2_message.hpp) and its DATA handed to the exchange's
// data callback as it arrives.
//
// Flow control: the connection window is opened again as soon as DATA arrives, a stream's
// only once its data callback has taken the bytes and it is not paused, so a paused stream
// holds at most kStreamWindow bytes more and never holds back the others. Bounds: every
// response header block as client_limits() bounds an HTTP/1.1 head (SETTINGS_MAX_HEADER_
// LIST_SIZE says so to the server; past it the stream is reset and fails as malformed), each
// stream's wait for its next frame (or for window to send more content) by receive_timeout, an
// unused connection by idle_timeout (then GOAWAY). No server push (SETTINGS_ENABLE_PUSH 0).
//
// Failures: a stream the server refused, or one above a GOAWAY's last stream id, fails as
// stale (HttpClient sends it again on a new connection, RFC 9113 §8.7); a stream reset by the
// server fails as closed (or truncated once its content began); a malformed response or
// connection-level protocol error fails as a protocol error. Loop thread only; owned by its
// ClientConnection, which outlives it.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

#include "net/callbacks.hpp"
#include "net/http/client/client_session.hpp"
#include "net/http/client/h2_message.hpp"

struct nghttp2_session;

namespace netius::net::http {

class ClientConnection;

class H2ClientSession final : public ClientSession,
                              public std::enable_shared_from_this<H2ClientSession> {
  public:
    static constexpr std::size_t kMaxStreams = 100;
    static constexpr std::int32_t kStreamWindow = 1 << 20;       // SETTINGS_INITIAL_WINDOW_SIZE
    static constexpr std::int32_t kConnectionWindow = 16 << 20;  // connection-level window

    /// Throws netius::Error when nghttp2 cannot make a session (out of memory).
    explicit H2ClientSession(ClientConnection& owner);
    ~H2ClientSession() override;

    void start() override;
    bool available() const override;
    bool accepting() const override { return !dropped_ && !goaway_ && !broken_; }
    void send(std::uint64_t id, const ClientRequest& request, ExchangeCallbacks callbacks) override;
    void pause(std::uint64_t id) override;
    void resume(std::uint64_t id) override;
    void cancel(std::uint64_t id) override;
    void on_message(Buffer& in) override;
    void on_peer_shutdown() override;
    void on_down(const std::string& error) override;
    void drop() override;

  private:
    struct Stream;
    struct Callbacks;  // nghttp2's callbacks (h2_client_stream.hpp, h2_client_callbacks.cpp)
    friend struct Callbacks;
    struct SessionFree {
        void operator()(nghttp2_session* s) const noexcept;
    };

    Stream* find(std::int32_t stream_id) const;
    /// nghttp2's read callback for a stream whose content is an Upload: DATA as the source
    /// gives it, NGHTTP2_ERR_DEFERRED while it has nothing (its ready callback resumes).
    ssize_t read_upload(Stream& st, std::uint8_t* buf, std::size_t length, std::uint32_t* flags);
    /// Removes the stream (destroyed from the loop's queue) and runs its done callback.
    void end_stream(std::int32_t stream_id, std::optional<ExchangeError> error);
    /// Fails every stream: `kind`, or closed / truncated by how far each one got.
    void fail_streams(const std::string& message, std::optional<ExchangeError::Kind> kind);
    /// Writes what nghttp2 has to send, then reports a state change to the owner and closes
    /// the connection once the session is over. Re-entrant calls (from a callback inside
    /// nghttp2) only ask the outer call to go round again.
    void pump();
    void close_connection();
    void arm_timer();
    void on_timer();

    ClientConnection& owner_;
    std::unique_ptr<nghttp2_session, SessionFree> session_;
    std::map<std::int32_t, std::shared_ptr<Stream>> streams_;  // by stream id
    std::unordered_map<std::uint64_t, std::int32_t> ids_;      // exchange id -> stream id
    H2ResponseHead head_;  // header blocks never interleave (RFC 9113 §4.3)
    std::string error_;    // nghttp2's last connection-level complaint
    Clock::time_point idle_since_{};
    TimerId timer_;
    Clock::time_point armed_for_{};  // when timer_ fires
    std::uint64_t completed_ = 0;    // streams that ended well
    std::uint32_t goaway_code_ = 0;
    bool goaway_ = false;   // the server sent GOAWAY: no new streams
    bool broken_ = false;   // nghttp2 failed fatally, or we sent GOAWAY
    bool busy_ = false;     // inside nghttp2 (mem_recv / mem_send)
    bool again_ = false;    // pump() was asked for while busy
    bool changed_ = false;  // tell the owner once out of nghttp2
    bool dropped_ = false;
};

}  // namespace netius::net::http
