#pragma once
// ClientConnection — the client side of one HTTP/1.1 connection (the counterpart of
// HttpSession): a TcpClient to one origin, sending one request at a time and reading its
// response: 1xx heads skipped, the body framed by RFC 9112 §6.3 (Content-Length, chunked, or
// until close; none for HEAD/204/304), then kept for the next request when both sides allow
// it (§9.3) or closed. Body bytes are handed on as they arrive (streaming), transfer coding
// removed, content coding kept (the caller decodes).
//
// Every wait is bounded: connecting and the TLS handshake by connect_timeout, each wait for
// response bytes (and for the socket to take the request) by receive_timeout, an idle pooled
// connection by idle_timeout. pause()/resume() stop reading (back-pressure from a slow sink)
// and suspend the receive timeout meanwhile.
//
// Lifetime: owned by a shared_ptr (HttpClient's pool). Its callbacks may run inside the
// TcpClient's, so the owner must release it via the loop's queue, never destroy it inside one
// of them. Loop thread only.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/http/client/url.hpp"
#include "net/http/h1/chunked_decoder.hpp"
#include "net/http/h1/response_parser.hpp"
#include "net/http/limits.hpp"
#include "net/tcp_client.hpp"

namespace netius::net {
class TlsContext;
class TlsTransport;
}  // namespace netius::net

namespace netius::net::http {

/// Why an exchange failed.
struct ExchangeError {
    enum class Kind {
        kConnect,    // no address accepted the connection
        kTimeout,    // connect, handshake or receive timeout
        kTls,        // the TLS handshake failed
        kTlsVerify,  // ... because the server's certificate was refused
        kClosed,     // closed or reset before the response was complete (not mid-body)
        kProtocol,   // a malformed response
        kTruncated,  // closed in the middle of the body
        kDns,        // the host name did not resolve (HttpClient)
    };
    Kind kind;
    std::string message;
    /// Nothing of the response had arrived on a connection that served earlier requests:
    /// the server closed it while idle, so the request can be retried on a new connection
    /// (RFC 9112 §9.3.1).
    bool stale_connection = false;
};

struct ExchangeCallbacks {
    /// Progress lines for a verbose log: "Connected to 127.0.0.1:80 (#1)", "Re-using #1".
    std::function<void(std::string_view line)> info;
    /// The request head as it is written (body excluded).
    std::function<void(std::string_view raw)> request;
    /// Every response head, 1xx included; `raw` is the head's bytes as received.
    std::function<void(std::string_view raw, const ClientResponseHead& head)> head;
    /// Content of the final response as it arrives.
    std::function<void(std::string_view data)> data;
    /// Once, last: nullopt when the response was complete.
    std::function<void(const std::optional<ExchangeError>& error)> done;
};

struct ClientConnectionOptions {
    std::chrono::milliseconds connect_timeout{30'000};
    std::chrono::milliseconds receive_timeout{60'000};
    std::chrono::milliseconds idle_timeout{30'000};
    Limits limits = client_limits();  // response head, fields, chunk framing
    std::shared_ptr<TlsContext> tls;  // https: a client context
};

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
  public:
    /// Nothing happens before connect(). `origin` names the server (TLS host name, logs).
    ClientConnection(EventLoop* loop, std::uint64_t id, const Url& origin,
                     std::vector<InetAddress> addresses, const ClientConnectionOptions& options);
    ~ClientConnection();
    ClientConnection(const ClientConnection&) = delete;
    ClientConnection& operator=(const ClientConnection&) = delete;

    /// Runs whenever the connection becomes idle (reusable) or closes; the owner's hook to
    /// hand it the next request or drop it.
    void set_state_callback(std::function<void(ClientConnection&)> cb) {
        state_cb_ = std::move(cb);
    }

    void connect();
    /// Sends `request` (a serialised head and body) and reads the response into `callbacks`.
    /// Only when !busy() and !closed(); before the connection is up the request waits.
    void send(std::string request, bool head_request, ExchangeCallbacks callbacks);
    void pause();
    void resume();
    /// Closes now; an exchange in progress is dropped without its done callback.
    void close();

    std::uint64_t id() const { return id_; }
    bool busy() const { return exchange_ != nullptr; }
    bool closed() const { return closed_; }
    /// Connected, nothing in progress, may carry another request.
    bool idle() const { return up_ && !closed_ && !exchange_; }
    /// Requests sent on this connection so far.
    std::uint64_t requests() const { return requests_; }
    /// The address being tried or connected to.
    const InetAddress& address() const { return client_->address(); }

  private:
    struct Exchange;
    enum class Phase { kHead, kBody, kDone };

    void on_connection(const TcpConnectionPtr& conn);
    void on_message(const TcpConnectionPtr& conn, Buffer& in);
    void on_peer_shutdown(const TcpConnectionPtr& conn);
    void on_connect_failed(const ClientConnectFailure& f);
    void write_request();
    /// Parses what `in` holds; returns false once the exchange ended (done or failed).
    bool read_head(Buffer& in);
    void read_body(Buffer& in);
    void complete(bool reusable);
    void fail(ExchangeError::Kind kind, std::string message, bool stale = false);
    void mark_closed();
    void arm_timer(std::chrono::milliseconds timeout);
    void on_timer();

    EventLoop* loop_;
    std::uint64_t id_;
    std::string host_;
    ClientConnectionOptions options_;
    std::unique_ptr<TcpClient> client_;
    TlsTransport* tls_ = nullptr;  // the transport the factory made (owned by the connection)
    std::unique_ptr<Exchange> exchange_;
    ResponseParser parser_;
    ChunkedDecoder chunked_;
    std::function<void(ClientConnection&)> state_cb_;
    Clock::time_point last_activity_{};
    std::chrono::milliseconds wait_{0};  // the timeout the timer enforces (0: none)
    TimerId timer_;
    std::uint64_t requests_ = 0;
    std::size_t unread_ = 0;  // bytes left in the input after the last message event
    bool up_ = false;
    bool closed_ = false;
    bool paused_ = false;
};

}  // namespace netius::net::http
