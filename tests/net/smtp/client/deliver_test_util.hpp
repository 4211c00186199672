#pragma once
// Running a Deliverer on the test's loop: deliver() one message and wait (bounded) for its
// report, checking that the callback never runs inside deliver().
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../net_test_util.hpp"
#include "net/smtp/client/deliverer.hpp"

namespace netius::net::smtp::test {

using namespace std::chrono_literals;

inline const char* kContent = "Subject: test\r\n\r\nbody\r\n.dot line\r\n";

inline Outbound message(std::vector<std::string> recipients, std::string content = kContent) {
    Outbound m;
    m.domain = "example.org";
    m.sender = "alice@example.net";
    m.recipients = std::move(recipients);
    m.content = std::make_shared<const std::string>(std::move(content));
    return m;
}

/// Options sending everything to `port` on 127.0.0.1 as a smarthost, with short timeouts.
inline DelivererOptions smarthost_options(std::uint16_t port) {
    DelivererOptions o;
    o.helo_name = "client.test";
    o.smarthost = SmarthostOptions{"127.0.0.1", port, {}, {}};
    o.connect_timeout = 5s;
    o.command_timeout = 5s;
    o.idle_timeout = 0s;  // QUIT after each message (the tests that keep one set it)
    return o;
}

inline DeliveryReport deliver(EventLoop& loop, Deliverer& deliverer, Outbound m) {
    std::optional<DeliveryReport> got;
    bool inside = true;
    deliverer.deliver(std::move(m), [&](DeliveryReport r) {
        EXPECT_FALSE(inside) << "the callback ran inside deliver()";
        EXPECT_FALSE(got.has_value()) << "the callback ran twice";
        got = std::move(r);
    });
    inside = false;
    net::test::run_until(
        loop, [&] { return got.has_value(); }, 20s);
    return got.value_or(DeliveryReport{});
}

/// "fate code enhanced" of each outcome, e.g. "delivered 250 2.0.0".
inline std::vector<std::string> fates(const DeliveryReport& r) {
    std::vector<std::string> out;
    for (const RecipientOutcome& o : r.recipients) {
        const char* f = o.fate == RecipientFate::kDelivered   ? "delivered"
                        : o.fate == RecipientFate::kPermanent ? "permanent"
                                                              : "transient";
        out.push_back(std::string(f) + " " + std::to_string(o.code) +
                      (o.enhanced.empty() ? "" : " " + o.enhanced));
    }
    return out;
}

}  // namespace netius::net::smtp::test
