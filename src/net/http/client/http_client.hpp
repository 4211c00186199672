#pragma once
// HttpClient — HTTP/1.1 and HTTP/2 requests on an EventLoop, the client counterpart of
// HttpServer: host names resolved with the loop's c-ares Resolver (once per origin),
// connections kept per origin (scheme, host, port) and reused for later requests
// (keep-alive), at most max_connections_per_origin at once per origin. A connection that
// came up as HTTP/2 (ClientConnection: ALPN "h2", or prior knowledge) carries every request
// of its origin as concurrent streams; while the first connection of an origin that may speak
// HTTP/2 is being made, no second one is opened (curl's "pipewait"), so several URLs of one
// origin share one HTTP/2 connection. Requests beyond what the connections can take wait for
// one to free up, in order — at most max_waiting_per_origin of them and for at most max_wait
// each (then they fail with ExchangeError::kBusy) — and at most max_idle_per_origin idle
// connections are kept (nginx's upstream keepalive). A request that finds its reused connection
// closed by the server before any response byte (or its stream refused) is sent again once on a new
// connection (RFC 9112 §9.3.1, RFC 9113 §8.7), when its upload, if any, can be rewound
// (upload.hpp); otherwise it fails with that error. A connection that fails to come up fails the
// first waiting request (every one, when it was the origin's last connection).
//
//     HttpClient client(&loop, {});
//     ClientRequest req;
//     parse_url("http://127.0.0.1:9090/", req.url, error);
//     client.start(req, {.data = [](std::string_view d) { out(d); },
//                        .done = [&](const auto& error) { loop.quit(); }});
//
// Redirects, retries and content decoding sit one level up (fetch.hpp). Loop thread only;
// destroy the client on the loop thread, outside its callbacks (it closes every connection).
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "net/http/client/client_connection.hpp"
#include "net/http/client/client_request.hpp"
#include "net/resolver.hpp"

namespace netius::net::http {

struct HttpClientOptions {
    ResolverOptions dns;
    int family = AF_UNSPEC;  // AF_INET (-4), AF_INET6 (-6) or both
    std::size_t max_connections_per_origin = 6;
    /// Idle HTTP/1.1 connections kept per origin for reuse; one more that comes free is
    /// closed. HTTP/2 connections (one per origin) are not counted.
    std::size_t max_idle_per_origin = SIZE_MAX;
    /// Requests waiting per origin for a connection; more fail at once with kBusy. A request
    /// waits while its origin has max_connections_per_origin connections busy (or coming up).
    std::size_t max_waiting_per_origin = SIZE_MAX;
    /// How long a request may wait while its origin is at max_connections_per_origin before
    /// it fails with kBusy; zero: as long as it takes.
    std::chrono::milliseconds max_wait{0};
    /// Timeouts, limits, TLS context for https (its ALPN list offers "h2" or not),
    /// HTTP/2 with prior knowledge for http.
    ClientConnectionOptions connection;
    /// Makes connection.tls the first time an https origin needs it when it is not set (an
    /// OpenSSL context costs milliseconds: plain-HTTP runs skip it). May throw netius::Error,
    /// which fails the requests waiting for that origin as TLS errors.
    std::function<std::shared_ptr<TlsContext>()> make_tls;
    /// An origin's addresses are looked up again once their TTL runs out (held within these
    /// bounds, so a TTL of 0 from the hosts file does not mean a lookup per request): new
    /// connections then go to the new addresses. Requests never wait for that lookup (the old
    /// addresses serve meanwhile), and a failed one keeps the old addresses for another
    /// min_dns_ttl. A numeric host is never looked up.
    std::chrono::seconds min_dns_ttl{1};
    std::chrono::seconds max_dns_ttl{3600};
};

class HttpClient {
  public:
    /// Throws netius::Error if the resolver cannot start (bad nameserver).
    HttpClient(EventLoop* loop, HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    EventLoop* loop() const { return loop_; }
    const HttpClientOptions& options() const { return options_; }

    /// Queues `request` for its origin and returns its id. Its callbacks run later, from the
    /// loop (never inside start()); `done` exactly once unless cancel() comes first.
    /// An https request needs options.connection.tls or options.make_tls.
    std::uint64_t start(const ClientRequest& request, ExchangeCallbacks callbacks);
    /// Stop/resume reading the response of request `id` (ignored once it is done).
    void pause(std::uint64_t id);
    void resume(std::uint64_t id);
    /// Abandons request `id` without calling its done callback (its connection is closed if
    /// it was in use).
    void cancel(std::uint64_t id);

    /// Connections open now (all origins).
    std::size_t connection_count() const;

  private:
    struct Pending {
        std::uint64_t id;
        ClientRequest request;
        ExchangeCallbacks callbacks;
        bool resent = false;  // already sent again after a stale connection
        TimerId wait;         // max_wait, armed once it waits at the connection cap
    };
    struct Origin {
        Url url;  // scheme, host, port
        enum class Dns { kNone, kResolving, kDone } dns = Dns::kNone;
        std::vector<InetAddress> addresses;
        std::optional<Clock::time_point> dns_expires;  // when to look them up again
        bool refreshing = false;                       // ... which is under way
        bool dispatch_queued = false;                  // a dispatch_later() is on the loop's queue
        /// Whether its connections speak HTTP/2: unknown until one comes up, when ALPN may
        /// choose it.
        enum class Multiplex { kUnknown, kYes, kNo } multiplex = Multiplex::kUnknown;
        std::vector<std::shared_ptr<ClientConnection>> connections;  // connecting or up
        std::deque<Pending> waiting;
    };

    void dispatch(Origin& origin);
    /// dispatch() from the loop's queue (never inside the caller's callback); at most one
    /// is queued per origin at a time.
    void dispatch_later(const std::string& key, Origin& origin);
    /// Whether a connection to `origin` may come up as HTTP/2.
    bool may_multiplex(const Origin& origin) const;
    /// Fails every request waiting for `origin` with `error`.
    void fail_waiting(Origin& origin, const ExchangeError& error);
    /// Whether one more request for `origin` would wait past max_waiting_per_origin.
    bool queue_full(const Origin& origin) const;
    /// The first waiting request, out of the queue (its max_wait timer cancelled).
    Pending take_first(Origin& origin);
    /// Arms max_wait for the requests that wait at the connection cap: all but the first
    /// `served` (the connections coming up take those).
    void arm_waits(Origin& origin, std::size_t served);
    /// Fails request `id` with kBusy if it still waits for `key`.
    void expire(const std::string& key, std::uint64_t id);
    /// Closes `conn` if it is idle and more than max_idle_per_origin are.
    void trim_idle(Origin& origin, ClientConnection& conn);
    void resolved(const std::string& key, HostResult result);
    /// The look-up again of an origin whose addresses expired.
    void refreshed(const std::string& key, HostResult result);
    std::optional<Clock::time_point> expiry(const HostResult& result) const;
    void assign(Origin& origin, ClientConnection& conn, Pending pending);
    void connection_changed(const std::string& key, ClientConnection& conn);
    void release(Origin& origin, ClientConnection& conn);

    EventLoop* loop_;
    HttpClientOptions options_;
    Resolver resolver_;
    std::map<std::string, Origin> origins_;                                      // by Url::origin()
    std::unordered_map<std::uint64_t, std::weak_ptr<ClientConnection>> active_;  // id -> conn
    std::unordered_map<std::uint64_t, ExchangeCallbacks> refused_;  // queue full: kBusy next
    std::uint64_t next_request_ = 0;
    std::uint64_t next_connection_ = 0;
    std::shared_ptr<HttpClient*> alive_;  // queued work checks that the client still exists
};

}  // namespace netius::net::http
