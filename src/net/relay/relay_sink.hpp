#pragma once
// RelaySink — the MessageSink of `netius serve relay`: RCPT and MAIL policy from RelayPolicy.
// A message for local recipients only goes to the Maildir exactly as with `serve smtp`
// (MaildirSink). A message with any remote recipient is queued whole, local recipients
// included: Date and Message-ID added when missing, DKIM-signed when a key applies
// (outbound_message.hpp), written and fsynced to the QueueStore by a QueueWriter, and only
// then handed to the RelayQueue (which delivers the local recipients to the Maildir through
// its local transport) and answered 250 (RFC 5321 §6.1: once we say 250, the message is
// ours). So accepting a message is one durable write: a failure leaves nothing behind and
// the client's retry duplicates nothing.
// Loop thread only (the workers post back).
#include <memory>
#include <string>

#include "net/relay/outbound_message.hpp"
#include "net/relay/queue_store.hpp"
#include "net/relay/queue_writer.hpp"
#include "net/relay/relay_policy.hpp"
#include "net/relay/relay_queue.hpp"
#include "net/smtp/maildir_sink.hpp"

namespace netius::net::relay {

class RelaySink final : public smtp::MessageSink {
  public:
    /// Everything referenced must outlive the sink; `signer` may be null.
    RelaySink(EventLoop* loop, const RelayPolicy& policy, smtp::MaildirSink& local,
              const QueueStore& store, RelayQueue& queue, const DkimSigner* signer,
              std::string hostname, std::size_t threads = 16);

    std::optional<smtp::Reply> check_sender(const smtp::Envelope& envelope,
                                            std::string_view sender) const override;
    std::optional<smtp::Reply> check_recipient(const smtp::Envelope& envelope,
                                               std::string_view address) const override;
    void deliver(const smtp::Envelope& envelope, std::string trace, std::string content,
                 smtp::DeliveryDone done) override;

  private:
    void enqueue(const smtp::Envelope& envelope, std::string trace, std::string content,
                 const smtp::DeliveryDone& done);

    const RelayPolicy& policy_;
    smtp::MaildirSink& local_;
    const QueueStore& store_;
    RelayQueue& queue_;
    const DkimSigner* signer_;
    std::string hostname_;
    QueueWriter writer_;  // last: joined before the rest goes
};

}  // namespace netius::net::relay
