#pragma once
// OutboundTransport — where the relay queue hands one message for one destination: the
// outbound SMTP Deliverer (smtp/client/deliverer.hpp) for remote domains, the Maildir for
// local ones, a scripted fake in tests. The contract is net/smtp/delivery.hpp: `done` runs on
// the loop thread exactly once, never inside deliver(), with one outcome per recipient in order.
#include "net/smtp/delivery.hpp"

namespace netius::net::relay {

class OutboundTransport {
  public:
    virtual ~OutboundTransport() = default;
    /// Loop thread.
    virtual void deliver(smtp::Outbound message, smtp::DeliveryCallback done) = 0;
};

}  // namespace netius::net::relay
