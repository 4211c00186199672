#pragma once
// The client side of SMTP replies (RFC 5321 §4.2): a pure, incremental parser for one reply,
// single- or multi-line ("250-first", "250-second", "250 last"), and the EHLO keywords a
// client acts on (RFC 5321 §4.1.1.1, §2.2.2).
//
//   - Every line must carry the same code (RFC 5321 §4.2.1); the code is three digits, the
//     first 2-5 (1yz is not used by SMTP); after it comes "-" (more lines follow), " " or the
//     line end (the last line).
//   - Lines end with CRLF; a bare LF is accepted as well (lenient with old servers: a reply
//     is never binary content, so nothing can be smuggled by it).
//   - Bounded: a line longer than ReplyLimits::max_line (RFC 5321 §4.5.3.1.5 says 512
//     octets; servers exceed it) or more than max_lines lines is an error.
//   - An enhanced status code (RFC 3463, RFC 2034 §3) at the start of the first line's text
//     is split out when its class matches the reply's first digit.
//
// Results are views into the caller's input. Pure; any thread; one parser per connection.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace netius::net::smtp {

struct ReplyLimits {
    std::size_t max_line = 2048;  // bytes, with the line end
    std::size_t max_lines = 100;
};

/// A reply the server sent. Views point into the input given to ReplyParser::parse.
struct ServerReply {
    int code = 0;
    std::string_view enhanced;            // "5.1.1", or empty
    std::string_view text;                // the first line's text after the enhanced code
    std::vector<std::string_view> lines;  // every line's text after "NNN-" / "NNN "
};

struct ReplyComplete {
    std::size_t consumed;  // bytes of the reply; what follows is the next reply
    friend bool operator==(const ReplyComplete&, const ReplyComplete&) = default;
};
struct ReplyIncomplete {
    friend bool operator==(const ReplyIncomplete&, const ReplyIncomplete&) = default;
};
struct ReplyError {
    std::string_view reason;  // static text: "line too long", "code mismatch"...
    friend bool operator==(const ReplyError&, const ReplyError&) = default;
};
using ReplyResult = std::variant<ReplyComplete, ReplyIncomplete, ReplyError>;

inline bool is_incomplete(const ReplyResult& r) {
    return std::holds_alternative<ReplyIncomplete>(r);
}

class ReplyParser {
  public:
    explicit ReplyParser(ReplyLimits limits = {}) : limits_(limits) {}

    /// Parses the reply at the start of `in` (which grows between calls: the same bytes plus
    /// more, possibly at another address). Complete fills `out`; Incomplete asks for more
    /// bytes; Error means the peer does not speak SMTP (close the connection). The parser is
    /// ready for the next reply after Complete.
    ReplyResult parse(std::string_view in, ServerReply& out);
    void reset();

  private:
    ReplyLimits limits_;
    std::size_t scanned_ = 0;  // bytes of whole lines already checked
    std::size_t lines_ = 0;
    int code_ = 0;
};

/// "550 5.1.1 No such user; try later" — the reply as one printable line for diagnostics:
/// the lines' texts joined by "; " (the enhanced code only once), control bytes replaced by
/// '?', at most `max` bytes.
std::string describe(const ServerReply& reply, std::size_t max = 512);

/// What an EHLO reply offers (keywords are case-insensitive, RFC 5321 §2.4).
struct Extensions {
    bool pipelining = false;             // RFC 2920
    bool starttls = false;               // RFC 3207
    bool eight_bit_mime = false;         // RFC 6152
    bool smtputf8 = false;               // RFC 6531
    bool enhanced_status_codes = false;  // RFC 2034
    bool size = false;                   // RFC 1870
    std::uint64_t max_size = 0;          // SIZE's argument; 0 = no fixed limit
    bool auth_plain = false;             // RFC 4954 with RFC 4616
    bool auth_login = false;             // draft-murchison-sasl-login
};

/// The extensions of an EHLO reply: every line after the first (the greeting line) is
/// "KEYWORD [params]". Unknown keywords and malformed parameters are ignored.
Extensions parse_ehlo(const ServerReply& reply);

}  // namespace netius::net::smtp
