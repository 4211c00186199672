#pragma once
// Delivery status notifications: the bounce the relay sends to a message's envelope sender
// when recipients fail for good (a 5xx, or still undelivered after --max-queue-time). The
// format is RFC 3464 (multipart/report, RFC 6522; report-type=delivery-status): a text part
// for people, a message/delivery-status part with one block per failed recipient, and the
// original message's header section as text/rfc822-headers. CRLF lines. Pure; any thread.
#include <cstdint>
#include <string>
#include <string_view>

#include "net/relay/queue_entry.hpp"

namespace netius::net::relay {

struct BounceInfo {
    std::string reporting_host;  // our host name (Reporting-MTA, text)
    std::string postmaster;      // the From address
    std::string message_id;      // unique part of its Message-ID and MIME boundary
    std::int64_t now = 0;        // Date and Last-Attempt-Date
};

/// The bounce for the failed recipients of `entry` (at least one), addressed to
/// entry.sender, quoting `original`'s header section (the whole message when it has no
/// empty line). Never call it for the null sender (RFC 5321 §4.5.5: no bounce loops).
std::string compose_bounce(const QueueEntry& entry, std::string_view original,
                           const BounceInfo& info);

/// The RFC 3463 status of a failed recipient: its enhanced code (the remote's, or 4.4.7 that
/// the queue records at expiry), else "5.0.0".
std::string status_of(const QueuedRecipient& r);

}  // namespace netius::net::relay
