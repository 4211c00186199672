#pragma once
// RelayQueue — the relay's delivery scheduler over a QueueStore, on one EventLoop.
//
// Each due, pending recipient is grouped with the message's other due recipients of the same
// domain and handed to a transport in one call (RFC 5321 §5: one transaction per destination):
// the `local` transport for the local domains and "postmaster" (the Maildir: local recipients
// of a message that also had remote ones, and bounces to local senders), `remote` for the
// rest. A new message starts its deliveries at once; the 1 s tick and freed delivery slots
// start the rest. Outcomes:
// delivered → final; permanent (5xx, null MX) → failed; transient (4xx, connection, DNS) →
// retried per RetryPolicy, failed once max_age has passed since acceptance. Every state change
// is written to the envelope file; when every recipient of a message is final, a bounce
// (bounce.hpp) for its failures is queued to the sender — never for the null sender — and
// only then the message is removed: delivery is at-least-once (a crash between a remote 250
// and the envelope update resends to that recipient).
//
// Thread-safety: loop thread only (construction, start(), callbacks). Writes to the store
// (envelope updates, bounces, removals) run on the queue's own QueueWriter, never on the
// loop; one message has at most one write in flight, and a state change made meanwhile is
// written after it (the last state always reaches the disk). Message content is kept in
// memory from enqueue until its first attempt, re-read from disk for retries.
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
#include "net/relay/queue_writer.hpp"
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
    /// Makes every pending recipient due now and starts deliveries (SIGUSR2).
    void retry_now();
    /// Starts deliveries for every due recipient (what the tick does).
    void run_due();

    std::size_t size() const { return items_.size(); }
    std::size_t in_flight() const { return in_flight_; }
    /// True when no store write is in flight (tests wait for it).
    bool idle() const { return writes_ == 0; }
    bool contains(const std::string& id) const { return items_.count(id) != 0; }
    const QueueEntry* find(const std::string& id) const;

  private:
    struct Item {
        QueueEntry entry;
        std::shared_ptr<const std::string> content;  // null: read from the store when needed
        std::vector<bool> busy;                      // per recipient: in a transport call
        bool writing = false;                        // a store write for it is in flight
        bool dirty = false;                          // its state changed since that write was taken
        bool finishing = false;                      // finish() waits for the write in flight
        bool closing = false;                        // bounce and removal in flight
    };

    bool is_local(std::string_view domain) const;
    /// The item's due recipients not in flight, by lower-case domain.
    std::map<std::string, std::vector<std::size_t>> due_groups(const Item& item,
                                                               std::int64_t t) const;
    /// Starts deliveries for the due recipients of one message (while slots are free).
    void start_due(const std::string& id);
    void start_delivery(Item& item, const std::string& domain, std::vector<std::size_t> indexes);
    void delivered(const std::string& id, const std::vector<std::size_t>& indexes,
                   smtp::DeliveryReport report);
    void record(QueuedRecipient& r, const smtp::RecipientOutcome& o, std::int64_t created,
                std::int64_t now) const;
    /// Writes the item's envelope (at most one write per item in flight).
    void persist(Item& item);
    void written(const std::string& id);
    /// All recipients final: bounce when needed, then remove (on the writer).
    void finish(Item& item);
    void closed(const std::string& id, int err, bool bounced);
    std::int64_t now() const;

    EventLoop* loop_;
    const QueueStore& store_;
    OutboundTransport& remote_;
    OutboundTransport& local_;
    RelayQueueOptions options_;
    const DkimSigner* signer_;
    std::map<std::string, std::unique_ptr<Item>> items_;  // by id
    std::size_t in_flight_ = 0;
    bool waiting_ = false;  // due work found no free slot: run_due() when one frees
    TimerId tick_{};
    bool ticking_ = false;
    std::size_t writes_ = 0;  // store writes in flight
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    QueueWriter writer_;  // last: joined before the rest goes
};

}  // namespace netius::net::relay
