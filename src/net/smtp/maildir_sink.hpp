#pragma once
// MaildirSink — the MessageSink of `netius serve smtp`: recipients are accepted when their
// domain is in the list (any domain when it is empty — a development mail sink, as Mailpit)
// and their address can name a Maildir; messages get a Return-Path field (RFC 5321 §4.4:
// this is the final delivery) before the trace field and are stored by a MaildirStore on
// worker threads, so fsync never blocks the loop. Loop thread only (the workers post back).
#include <memory>
#include <string>
#include <vector>

#include "net/smtp/maildir.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/worker_pool.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::smtp {

class MaildirSink final : public MessageSink {
  public:
    /// `domains`: accepted recipient domains (case-insensitive); empty accepts all.
    /// `threads`: concurrent deliveries (each mostly waits for fsync).
    MaildirSink(EventLoop* loop, MaildirStore& store, std::vector<std::string> domains,
                std::size_t threads = 16);

    std::optional<Reply> check_recipient(const Envelope& envelope,
                                         std::string_view address) const override;
    void deliver(const Envelope& envelope, std::string trace, std::string content,
                 DeliveryDone done) override;

  private:
    EventLoop* loop_;
    MaildirStore& store_;
    std::vector<std::string> domains_;  // lower case
    WorkerPool pool_;                   // last: joined before the rest goes
};

/// Parses netius' list syntax ("a.example;b.example", also ',' and spaces) into lower-case
/// domains. Pure.
std::vector<std::string> parse_domain_list(std::string_view text);

}  // namespace netius::net::smtp
