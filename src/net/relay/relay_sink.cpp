#include "net/relay/relay_sink.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <ctime>

namespace netius::net::relay {
namespace {

using smtp::DeliveryStatus;

constexpr std::size_t kMaxQueuedEnqueues = 4096;

}  // namespace

RelaySink::RelaySink(EventLoop* loop, const RelayPolicy& policy, smtp::MaildirSink& local,
                     const QueueStore& store, RelayQueue& queue, const DkimSigner* signer,
                     std::string hostname, std::size_t threads)
    : policy_(policy),
      local_(local),
      store_(store),
      queue_(queue),
      signer_(signer),
      hostname_(std::move(hostname)),
      writer_(loop, "relay-queue", threads, kMaxQueuedEnqueues) {}

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
    for (const auto& r : envelope.recipients)
        if (!policy_.is_local(r))
            return enqueue(envelope, std::move(trace), std::move(content), done);
    local_.deliver(envelope, std::move(trace), std::move(content), std::move(done));
}

void RelaySink::enqueue(const smtp::Envelope& envelope, std::string trace, std::string content,
                        const smtp::DeliveryDone& done) {
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    QueueEntry entry;
    entry.id = envelope.id;
    entry.created = now;
    entry.sender = envelope.sender;
    entry.smtputf8 = envelope.smtputf8;
    entry.eight_bit = envelope.eight_bit;
    for (const auto& r : envelope.recipients)
        entry.recipients.push_back({r, RecipientState::kPending, 0, now, 0, "", "", ""});
    auto shared = std::make_shared<QueueEntry>(std::move(entry));
    auto message = std::make_shared<std::string>(std::move(trace));
    // The job owns copies of what it needs (the sink may go before a running job ends).
    auto job = [store = &store_, signer = signer_, hostname = hostname_, entry = shared, message,
                content = std::move(content)](std::string* error) {
        *message += missing_fields(content, entry->id, hostname, entry->created);
        *message += content;
        try {
            if (signer) message->insert(0, signer->sign(*message));
        } catch (const std::exception& e) {
            spdlog::warn("{}: not DKIM-signed: {}", entry->id, e.what());
        }
        const int err = store->add(*entry, *message, error);
        if (err) spdlog::error("{}: not queued: {}", entry->id, *error);
        return err;
    };
    auto stored = [this, entry = shared, message, done](int err) {
        if (err == 0) queue_.add(std::move(*entry), message);
        done(err == 0                           ? DeliveryStatus::kStored
             : (err == ENOSPC || err == EDQUOT) ? DeliveryStatus::kStorageFull
                                                : DeliveryStatus::kFailed);
    };
    if (!writer_.submit(std::move(job), std::move(stored))) {
        spdlog::warn("{}: {} enqueues waiting; refusing this one for now", envelope.id,
                     writer_.pending());
        done(DeliveryStatus::kFailed);
    }
}

}  // namespace netius::net::relay
