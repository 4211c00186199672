#pragma once
// RelayQueue — the relay's delivery scheduler over a QueueStore, on one EventLoop.
//
// Each due, pending recipient is grouped with the message's other due recipients of the same
// domain and handed to a transport in one call (RFC 5321 §5: one transaction per destination):
// the `local` transport for the local domains (the Maildir), `remote` for the rest. Outcomes:
// delivered → final; permanent (5xx, null MX) → failed; transient (4xx, connection, DNS) →
// retried per RetryPolicy, failed once max_age has passed since acceptance. Every state change
// is written to the envelope file before anything depends on it. When every recipient of a
// message is final, a bounce (bounce.hpp) for its failures is queued to the sender — never for
// the null sender — and the message is removed: delivery is at-least-once (a crash between a
// remote 250 and the envelope update resends to that recipient).
//
// Thread-safety: loop thread only (construction, start(), callbacks). Store I/O is blocking
// and small (one envelope file per state change); message content is kept in memory from
// enqueue until its first attempt, re-read from disk for retries.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/callbacks.hpp"
#include "net/relay/outbound_message.hpp"
#include "net/relay/outbound_transport.hpp"
#include "net/relay/queue_store.hpp"
#include "net/relay/retry_policy.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::relay {

struct RelayQueueOptions {
    RetryPolicy retry;
    std::vector<std::string> local_domains;  // lower case: delivered through `local`
    std::string hostname;                    // in bounces (Reporting-MTA, Message-ID)
    std::string postmaster;                  // bounces' From
    std::size_t max_in_flight = 64;          // transport calls at once
    std::function<std::int64_t()> clock;     // unix seconds; default time(nullptr)
};

class RelayQueue {
  public:
    /// `signer` may be null (no DKIM); it and the transports must outlive the queue.
    RelayQueue(EventLoop* loop, const QueueStore& store, OutboundTransport& remote,
               OutboundTransport& local, RelayQueueOptions options,
               const DkimSigner* signer = nullptr);
    ~RelayQueue();
    RelayQueue(const RelayQueue&) = delete;
    RelayQueue& operator=(const RelayQueue&) = delete;

    /// Loads every queued message from the store (throws netius::Error when the directory
    /// cannot be read), starts a 1 s tick and the first deliveries.
    void start();
    /// Stops the tick; deliveries in flight still record their outcome when they finish.
    void stop();

    /// Takes a message that is committed in the store already; `content` is its .eml text.
    void add(QueueEntry entry, std::shared_ptr<const std::string> content);
    /// Makes every pending recipient due now and starts deliveries (SIGUSR1).
    void retry_now();
    /// Starts deliveries for every due recipient (what the tick does).
    void run_due();

    std::size_t size() const { return items_.size(); }
    std::size_t in_flight() const { return in_flight_; }
    bool contains(const std::string& id) const { return items_.count(id) != 0; }
    const QueueEntry* find(const std::string& id) const;

  private:
    struct Item {
        QueueEntry entry;
        std::shared_ptr<const std::string> content;  // null: read from the store when needed
        std::vector<bool> busy;                      // per recipient: in a transport call
    };

    bool is_local(std::string_view domain) const;
    void start_delivery(Item& item, const std::string& domain, std::vector<std::size_t> indexes);
    void delivered(const std::string& id, const std::vector<std::size_t>& indexes,
                   smtp::DeliveryReport report);
    void record(QueuedRecipient& r, const smtp::RecipientOutcome& o, std::int64_t created,
                std::int64_t now) const;
    void finish(Item& item);
    bool queue_bounce(const Item& item);
    std::int64_t now() const;

    EventLoop* loop_;
    const QueueStore& store_;
    OutboundTransport& remote_;
    OutboundTransport& local_;
    RelayQueueOptions options_;
    const DkimSigner* signer_;
    std::map<std::string, std::unique_ptr<Item>> items_;  // by id
    std::size_t in_flight_ = 0;
    TimerId tick_{};
    bool ticking_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace netius::net::relay
