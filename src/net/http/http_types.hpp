#pragma once
// What an HTTP handler sees and fills (HttpServer). Plain data; loop thread only, except
// Resume, the handle of a deferred response.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/body_source.hpp"
#include "net/http/request_body.hpp"
#include "net/http/request_head.hpp"
#include "net/http/status.hpp"
#include "net/inet_address.hpp"

namespace netius::net {
class EventLoop;
class TcpConnection;
}  // namespace netius::net

namespace netius::net::http {

class ServerSession;
struct Response;

/// The "Server" field value of every response, either wire (the version goes only into DEBUG
/// logs, netius-compat.md).
inline constexpr std::string_view kServerName = "netius";

/// Completes a deferred response (Response::defer) later, from any thread, e.g. a WSGI app
/// run on a thread pool. Copyable. Both calls hop to the loop thread (EventLoop::queue_in_loop)
/// and do nothing there once the connection has closed: whatever `fill` holds is then
/// destroyed unrun, on the loop thread.
class Resume {
  public:
    using Fill = std::function<void(Response&)>;
    /// Runs `fill` on the loop thread to fill the response (as a handler would: status,
    /// headers, body or stream), then sends it and reads the next request. Once per deferral.
    /// An exception from `fill` becomes a 500 response.
    void finish(Fill fill) const;
    /// Pulls the response's stream again: its source returned BodyStatus::kWait and now has
    /// content (or its end, or a failure) to give. Any number of times.
    void wake() const;

  private:
    friend class ServerSession;
    EventLoop* loop_ = nullptr;
    std::weak_ptr<TcpConnection> conn_;
    std::uint64_t id_ = 0;  // which deferred request (unique within the server)
};

/// One request. Views are valid only during the handler call.
struct Request {
    const RequestHead& head;
    std::string_view body;    // decoded content (Content-Length or chunked), may be empty
    const InetAddress& peer;  // the client (from the PROXY header when one was given)
    /// With HttpServerOptions::stream_request_bodies, a request whose content had not all
    /// arrived with its head (or that expects 100-continue) comes with `body` empty and its
    /// content here, to be read on another thread while the handler's answer is deferred.
    std::shared_ptr<RequestBody> body_stream;
};

/// The handler's answer. Reused between requests on a connection (clear() keeps capacity).
struct Response {
    Status status = Status::kOk;
    /// A reason phrase instead of the standard one (a WSGI app's "299 Whatever"): text the
    /// caller checked for RFC 9112 §4 reason-phrase syntax (no CR, LF or other controls), kept
    /// in `storage` or static. Empty: reason_phrase(status).
    std::string_view reason;
    /// Header fields as views; their bytes must outlive the handler call (static text, or
    /// text kept in `storage`). Server, Date, framing and Connection are added by the server.
    std::vector<Header> headers;
    /// The content: a view of bytes that outlive the call (e.g. a configured message), or of
    /// `storage` when the handler builds it.
    std::string_view body;
    std::string storage;
    /// Content produced piece by piece as the connection drains (a file, a generator) instead
    /// of `body`; its size() becomes Content-Length (see body_source.hpp). Dropped unused for
    /// HEAD and for statuses without content.
    std::unique_ptr<BodySource> stream;
    /// Whether the server's --encoding gzip/deflate may compress this content (when the
    /// client accepts it). Set false for content that is already compressed (images, a
    /// precompressed file with its own Content-Encoding) or partial (206).
    bool compressible = true;
    /// Text the access log adds at the end of this request's line (serve proxy: its upstream
    /// and how long it took, as nginx's $upstream_addr $upstream_response_time).
    std::string log_extra;

    /// Answer later instead of now: the handler returns without filling the response and
    /// completes it through the returned handle. Meanwhile the connection reads nothing more
    /// (pipelined requests wait) and only the server's shutdown grace bounds the wait. The
    /// Request's views die when the handler returns: copy what the answer needs. Loop thread,
    /// during the handler call (server/server_session.cpp).
    Resume defer();
    bool deferred() const { return deferred_; }

    void clear() {
        status = Status::kOk;
        reason = {};
        headers.clear();
        body = {};
        storage.clear();
        stream.reset();
        compressible = true;
        log_extra.clear();
        deferred_ = false;
    }

  private:
    friend class ServerSession;
    bool deferred_ = false;
    ServerSession* session_ = nullptr;                      // set around the handler call
    const std::shared_ptr<TcpConnection>* conn_ = nullptr;  // likewise
};

}  // namespace netius::net::http
