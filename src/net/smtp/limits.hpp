#pragma once
// Every bound the SMTP server enforces, in one place (architecture rule 7). The command layer
// overrides fields from its options; the relay (issue 8) shares the same struct. Defaults
// follow RFC 5321 §4.5.3 (sizes) and §4.5.3.2 (timeouts).
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace netius::net::smtp {

struct Limits {
    /// A command line with its CRLF. RFC 5321 §4.5.3.1.4 says 512 octets, and each extension
    /// may add to it (RFC 1870 SIZE, RFC 6531 longer UTF-8 addresses); past it: 500 5.5.0 and
    /// the rest of the line is discarded.
    std::size_t max_command_line = 2048;
    /// A SASL line (AUTH with an initial response, or a response to 334): RFC 4954 §4 allows
    /// 12,288 octets (500 5.5.6 past it).
    std::size_t max_auth_line = 12288;
    /// Message content after dot-unstuffing, advertised as SIZE (RFC 1870); 552 5.3.4 past it.
    std::uint64_t max_message_bytes = 25u << 20;
    /// Recipients per message; RFC 5321 §4.5.3.1.8 requires at least 100. 452 4.5.3 past it.
    std::size_t max_recipients = 100;
    /// Error replies (5xx to the client's mistakes) a session may provoke before it gets
    /// 421 4.7.0 and is closed.
    std::size_t max_errors = 10;

    /// Waiting for the next command (RFC 5321 §4.5.3.2.7: "at least 5 minutes"); also bounds
    /// a TLS handshake. Past it: 421 4.4.2 and close.
    std::chrono::milliseconds command_timeout{5 * 60 * 1000};
    /// Time without progress while a message is being received (RFC 5321 §4.5.3.2.5's data
    /// block: 3 minutes).
    std::chrono::milliseconds data_timeout{3 * 60 * 1000};
    /// Time without progress while writing replies to a client that does not read them.
    std::chrono::milliseconds write_timeout{60 * 1000};
    /// How long a failed AUTH waits before its 535 (slows password guessing).
    std::chrono::milliseconds auth_failure_delay{1000};
};

}  // namespace netius::net::smtp
