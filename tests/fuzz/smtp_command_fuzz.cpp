// libFuzzer target for the SMTP server's command side (RFC 5321 §4.1): line framing
// (next_line/skip_line with the line limit), the verb, and MAIL/RCPT arguments.
//
// Input: byte 0 picks the line limit (16..271) and, with byte 1, a split offset; the rest is
// the client's byte stream. It is framed as the session frames it — whole, split in two, and
// byte by byte — and the sequence of events (each line and what it parsed to, or "line too
// long") must agree exactly. Every view lies inside the line it came from; a line never holds
// a LF and is shorter than the limit.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_util.hpp"
#include "net/smtp/command_parser.hpp"

using namespace netius::net::smtp;
using netius::fuzz::check;
using netius::fuzz::copy_of;
using netius::fuzz::inside;

namespace {

std::string parsed(std::string_view line) {
    const Command c = parse_command(line);
    check(inside(c.argument, line), "argument outside the line");
    std::string s = std::to_string(static_cast<int>(c.verb)) + "[" + std::string(c.argument) + "]";
    if (c.verb == Verb::kMail) {
        const auto r = parse_mail(c.argument);
        if (auto* m = std::get_if<MailFrom>(&r)) {
            check(inside(m->address, c.argument), "sender outside the argument");
            check(inside(domain_of(m->address), m->address), "domain outside the address");
            s += "M" + std::string(m->address) + std::to_string(m->size.value_or(~0ull)) +
                 std::to_string(static_cast<int>(m->body)) + (m->smtputf8 ? "u" : "") +
                 (m->non_ascii ? "n" : "");
        } else {
            s += "e" + std::to_string(static_cast<int>(std::get<PathError>(r)));
        }
    } else if (c.verb == Verb::kRcpt) {
        const auto r = parse_rcpt(c.argument);
        if (auto* t = std::get_if<RcptTo>(&r)) {
            check(inside(t->address, c.argument), "recipient outside the argument");
            check(!t->address.empty(), "empty forward-path accepted");
            s += "R" + std::string(t->address) + (t->non_ascii ? "n" : "");
        } else {
            s += "e" + std::to_string(static_cast<int>(std::get<PathError>(r)));
        }
    } else if (c.verb == Verb::kHelo || c.verb == Verb::kEhlo) {
        s += valid_helo(c.argument) ? "h" : "x";
    }
    return s;
}

// Frames `input` fed in the pieces `cuts` makes (each from its own heap buffer), the way the
// session does: a buffer of unread bytes, lines taken from its front.
std::string frame(std::string_view input, std::size_t max, const std::vector<std::size_t>& cuts) {
    std::string buffer, events;
    bool skipping = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
        const std::size_t end = i < cuts.size() ? cuts[i] : input.size();
        auto piece = copy_of(input.substr(start, end - start));
        buffer.append(piece.get(), end - start);
        start = end;
        for (;;) {
            if (skipping) {
                const Skip s = skip_line(buffer);
                check(s.consumed <= buffer.size(), "skip past the input");
                buffer.erase(0, s.consumed);
                if (!s.done) break;
                skipping = false;
                continue;
            }
            const LineResult r = next_line(buffer, max);
            if (std::holds_alternative<LineIncomplete>(r)) {
                check(buffer.size() < max, "incomplete with the limit reached");
                break;
            }
            if (auto* t = std::get_if<LineTooLong>(&r)) {
                check(t->discard <= buffer.size(), "discard past the input");
                events += "T\n";
                buffer.erase(0, t->discard);
                skipping = true;
                continue;
            }
            const Line& l = std::get<Line>(r);
            check(l.consumed <= buffer.size() && l.consumed <= max, "line past the limit");
            check(inside(l.line, buffer), "line outside the input");
            check(l.line.find('\n') == std::string_view::npos, "LF inside a line");
            events += parsed(l.line) + "\n";
            buffer.erase(0, l.consumed);
        }
    }
    return events + (skipping ? "S" : "") + std::to_string(buffer.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t max = 16 + data[0];
    const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::size_t split = input.empty() ? 0 : (data[0] * 256u + data[1]) % input.size();
    const std::string whole = frame(input, max, {});
    check(frame(input, max, {split}) == whole, "split feeding disagrees");
    if (input.size() <= 4096) {
        std::vector<std::size_t> every;
        for (std::size_t i = 1; i < input.size(); ++i) every.push_back(i);
        check(frame(input, max, every) == whole, "byte-by-byte feeding disagrees");
    }
    return 0;
}
