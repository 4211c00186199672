#pragma once
// The pure parts of `netius smtp send`: composing a message from --subject/--body/--header,
// preparing a given one (CRLF lines), netius' positional arguments, splitting recipients by
// domain for MX delivery, and the exit status of a delivery. No I/O; any thread.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/smtp/delivery.hpp"

namespace netius::cmd {

struct Composition {
    std::string from;
    std::vector<std::string> to;
    std::string subject;
    std::string body;                  // any line endings; UTF-8
    std::vector<std::string> headers;  // "Name: value", validated by check_header_field()
};

/// An RFC 5322 message (CRLF lines): the --header fields, then From, To and Subject unless a
/// --header gave them, then Date and Message-ID <`id`.`now`@DOMAIN-of-from> unless given,
/// MIME-Version/Content-Type/Content-Transfer-Encoding for a non-ASCII body (unless a
/// Content-Type was given), an empty line and the body, ending with CRLF. A non-ASCII subject
/// is an RFC 2047 encoded-word. Never fails (check the headers first).
std::string compose_message(const Composition& c, std::string_view id, std::int64_t now);

/// Empty when `field` is "Name: value" with a printable ASCII name and no CR or LF, else what
/// is wrong with it.
std::string check_header_field(std::string_view field);

/// `content` with every line ending (LF, CRLF, lone CR) made CRLF and a final CRLF added when
/// missing: the form SMTP carries (RFC 5321 §2.3.8).
std::string to_crlf(std::string_view content);

/// Recipients grouped by the domain after their last '@', lower case (the MX lookup key), in
/// the order each domain first appears. Throws netius::UsageError for an address without a
/// local part or domain.
std::vector<std::pair<std::string, std::vector<std::string>>> by_domain(
    const std::vector<std::string>& recipients);

/// Exit statuses of `smtp send` beyond 0 (delivered), 1 (other failure) and 2 (usage).
inline constexpr int kExitPermanent = 3;  // a 5xx, or refused for good (no such domain...)
inline constexpr int kExitTransient = 4;  // a 4xx
inline constexpr int kExitNoServer = 5;   // no reply: connection, TLS, timeout or DNS trouble

/// The exit status for `outcomes`: 0 when all were delivered, else kExitPermanent if any was
/// refused for good, else kExitTransient if any got a 4xx, else kExitNoServer.
int send_exit_status(const std::vector<net::smtp::RecipientOutcome>& outcomes);

/// netius' `smtp send PATH FROM TO [HOST PORT USER PASS STLS]`: the positional arguments
/// after PATH. PASS must be "-" (the password comes from --auth-password-file,
/// NETIUS_SMTP_PASSWORD or a prompt, never the command line); STLS is a boolean
/// (1/true/yes/on or 0/false/no/off). Throws netius::UsageError naming the bad argument.
struct NetiusArgs {
    std::string from;
    std::vector<std::string> to;        // TO split on commas
    std::optional<std::string> server;  // "HOST" or "HOST:PORT"
    std::optional<std::string> user;
    bool starttls = false;
};
NetiusArgs parse_netius_args(const std::vector<std::string>& args);

}  // namespace netius::cmd
