// Resolver: c-ares on the EventLoop. c-ares tells us which sockets it wants watched
// (ARES_OPT_SOCK_STATE_CB); each becomes a Channel whose events call ares_process_fd, and
// ares_timeout() arms one loop timer for retransmissions and time-outs.
#include "net/resolver.hpp"

#include <spdlog/spdlog.h>

#include "net/channel.hpp"
#include "net/event_loop.hpp"
#include "net/resolver_detail.hpp"
#include "util/error.hpp"

namespace netius::net {

struct Resolver::Query {
    Resolver* self;
    std::string name;
    DnsType type;
    Callback callback;
};

struct Resolver::RecordQuery {
    Resolver* self;
    std::string name;
    DnsType type;
    QueryCallback callback;
};

struct Resolver::HostQuery {
    Resolver* self;
    std::string host;
    std::uint16_t port;
    HostCallback callback;
};

Resolver::Resolver(EventLoop* loop, const ResolverOptions& options)
    : loop_(loop), options_(options), alive_(std::make_shared<Resolver*>(this)) {
    loop_->assert_in_loop_thread();
    ares_options extra{};
    extra.sock_state_cb = &Resolver::on_socket_state;
    extra.sock_state_cb_data = this;
    channel_ = detail::make_channel(options, &extra, ARES_OPT_SOCK_STATE_CB);
}

Resolver::~Resolver() {
    destroying_ = true;
    loop_->cancel(timer_);
    ares_destroy(channel_);  // runs pending callbacks with ARES_EDESTRUCTION: dropped
    for (auto& [fd, channel] : sockets_) channel->remove();
}

void Resolver::deliver(Functor f) {
    loop_->queue_in_loop([alive = std::weak_ptr<Resolver*>(alive_), f = std::move(f)] {
        if (!alive.expired()) f();
    });
}

// ---- lookups ----

void Resolver::resolve(const std::string& name, DnsType type, Callback cb) {
    auto* q = new Query{this, name, type, std::move(cb)};
    ++pending_;
    ares_query(channel_, name.c_str(), ns_c_in, static_cast<int>(type), &Resolver::on_answer, q);
    schedule_timer();
}

void Resolver::on_answer(void* arg, int status, int, unsigned char* abuf, int alen) {
    std::unique_ptr<Query> q(static_cast<Query*>(arg));
    Resolver* self = q->self;
    --self->pending_;
    if (status == ARES_EDESTRUCTION || self->destroying_) return;
    DnsResult r;
    if (status == ARES_SUCCESS) status = detail::parse_answer(q->type, abuf, alen, r.records);
    const std::string what = fmt::format("'{}' ({})", q->name, detail::type_name(q->type));
    r.status = detail::classify(status, what, self->options_, r.error);
    if (r.status != DnsStatus::kOk) r.records.clear();
    self->deliver([cb = std::move(q->callback), r = std::move(r)]() mutable { cb(std::move(r)); });
}

void Resolver::query(const std::string& name, DnsType type, QueryCallback cb) {
    auto* q = new RecordQuery{this, name, type, std::move(cb)};
    ++pending_;
    ares_query(channel_, name.c_str(), ns_c_in, static_cast<int>(type), &Resolver::on_records, q);
    schedule_timer();
}

void Resolver::on_records(void* arg, int status, int, unsigned char* abuf, int alen) {
    std::unique_ptr<RecordQuery> q(static_cast<RecordQuery*>(arg));
    Resolver* self = q->self;
    --self->pending_;
    if (status == ARES_EDESTRUCTION || self->destroying_) return;
    DnsQueryResult r;
    if (status == ARES_SUCCESS) status = detail::parse_records(q->type, abuf, alen, r.records);
    r.status = detail::classify_query(status, q->name, q->type, self->options_, r.error);
    if (r.status != DnsQueryStatus::kOk) r.records.clear();
    self->deliver([cb = std::move(q->callback), r = std::move(r)]() mutable { cb(std::move(r)); });
}

void Resolver::resolve_host(const std::string& host, std::uint16_t port, int family,
                            HostCallback cb) {
    // A numeric host needs no lookup; it must still be of the family asked for.
    try {
        InetAddress numeric = InetAddress::parse(host, port);
        HostResult r;
        if (family != AF_UNSPEC && numeric.family() != family) {
            r.status = DnsStatus::kNotFound;
            r.error =
                fmt::format("'{}' is not an {} address", host, family == AF_INET ? "IPv4" : "IPv6");
        } else {
            r.addresses.push_back(numeric);
        }
        deliver([cb = std::move(cb), r = std::move(r)]() mutable { cb(std::move(r)); });
        return;
    } catch (const Error&) {
    }
    auto* q = new HostQuery{this, host, port, std::move(cb)};
    ++pending_;
    ares_addrinfo_hints hints{};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    ares_getaddrinfo(channel_, host.c_str(), nullptr, &hints, &Resolver::on_addrinfo, q);
    schedule_timer();
}

void Resolver::on_addrinfo(void* arg, int status, int, ares_addrinfo* result) {
    std::unique_ptr<HostQuery> q(static_cast<HostQuery*>(arg));
    Resolver* self = q->self;
    --self->pending_;
    HostResult r;
    if (status == ARES_SUCCESS && result) {
        for (ares_addrinfo_node* n = result->nodes; n; n = n->ai_next) {
            if (n->ai_family != AF_INET && n->ai_family != AF_INET6) continue;
            const std::chrono::seconds ttl(std::max(n->ai_ttl, 0));
            r.ttl = r.ttl ? std::min(*r.ttl, ttl) : ttl;
            InetAddress a = InetAddress::from_sockaddr(n->ai_addr, n->ai_addrlen);
            a.set_port(q->port);
            bool seen = false;  // the hosts file may list an address twice
            for (const InetAddress& b : r.addresses) seen = seen || b == a;
            if (!seen) r.addresses.push_back(a);
        }
        if (r.addresses.empty()) status = ARES_ENODATA;
    }
    if (result) ares_freeaddrinfo(result);
    if (status == ARES_EDESTRUCTION || self->destroying_) return;
    r.status = detail::classify(status, "'" + q->host + "'", self->options_, r.error);
    self->deliver([cb = std::move(q->callback), r = std::move(r)]() mutable { cb(std::move(r)); });
}

// ---- c-ares on the loop ----

void Resolver::on_socket_state(void* data, int fd, int readable, int writable) {
    static_cast<Resolver*>(data)->socket_state(fd, readable != 0, writable != 0);
}

void Resolver::socket_state(int fd, bool readable, bool writable) {
    auto it = sockets_.find(fd);
    if (!readable && !writable) {  // c-ares is about to close the socket
        if (it == sockets_.end()) return;
        std::unique_ptr<Channel> channel = std::move(it->second);
        sockets_.erase(it);
        channel->remove();
        // We may be inside this channel's own callback: it dies from the loop's queue.
        if (!destroying_)
            loop_->queue_in_loop([dead = std::shared_ptr<Channel>(std::move(channel))] {});
        return;
    }
    if (it == sockets_.end()) {
        auto channel = std::make_unique<Channel>(loop_, fd);
        channel->set_read_callback([this, fd] { process(fd, ARES_SOCKET_BAD); });
        channel->set_write_callback([this, fd] { process(ARES_SOCKET_BAD, fd); });
        // Errors and hang-ups: c-ares finds out by reading (and moves on to the next server).
        channel->set_error_callback([this, fd] { process(fd, ARES_SOCKET_BAD); });
        channel->set_close_callback([this, fd] { process(fd, ARES_SOCKET_BAD); });
        it = sockets_.emplace(fd, std::move(channel)).first;
    }
    it->second->set_interest(readable, writable);
}

void Resolver::process(int read_fd, int write_fd) {
    ares_process_fd(channel_, read_fd, write_fd);
    schedule_timer();
}

void Resolver::schedule_timer() {
    loop_->cancel(timer_);
    timer_ = {};
    timeval tv{};
    if (!ares_timeout(channel_, nullptr, &tv)) return;  // nothing pending
    auto delay = std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec);
    // The timer dies with the resolver (cancelled in the destructor): raw `this` is safe.
    timer_ = loop_->run_after(delay, [this] {
        timer_ = {};
        process(ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    });
}

}  // namespace netius::net
