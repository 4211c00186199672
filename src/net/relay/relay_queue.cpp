#include "net/relay/relay_queue.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <ctime>
#include <limits>

#include "net/event_loop.hpp"
#include "net/relay/bounce.hpp"
#include "net/smtp/command_parser.hpp"
#include "util/ascii.hpp"

namespace netius::net::relay {

using smtp::RecipientFate;

namespace {

// Writes are bounded by the messages in memory, which the accept path bounds: never refuse.
constexpr std::size_t kMaxQueuedWrites = std::numeric_limits<std::size_t>::max();

}  // namespace

RelayQueue::RelayQueue(EventLoop* loop, const QueueStore& store, OutboundTransport& remote,
                       OutboundTransport& local, RelayQueueOptions options,
                       const DkimSigner* signer)
    : loop_(loop),
      store_(store),
      remote_(remote),
      local_(local),
      options_(std::move(options)),
      signer_(signer),
      writer_(loop, "relay-queue-io", 4, kMaxQueuedWrites) {}

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
    if (ticking_) start_due(ref.entry.id);         // only this one: the others are started already
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
    if (domain.empty()) return true;  // "postmaster" (RFC 5321 §4.5.1), the only one accepted
    for (const auto& d : options_.local_domains)
        if (d == domain) return true;
    return false;
}

std::map<std::string, std::vector<std::size_t>> RelayQueue::due_groups(const Item& item,
                                                                       std::int64_t t) const {
    std::map<std::string, std::vector<std::size_t>> groups;
    const auto& rs = item.entry.recipients;
    for (std::size_t i = 0; i < rs.size(); ++i)
        if (rs[i].state == RecipientState::kPending && !item.busy[i] && rs[i].next_attempt <= t)
            groups[to_lower(smtp::domain_of(rs[i].address))].push_back(i);
    return groups;
}

void RelayQueue::start_due(const std::string& id) {
    auto it = items_.find(id);
    if (it == items_.end()) return;
    for (auto& [domain, indexes] : due_groups(*it->second, now())) {
        if (in_flight_ >= options_.max_in_flight) {
            waiting_ = true;  // the next free slot runs run_due()
            return;
        }
        it = items_.find(id);  // starting may have finished the message (an unreadable file)
        if (it == items_.end()) return;
        start_delivery(*it->second, domain, std::move(indexes));
    }
}

void RelayQueue::run_due() {
    waiting_ = false;
    // Collect first, then start: starting may finish a message and change items_.
    std::vector<std::string> due;
    for (const auto& [id, item] : items_) due.push_back(id);
    for (const auto& id : due) {
        if (in_flight_ >= options_.max_in_flight) {
            waiting_ = true;
            return;
        }
        start_due(id);
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
                                       indexes = std::move(indexes)](smtp::DeliveryReport report) {
        if (!alive.lock()) return;
        --in_flight_;
        delivered(id, indexes, std::move(report));
        if (waiting_) run_due();  // a slot is free for what waits for one
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
    persist(item);
}

void RelayQueue::persist(Item& item) {
    if (item.writing) {
        item.dirty = true;  // written once the write in flight ends
        return;
    }
    item.writing = true;
    ++writes_;
    const bool ok = writer_.submit(
        [store = &store_, entry = item.entry](std::string* error) {
            const int err = store->update(entry, error);
            if (err) spdlog::error("{}: cannot record delivery state: {}", entry.id, *error);
            return err;
        },
        [this, id = item.entry.id](int) { written(id); });
    if (!ok) written(item.entry.id);  // never refused (kMaxQueuedWrites); the next change retries
}

void RelayQueue::written(const std::string& id) {
    --writes_;
    auto it = items_.find(id);
    if (it == items_.end()) return;
    Item& item = *it->second;
    item.writing = false;
    if (item.dirty) {
        item.dirty = false;
        return persist(item);
    }
    if (item.finishing) finish(item);
}

void RelayQueue::finish(Item& item) {
    for (bool b : item.busy)
        if (b) return;  // the other group's outcome decides
    if (item.writing) {
        item.finishing = true;  // after the write in flight: removal must come last
        return;
    }
    if (item.closing) return;
    item.finishing = false;
    item.closing = true;
    const QueueEntry& e = item.entry;
    const bool bounce = !e.failures().empty() && !e.sender.empty() && !e.bounced;
    const std::int64_t t = now();
    // On the writer: read the original, compose and sign the bounce, queue it, mark the
    // message bounced, remove the message. The bounce travels back in `made`.
    auto made = std::make_shared<std::pair<QueueEntry, std::shared_ptr<const std::string>>>();
    auto job = [store = &store_, signer = signer_, entry = e, bounce, t, made,
                hostname = options_.hostname,
                postmaster = options_.postmaster](std::string* error) -> int {
        if (bounce) {
            std::string original;
            if (store->read_message(entry.id, original, error) != 0)
                spdlog::warn("{}: bouncing without the original headers: {}", entry.id, *error);
            QueueEntry& b = made->first;
            b.id = make_queue_id();
            b.created = t;
            b.recipients.push_back({entry.sender, RecipientState::kPending, 0, t, 0, "", "", ""});
            std::string content = compose_bounce(entry, original, {hostname, postmaster, b.id, t});
            try {
                if (signer) content.insert(0, signer->sign(content));
            } catch (const std::exception& ex) {
                spdlog::warn("{}: bounce not DKIM-signed: {}", b.id, ex.what());
            }
            if (int err = store->add(b, content, error)) {
                spdlog::error("{}: cannot queue the bounce: {}", entry.id, *error);
                return err;
            }
            spdlog::info("{}: bounce {} queued for <{}>", entry.id, b.id, entry.sender);
            made->second = std::make_shared<const std::string>(std::move(content));
            QueueEntry marked = entry;
            marked.bounced = true;
            store->update(marked, error);  // best effort: a crash before the removal re-bounces
        }
        const int err = store->remove(entry.id, error);
        if (err) spdlog::error("{}: cannot remove from the queue: {}", entry.id, *error);
        return err;
    };
    ++writes_;
    const bool ok = writer_.submit(std::move(job), [this, id = e.id, made](int err) {
        if (made->second) add(std::move(made->first), std::move(made->second));
        closed(id, err, made->second != nullptr);
    });
    if (!ok) closed(e.id, ECANCELED, false);
}

void RelayQueue::closed(const std::string& id, int err, bool bounced) {
    --writes_;
    auto it = items_.find(id);
    if (it == items_.end()) return;
    if (err == 0) {
        spdlog::info("{}: done, removed from the queue", id);
        items_.erase(it);
        return;
    }
    // Kept (in memory and on disk): tried again after a restart.
    it->second->closing = false;
    if (bounced) it->second->entry.bounced = true;
}

}  // namespace netius::net::relay
