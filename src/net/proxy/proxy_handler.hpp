#pragma once
// serve proxy's Handler: a request is routed (route_table.hpp), its fields rewritten for the
// upstream (forwarding.hpp) and sent on the worker's HttpClient, whose connections are kept
// per upstream and reused (keep-alive); the answer is deferred (Response::defer) until the
// upstream's response head arrives, and its content then streams to the client through a
// BodySource with back-pressure both ways: the proxy holds at most a bounded window per
// exchange (kMaxBuffered), pausing the upstream read while the client is slow.
//
// The request is framed again from what the front's strict parser read: an upstream never
// sees a framing the front did not. Content that came whole with its head goes with a
// Content-Length; content still arriving streams on as it comes (front_upload.hpp), with its
// Content-Length or chunked in our own framing, holding a bounded window on each side; a
// client that stalls it gets 408. Failures get a short page and a log line naming the upstream: no
// answer head within the upstream timeout (or no connection within the connect timeout) -> 504;
// refused, reset, or an invalid response -> 502. A request whose connection was refused (nothing
// sent) goes to the pool's next upstream; an idempotent one that failed before any response byte is
// sent once more to another upstream (unless some of its streamed content was already
// passed on: that cannot be sent again); an upstream that keeps failing is passed over for a while
// (PassiveHealth). A response that breaks mid-body closes the client's
// connection (a truncated response is never passed off as complete).
//
// Loop thread only; one per worker.
#include <chrono>
#include <memory>

#include "net/allow_list.hpp"
#include "net/http/client/http_client.hpp"
#include "net/http/server/http_server.hpp"
#include "net/proxy/basic_auth.hpp"
#include "net/proxy/forwarding.hpp"
#include "net/proxy/health_check.hpp"
#include "net/proxy/route_table.hpp"

namespace netius::net::proxy {

/// Content the proxy holds for one exchange before it pauses the upstream.
inline constexpr std::size_t kMaxBuffered = 256 * 1024;

struct ProxyOptions {
    std::shared_ptr<const RouteTable> routes;
    ForwardingOptions forwarding;  // its `trusted` points into this struct's owner
    bool tls = false;              // the front listens with TLS (X-Forwarded-Proto, HSTS)
    std::uint16_t port = 0;        // the front's port (X-Forwarded-Port)
    http::HttpClientOptions client;
    PassiveHealth health;
    bool log_upstreams = false;   // an access log is written: name the upstream in its lines
    HealthOptions active_health;  // --health-path (empty: no active checks)
    std::shared_ptr<const AuthUsers> auth;  // the --auth files' users (basic_auth.hpp)
};

/// The handler; it owns the worker's HttpClient (made on `loop`).
http::Handler make_proxy_handler(EventLoop* loop, const ProxyOptions& options);

}  // namespace netius::net::proxy
