#pragma once
// MaildirTransport — the relay queue's transport for local domains: queued messages for local
// users (bounces to a local sender) are stored in the Maildir the way `serve smtp` stores
// them (Return-Path in front, MaildirStore on a worker thread). Every recipient of a call gets
// the same outcome: delivered, or transient when the store fails (retried by the queue).
// Loop thread only (the worker posts back).
#include "net/relay/outbound_transport.hpp"
#include "net/smtp/maildir.hpp"
#include "net/worker_pool.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::relay {

class MaildirTransport final : public OutboundTransport {
  public:
    MaildirTransport(EventLoop* loop, smtp::MaildirStore& store);
    void deliver(smtp::Outbound message, smtp::DeliveryCallback done) override;

  private:
    EventLoop* loop_;
    smtp::MaildirStore& store_;
    WorkerPool pool_;  // last: joined before the rest goes
};

}  // namespace netius::net::relay
