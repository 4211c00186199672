#include "net/relay/bounce.hpp"

#include <fmt/format.h>

#include "net/relay/outbound_message.hpp"

namespace netius::net::relay {
namespace {

// The header section of `message`, without the empty line, CRLF lines.
std::string_view header_section(std::string_view message) {
    std::size_t end = message.find("\r\n\r\n");
    if (end != std::string_view::npos) return message.substr(0, end + 2);
    return message;
}

// The remote reply as "550 5.1.1 text": the diagnostic when it is the reply already (the
// Deliverer's form), else built from its parts.
std::string reply_text(const QueuedRecipient& r) {
    const std::string code = std::to_string(r.code);
    if (r.diagnostic.starts_with(code + " ") || r.diagnostic == code) return r.diagnostic;
    std::string out = code;
    if (!r.enhanced.empty()) out += " " + r.enhanced;
    if (!r.diagnostic.empty()) out += " " + r.diagnostic;
    return out;
}

std::string remote_host(const QueuedRecipient& r) {
    return r.remote.substr(0, r.remote.find(' '));
}

}  // namespace

std::string status_of(const QueuedRecipient& r) {
    return r.enhanced.empty() ? "5.0.0" : r.enhanced;  // expiry records its 4.4.7
}

std::string compose_bounce(const QueueEntry& entry, std::string_view original,
                           const BounceInfo& info) {
    const std::string date = rfc5322_date(info.now);
    const std::string boundary = fmt::format("{}/{}", info.message_id, info.reporting_host);
    std::string m;
    m += fmt::format("From: Mail Delivery System <{}>\r\n", info.postmaster);
    m += fmt::format("To: <{}>\r\n", entry.sender);
    m += "Subject: Undelivered Mail Returned to Sender\r\n";
    m += "Date: " + date + "\r\n";
    m += fmt::format("Message-ID: <{}@{}>\r\n", info.message_id, info.reporting_host);
    m += "Auto-Submitted: auto-replied\r\n";  // RFC 3834 §5: do not answer this one
    m += "MIME-Version: 1.0\r\n";
    m += fmt::format(
        "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"{}\"\r\n",
        boundary);
    m += "\r\nThis is a MIME-encapsulated message.\r\n\r\n";
    // Part 1: for people.
    m += fmt::format("--{}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n", boundary);
    m += fmt::format(
        "This is the mail system at host {}.\r\n\r\nYour message {} could not be delivered to "
        "one or more recipients.\r\n\r\n",
        info.reporting_host, entry.id);
    for (const auto* r : entry.failures())
        m += fmt::format("<{}>: {}{}\r\n", r->address,
                         r->remote.empty() ? "" : "host " + r->remote + " said: ", r->diagnostic);
    // Part 2: RFC 3464 §2.2 per-message fields, §2.3 per-recipient fields.
    m += fmt::format("\r\n--{}\r\nContent-Type: message/delivery-status\r\n\r\n", boundary);
    m += fmt::format("Reporting-MTA: dns; {}\r\nX-Netius-Queue-ID: {}\r\nArrival-Date: {}\r\n",
                     info.reporting_host, entry.id, rfc5322_date(entry.created));
    for (const auto* r : entry.failures()) {
        m += fmt::format("\r\nFinal-Recipient: rfc822; {}\r\nAction: failed\r\nStatus: {}\r\n",
                         r->address, status_of(*r));
        if (!r->remote.empty()) m += fmt::format("Remote-MTA: dns; {}\r\n", remote_host(*r));
        if (r->code > 0) {
            m += "Diagnostic-Code: smtp; " + reply_text(*r) + "\r\n";
        } else if (!r->diagnostic.empty()) {
            m += fmt::format("X-Netius-Diagnostic: {}\r\n", r->diagnostic);
        }
        m += "Last-Attempt-Date: " + date + "\r\n";
    }
    // Part 3: the original header section (RFC 6522 §3 text/rfc822-headers).
    m += fmt::format("\r\n--{}\r\nContent-Type: text/rfc822-headers\r\n\r\n", boundary);
    m += header_section(original);
    m += fmt::format("\r\n--{}--\r\n", boundary);
    return m;
}

}  // namespace netius::net::relay
