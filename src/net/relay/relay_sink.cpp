#include "net/relay/relay_sink.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <ctime>

#include "net/event_loop.hpp"

namespace netius::net::relay {
namespace {

using smtp::DeliveryStatus;

constexpr std::size_t kMaxQueuedEnqueues = 4096;

// Answers the session once every part (Maildir, queue) is stored; the worst status wins.
struct Join {
    smtp::DeliveryDone done;
    int left = 0;
    DeliveryStatus status = DeliveryStatus::kStored;
    void finish(DeliveryStatus s) {
        if (status == DeliveryStatus::kStored) status = s;
        if (--left == 0) done(status);
    }
};

}  // namespace

RelaySink::RelaySink(EventLoop* loop, const RelayPolicy& policy, smtp::MaildirSink& local,
                     const QueueStore& store, RelayQueue& queue, const DkimSigner* signer,
                     std::string hostname, std::size_t threads)
    : loop_(loop),
      policy_(policy),
      local_(local),
      store_(store),
      queue_(queue),
      signer_(signer),
      hostname_(std::move(hostname)),
      pool_("relay-queue", threads, kMaxQueuedEnqueues) {}

RelaySink::~RelaySink() {
    *alive_ = false;
}

std::optional<smtp::Reply> RelaySink::check_sender(const smtp::Envelope& envelope,
                                                   std::string_view sender) const {
    return policy_.check_sender(envelope, sender);
}

std::optional<smtp::Reply> RelaySink::check_recipient(const smtp::Envelope& envelope,
                                                      std::string_view address) const {
    if (policy_.is_local(address)) return local_.check_recipient(envelope, address);
    return policy_.check_remote(envelope);
}

void RelaySink::deliver(const smtp::Envelope& envelope, std::string trace, std::string content,
                        smtp::DeliveryDone done) {
    std::vector<std::string> local, remote;
    for (const auto& r : envelope.recipients) (policy_.is_local(r) ? local : remote).push_back(r);
    auto join = std::make_shared<Join>();
    join->done = std::move(done);
    join->left = (local.empty() ? 0 : 1) + (remote.empty() ? 0 : 1);
    auto part_done = [join](DeliveryStatus s) { join->finish(s); };
    if (!remote.empty()) {
        enqueue(envelope, std::move(remote), local.empty() ? std::move(trace) : trace,
                local.empty() ? std::move(content) : content, part_done);
    }
    if (!local.empty()) {
        smtp::Envelope mine = envelope;
        mine.recipients = std::move(local);
        local_.deliver(mine, std::move(trace), std::move(content), part_done);
    }
}

void RelaySink::enqueue(const smtp::Envelope& envelope, std::vector<std::string> recipients,
                        std::string trace, std::string content, smtp::DeliveryDone done) {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    QueueEntry entry;
    entry.id = envelope.id;
    entry.created = now;
    entry.sender = envelope.sender;
    entry.smtputf8 = envelope.smtputf8;
    entry.eight_bit = envelope.eight_bit;
    for (auto& r : recipients)
        entry.recipients.push_back({std::move(r), RecipientState::kPending, 0, now, 0, "", "", ""});
    auto job = [this, entry = std::move(entry), trace = std::move(trace),
                content = std::move(content), done, alive = std::weak_ptr<bool>(alive_)]() mutable {
        auto message = std::make_shared<std::string>(std::move(trace));
        *message += missing_fields(content, entry.id, hostname_, entry.created);
        *message += content;
        try {
            if (signer_) message->insert(0, signer_->sign(*message));
        } catch (const std::exception& e) {
            spdlog::warn("{}: not DKIM-signed: {}", entry.id, e.what());
        }
        std::string error;
        const int err = store_.add(entry, *message, &error);
        if (err) spdlog::error("{}: not queued: {}", entry.id, error);
        const DeliveryStatus status = err == 0 ? DeliveryStatus::kStored
                                      : (err == ENOSPC || err == EDQUOT)
                                          ? DeliveryStatus::kStorageFull
                                          : DeliveryStatus::kFailed;
        loop_->queue_in_loop([this, alive, entry = std::move(entry), message, status, done] {
            if (status == DeliveryStatus::kStored && alive.lock()) queue_.add(entry, message);
            done(status);
        });
    };
    if (!pool_.submit(std::move(job))) {
        spdlog::warn("{}: {} enqueues waiting; refusing this one for now", envelope.id,
                     pool_.pending());
        done(DeliveryStatus::kFailed);
    }
}

}  // namespace netius::net::relay
