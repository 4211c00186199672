#include "net/smtp/client/reply_parser.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "util/ascii.hpp"

namespace netius::net::smtp {
namespace {

/// The code of a reply line, or 0 when it does not start with one (RFC 5321 §4.2: first digit
/// 2-5, second 0-5, third 0-9) followed by the end, " " or "-".
int line_code(std::string_view line) {
    if (line.size() < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' ||
        !is_ascii_digit(line[2]))
        return 0;
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return 0;
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

/// The length of a 1-3 digit number at the start of `s`, or 0.
std::size_t digits(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && n < 4 && is_ascii_digit(s[n])) ++n;
    return n >= 1 && n <= 3 ? n : 0;
}

/// The length of an RFC 3463 status code "c.sss.ddd" at the start of `text` whose class is
/// `klass`, followed by a space or the end; 0 when there is none.
std::size_t enhanced_length(std::string_view text, char klass) {
    if (text.size() < 5 || text[0] != klass || text[1] != '.') return 0;
    std::size_t subject = digits(text.substr(2));
    if (subject == 0 || 2 + subject >= text.size() || text[2 + subject] != '.') return 0;
    std::size_t detail = digits(text.substr(3 + subject));
    if (detail == 0) return 0;
    std::size_t n = 3 + subject + detail;
    return n == text.size() || text[n] == ' ' ? n : 0;
}

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t start = i;
        while (i < s.size() && s[i] != ' ') ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

}  // namespace

void ReplyParser::reset() {
    scanned_ = 0;
    lines_ = 0;
    code_ = 0;
}

ReplyResult ReplyParser::parse(std::string_view in, ServerReply& out) {
    for (;;) {
        std::size_t nl = in.find('\n', scanned_);
        if (nl == std::string_view::npos) {
            if (in.size() - scanned_ > limits_.max_line) return ReplyError{"line too long"};
            return ReplyIncomplete{};
        }
        if (nl + 1 - scanned_ > limits_.max_line) return ReplyError{"line too long"};
        std::string_view line = in.substr(scanned_, nl - scanned_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        int code = line_code(line);
        if (code == 0) return ReplyError{"malformed reply line"};
        if (code_ != 0 && code != code_) return ReplyError{"reply code changed between lines"};
        code_ = code;
        if (++lines_ > limits_.max_lines) return ReplyError{"too many reply lines"};
        scanned_ = nl + 1;
        if (line.size() > 3 && line[3] == '-') continue;
        break;
    }
    // The last line arrived: split the whole reply again into views of this `in`.
    out.code = code_;
    out.lines.clear();
    for (std::size_t pos = 0; pos < scanned_;) {
        std::size_t nl = in.find('\n', pos);
        std::string_view line = in.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.lines.push_back(line.size() > 4 ? line.substr(4) : std::string_view{});
        pos = nl + 1;
    }
    std::string_view first = out.lines.front();
    std::size_t n = enhanced_length(first, static_cast<char>('0' + code_ / 100));
    out.enhanced = first.substr(0, n);
    out.text = n == 0 ? first : first.substr(std::min(n + 1, first.size()));
    const std::size_t consumed = scanned_;
    reset();
    return ReplyComplete{consumed};
}

std::string describe(const ServerReply& reply, std::size_t max) {
    std::string out = std::to_string(reply.code);
    if (!reply.enhanced.empty()) {
        out += ' ';
        out += reply.enhanced;
    }
    for (std::size_t i = 0; i < reply.lines.size(); ++i) {
        std::string_view text = i == 0 ? reply.text : reply.lines[i];
        if (i > 0 && !reply.enhanced.empty() && text.starts_with(reply.enhanced)) {
            text.remove_prefix(reply.enhanced.size());
            if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        }
        if (text.empty()) continue;
        out += i == 0 ? " " : "; ";
        for (char c : text) {
            auto u = static_cast<unsigned char>(c);
            out += u < 0x20 || u == 0x7f ? '?' : c;
        }
    }
    if (out.size() > max) out.resize(max);
    return out;
}

Extensions parse_ehlo(const ServerReply& reply) {
    Extensions e;
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        std::vector<std::string_view> w = words(reply.lines[i]);
        if (w.empty()) continue;
        std::string_view keyword = w[0];
        if (keyword.size() > 5 && iequals(keyword.substr(0, 5), "AUTH=")) {
            // The pre-RFC 4954 form "AUTH=LOGIN PLAIN" (Outlook era) lists mechanisms too.
            w[0] = keyword.substr(5);
            keyword = "AUTH";
            w.insert(w.begin(), keyword);
        }
        if (iequals(keyword, "PIPELINING")) {
            e.pipelining = true;
        } else if (iequals(keyword, "STARTTLS")) {
            e.starttls = true;
        } else if (iequals(keyword, "8BITMIME")) {
            e.eight_bit_mime = true;
        } else if (iequals(keyword, "SMTPUTF8")) {
            e.smtputf8 = true;
        } else if (iequals(keyword, "ENHANCEDSTATUSCODES")) {
            e.enhanced_status_codes = true;
        } else if (iequals(keyword, "SIZE")) {
            e.size = true;
            std::uint64_t n = 0;
            if (w.size() > 1) {
                auto [end, ec] = std::from_chars(w[1].data(), w[1].data() + w[1].size(), n);
                if (ec == std::errc{} && end == w[1].data() + w[1].size()) e.max_size = n;
            }
        } else if (iequals(keyword, "AUTH")) {
            for (std::size_t k = 1; k < w.size(); ++k) {
                if (iequals(w[k], "PLAIN")) e.auth_plain = true;
                if (iequals(w[k], "LOGIN")) e.auth_login = true;
            }
        }
    }
    return e;
}

}  // namespace netius::net::smtp
