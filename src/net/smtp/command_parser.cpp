#include "net/smtp/command_parser.hpp"

#include <array>
#include <cstring>

#include "util/ascii.hpp"

namespace netius::net::smtp {
namespace {

// RFC 5321 §4.5.3.1.1-3: local part 64 octets, domain 255, a path 256 with its brackets.
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 255;
constexpr std::size_t kMaxAddress = 254;
constexpr std::size_t kMaxSizeDigits = 20;

bool is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext, extended with the UTF-8 bytes of RFC 6531 §3.3 (validated separately).
bool is_atext(unsigned char c) {
    return is_alnum(c) || c >= 0x80 || std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
}

// Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80           ? 1
                        : (c >> 5) == 0x6  ? 2
                        : (c >> 4) == 0xe  ? 3
                        : (c >> 3) == 0x1e ? 4
                                           : 0;
        if (n == 0 || i + n > s.size() || (n == 2 && c < 0xc2)) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        if (n >= 3) {
            auto d = static_cast<unsigned char>(s[i + 1]);
            if ((c == 0xe0 && d < 0xa0) || (c == 0xed && d >= 0xa0) || (c == 0xf0 && d < 0x90) ||
                (c == 0xf4 && d >= 0x90) || c > 0xf4)
                return false;
        }
        i += n;
    }
    return true;
}

bool has_non_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

// Domain = sub-domain *("." sub-domain), sub-domain = Let-dig [Ldh-str] (U-labels allowed);
// or an address literal "[...]". Advances `pos` past it.
bool parse_domain(std::string_view s, std::size_t& pos) {
    const std::size_t start = pos;
    if (pos < s.size() && s[pos] == '[') {
        for (++pos; pos < s.size() && s[pos] != ']'; ++pos) {
            auto c = static_cast<unsigned char>(s[pos]);
            if (c < 33 || c > 126 || c == '[' || c == '\\') return false;
        }
        if (pos >= s.size() || pos == start + 1) return false;
        ++pos;
        return pos - start <= kMaxDomain;
    }
    for (;;) {
        const std::size_t label = pos;
        while (pos < s.size()) {
            auto c = static_cast<unsigned char>(s[pos]);
            if (!is_alnum(c) && c < 0x80 && c != '-') break;
            ++pos;
        }
        if (pos == label || s[label] == '-' || s[pos - 1] == '-') return false;
        if (pos < s.size() && s[pos] == '.') {
            ++pos;
            continue;
        }
        return pos - start <= kMaxDomain;
    }
}

// Local-part = Dot-string / Quoted-string (RFC 5321 §4.1.2).
bool parse_local_part(std::string_view s, std::size_t& pos) {
    const std::size_t start = pos;
    if (pos < s.size() && s[pos] == '"') {
        for (++pos; pos < s.size() && s[pos] != '"'; ++pos) {
            auto c = static_cast<unsigned char>(s[pos]);
            if (c == '\\') {
                if (++pos >= s.size()) return false;
                c = static_cast<unsigned char>(s[pos]);
                if (c < 32 || c == 127) return false;
            } else if ((c < 32 || c == 127) && c < 0x80) {
                return false;
            }
        }
        if (pos >= s.size()) return false;
        ++pos;
    } else {
        for (;;) {
            const std::size_t atom = pos;
            while (pos < s.size() && is_atext(static_cast<unsigned char>(s[pos]))) ++pos;
            if (pos == atom) return false;
            if (pos < s.size() && s[pos] == '.') {
                ++pos;
                continue;
            }
            break;
        }
    }
    return pos - start <= kMaxLocalPart;
}

struct Path {
    std::string_view address;
    bool non_ascii = false;
};

// "<" [A-d-l ":"] Mailbox ">" starting at `pos`; "<>" when `allow_null`, "<Postmaster>" when
// `allow_postmaster`. Advances `pos` past the ">".
std::optional<Path> parse_path(std::string_view s, std::size_t& pos, bool allow_null,
                               bool allow_postmaster) {
    if (pos >= s.size() || s[pos] != '<') return std::nullopt;
    ++pos;
    if (allow_null && pos < s.size() && s[pos] == '>') {
        ++pos;
        return Path{};
    }
    if (pos < s.size() && s[pos] == '@') {  // a source route: parsed, then ignored
        for (;;) {
            ++pos;  // '@'
            if (!parse_domain(s, pos) || pos >= s.size()) return std::nullopt;
            if (s[pos] == ':') break;
            if (s[pos] != ',' || ++pos >= s.size() || s[pos] != '@') return std::nullopt;
        }
        ++pos;
    }
    const std::size_t start = pos;
    if (!parse_local_part(s, pos)) return std::nullopt;
    if (pos < s.size() && s[pos] == '@') {
        ++pos;
        if (!parse_domain(s, pos)) return std::nullopt;
    } else if (!allow_postmaster || !iequals(s.substr(start, pos - start), "postmaster")) {
        return std::nullopt;
    }
    if (pos >= s.size() || s[pos] != '>') return std::nullopt;
    Path p{s.substr(start, pos - start), false};
    ++pos;
    if (p.address.size() > kMaxAddress) return std::nullopt;
    p.non_ascii = has_non_ascii(p.address);
    if (p.non_ascii && !valid_utf8(p.address)) return std::nullopt;
    return p;
}

// "FROM:" / "TO:" and an optional space, case-insensitive.
bool skip_prefix(std::string_view s, std::string_view prefix, std::size_t& pos) {
    if (s.size() < prefix.size() || !iequals(s.substr(0, prefix.size()), prefix)) return false;
    pos = prefix.size();
    while (pos < s.size() && s[pos] == ' ') ++pos;
    return true;
}

// One esmtp-param "keyword[=value]" (RFC 5321 §4.1.2) from `pos`; false when malformed.
bool next_param(std::string_view s, std::size_t& pos, std::string_view& key,
                std::optional<std::string_view>& value) {
    while (pos < s.size() && s[pos] == ' ') ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] != ' ') ++pos;
    std::string_view param = s.substr(start, pos - start);
    auto eq = param.find('=');
    key = param.substr(0, eq);
    value.reset();
    if (eq != std::string_view::npos) value = param.substr(eq + 1);
    if (key.empty() || !is_alnum(static_cast<unsigned char>(key[0]))) return false;
    for (char c : key)
        if (!is_alnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (value) {
        if (value->empty()) return false;
        for (char c : *value) {
            auto u = static_cast<unsigned char>(c);
            if (u < 33 || u == '=' || (u > 126 && u < 0x80)) return false;
        }
    }
    return true;
}

bool parse_size(std::string_view v, std::uint64_t& out) {
    if (v.empty() || v.size() > kMaxSizeDigits) return false;
    std::uint64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return false;
        std::uint64_t next = n * 10 + static_cast<std::uint64_t>(c - '0');
        if (next < n) return false;  // 20 digits can overflow
        n = next;
    }
    out = n;
    return true;
}

bool parse_mail_param(std::string_view key, std::optional<std::string_view> value, MailFrom& m,
                      bool& seen_body, bool& seen_auth) {
    if (iequals(key, "SIZE")) {
        std::uint64_t n = 0;
        if (!value || m.size || !parse_size(*value, n)) return false;
        m.size = n;
    } else if (iequals(key, "BODY")) {
        if (!value || seen_body) return false;
        seen_body = true;
        if (iequals(*value, "7BIT"))
            m.body = Body::k7Bit;
        else if (iequals(*value, "8BITMIME"))
            m.body = Body::k8BitMime;
        else
            return false;  // BINARYMIME needs CHUNKING, which is not offered
    } else if (iequals(key, "SMTPUTF8")) {
        if (value || m.smtputf8) return false;
        m.smtputf8 = true;
    } else if (iequals(key, "AUTH")) {  // RFC 4954 §5: accepted, not trusted
        if (!value || seen_auth) return false;
        seen_auth = true;
    } else {
        return false;
    }
    return true;
}

}  // namespace

LineResult next_line(std::string_view in, std::size_t max) {
    const std::size_t scan = in.size() < max ? in.size() : max;
    const void* lf = std::memchr(in.data(), '\n', scan);
    if (!lf) {
        if (in.size() >= max) return LineTooLong{max};
        return LineIncomplete{};
    }
    const auto end = static_cast<std::size_t>(static_cast<const char*>(lf) - in.data());
    std::string_view line = in.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return Line{end + 1, line};
}

Skip skip_line(std::string_view in) {
    const void* lf = std::memchr(in.data(), '\n', in.size());
    if (!lf) return Skip{in.size(), false};
    return Skip{static_cast<std::size_t>(static_cast<const char*>(lf) - in.data()) + 1, true};
}

Command parse_command(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    const std::size_t sp = line.find(' ');
    std::string_view verb = line.substr(0, sp);
    std::string_view argument =
        sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    static constexpr std::array<std::pair<std::string_view, Verb>, 16> kVerbs{{
        {"HELO", Verb::kHelo},
        {"EHLO", Verb::kEhlo},
        {"MAIL", Verb::kMail},
        {"RCPT", Verb::kRcpt},
        {"DATA", Verb::kData},
        {"RSET", Verb::kRset},
        {"NOOP", Verb::kNoop},
        {"VRFY", Verb::kVrfy},
        {"HELP", Verb::kHelp},
        {"QUIT", Verb::kQuit},
        {"STARTTLS", Verb::kStartTls},
        {"AUTH", Verb::kAuth},
        {"EXPN", Verb::kExpn},
        {"TURN", Verb::kTurn},
        {"ETRN", Verb::kEtrn},
        {"BDAT", Verb::kBdat},
    }};
    for (const auto& [name, v] : kVerbs)
        if (iequals(verb, name)) return Command{v, argument};
    return Command{Verb::kUnknown, argument};
}

std::variant<MailFrom, PathError> parse_mail(std::string_view argument) {
    std::size_t pos = 0;
    if (!skip_prefix(argument, "FROM:", pos)) return PathError::kSyntax;
    auto path = parse_path(argument, pos, true, false);
    if (!path) return PathError::kBadAddress;
    MailFrom m;
    m.address = path->address;
    m.non_ascii = path->non_ascii;
    if (pos < argument.size() && argument[pos] != ' ') return PathError::kBadAddress;
    bool seen_body = false, seen_auth = false;
    while (pos < argument.size()) {
        std::string_view key;
        std::optional<std::string_view> value;
        if (!next_param(argument, pos, key, value) ||
            !parse_mail_param(key, value, m, seen_body, seen_auth))
            return PathError::kBadParameter;
    }
    return m;
}

std::variant<RcptTo, PathError> parse_rcpt(std::string_view argument) {
    std::size_t pos = 0;
    if (!skip_prefix(argument, "TO:", pos)) return PathError::kSyntax;
    auto path = parse_path(argument, pos, false, true);
    if (!path) return PathError::kBadAddress;
    if (pos < argument.size())
        return argument[pos] == ' ' ? PathError::kBadParameter : PathError::kBadAddress;
    return RcptTo{path->address, path->non_ascii};
}

bool valid_helo(std::string_view name) {
    // Lenient on purpose (as Postfix by default): hosts call themselves "my_pc" or
    // "[127.0.0.1]"; only what could break a Received field is refused.
    if (name.empty() || name.size() > kMaxDomain) return false;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 32 || u == 127 || u == '(' || u == ')' || u == ';') return false;
    }
    return valid_utf8(name);
}

std::string_view domain_of(std::string_view address) {
    const std::size_t at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

}  // namespace netius::net::smtp
