#pragma once
// The Service of `netius serve relay` on one loop: an SmtpServer whose sink is a RelaySink,
// plus everything the relay owns (Maildir sink, queue, outbound transports), built and torn
// down in dependency order. SIGUSR2 retries the whole queue now.
#include <memory>

#include "commands/serve_runner.hpp"
#include "net/relay/outbound_message.hpp"
#include "net/relay/relay_policy.hpp"
#include "net/relay/relay_queue.hpp"
#include "net/smtp/client/deliverer.hpp"
#include "net/smtp/maildir.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/smtp/smtp_server.hpp"

namespace netius::cmd {

/// What the relay shares across its loop's objects; built once in run(), outlives the service.
struct RelayParts {
    const net::smtp::SmtpServerOptions* smtp = nullptr;
    const net::relay::RelayPolicy* policy = nullptr;
    const net::relay::DkimSigner* signer = nullptr;  // null without --dkim
    const net::relay::QueueStore* queue_store = nullptr;
    net::smtp::MaildirStore* maildir = nullptr;
    net::relay::RelayQueueOptions queue;
    net::smtp::DelivererOptions deliverer;
    const net::AuthFile* users = nullptr;  // null: no AUTH
};

/// Registers SIGUSR2 on `loop` (before any worker thread exists), then builds the service.
/// Throws netius::Error when a part cannot start (resolver, queue directory).
std::unique_ptr<Service> make_relay_service(net::EventLoop& loop, UniqueFd listener,
                                            const RelayParts& parts);

}  // namespace netius::cmd
