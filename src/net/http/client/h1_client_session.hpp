#pragma once
// H1ClientSession — HTTP/1.1 on a client connection (the counterpart of HttpSession): one
// request at a time and its response: 1xx heads skipped, the body framed by RFC 9112 §6.3
// (Content-Length, chunked, or until close; none for HEAD/204/304), then the connection kept
// for the next request when both sides allow it (§9.3) or closed. The receive timeout counts
// from the end of the request: while its content is still going out, each part the server
// takes restarts it. pause()/resume() stop reading the socket and suspend the receive
// timeout meanwhile. A request's Upload (upload.hpp) is sent after its head as the source
// gives it, while the connection holds less than kUploadWindow unsent, chunked when its size
// is unknown; the response may come (and end the exchange, closing the connection) before
// the upload is complete. Time spent waiting for the upload's source does not count. A
// request to switch protocols (ClientRequest::upgrade) answered 101 becomes a tunnel: its
// upload is sent raw and the rest of the connection is content, until either end closes; the
// receive timeout then bounds the tunnel's silence both ways. Loop thread only; owned by its
// ClientConnection, which outlives it.
#include <memory>

#include "net/callbacks.hpp"
#include "net/http/client/client_session.hpp"
#include "net/http/h1/chunked_decoder.hpp"
#include "net/http/h1/response_parser.hpp"

namespace netius::net::http {

class ClientConnection;

/// Upload content queued on a connection at most (beyond what the kernel took).
inline constexpr std::size_t kUploadWindow = 256 * 1024;

class H1ClientSession final : public ClientSession,
                              public std::enable_shared_from_this<H1ClientSession> {
  public:
    explicit H1ClientSession(ClientConnection& owner);
    ~H1ClientSession() override;

    void start() override;
    bool available() const override { return !exchange_; }
    bool accepting() const override { return !dropped_; }
    void send(std::uint64_t id, const ClientRequest& request, ExchangeCallbacks callbacks) override;
    void pause(std::uint64_t id) override;
    void resume(std::uint64_t id) override;
    void cancel(std::uint64_t id) override;
    void on_message(Buffer& in) override;
    void on_peer_shutdown() override;
    void on_down(const std::string& error) override;
    void drop() override;

  private:
    struct Exchange;  // h1_client_exchange.hpp
    enum class Phase { kHead, kBody, kDone };

    /// Parses what `in` holds; returns false once the exchange ended (done or failed).
    bool read_head(Buffer& in);
    void read_body(Buffer& in);
    /// Sends what the exchange's upload gives while the output has room.
    void send_upload();
    /// Pumps the exchange's upload from now on (write-complete events, its ready callback).
    void start_upload();
    void complete(bool reusable);
    void fail(ExchangeError::Kind kind, std::string message, bool stale = false);
    /// Sets the wait (receive or idle timeout) counted from last_activity_ and arms for it.
    void arm_timer(std::chrono::milliseconds timeout);
    /// Arms the timer for `when`, unless it is armed for earlier already.
    void arm_at(Clock::time_point when);
    /// A request still going out: the server's progress taking it (bytes_delivered) restarts
    /// the wait; looked at every kUploadCheck until it has all of it.
    void check_upload(Clock::time_point now);
    static bool still_uploading(const Exchange& x, TcpConnection& conn);
    void on_timer();

    ClientConnection& owner_;
    std::unique_ptr<Exchange> exchange_;
    ResponseParser parser_;
    ChunkedDecoder chunked_;
    Clock::time_point last_activity_{};
    std::chrono::milliseconds wait_{0};  // the timeout the timer enforces (0: none)
    TimerId timer_;
    Clock::time_point armed_for_{};  // when timer_ fires
    std::size_t unread_ = 0;         // bytes left in the input after the last message event
    bool paused_ = false;
    bool dropped_ = false;
};

}  // namespace netius::net::http
