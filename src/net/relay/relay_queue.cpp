#include "net/relay/relay_queue.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "net/event_loop.hpp"
#include "net/relay/bounce.hpp"
#include "net/smtp/command_parser.hpp"
#include "util/ascii.hpp"

namespace netius::net::relay {

using smtp::RecipientFate;

RelayQueue::RelayQueue(EventLoop* loop, const QueueStore& store, OutboundTransport& remote,
                       OutboundTransport& local, RelayQueueOptions options,
                       const DkimSigner* signer)
    : loop_(loop),
      store_(store),
      remote_(remote),
      local_(local),
      options_(std::move(options)),
      signer_(signer) {}

RelayQueue::~RelayQueue() {
    *alive_ = false;
    stop();
}

std::int64_t RelayQueue::now() const {
    return options_.clock ? options_.clock() : static_cast<std::int64_t>(std::time(nullptr));
}

void RelayQueue::start() {
    for (auto& entry : store_.load()) {
        add(std::move(entry), nullptr);
    }
    if (!items_.empty()) spdlog::info("queue: resuming {} message(s)", items_.size());
    ticking_ = true;
    tick_ = loop_->run_every(std::chrono::seconds(1), [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.lock()) run_due();
    });
    run_due();
}

void RelayQueue::stop() {
    if (ticking_) loop_->cancel(tick_);
    ticking_ = false;
}

const QueueEntry* RelayQueue::find(const std::string& id) const {
    auto it = items_.find(id);
    return it == items_.end() ? nullptr : &it->second->entry;
}

void RelayQueue::add(QueueEntry entry, std::shared_ptr<const std::string> content) {
    auto item = std::make_unique<Item>();
    item->busy.assign(entry.recipients.size(), false);
    item->entry = std::move(entry);
    item->content = std::move(content);
    Item& ref = *item;
    items_[ref.entry.id] = std::move(item);
    if (ref.entry.finished()) return finish(ref);  // a crash after the last outcome
    if (ticking_) run_due();
}

void RelayQueue::retry_now() {
    const std::int64_t t = now();
    std::size_t count = 0;
    for (auto& [id, item] : items_)
        for (auto& r : item->entry.recipients)
            if (r.state == RecipientState::kPending && r.next_attempt > t) {
                r.next_attempt = t;
                ++count;
            }
    spdlog::info("queue: retrying {} recipient(s) now", count);
    run_due();
}

bool RelayQueue::is_local(std::string_view domain) const {
    for (const auto& d : options_.local_domains)
        if (d == domain) return true;
    return false;
}

void RelayQueue::run_due() {
    const std::int64_t t = now();
    // Collect first, then start: starting may finish a message (an unreadable file) and
    // change items_.
    std::vector<std::pair<std::string, std::map<std::string, std::vector<std::size_t>>>> work;
    for (auto& [id, item] : items_) {
        std::map<std::string, std::vector<std::size_t>> groups;
        const auto& rs = item->entry.recipients;
        for (std::size_t i = 0; i < rs.size(); ++i)
            if (rs[i].state == RecipientState::kPending && !item->busy[i] &&
                rs[i].next_attempt <= t)
                groups[to_lower(smtp::domain_of(rs[i].address))].push_back(i);
        if (!groups.empty()) work.emplace_back(id, std::move(groups));
    }
    for (auto& [id, groups] : work) {
        for (auto& [domain, indexes] : groups) {
            if (in_flight_ >= options_.max_in_flight) return;
            auto it = items_.find(id);
            if (it == items_.end()) break;
            start_delivery(*it->second, domain, std::move(indexes));
        }
    }
}

void RelayQueue::start_delivery(Item& item, const std::string& domain,
                                std::vector<std::size_t> indexes) {
    QueueEntry& e = item.entry;
    if (!item.content) {
        auto content = std::make_shared<std::string>();
        std::string error;
        if (store_.read_message(e.id, *content, &error) != 0) {
            spdlog::error("{}: cannot read the queued message: {}", e.id, error);
            smtp::DeliveryReport report;
            for (std::size_t i : indexes)
                report.recipients.push_back({e.recipients[i].address, RecipientFate::kTransient, 0,
                                             "", "local error: " + error, ""});
            return delivered(e.id, indexes, std::move(report));
        }
        item.content = std::move(content);
    }
    smtp::Outbound out;
    out.domain = domain;
    out.sender = e.sender;
    out.content = item.content;
    out.smtputf8 = e.smtputf8;
    out.eight_bit = e.eight_bit;
    for (std::size_t i : indexes) {
        out.recipients.push_back(e.recipients[i].address);
        item.busy[i] = true;
    }
    ++in_flight_;
    spdlog::debug("{}: delivering to {} recipient(s) at {}", e.id, indexes.size(), domain);
    OutboundTransport& transport = is_local(domain) ? local_ : remote_;
    transport.deliver(std::move(out), [this, alive = std::weak_ptr<bool>(alive_), id = e.id,
                                       indexes](smtp::DeliveryReport report) {
        if (!alive.lock()) return;
        --in_flight_;
        delivered(id, indexes, std::move(report));
        run_due();  // a slot is free
    });
}

void RelayQueue::record(QueuedRecipient& r, const smtp::RecipientOutcome& o, std::int64_t created,
                        std::int64_t t) const {
    ++r.attempts;
    r.code = o.code;
    r.enhanced = o.enhanced;
    r.remote = o.remote;
    r.diagnostic = o.diagnostic;
    if (o.fate == RecipientFate::kDelivered) {
        r.state = RecipientState::kDelivered;
    } else if (o.fate == RecipientFate::kPermanent) {
        r.state = RecipientState::kFailed;
    } else if (t >= created + options_.retry.max_age.count()) {
        r.state = RecipientState::kFailed;  // RFC 3463 4.4.7: delivery time expired
        r.enhanced = "4.4.7";
        r.diagnostic = "delivery time expired; last error: " + r.diagnostic;
    } else {
        r.next_attempt = std::min(t + options_.retry.delay(r.attempts).count(),
                                  created + options_.retry.max_age.count());
    }
}

void RelayQueue::delivered(const std::string& id, const std::vector<std::size_t>& indexes,
                           smtp::DeliveryReport report) {
    auto it = items_.find(id);
    if (it == items_.end()) return;
    Item& item = *it->second;
    const std::int64_t t = now();
    for (std::size_t k = 0; k < indexes.size(); ++k) {
        const std::size_t i = indexes[k];
        item.busy[i] = false;
        QueuedRecipient& r = item.entry.recipients[i];
        smtp::RecipientOutcome missing{r.address, RecipientFate::kTransient, 0, "", "no outcome",
                                       ""};
        record(r, k < report.recipients.size() ? report.recipients[k] : missing, item.entry.created,
               t);
        spdlog::info(
            "{}: <{}> {}{}: {}", id, r.address, state_name(r.state),
            r.state == RecipientState::kPending
                ? fmt::format(" (attempt {}, next in {} s)", r.attempts, r.next_attempt - t)
                : "",
            r.diagnostic);
    }
    item.content.reset();  // retries read it again from disk
    if (item.entry.finished()) return finish(item);
    std::string error;
    if (store_.update(item.entry, &error) != 0)
        spdlog::error("{}: cannot record delivery state: {}", id, error);
}

void RelayQueue::finish(Item& item) {
    for (bool b : item.busy)
        if (b) return;  // the other group's outcome decides
    const QueueEntry& e = item.entry;
    if (!e.failures().empty() && !e.sender.empty() && !e.bounced) {
        if (!queue_bounce(item)) return;  // kept; tried again on the next outcome or restart
    }
    std::string error;
    if (store_.remove(e.id, &error) != 0) {
        spdlog::error("{}: cannot remove from the queue: {}", e.id, error);
        return;
    }
    const std::string id = e.id;
    spdlog::info("{}: done, removed from the queue", id);
    items_.erase(id);
}

bool RelayQueue::queue_bounce(const Item& item) {
    const QueueEntry& e = item.entry;
    std::string original, error;
    if (store_.read_message(e.id, original, &error) != 0)
        spdlog::warn("{}: bouncing without the original headers: {}", e.id, error);
    const std::int64_t t = now();
    QueueEntry b;
    b.id = make_queue_id();
    b.created = t;
    b.recipients.push_back({e.sender, RecipientState::kPending, 0, t, 0, "", "", ""});
    std::string content =
        compose_bounce(e, original, {options_.hostname, options_.postmaster, b.id, t});
    try {
        if (signer_) content.insert(0, signer_->sign(content));
    } catch (const std::exception& ex) {
        spdlog::warn("{}: bounce not DKIM-signed: {}", b.id, ex.what());
    }
    if (store_.add(b, content, &error) != 0) {
        spdlog::error("{}: cannot queue the bounce: {}", e.id, error);
        return false;
    }
    spdlog::info("{}: bounce {} queued for <{}>", e.id, b.id, e.sender);
    QueueEntry marked = e;
    marked.bounced = true;
    store_.update(marked, &error);  // best effort: a crash before the removal re-bounces
    add(std::move(b), std::make_shared<const std::string>(std::move(content)));
    return true;
}

}  // namespace netius::net::relay
