#pragma once
// RelaySink — the MessageSink of `netius serve relay`: RCPT and MAIL policy from RelayPolicy;
// local recipients go to the Maildir exactly as with `serve smtp` (MaildirSink); the remote
// ones are queued: Date and Message-ID added when missing, DKIM-signed when a key applies
// (outbound_message.hpp), written and fsynced to the QueueStore on a worker thread, and only
// then handed to the RelayQueue and answered 250 (RFC 5321 §6.1: once we say 250, the message
// is ours). A message with both kinds of recipients gets 250 only when both parts are stored.
// Loop thread only (the workers post back).
#include <memory>
#include <string>

#include "net/relay/outbound_message.hpp"
#include "net/relay/queue_store.hpp"
#include "net/relay/relay_policy.hpp"
#include "net/relay/relay_queue.hpp"
#include "net/smtp/maildir_sink.hpp"
#include "net/worker_pool.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::relay {

class RelaySink final : public smtp::MessageSink {
  public:
    /// Everything referenced must outlive the sink; `signer` may be null.
    RelaySink(EventLoop* loop, const RelayPolicy& policy, smtp::MaildirSink& local,
              const QueueStore& store, RelayQueue& queue, const DkimSigner* signer,
              std::string hostname, std::size_t threads = 16);
    ~RelaySink() override;

    std::optional<smtp::Reply> check_sender(const smtp::Envelope& envelope,
                                            std::string_view sender) const override;
    std::optional<smtp::Reply> check_recipient(const smtp::Envelope& envelope,
                                               std::string_view address) const override;
    void deliver(const smtp::Envelope& envelope, std::string trace, std::string content,
                 smtp::DeliveryDone done) override;

  private:
    void enqueue(const smtp::Envelope& envelope, std::vector<std::string> recipients,
                 std::string trace, std::string content, smtp::DeliveryDone done);

    EventLoop* loop_;
    const RelayPolicy& policy_;
    smtp::MaildirSink& local_;
    const QueueStore& store_;
    RelayQueue& queue_;
    const DkimSigner* signer_;
    std::string hostname_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    WorkerPool pool_;  // last: joined before the rest goes
};

}  // namespace netius::net::relay
