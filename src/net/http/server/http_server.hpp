#pragma once
// HttpServer — an HTTP server on one EventLoop: a TcpServer, one session per connection
// (HttpSession for HTTP/1.1, Http2Session for HTTP/2: chosen by TLS ALPN, or on cleartext by the
// client's first bytes), per-second timeout sweeps, the access log and graceful shutdown. A new
// server is a Handler and a few lines (see commands/serve_hello.cpp):
//
//     HttpServer server(&loop, InetAddress::parse("127.0.0.1:9090"), {},
//                       [](const Request& req, Response& res) { res.body = "hi"; });
//     server.start();
//     loop.loop();
//
// Sessions (net/http/server/server_session.hpp) live in the connection's context. An HTTP/1.1
// connection between keep-alive requests "rests": its session is dropped once it can_rest()
// after a write-complete, and a new one is made when its next bytes arrive, so an idle
// connection costs little more than its TcpConnection. A connected connection without a
// session is always a resting one (on_connection gives every other one a session, or closes
// it). The sweep closes a resting connection idle for longer than keep_alive_timeout (timed
// from TcpConnection::created(), restamped when it rests), and shutdown() closes resting ones
// with the idle ones; both give it a closing session for that, so its FIN and the linger
// work as for any idle connection.
//
// Thread-safety: loop thread only, construction included.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/allow_list.hpp"
#include "net/http/date_cache.hpp"
#include "net/http/http_types.hpp"
#include "net/http/limits.hpp"
#include "net/http/server/access_log.hpp"
#include "net/tcp_server.hpp"

namespace netius::net::http {

/// The netius ENCODING setting: how response content is sent.
enum class ResponseEncoding { kPlain, kChunked, kGzip, kDeflate };

/// Parses "plain", "chunked", "gzip", "deflate" (netius ENCODING); nullopt otherwise.
std::optional<ResponseEncoding> parse_response_encoding(std::string_view name);

struct HttpServerOptions {
    Limits limits;
    bool keep_alive = true;  // false: every response closes its connection
    /// kChunked: HTTP/1.1 responses use chunked framing; kGzip/kDeflate: content is compressed
    /// when the client's Accept-Encoding allows it (RFC 9110 §12.5.3), else sent plain.
    ResponseEncoding encoding = ResponseEncoding::kPlain;
    AllowList allowed;       // clients outside it are closed at once (logged at WARNING)
    std::string access_log;  // Combined Log Format file, "-" for stdout, "" for none
    /// Each connection starts with a PROXY v1/v2 header (from haproxy, nginx, a cloud load
    /// balancer); its client address is the one handlers, the allow-list and the log see.
    bool proxy_protocol = false;
    /// Requests whose content is not all in with the head (or that expect 100-continue) reach
    /// the handler at once, with Request::body_stream to read on another thread; the handler
    /// must defer its answer (Response::defer) and must not read on the loop thread. Bad
    /// chunked framing or content over max_body_bytes is answered by the session (400/413;
    /// the handler's answer is then dropped). Off: the session reads the whole content first.
    bool stream_request_bodies = false;
    /// With stream_request_bodies, an HTTP/1.1 request to switch protocols (Connection:
    /// upgrade and Upgrade, no content; a WebSocket handshake) reaches the handler with a
    /// body_stream too. A deferred answer of 101 with a Response::stream turns the connection
    /// into a tunnel: the 101 head, then the stream's bytes as they are, until it ends (then
    /// the connection closes); everything the client sends after the head is pushed to the
    /// body_stream as it is, with back-pressure, until the client leaves. Any other answer
    /// ends the body_stream empty. The header, body and idle timeouts stop applying to a
    /// tunnel (its ends bound it: serve proxy's upstream timeout); the write timeout stays.
    bool tunnel_upgrades = false;
    Http2Options http2;
    TcpServerOptions tcp;
    TransportFactory transport;  // empty: plain TCP. TLS: offer "h2" by ALPN when http2.enabled
};

/// Fills `res` for `req`. Runs on the loop thread; must not block. An exception becomes a
/// 500 response (logged) and the server keeps serving.
using Handler = std::function<void(const Request& req, Response& res)>;

class ServerSession;
struct Exchange;

class HttpServer {
  public:
    /// Binds and listens at once (throws netius::Error, e.g. "bind(127.0.0.1:9090): Address
    /// already in use"); serves after start().
    HttpServer(EventLoop* loop, const InetAddress& address, HttpServerOptions options,
               Handler handler);
    /// Serves on an already-listening socket (workers, systemd socket activation).
    HttpServer(EventLoop* loop, UniqueFd listening_fd, HttpServerOptions options, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();
    /// Graceful stop: no new connections; idle keep-alive connections are closed, requests in
    /// flight get their responses (with Connection: close); `done` runs once every connection
    /// is gone, or after `timeout` with the rest closed by force.
    void shutdown(std::chrono::milliseconds timeout, std::function<void()> done);
    /// Reopens the access log (SIGUSR1).
    void reopen_access_log();

    const InetAddress& address() const { return tcp_.address(); }
    std::size_t connection_count() const { return tcp_.connection_count(); }
    /// Connections resting between keep-alive requests, without a session or an input buffer
    /// (walks them all).
    std::size_t resting_count() const;

    // For the sessions.
    const HttpServerOptions& options() const { return options_; }
    const Handler& handler() const { return handler_; }
    std::string_view date();  // the Date value of this second
    AccessLog* access_log() { return access_log_.get(); }
    bool stopping() const { return stopping_; }
    /// Buffers sessions use while handling one read event (handlers are synchronous, so one
    /// set per loop serves every connection, instead of one set per connection).
    struct Scratch {
        std::string out;
        std::string compressed;
        std::string weak_etag;    // a response's ETag made weak for a compressed representation
        std::string field_names;  // HTTP/2: the response's field names in lower case
        Response response;
    };
    Scratch& scratch() { return scratch_; }
    /// A reset Exchange from the pool (allocated when the pool is empty).
    std::unique_ptr<Exchange> acquire_exchange();
    /// Back to the pool (kept up to kExchangePoolSize; freed beyond).
    void release_exchange(std::unique_ptr<Exchange> x);
    /// A deferral id for Response::defer: server-wide, so that no session, not even a new one
    /// for the same connection after a rest, takes a stale Resume for one of its requests.
    std::uint64_t next_defer_id() { return ++defer_ids_; }

  private:
    void init();
    void on_connection(const TcpConnectionPtr& conn);
    /// Hands `conn` to a new Http2Session (after ALPN "h2", or the preface on cleartext).
    void start_http2(const TcpConnectionPtr& conn, std::unique_ptr<InetAddress> proxied,
                     bool read_proxy);
    void sweep();
    /// A new HTTP/1.1 session for a resting connection (`continued`, see HttpSession).
    ServerSession* wake(const TcpConnectionPtr& conn);
    /// After a write-complete: drops the session of `conn` if it can rest.
    void rest_if_idle(const TcpConnectionPtr& conn, ServerSession* session);
    /// Closes a resting connection as an idle one (a closing session takes it over).
    void close_resting(const TcpConnectionPtr& conn);

    EventLoop* loop_;
    HttpServerOptions options_;
    Handler handler_;
    TcpServer tcp_;
    DateCache dates_;
    std::unique_ptr<AccessLog> access_log_;
    std::size_t input_limit_ = 0;  // each connection's TcpConnection::set_input_limit
    static constexpr std::size_t kExchangePoolSize = 1024;
    Scratch scratch_;
    std::vector<std::unique_ptr<Exchange>> exchange_pool_;
    TimerId sweep_timer_;
    TimerId shutdown_timer_;
    TimerId idle_close_timer_;
    /// How long idle keep-alive connections may still send a request after shutdown().
    static constexpr std::chrono::milliseconds kIdleLastCall{500};
    std::uint64_t defer_ids_ = 0;
    bool stopping_ = false;
};

}  // namespace netius::net::http
