#include "net/http/client/http_client.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/tls_context.hpp"
#include "util/error.hpp"

namespace netius::net::http {

HttpClient::HttpClient(EventLoop* loop, HttpClientOptions options)
    : loop_(loop),
      options_(std::move(options)),
      resolver_(loop, options_.dns),
      alive_(std::make_shared<HttpClient*>(this)) {
    if (options_.max_connections_per_origin == 0) options_.max_connections_per_origin = 1;
}

HttpClient::~HttpClient() {
    alive_.reset();
    for (auto& [key, origin] : origins_)
        for (auto& conn : origin.connections) conn->set_state_callback({});
    origins_.clear();  // each connection's TcpClient closes its socket
}

std::size_t HttpClient::connection_count() const {
    std::size_t n = 0;
    for (const auto& [key, origin] : origins_) n += origin.connections.size();
    return n;
}

std::uint64_t HttpClient::start(const ClientRequest& request, ExchangeCallbacks callbacks) {
    const std::uint64_t id = ++next_request_;
    const std::string key = request.url.origin();
    Origin& origin = origins_[key];
    if (origin.url.host.empty()) origin.url = request.url;
    if (queue_full(origin)) {
        refused_.emplace(id, std::move(callbacks));
        loop_->queue_in_loop([alive = std::weak_ptr<HttpClient*>(alive_), id, key] {
            auto self = alive.lock();
            if (!self) return;
            auto it = (*self)->refused_.find(id);
            if (it == (*self)->refused_.end()) return;  // cancelled
            ExchangeCallbacks cbs = std::move(it->second);
            (*self)->refused_.erase(it);
            if (cbs.done)
                cbs.done(ExchangeError{ExchangeError::Kind::kBusy,
                                       "too many requests waiting for a connection to " + key,
                                       false});
        });
        return id;
    }
    origin.waiting.push_back(Pending{id, request, std::move(callbacks), false, {}});
    dispatch_later(key, origin);  // callbacks never run inside start()
    return id;
}

bool HttpClient::queue_full(const Origin& origin) const {
    const std::size_t max = options_.max_waiting_per_origin;
    if (origin.waiting.size() < max) return false;  // the common case: no need to count
    // Requests that a connection free, coming up or still to be opened will take do not
    // wait in the queue.
    std::size_t room = options_.max_connections_per_origin > origin.connections.size()
                           ? options_.max_connections_per_origin - origin.connections.size()
                           : 0;
    for (const auto& conn : origin.connections)
        room += conn->available() || conn->connecting() ? 1 : 0;
    return origin.waiting.size() >= max + room;
}

HttpClient::Pending HttpClient::take_first(Origin& origin) {
    Pending p = std::move(origin.waiting.front());
    origin.waiting.pop_front();
    loop_->cancel(p.wait);
    p.wait = {};
    return p;
}

void HttpClient::arm_waits(Origin& origin, std::size_t served) {
    if (options_.max_wait.count() <= 0 || origin.waiting.size() <= served) return;
    // New requests join at the back: those not armed yet are the last ones.
    const auto end = origin.waiting.rend() - static_cast<std::ptrdiff_t>(served);
    for (auto i = origin.waiting.rbegin(); i != end && !i->wait; ++i)
        i->wait = loop_->run_after(options_.max_wait, [alive = std::weak_ptr<HttpClient*>(alive_),
                                                       key = origin.url.origin(), id = i->id] {
            if (auto self = alive.lock()) (*self)->expire(key, id);
        });
}

void HttpClient::expire(const std::string& key, std::uint64_t id) {
    auto it = origins_.find(key);
    if (it == origins_.end()) return;
    auto& waiting = it->second.waiting;
    auto p =
        std::find_if(waiting.begin(), waiting.end(), [id](const auto& w) { return w.id == id; });
    if (p == waiting.end()) return;
    ExchangeCallbacks cbs = std::move(p->callbacks);
    waiting.erase(p);
    if (cbs.done)
        cbs.done(ExchangeError{ExchangeError::Kind::kBusy,
                               fmt::format("no connection to {} came free within {} ms", key,
                                           options_.max_wait.count()),
                               false});
}

void HttpClient::trim_idle(Origin& origin, ClientConnection& conn) {
    auto idle = [](const ClientConnection& c) { return c.available() && !c.multiplexed(); };
    if (!idle(conn) || origin.connections.size() <= options_.max_idle_per_origin) return;
    const auto n = std::count_if(origin.connections.begin(), origin.connections.end(),
                                 [&idle](const auto& c) { return idle(*c); });
    if (static_cast<std::size_t>(n) <= options_.max_idle_per_origin) return;
    conn.close();
    release(origin, conn);
}

void HttpClient::dispatch_later(const std::string& key, Origin& origin) {
    // One queued dispatch serves every request queued before it runs (a burst of them in
    // one loop iteration).
    if (origin.dispatch_queued) return;
    origin.dispatch_queued = true;
    loop_->queue_in_loop([alive = std::weak_ptr<HttpClient*>(alive_), key] {
        if (auto self = alive.lock()) {
            auto it = (*self)->origins_.find(key);
            if (it == (*self)->origins_.end()) return;
            it->second.dispatch_queued = false;
            (*self)->dispatch(it->second);
        }
    });
}

bool HttpClient::may_multiplex(const Origin& origin) const {
    if (origin.multiplex != Origin::Multiplex::kUnknown)
        return origin.multiplex == Origin::Multiplex::kYes;
    if (!origin.url.tls()) return options_.connection.prior_knowledge;
    const auto& alpn = options_.connection.tls->alpn_protocols();
    return std::find(alpn.begin(), alpn.end(), "h2") != alpn.end();
}

void HttpClient::dispatch(Origin& origin) {
    if (origin.waiting.empty()) return;
    if (origin.dns == Origin::Dns::kDone && origin.dns_expires && !origin.refreshing &&
        Clock::now() >= *origin.dns_expires) {
        origin.refreshing = true;
        resolver_.resolve_host(
            origin.url.host, origin.url.port, options_.family,
            [this, key = origin.url.origin()](HostResult r) { refreshed(key, std::move(r)); });
    }
    if (origin.dns == Origin::Dns::kNone && !origin.url.socket_path.empty()) {
        try {
            origin.addresses = {InetAddress::unix_path(origin.url.socket_path)};
            origin.dns = Origin::Dns::kDone;
        } catch (const Error& e) {
            fail_waiting(origin, {ExchangeError::Kind::kConnect, e.what(), false});
            return;
        }
    }
    if (origin.dns != Origin::Dns::kDone) {
        if (origin.dns == Origin::Dns::kNone) {
            origin.dns = Origin::Dns::kResolving;
            resolver_.resolve_host(
                origin.url.host, origin.url.port, options_.family,
                [this, key = origin.url.origin()](HostResult r) { resolved(key, std::move(r)); });
        }
        return;
    }
    if (origin.url.tls() && !options_.connection.tls) {
        try {
            if (options_.make_tls) options_.connection.tls = options_.make_tls();
            if (!options_.connection.tls) throw Error("no TLS context for https");
        } catch (const Error& e) {
            fail_waiting(origin, {ExchangeError::Kind::kTls, e.what(), false});
            return;
        }
    }
    while (!origin.waiting.empty()) {
        ClientConnection* ready = nullptr;
        std::size_t connecting = 0;
        bool multiplexed = false;
        for (auto& conn : origin.connections) {
            if (!ready && conn->available()) ready = conn.get();
            connecting += conn->connecting();
            multiplexed =
                multiplexed || (conn->multiplexed() && !conn->closed() && !conn->draining());
        }
        if (ready) {
            assign(origin, *ready, take_first(origin));
            continue;
        }
        // An HTTP/2 connection (or one that may become one) takes every request in turn.
        if ((connecting || multiplexed) && may_multiplex(origin)) return;
        // HTTP/1.1: a connection for each waiting request, within the limit.
        if (connecting >= origin.waiting.size()) return;
        if (origin.connections.size() >= options_.max_connections_per_origin) {
            arm_waits(origin, connecting);  // at the cap: the rest wait for one to come free
            return;
        }
        auto conn = std::make_shared<ClientConnection>(loop_, ++next_connection_, origin.url,
                                                       origin.addresses, options_.connection);
        conn->set_state_callback(
            [this, key = origin.url.origin()](ClientConnection& c) { connection_changed(key, c); });
        origin.connections.push_back(conn);
        conn->connect();
    }
}

void HttpClient::resolved(const std::string& key, HostResult result) {
    auto it = origins_.find(key);
    if (it == origins_.end()) return;
    Origin& origin = it->second;
    if (result.status != DnsStatus::kOk) {
        // Everyone waiting fails; the next request for this origin tries the lookup again.
        origin.dns = Origin::Dns::kNone;
        const auto kind = result.status == DnsStatus::kTimeout ? ExchangeError::Kind::kTimeout
                                                               : ExchangeError::Kind::kDns;
        fail_waiting(origin, {kind, result.error, false});
        return;
    }
    origin.dns = Origin::Dns::kDone;
    origin.dns_expires = expiry(result);
    origin.addresses = std::move(result.addresses);
    dispatch(origin);
}

void HttpClient::refreshed(const std::string& key, HostResult result) {
    auto it = origins_.find(key);
    if (it == origins_.end()) return;
    Origin& origin = it->second;
    origin.refreshing = false;
    if (result.status != DnsStatus::kOk) {  // the old addresses serve a while longer
        spdlog::debug("{}: looking the addresses up again failed ({}); keeping them",
                      origin.url.host, result.error);
        origin.dns_expires = Clock::now() + options_.min_dns_ttl;
        return;
    }
    if (result.addresses != origin.addresses)
        spdlog::info("{}: new addresses from DNS ({} first)", origin.url.host,
                     result.addresses.front().to_string());
    origin.dns_expires = expiry(result);
    origin.addresses = std::move(result.addresses);
}

std::optional<Clock::time_point> HttpClient::expiry(const HostResult& result) const {
    if (!result.ttl) return std::nullopt;
    return Clock::now() + std::clamp(*result.ttl, options_.min_dns_ttl, options_.max_dns_ttl);
}

void HttpClient::fail_waiting(Origin& origin, const ExchangeError& error) {
    std::deque<Pending> waiting = std::move(origin.waiting);
    origin.waiting.clear();
    for (Pending& p : waiting) {
        loop_->cancel(p.wait);
        if (p.callbacks.done) p.callbacks.done(error);
    }
}

void HttpClient::assign(Origin& origin, ClientConnection& conn, Pending pending) {
    const std::uint64_t id = pending.id;
    active_[id] = conn.weak_from_this();
    ExchangeCallbacks cbs = pending.callbacks;
    // The stale-connection retry needs the request again: keep a copy until it is answered.
    auto retry = std::make_shared<Pending>(std::move(pending));
    cbs.done = [this, id, retry, key = origin.url.origin()](const std::optional<ExchangeError>& e) {
        active_.erase(id);
        const auto& upload = retry->request.upload;
        if (e && e->stale_connection && !retry->resent && (!upload || upload->rewindable())) {
            spdlog::debug("request {}: {}; sending again", id, e->message);
            retry->resent = true;
            if (upload) upload->rewind();
            auto it = origins_.find(key);
            if (it != origins_.end()) {
                it->second.waiting.push_front(std::move(*retry));
                dispatch_later(key, it->second);
                return;
            }
        }
        if (retry->callbacks.done) retry->callbacks.done(e);
    };
    conn.send(id, retry->request, std::move(cbs));
}

void HttpClient::connection_changed(const std::string& key, ClientConnection& conn) {
    auto it = origins_.find(key);
    if (it == origins_.end()) return;
    Origin& origin = it->second;
    if (!conn.closed() && origin.multiplex == Origin::Multiplex::kUnknown)
        origin.multiplex = conn.multiplexed() ? Origin::Multiplex::kYes : Origin::Multiplex::kNo;
    if (conn.closed()) {
        release(origin, conn);
        if (const auto& failure = conn.failure()) {
            // It never came up: the request it was opened for fails (all of them when no
            // other connection is left to try), each failure once, as on its own connection.
            if (origin.connections.empty()) {
                fail_waiting(origin, *failure);
            } else if (!origin.waiting.empty()) {
                Pending p = take_first(origin);
                if (p.callbacks.done) p.callbacks.done(*failure);
            }
        }
    }
    dispatch(origin);
    if (!conn.closed() && origin.waiting.empty()) trim_idle(origin, conn);
}

void HttpClient::release(Origin& origin, ClientConnection& conn) {
    auto& list = origin.connections;
    for (auto i = list.begin(); i != list.end(); ++i) {
        if (i->get() != &conn) continue;
        // We are inside the connection's own callback: it dies from the loop's queue.
        conn.set_state_callback({});
        loop_->queue_in_loop([dead = std::move(*i)] {});
        list.erase(i);
        return;
    }
}

void HttpClient::pause(std::uint64_t id) {
    auto it = active_.find(id);
    if (it == active_.end()) return;
    if (auto conn = it->second.lock()) conn->pause(id);
}

void HttpClient::resume(std::uint64_t id) {
    auto it = active_.find(id);
    if (it == active_.end()) return;
    if (auto conn = it->second.lock()) conn->resume(id);
}

void HttpClient::cancel(std::uint64_t id) {
    if (refused_.erase(id)) return;
    for (auto& [key, origin] : origins_)
        for (auto i = origin.waiting.begin(); i != origin.waiting.end(); ++i)
            if (i->id == id) {
                loop_->cancel(i->wait);
                origin.waiting.erase(i);
                return;
            }
    auto it = active_.find(id);
    if (it == active_.end()) return;
    auto conn = it->second.lock();
    active_.erase(it);
    if (!conn) return;
    conn->cancel(id);  // HTTP/1.1: closes the connection; HTTP/2: resets the stream
    for (auto& [key, origin] : origins_) {
        const auto& list = origin.connections;
        if (std::find(list.begin(), list.end(), conn) == list.end()) continue;
        if (conn->closed()) release(origin, *conn);
        dispatch_later(key, origin);  // a connection or stream is free for those waiting
        return;
    }
}

}  // namespace netius::net::http
