#include "net/proxy/proxy_handler.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

#include "net/http/body_source.hpp"
#include "net/http/client/redirect.hpp"
#include "net/http/client/url.hpp"
#include "net/http/status.hpp"
#include "net/proxy/front_upload.hpp"
#include "util/ascii.hpp"

namespace netius::net::proxy {
namespace {

using http::BodyStatus;
using http::ExchangeError;
using http::Status;

// The upstream's request-target: its URL's path (when it has one) before the client's.
std::string upstream_target(const http::Url& upstream, std::string_view target) {
    if (upstream.target == "/" || target == "*") return std::string(target);
    std::string base = upstream.target;
    if (base.ends_with('/')) base.pop_back();
    return base + std::string(target);
}

// A short answer the proxy makes itself (404, 502, 504, redirects).
void answer(http::Response& res, Status status, std::string text) {
    res.status = status;
    res.storage = std::move(text);
    res.body = res.storage;
    res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
}

// One proxied request, shared by the client's callbacks and the response's BodySource.
struct Exchange {
    std::weak_ptr<http::HttpClient> client;
    std::uint64_t id = 0;
    http::Resume resume;
    http::ClientRequest request;          // kept for a retry on another upstream
    std::shared_ptr<FrontUpload> upload;  // the client's content, when it streams
    std::string target;                   // the client's request-target
    const Route* route = nullptr;
    std::size_t upstream = 0;
    std::vector<std::size_t> tried;
    bool retried = false;    // an idempotent request sent again after a failure
    std::string content;     // received, not yet pulled
    bool head_done = false;  // the final response head came
    bool attached = false;   // the BodySource exists
    bool ended = false;      // the upstream exchange is over
    bool failed = false;     // ... before the content was complete
    bool paused = false;     // the upstream read is paused (content at kMaxBuffered)
    Clock::time_point sent;  // when the request went to the current upstream

    const http::Url& url() const { return route->upstreams[upstream]; }
    /// The access log's end of the line: the upstream and the time to its answer's head
    /// (nginx's $upstream_addr $upstream_response_time), "-" when it gave none.
    std::string log_extra(bool answered) const {
        if (!answered) return fmt::format("upstream={} upstream_time=-", url().origin());
        const double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
        return fmt::format("upstream={} upstream_time={:.3f}", url().origin(), seconds);
    }
};

// Held by the deferred answer's fill: when the client went away before the answer, the fill
// is destroyed unrun, and the upstream exchange (which nobody would resume once paused) is
// abandoned with it.
struct AbandonUnused {
    explicit AbandonUnused(std::shared_ptr<Exchange> exchange) : x(std::move(exchange)) {}
    AbandonUnused(const AbandonUnused&) = delete;
    AbandonUnused& operator=(const AbandonUnused&) = delete;
    std::shared_ptr<Exchange> x;
    bool used = false;
    ~AbandonUnused() {
        if (!used && !x->ended)
            if (auto client = x->client.lock()) client->cancel(x->id);
    }
};

class UpstreamBody final : public http::BodySource {
  public:
    UpstreamBody(std::shared_ptr<Exchange> x, std::optional<std::uint64_t> size)
        : x_(std::move(x)), size_(size) {
        x_->attached = true;
    }
    ~UpstreamBody() override {
        x_->attached = false;
        if (!x_->ended)  // the client went away (or HEAD): the upstream read is abandoned
            if (auto client = x_->client.lock()) client->cancel(x_->id);
    }
    std::optional<std::uint64_t> size() const override { return size_; }

    BodyStatus pull(http::BodySink& out) override {
        if (!x_->content.empty()) {
            out.write(x_->content);
            x_->content.clear();
            if (x_->paused && !x_->ended) {
                x_->paused = false;
                if (auto client = x_->client.lock()) client->resume(x_->id);
            }
            return x_->ended && !x_->failed ? BodyStatus::kDone : BodyStatus::kMore;
        }
        if (x_->failed) return BodyStatus::kFailed;
        return x_->ended ? BodyStatus::kDone : BodyStatus::kWait;
    }

  private:
    std::shared_ptr<Exchange> x_;
    std::optional<std::uint64_t> size_;
};

class Proxy {
  public:
    Proxy(EventLoop* loop, const ProxyOptions& options)
        : loop_(loop),
          options_(options),
          client_(std::make_shared<http::HttpClient>(loop, options.client)),
          balancer_(options.health),
          auth_(loop, options.auth) {
        if (!options.active_health.path.empty())
            health_ = std::make_unique<HealthCheck>(loop, *options.routes, balancer_,
                                                    options.client, options.active_health);
    }

    void handle(const http::Request& req, http::Response& res);

  private:
    void send(const std::shared_ptr<Exchange>& x);
    void on_head(const std::shared_ptr<Exchange>& x, const http::ClientResponseHead& head);
    void on_done(const std::shared_ptr<Exchange>& x, const std::optional<ExchangeError>& error);

    EventLoop* loop_;
    ProxyOptions options_;
    std::shared_ptr<http::HttpClient> client_;
    Balancer balancer_;
    BasicAuth auth_;
    std::unique_ptr<HealthCheck> health_;  // after balancer_: it reports there
};

void Proxy::handle(const http::Request& req, http::Response& res) {
    const http::RequestHead& head = req.head;
    const RouteTable& routes = *options_.routes;
    if (const auto target = routes.redirect(head.host)) {
        // Path and query kept; 308 keeps a non-GET method and its content (RFC 9110 §15.4.9).
        const bool get = head.method == "GET" || head.method == "HEAD";
        std::string location = *target;
        if (location.ends_with('/')) location.pop_back();
        location += head.target == "*" ? "/" : std::string(head.target);
        res.status = get ? Status::kMovedPermanently : Status::kPermanentRedirect;
        res.storage = "Moved to " + location + "\n" + location;  // the page, then Location
        const std::string_view text = res.storage;
        const std::size_t page = text.size() - location.size();
        res.body = text.substr(0, page);
        res.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
        res.headers.push_back({"Location", text.substr(page)});
        return;
    }
    if (head.form == http::TargetForm::kAuthority) {  // CONNECT: not a forward proxy
        answer(res, Status::kMethodNotAllowed, "This server is not a forward proxy.\n");
        return;
    }
    // An absolute-form target picks its host over Host (RFC 9112 §3.2.2): one that names
    // another host than Host is refused rather than guessed at.
    if (head.form == http::TargetForm::kAbsolute) {
        const auto host = head.get("host");
        if (host && !iequals(*host, head.authority)) {
            answer(res, Status::kBadRequest, "The request target and Host name other hosts.\n");
            return;
        }
    }
    // Routed and sent without dot segments: "/api/../admin" is /admin, for the route and for
    // an upstream's base path alike (RFC 3986 §5.2.4).
    const std::string path =
        head.form == http::TargetForm::kAsterisk ? "*" : http::remove_dot_segments(head.path);
    std::string target = head.query.empty() ? path : path + "?" + std::string(head.query);
    const RouteMatch match = routes.find(head.host, path);
    if (!match.route) {
        answer(res, Status::kNotFound, "No route for this host.\n");
        return;
    }
    const std::optional<std::string> users = routes.auth_file(match.host);  // --auth
    auto x = std::make_shared<Exchange>();
    x->client = client_;
    x->route = match.route;
    x->target = std::move(target);
    http::ClientRequest& r = x->request;
    r.method = head.method;
    r.exact_fields = true;
    const ClientSide side{&req.peer, options_.tls, head.host, options_.port, head.version};
    Fields fields = forward_request(head.headers, side, options_.forwarding);
    if (users) drop_credentials(fields);
    // Host is kept (RFC 9110 §7.6.2 lets a proxy keep it); without one, the upstream's.
    r.headers.reserve(fields.size() + 1);
    r.headers.emplace_back(
        "Host", head.host.empty() ? match.route->upstreams[0].authority() : std::string(head.host));
    for (auto& f : fields) r.headers.push_back(std::move(f));
    const auto upgrade = head.upgrade ? head.get("upgrade") : std::nullopt;
    if (req.body_stream && upgrade) {  // a WebSocket handshake: a tunnel if the upstream agrees
        r.headers.emplace_back("Connection", "upgrade");
        r.headers.emplace_back("Upgrade", std::string(*upgrade));
        r.upgrade = true;
        x->upload = std::make_shared<FrontUpload>(loop_, req.body_stream, std::nullopt, true);
        r.upload = x->upload;
    } else if (req.body_stream) {  // still arriving: sent on as it comes
        std::optional<std::uint64_t> size;
        if (!head.chunked) size = head.content_length.value_or(0);
        x->upload = std::make_shared<FrontUpload>(loop_, req.body_stream, size);
        r.upload = x->upload;
    } else {
        r.body = req.body;
    }
    x->resume = res.defer();
    if (users)  // sent once the credentials pass (basic_auth.hpp)
        auth_.gate(*users, match.host, head.get("authorization"), x->resume,
                   [this, x] { send(x); });
    else
        send(x);
}

void Proxy::send(const std::shared_ptr<Exchange>& x) {
    x->upstream = balancer_.pick(*x->route, options_.routes->config().strategy, x->tried);
    x->tried.push_back(x->upstream);
    balancer_.started(*x->route, x->upstream);
    x->request.url = x->url();
    x->request.url.target = upstream_target(x->url(), x->target);
    x->sent = Clock::now();
    http::ExchangeCallbacks cb;
    cb.head = [this, x](std::string_view, const http::ClientResponseHead& head) {
        on_head(x, head);
    };
    cb.data = [this, x](std::string_view data) {
        x->content.append(data);
        if (x->content.size() >= kMaxBuffered && !x->paused) {
            x->paused = true;
            client_->pause(x->id);
        }
        if (x->attached) x->resume.wake();
    };
    cb.done = [this, x](const std::optional<ExchangeError>& error) { on_done(x, error); };
    x->id = client_->start(x->request, std::move(cb));
}

void Proxy::on_head(const std::shared_ptr<Exchange>& x, const http::ClientResponseHead& head) {
    // 1xx: the front answers 100-continue itself; a 101 to a handshake opens the tunnel.
    const bool tunnel = head.status == 101 && x->request.upgrade;
    if (head.status < 200 && !tunnel) return;
    x->head_done = true;
    balancer_.answered(*x->route, x->upstream);
    Fields fields = forward_response(head.headers, "1.1", options_.forwarding);
    if (tunnel) {
        const auto protocol = head.get("upgrade");
        fields.emplace_back("Connection", "upgrade");
        fields.emplace_back("Upgrade", protocol ? std::string(*protocol) : std::string());
    }
    const std::uint64_t sts = options_.routes->config().sts;
    if (sts && options_.tls)
        fields.emplace_back("Strict-Transport-Security", "max-age=" + std::to_string(sts));
    std::optional<std::uint64_t> size;
    if (!head.chunked && head.content_length) size = head.content_length;
    const int status = head.status;
    const bool head_request = x->request.is_head();
    auto guard = std::make_shared<AbandonUnused>(x);
    std::string log_extra = options_.log_upstreams ? x->log_extra(true) : std::string();
    x->resume.finish([x, guard, status, fields = std::move(fields), size, head_request,
                      log_extra = std::move(log_extra)](http::Response& res) {
        guard->used = true;
        res.log_extra = log_extra;
        res.status = static_cast<Status>(status);
        // A response already complete (small ones, in the head's read) goes as bytes: the
        // front sends head and content in one write. HEAD keeps the stream, whose size()
        // carries the upstream's Content-Length.
        const bool whole = x->ended && !x->failed && !head_request && status != 101;
        std::size_t total = whole ? x->content.size() : 0;
        for (const auto& [n, v] : fields) total += n.size() + v.size();
        res.storage.reserve(total);
        for (const auto& [n, v] : fields) res.storage.append(n).append(v);
        std::string_view text = res.storage;
        for (const auto& [n, v] : fields) {
            res.headers.push_back({text.substr(0, n.size()), text.substr(n.size(), v.size())});
            text.remove_prefix(n.size() + v.size());
        }
        res.compressible = false;  // passed on as the upstream coded it
        if (whole) {
            res.storage.append(x->content);
            res.body = std::string_view(res.storage).substr(res.storage.size() - x->content.size());
            x->content.clear();
            return;
        }
        res.stream = std::make_unique<UpstreamBody>(x, size);
    });
}

void Proxy::on_done(const std::shared_ptr<Exchange>& x, const std::optional<ExchangeError>& e) {
    balancer_.finished(*x->route, x->upstream);
    if (!e) {
        x->ended = true;
        if (x->attached) x->resume.wake();
        return;
    }
    const std::string upstream = x->url().to_string();
    if (x->head_done && x->request.upgrade) {  // a tunnel ends when either side leaves
        spdlog::debug("proxy: {} {}: the tunnel to {} ended: {}", x->request.method, x->target,
                      upstream, e->message);
        x->ended = true;
        if (x->attached) x->resume.wake();
        return;
    }
    if (x->head_done) {
        spdlog::warn("proxy: {} {}: upstream {} broke off the response: {}", x->request.method,
                     x->target, upstream, e->message);
        x->ended = x->failed = true;
        if (x->attached) x->resume.wake();
        return;
    }
    using Kind = ExchangeError::Kind;
    if (e->kind == Kind::kUpload) {  // the client's content failed: not the upstream's doing
        const bool late = x->upload && x->upload->timed_out();
        spdlog::info("proxy: {} {}: {}", x->request.method, x->target, e->message);
        x->ended = true;
        x->resume.finish([late](http::Response& res) {
            answer(res, late ? Status::kRequestTimeout : Status::kBadRequest,
                   late ? "The request content did not arrive in time.\n"
                        : "The request content could not be read.\n");
        });
        return;
    }
    const bool busy = e->kind == Kind::kBusy;  // its connections all taken: not a failure
    if (e->kind != Kind::kDns && !busy && !e->stale_connection)
        balancer_.failed(*x->route, x->upstream);
    // Nothing reached the upstream: any request may go to the next one. Otherwise only an
    // idempotent request, once (RFC 9110 §9.2.2).
    const bool unsent =
        e->kind == Kind::kConnect || e->kind == Kind::kDns || busy || e->stale_connection;
    // Content already passed on cannot be sent again.
    const bool replayable = !x->upload || !x->upload->consumed();
    const bool retry =
        replayable && (unsent || (e->kind == Kind::kClosed && http::idempotent(x->request.method) &&
                                  !x->retried));
    if (retry && x->tried.size() < x->route->upstreams.size()) {
        spdlog::warn("proxy: {} {}: upstream {}: {}; trying the next one", x->request.method,
                     x->target, upstream, e->message);
        x->retried = x->retried || !unsent;
        send(x);
        return;
    }
    const Status status = busy                        ? Status::kServiceUnavailable
                          : e->kind == Kind::kTimeout ? Status::kGatewayTimeout
                                                      : Status::kBadGateway;
    spdlog::warn("proxy: {} {}: upstream {}: {} ({})", x->request.method, x->target, upstream,
                 e->message, static_cast<int>(status));
    x->ended = true;
    std::string log_extra = options_.log_upstreams ? x->log_extra(false) : std::string();
    x->resume.finish([status, log_extra = std::move(log_extra)](http::Response& res) {
        res.log_extra = log_extra;
        answer(res, status,
               status == Status::kServiceUnavailable ? "The upstream server is busy; try again.\n"
               : status == Status::kGatewayTimeout ? "The upstream server did not answer in time.\n"
                                                   : "The upstream server could not be reached or "
                                                     "gave an invalid response.\n");
    });
}

}  // namespace

http::Handler make_proxy_handler(EventLoop* loop, const ProxyOptions& options) {
    auto proxy = std::make_shared<Proxy>(loop, options);
    return [proxy](const http::Request& req, http::Response& res) { proxy->handle(req, res); };
}

}  // namespace netius::net::proxy
