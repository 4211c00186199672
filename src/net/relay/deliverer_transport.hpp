#pragma once
// DelivererTransport — the relay queue's transport for remote domains: outbound SMTP through
// smtp::Deliverer (MX lookup or smarthost, STARTTLS, per-recipient outcomes). Destroying it
// cancels deliveries in flight without calling their callbacks; their recipients stay pending
// in the queue files and are delivered after a restart. Loop thread only.
#include "net/relay/outbound_transport.hpp"
#include "net/smtp/client/deliverer.hpp"

namespace netius::net::relay {

class DelivererTransport final : public OutboundTransport {
  public:
    /// Throws like smtp::Deliverer's constructor (bad nameserver, unreadable CA file).
    DelivererTransport(EventLoop* loop, smtp::DelivererOptions options)
        : deliverer_(loop, std::move(options)) {}
    void deliver(smtp::Outbound message, smtp::DeliveryCallback done) override {
        deliverer_.deliver(std::move(message), std::move(done));
    }

  private:
    smtp::Deliverer deliverer_;
};

}  // namespace netius::net::relay
