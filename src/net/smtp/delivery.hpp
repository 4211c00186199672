#pragma once
// The contract between the relay's queue (src/net/relay) and outbound SMTP
// (src/net/smtp/client): hand one message for one destination to a Deliverer, get one outcome
// per recipient back. The queue decides retries and bounces from the outcomes; the Deliverer
// knows MX lookup, sessions, STARTTLS and AUTH, and nothing about queues.
//
//     Deliverer deliverer(&loop, options);
//     deliverer.deliver({"example.org", sender, {"a@example.org"}, content},
//                       [](DeliveryReport report) { ... per-recipient outcomes ... });
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace netius::net::smtp {

/// How one recipient fared. kTransient: 4xx, connection, TLS or DNS trouble (retry later);
/// kPermanent: 5xx, null MX (RFC 7505), no such domain (bounce now).
enum class RecipientFate { kDelivered, kTransient, kPermanent };

struct RecipientOutcome {
    std::string recipient;
    RecipientFate fate = RecipientFate::kTransient;
    int code = 0;            // the remote reply code, 0 when none was received
    std::string enhanced;    // "5.1.1" when the remote sent one, else empty
    std::string diagnostic;  // one line: the remote reply text, or what went wrong locally
    std::string remote;      // host the answer came from ("mx1.example.org [127.0.0.1]"), or empty
};

/// One message to one destination: every recipient shares `domain` (or all go to the
/// smarthost, when one is configured).
struct Outbound {
    std::string domain;                          // the recipients' domain (MX lookup key)
    std::string sender;                          // reverse-path; empty for the null sender "<>"
    std::vector<std::string> recipients;         // at least one
    std::shared_ptr<const std::string> content;  // the whole message, CRLF lines, not dot-stuffed
    bool smtputf8 = false;                       // needs SMTPUTF8 (non-ASCII addresses)
    bool eight_bit = false;                      // needs 8BITMIME (non-ASCII body)
};

struct DeliveryReport {
    std::vector<RecipientOutcome> recipients;  // one per Outbound::recipients, same order
};

using DeliveryCallback = std::function<void(DeliveryReport)>;

}  // namespace netius::net::smtp
