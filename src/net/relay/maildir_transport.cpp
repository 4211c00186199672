#include "net/relay/maildir_transport.hpp"

#include "net/event_loop.hpp"

namespace netius::net::relay {
namespace {

smtp::DeliveryReport report_of(const smtp::Outbound& m, bool ok, const std::string& error) {
    smtp::DeliveryReport r;
    for (const auto& rcpt : m.recipients)
        r.recipients.push_back(
            {rcpt, ok ? smtp::RecipientFate::kDelivered : smtp::RecipientFate::kTransient, 0, "",
             ok ? "stored in the Maildir" : error, ""});
    return r;
}

}  // namespace

MaildirTransport::MaildirTransport(EventLoop* loop, smtp::MaildirStore& store)
    : loop_(loop), store_(store), pool_("relay-local", 4, 4096) {}

void MaildirTransport::deliver(smtp::Outbound message, smtp::DeliveryCallback done) {
    auto job = [this, message, done] {
        std::string error;
        const std::string head = "Return-Path: <" + message.sender + ">\r\n";
        const bool ok = store_.deliver(head, *message.content, message.recipients, &error) == 0;
        loop_->queue_in_loop([done, report = report_of(message, ok, error)] { done(report); });
    };
    if (!pool_.submit(std::move(job))) {
        loop_->queue_in_loop(
            [done, report = report_of(message, false, "local delivery busy")] { done(report); });
    }
}

}  // namespace netius::net::relay
