#pragma once
// The pure SMTP command parser (architecture rule 6): line framing, the command verb, and the
// MAIL/RCPT arguments (RFC 5321 §4.1.1-§4.1.2, with the parameters of SIZE RFC 1870, 8BITMIME
// RFC 6152, SMTPUTF8 RFC 6531 and AUTH RFC 4954 §5). Views point into the caller's bytes; no
// allocation, no I/O. Any thread. Shared by the server session and the relay (issue 8).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

namespace netius::net::smtp {

// ---- line framing ----

/// A whole line: `line` without its line ending; `consumed` includes it.
struct Line {
    std::size_t consumed;
    std::string_view line;
};
/// No line ending yet (and fewer than the limit's bytes): wait for more input.
struct LineIncomplete {};
/// `max` bytes arrived without a line ending: reply 500 and discard `discard` bytes, then the
/// rest of the line up to the next LF (skip_line()).
struct LineTooLong {
    std::size_t discard;
};
using LineResult = std::variant<Line, LineIncomplete, LineTooLong>;

/// The next line of `in`, at most `max` bytes including its ending. Lines end with CRLF; a
/// bare LF is accepted as a command line ending too (Postfix' "normalize"): it can never end
/// message content (see data_decoder.hpp), which is what SMTP smuggling needs.
LineResult next_line(std::string_view in, std::size_t max);

/// While discarding an overlong line: bytes of `in` to drop and whether its LF was among them.
struct Skip {
    std::size_t consumed;
    bool done;
};
Skip skip_line(std::string_view in);

// ---- commands ----

enum class Verb {
    kHelo,
    kEhlo,
    kMail,
    kRcpt,
    kData,
    kRset,
    kNoop,
    kVrfy,
    kHelp,
    kQuit,
    kStartTls,
    kAuth,
    kExpn,
    kTurn,
    kEtrn,
    kBdat,    // known but not implemented: 502
    kUnknown  // 500
};

struct Command {
    Verb verb;
    std::string_view argument;  // after the verb and one space; trailing spaces removed
};

/// Splits a command line (without its ending) into verb (case-insensitive) and argument.
Command parse_command(std::string_view line);

// ---- MAIL FROM / RCPT TO ----

enum class Body { kUnspecified, k7Bit, k8BitMime };

struct MailFrom {
    std::string_view address;  // empty for the null reverse-path "<>"
    bool non_ascii = false;    // the address has UTF-8 (needs SMTPUTF8, RFC 6531 §3.4)
    std::optional<std::uint64_t> size;
    Body body = Body::kUnspecified;
    bool smtputf8 = false;
};

struct RcptTo {
    std::string_view address;  // "Postmaster" alone is allowed (RFC 5321 §4.1.1.3)
    bool non_ascii = false;
};

/// Why MAIL/RCPT was refused.
enum class PathError {
    kSyntax,        // not "FROM:"/"TO:" + path: 501 5.5.4
    kBadAddress,    // the path is malformed: 501 5.1.7 / 5.1.3
    kBadParameter,  // unknown parameter or value: 555 5.5.4
};

/// Parses MAIL's argument "FROM:<reverse-path> [SP params]". A space after the colon is
/// tolerated (common clients send it); source routes "<@a,@b:u@d>" are dropped (§4.1.1.3).
std::variant<MailFrom, PathError> parse_mail(std::string_view argument);
/// Parses RCPT's argument "TO:<forward-path>"; no RCPT parameters are supported.
std::variant<RcptTo, PathError> parse_rcpt(std::string_view argument);

/// Whether `name` is acceptable as a HELO/EHLO argument: at most 255 bytes of printable
/// ASCII or UTF-8 without spaces, parentheses or ';' (it goes into the Received field).
bool valid_helo(std::string_view name);

/// The domain of `address` (after the last '@'), empty when it has none.
std::string_view domain_of(std::string_view address);

}  // namespace netius::net::smtp
