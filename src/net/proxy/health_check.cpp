#include "net/proxy/health_check.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "net/event_loop.hpp"
#include "util/error.hpp"

namespace netius::net::proxy {

std::string parse_health_path(std::string_view path) {
    if (path.empty() || path.front() != '/')
        throw UsageError("--health-path '{}': expected a path starting with '/'", path);
    for (char c : path)
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '#')
            throw UsageError("--health-path '{}': no space, '#' or control character", path);
    return std::string(path);
}

HealthCheck::HealthCheck(EventLoop* loop, const RouteTable& routes, Balancer& balancer,
                         const http::HttpClientOptions& client, HealthOptions options)
    : loop_(loop),
      balancer_(balancer),
      options_(std::move(options)),
      alive_(std::make_shared<HealthCheck*>(this)) {
    for (const Route& route : routes.config().routes)
        for (std::size_t i = 0; i < route.upstreams.size(); ++i) {
            const http::Url& url = route.upstreams[i];
            Upstream& u = upstreams_[url.origin()];
            if (u.uses.empty()) u.url = url;
            u.uses.emplace_back(&route, i);
        }
    // A fresh connection per check (it shows the upstream still accepts them), answered
    // within the interval.
    http::HttpClientOptions o = client;
    o.max_connections_per_origin = 1;
    o.max_idle_per_origin = 0;
    o.max_waiting_per_origin = SIZE_MAX;
    o.max_wait = {};
    o.connection.connect_timeout = std::min(o.connection.connect_timeout, options_.interval);
    o.connection.receive_timeout = std::min(o.connection.receive_timeout, options_.interval);
    client_ = std::make_unique<http::HttpClient>(loop, std::move(o));
    loop_->queue_in_loop([alive = std::weak_ptr<HealthCheck*>(alive_)] {
        if (auto self = alive.lock()) (*self)->round();
    });
    timer_ = loop_->run_every(options_.interval, [this] { round(); });
}

HealthCheck::~HealthCheck() {
    loop_->cancel(timer_);
    client_.reset();  // before the upstreams its callbacks point to
}

bool HealthCheck::down(const std::string& origin) const {
    auto it = upstreams_.find(origin);
    return it != upstreams_.end() && it->second.down;
}

void HealthCheck::round() {
    for (auto& [origin, upstream] : upstreams_)
        if (!upstream.checking) check(upstream);
}

void HealthCheck::check(Upstream& upstream) {
    upstream.checking = true;
    http::ClientRequest request;
    request.url = upstream.url;
    request.url.target = options_.path;
    request.user_agent = "netius health check";
    auto status = std::make_shared<int>(0);
    http::ExchangeCallbacks cb;
    cb.head = [status](std::string_view, const http::ClientResponseHead& head) {
        if (head.status >= 200) *status = head.status;  // 1xx: not the answer yet
    };
    cb.data = [](std::string_view) {};  // the content says nothing
    cb.done = [this, &upstream, status](const std::optional<http::ExchangeError>& e) {
        upstream.checking = false;
        if (e)
            report(upstream, false, e->message);
        else if (*status >= 200 && *status < 400)
            report(upstream, true, {});
        else
            report(upstream, false, fmt::format("GET {} answered {}", options_.path, *status));
    };
    client_->start(request, std::move(cb));
}

void HealthCheck::report(Upstream& upstream, bool up, const std::string& why) {
    if (up == !upstream.down) return;  // no change
    upstream.down = !up;
    if (up)
        spdlog::warn("proxy: upstream {} is up again", upstream.url.to_string());
    else
        spdlog::warn("proxy: upstream {} is down: {}", upstream.url.to_string(), why);
    for (const auto& [route, index] : upstream.uses) balancer_.checked(*route, index, up);
}

}  // namespace netius::net::proxy
