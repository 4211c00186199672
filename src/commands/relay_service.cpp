#include "commands/relay_service.hpp"

#include <csignal>

#include "commands/smtp_options.hpp"
#include "net/event_loop.hpp"
#include "net/relay/deliverer_transport.hpp"
#include "net/relay/maildir_transport.hpp"
#include "net/relay/relay_sink.hpp"
#include "net/smtp/maildir_sink.hpp"
#include "net/smtp/password_authenticator.hpp"

namespace netius::cmd {
namespace {

class RelayService final : public Service {
  public:
    RelayService(net::EventLoop& loop, UniqueFd listener, const RelayParts& p)
        : remote_(&loop, p.deliverer),
          local_(&loop, *p.maildir),
          queue_(&loop, *p.queue_store, remote_, local_, p.queue, p.signer),
          maildir_sink_(&loop, *p.maildir, p.policy->domains()) {
        std::unique_ptr<net::smtp::Authenticator> auth;
        if (p.users) auth = std::make_unique<net::smtp::PasswordAuthenticator>(&loop, *p.users);
        auto sink = std::make_unique<net::relay::RelaySink>(
            &loop, *p.policy, maildir_sink_, *p.queue_store, queue_, p.signer, p.smtp->hostname);
        smtp_ =
            make_smtp_service(loop, std::move(listener), *p.smtp, std::move(sink), std::move(auth));
    }
    void start() override {
        queue_.start();
        smtp_->start();
    }
    void shutdown(std::chrono::milliseconds grace, std::function<void()> done) override {
        queue_.stop();
        smtp_->shutdown(grace, std::move(done));
    }
    std::size_t connection_count() const override { return smtp_->connection_count(); }
    void reopen_logs() override { smtp_->reopen_logs(); }
    void retry_now() { queue_.retry_now(); }

  private:
    net::relay::DelivererTransport remote_;
    net::relay::MaildirTransport local_;
    net::relay::RelayQueue queue_;
    net::smtp::MaildirSink maildir_sink_;
    std::unique_ptr<Service> smtp_;  // last: its sessions use everything above
};

}  // namespace

std::unique_ptr<Service> make_relay_service(net::EventLoop& loop, UniqueFd listener,
                                            const RelayParts& parts) {
    auto slot = std::make_shared<RelayService*>(nullptr);
    loop.on_signal(SIGUSR2, [slot] {
        if (*slot) (*slot)->retry_now();
    });
    auto service = std::make_unique<RelayService>(loop, std::move(listener), parts);
    *slot = service.get();
    return service;
}

}  // namespace netius::cmd
