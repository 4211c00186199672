#pragma once
// RFC 5322 §2.2 header-section parsing for DKIM (RFC 6376 §3.4, §5.4). Pure (any thread): no
// I/O, no logging; every view points into the caller's buffer and lives as long as it does.
// CRLF and LF-only line endings are both accepted; like an MTA, DKIM hashing treats a bare LF
// as CRLF (canonicalization.hpp), but these functions never change a byte of the input.
#include <cstddef>
#include <string_view>
#include <variant>
#include <vector>

#include "util/ascii.hpp"

namespace netius::crypto::dkim {

/// Bounds on what a header section may hold (architecture rule 7).
struct MessageLimits {
    std::size_t max_fields = 1000;
    std::size_t max_header_bytes = 1u << 20;  // the header section, blank line included
};

enum class LineEnding { Crlf, Lf };

/// "\r\n" or "\n".
std::string_view line_ending_text(LineEnding eol);

struct HeaderField {
    std::string_view name;   // as written, without any WSP before the colon
    std::string_view value;  // after the colon up to the field's final line ending, folds kept
    std::string_view raw;    // the whole field (name .. value) without its final line ending
    std::size_t line = 0;    // 1-based number of the field's first line
};

struct HeaderSection {
    std::vector<HeaderField> fields;
    LineEnding line_ending = LineEnding::Crlf;  // the style of the first line; CRLF if none
};

struct HeadersComplete {
    std::size_t consumed;  // bytes of the header section including the empty line
};
struct HeadersIncomplete {};
struct HeadersError {
    std::size_t line;         // 1-based line where the problem is
    std::string_view reason;  // static text, e.g. "header line without a colon"
};
using HeadersResult = std::variant<HeadersComplete, HeadersIncomplete, HeadersError>;

/// Parses the header section at the start of `input` into `out` (cleared first). Returns
/// Complete once the empty line that ends it is in `input`, Incomplete while more bytes are
/// needed (call again with the longer input; parsing restarts from the beginning), or Error as
/// soon as a complete line is bad or a limit is exceeded. Never reads past `input`.
/// Rejects: a line without a colon, a continuation line before the first field, an empty or
/// non-printable field name (RFC 5322 §3.6.8 ftext), more than `limits` allow.
HeadersResult parse_header_section(std::string_view input, HeaderSection& out,
                                   const MessageLimits& limits = {});

struct Message {
    HeaderSection headers;
    std::string_view body;  // every byte after the empty line (empty when there is none)
};

/// Parses a whole message. A message that ends inside its header section (no empty line) has
/// an empty body. Throws netius::Error("line N: <reason>") for a malformed header section.
Message parse_message(std::string_view data, const MessageLimits& limits = {});

/// Header field and tag names compare case-insensitively (util/ascii.hpp).
using netius::iequals;

}  // namespace netius::crypto::dkim
