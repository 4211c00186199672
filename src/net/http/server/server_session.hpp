#pragma once
// ServerSession — what HttpServer needs from the protocol session of one connection, whatever
// its wire: HttpSession (HTTP/1.1, net/http/h1) or Http2Session (HTTP/2, net/http/h2). The
// server keeps a std::shared_ptr<ServerSession> in the connection's context and forwards the
// connection's events to it; both sessions drive the same Handler with the same Request and
// Response, so a server command needs no code of its own for either wire.
//
// Lifetime: a session lives at most as long as its connection, and may be shorter. Between
// requests an HTTP/1.1 session that holds nothing (can_rest()) is dropped by the server, and a
// new one is made when the connection's next bytes arrive (HttpServer, "resting"
// connections): state that must outlive one request is not kept in a session, and anything
// that reaches a session later (Resume, a RequestBody's demand) finds it again through the
// connection (of()) and checks that it is still the one it meant (ids, pointers).
//
// The PROXY protocol header (HttpServerOptions::proxy_protocol) comes before either wire; the
// shared reading of it is here. Loop thread only.
#include <cstdint>
#include <memory>

#include "net/http/http_types.hpp"
#include "net/tcp_connection.hpp"

namespace netius::net::http {

class HttpServer;

class ServerSession {
  public:
    explicit ServerSession(HttpServer& server) : server_(server) {}
    virtual ~ServerSession() = default;
    ServerSession(const ServerSession&) = delete;
    ServerSession& operator=(const ServerSession&) = delete;

    virtual void on_message(const TcpConnectionPtr& conn, Buffer& in) = 0;
    /// The output queue passed the high-water mark: stop reading until it drains.
    virtual void on_high_water(const TcpConnectionPtr& conn) = 0;
    virtual void on_write_complete(const TcpConnectionPtr& conn) = 0;
    /// Once a second: enforces the header, body, idle and write timeouts.
    virtual void check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) = 0;
    /// Graceful shutdown: HTTP/1.1 closes an idle connection now (a busy one after its
    /// response); HTTP/2 announces GOAWAY and closes once its open streams are answered.
    virtual void close_when_idle(const TcpConnectionPtr& conn) = 0;
    /// The connection went down: readers of request content fail at once.
    virtual void on_disconnect() = 0;
    /// Whether the session holds nothing the connection needs until its next bytes arrive (no
    /// request, response, output or timer of its own), so the server may drop it (HttpServer
    /// calls this after each write-complete). Default: never (HTTP/2 keeps its session).
    virtual bool can_rest(const TcpConnectionPtr&) const { return false; }

    /// Response::defer: the handle of the request being answered. Its id must never match a
    /// later request's, even in a session made for the same connection after a rest.
    virtual Resume defer(const TcpConnectionPtr& conn) = 0;
    /// Resume::finish on the loop: answers the deferred request `id` with `fill`.
    virtual void finish_deferred(const TcpConnectionPtr& conn, std::uint64_t id,
                                 const Resume::Fill& fill) = 0;
    /// Resume::wake on the loop: pulls the stream of the deferred request `id` again.
    virtual void wake_stream(const TcpConnectionPtr& conn, std::uint64_t id) = 0;

    /// The session of a connection of an HttpServer; nullptr while the connection rests
    /// between requests (a later call may find a new session) and once it is gone.
    static ServerSession* of(const TcpConnectionPtr& conn);

    /// Set by an HTTP/1.1 session that found the HTTP/2 connection preface (RFC 9113 §3.3) as
    /// the connection's first bytes: the server then hands the connection to an HTTP/2
    /// session, with the input still unread.
    bool wants_http2() const { return wants_http2_; }
    /// The client a PROXY header named (moved to the session that takes over).
    std::unique_ptr<InetAddress> take_proxied() { return std::move(proxied_); }

  protected:
    /// The client: the one a PROXY header named, else the TCP peer.
    const InetAddress& client(const TcpConnectionPtr& conn) const {
        return proxied_ ? *proxied_ : conn->peer_address();
    }
    enum class ProxyStep { kIncomplete, kRefused, kDone };
    /// Reads the PROXY v1/v2 header at the start of `in` (consumed on success). kRefused: the
    /// header was malformed or names a client outside --allowed; the connection is closing.
    ProxyStep read_proxy_header(const TcpConnectionPtr& conn, Buffer& in);
    /// Runs the server's handler for `req` into the loop's scratch Response, attached to this
    /// session (so the handler may defer) and reported to the master (WorkerStatus). Anything
    /// the handler throws is its bug: logged, and the response becomes a 500.
    Response& run_handler(const TcpConnectionPtr& conn, const Request& req);
    /// Whether the handler deferred its answer (Response::defer).
    static bool deferred(const Response& response) { return response.deferred_; }
    static void make_resume(Resume& r, const TcpConnectionPtr& conn, std::uint64_t id);
    /// The write timeout, checked once a second: true when `conn` has had output pending
    /// without progress for longer than the server's write_timeout (close it).
    bool write_stalled(const TcpConnectionPtr& conn, Clock::time_point now);

    HttpServer& server_;
    std::unique_ptr<InetAddress> proxied_;  // the client named by a PROXY header
    bool wants_http2_ = false;

  private:
    bool write_waiting_ = false;  // output is pending: the write timeout runs
    std::uint64_t last_written_ = 0;
    Clock::time_point write_deadline_;
};

}  // namespace netius::net::http
