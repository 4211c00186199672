#include "net/smtp/client/deliverer.hpp"

#include <algorithm>

#include <sys/socket.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/smtp/client/client_session.hpp"
#include "net/smtp/client/mx_route.hpp"
#include "net/tls_context.hpp"

namespace netius::net::smtp {

/// One deliver() call: MX lookup, then one ClientSession per host until one takes the
/// message or refuses it for good.
class Delivery {
  public:
    Delivery(Deliverer& owner, std::uint64_t id, Outbound message, DeliveryCallback done)
        : owner_(owner), id_(id), message_(std::move(message)), done_(std::move(done)) {}

    void start() {
        if (auto idle = owner_.take_idle(destination())) return reuse(std::move(idle));
        start_fresh();
    }

  private:
    // Where the message goes: its domain, or "" for the smarthost.
    std::string destination() const {
        return owner_.options().smarthost ? std::string() : message_.domain;
    }

    void reuse(std::unique_ptr<ClientSession> session) {
        session_ = std::move(session);
        reused_ = true;
        session_->set_closed_callback(closed_callback());
        session_->next(message_, done_callback());
    }

    ClientSession::DoneCallback done_callback() {
        return [this, alive = std::weak_ptr<char>(alive_)](SessionResult result) {
            if (!alive.expired()) on_session(std::move(result));
        };
    }
    std::function<void()> closed_callback() {
        return [this, alive = std::weak_ptr<char>(alive_)] {
            // Never destroy the session inside its own callback: from the loop's queue.
            owner_.loop()->queue_in_loop([this, alive] {
                if (!alive.expired()) on_session_closed();
            });
        };
    }

    void start_fresh() {
        const DelivererOptions& o = owner_.options();
        if (o.smarthost) {
            hosts_ = {o.smarthost->host};
            port_ = o.smarthost->port;
            return try_next_host();
        }
        port_ = o.mx_port;
        owner_.resolver().resolve(message_.domain, DnsType::kMx,
                                  [this, alive = std::weak_ptr<char>(alive_)](DnsResult r) {
                                      if (!alive.expired()) on_mx(std::move(r));
                                  });
    }

    void on_mx(DnsResult r) {
        if (r.status != DnsStatus::kOk && r.status != DnsStatus::kNotFound) {
            return fail_all(RecipientFate::kTransient, r.error);
        }
        MxRoute route = route_mx(message_.domain, std::move(r.records), owner_.rng());
        if (route.null_mx)
            return fail_all(RecipientFate::kPermanent,
                            fmt::format("{} accepts no mail (null MX, RFC 7505)", message_.domain));
        hosts_ = std::move(route.hosts);
        implicit_ = route.implicit;
        try_next_host();
    }

    void try_next_host() {
        if (next_ >= hosts_.size()) return report(std::move(last_));
        const std::string& host = hosts_[next_++];
        owner_.resolver().resolve_host(
            host, port_, AF_UNSPEC,
            [this, host, alive = std::weak_ptr<char>(alive_)](HostResult r) {
                if (!alive.expired()) on_addresses(host, std::move(r));
            });
    }

    void on_addresses(const std::string& host, HostResult r) {
        if (r.status != DnsStatus::kOk || r.addresses.empty()) {
            // RFC 5321 §5.1: a domain with neither MX nor address records takes no mail.
            if (implicit_ && r.status == DnsStatus::kNotFound)
                return fail_all(RecipientFate::kPermanent,
                                fmt::format("no such domain: {} has no MX and no address record",
                                            message_.domain));
            set_last(RecipientFate::kTransient,
                     r.error.empty() ? fmt::format("{} has no address", host) : r.error);
            return try_next_host();
        }
        const DelivererOptions& o = owner_.options();
        SessionConfig config;
        config.host = host;
        config.addresses = std::move(r.addresses);
        config.helo_name = o.helo_name;
        config.tls = without_tls_ ? nullptr : owner_.tls();
        config.require_tls = tls_required();
        config.transcript = o.transcript;
        if (o.smarthost) {
            config.user = o.smarthost->user;
            config.password = o.smarthost->password;
            config.implicit_tls = o.smarthost->implicit_tls;
        }
        config.connect_timeout = o.connect_timeout;
        config.command_timeout = o.command_timeout;
        config.idle_timeout = o.idle_timeout;
        session_ = std::make_unique<ClientSession>(owner_.loop(), std::move(config), message_,
                                                   done_callback(), closed_callback());
        session_->start();
    }

    void on_session(SessionResult result) {
        if (std::exchange(reused_, false) && result.next_host) {
            restart_ = true;  // the kept connection was gone: a fresh one once it is closed
            return;
        }
        // Opportunistic TLS (RFC 7435 §3): a host whose TLS is broken still gets the message,
        // in clear, on a second connection.
        if (result.tls_failed && !tls_required() && !without_tls_) {
            without_tls_ = true;
            --next_;
            advance_ = true;
            return;
        }
        if (result.next_host && next_ < hosts_.size()) {
            without_tls_ = false;
            last_ = std::move(result.outcomes);
            advance_ = true;  // once this session's connection is gone
            return;
        }
        report(std::move(result.outcomes));
    }

    bool tls_required() const {
        const DelivererOptions& o = owner_.options();
        return o.tls_verify || o.require_tls || (o.smarthost && o.smarthost->implicit_tls);
    }

    void on_session_closed() {
        session_.reset();
        if (std::exchange(restart_, false)) return start_fresh();
        if (advance_) {
            advance_ = false;
            return try_next_host();
        }
        if (reported_) owner_.finished(id_);  // destroys *this
    }

    void set_last(RecipientFate fate, const std::string& diagnostic) {
        last_.clear();
        for (const std::string& r : message_.recipients)
            last_.push_back({r, fate, 0, {}, diagnostic, {}});
    }

    void fail_all(RecipientFate fate, const std::string& diagnostic) {
        set_last(fate, diagnostic);
        report(std::move(last_));
    }

    /// Hands the outcomes to the caller from the loop's queue (the caller may destroy the
    /// Deliverer in its callback); without a session left, the delivery is over.
    void report(std::vector<RecipientOutcome> outcomes) {
        if (reported_) return;
        reported_ = true;
        if (outcomes.size() != message_.recipients.size())  // nothing was tried (no host)
            for (std::size_t i = outcomes.size(); i < message_.recipients.size(); ++i)
                outcomes.push_back({message_.recipients[i],
                                    RecipientFate::kTransient,
                                    0,
                                    {},
                                    "no host to deliver to",
                                    {}});
        owner_.loop()->queue_in_loop([done = std::move(done_), outcomes = std::move(outcomes),
                                      alive = owner_.alive()]() mutable {
            if (!alive.expired()) done(DeliveryReport{std::move(outcomes)});
        });
        // A session left idle goes to the Deliverer for the next message; the delivery ends.
        owner_.loop()->queue_in_loop([this, alive = std::weak_ptr<char>(alive_)] {
            if (alive.expired() || !session_ || !session_->idle()) return;
            owner_.park(destination(), std::move(session_));
            owner_.finished(id_);  // destroys *this
        });
        if (!session_) {
            owner_.loop()->queue_in_loop([this, alive = std::weak_ptr<char>(alive_)] {
                if (!alive.expired()) owner_.finished(id_);
            });
        }
    }

    Deliverer& owner_;
    const std::uint64_t id_;
    const Outbound message_;
    DeliveryCallback done_;
    std::vector<std::string> hosts_;
    std::size_t next_ = 0;  // hosts_ tried
    std::uint16_t port_ = 25;
    bool implicit_ = false;
    bool advance_ = false;
    bool without_tls_ = false;  // retrying the last host in clear after a TLS failure
    bool reported_ = false;
    bool reused_ = false;   // session_ is a kept connection
    bool restart_ = false;  // that connection was gone: start afresh once it is closed
    std::vector<RecipientOutcome> last_;  // of the last host that failed
    std::unique_ptr<ClientSession> session_;
    std::shared_ptr<char> alive_ = std::make_shared<char>();  // queued work checks it
};

Deliverer::Deliverer(EventLoop* loop, DelivererOptions options)
    : loop_(loop),
      options_(std::move(options)),
      resolver_(loop, options_.resolver),
      tls_(TlsContext::client(options_.tls_verify,
                              options_.tls_verify ? options_.ca_file : std::string{})),
      rng_(std::random_device{}()) {}

Deliverer::~Deliverer() = default;

void Deliverer::deliver(Outbound message, DeliveryCallback done) {
    const std::uint64_t id = ++next_id_;
    auto delivery = std::make_unique<Delivery>(*this, id, std::move(message), std::move(done));
    Delivery* d = delivery.get();
    deliveries_.emplace(id, std::move(delivery));
    d->start();
}

void Deliverer::finished(std::uint64_t id) {
    deliveries_.erase(id);
}

std::unique_ptr<ClientSession> Deliverer::take_idle(const std::string& destination) {
    auto it = idle_.find(destination);
    while (it != idle_.end() && it->first == destination) {
        if (it->second->idle()) {
            auto session = std::move(it->second);
            idle_.erase(it);
            return session;
        }
        ++it;  // closing: its closed callback removes it
    }
    return nullptr;
}

void Deliverer::park(const std::string& destination, std::unique_ptr<ClientSession> session) {
    ClientSession* raw = session.get();
    session->set_closed_callback([this, raw, alive = alive()] {
        loop_->queue_in_loop([this, raw, alive] {  // not inside the session's own callback
            if (alive.expired()) return;
            auto it = std::find_if(idle_.begin(), idle_.end(),
                                   [raw](const auto& kept) { return kept.second.get() == raw; });
            if (it != idle_.end()) idle_.erase(it);
        });
    });
    idle_.emplace(destination, std::move(session));
}

}  // namespace netius::net::smtp
