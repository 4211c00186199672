// The SMTP command parser: line framing fed whole, split at every offset and byte by byte
// (a prefix is Incomplete, then the whole input gives the same lines), and tables for the
// verb, MAIL and RCPT.
#include "net/smtp/command_parser.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

namespace netius::net::smtp {
namespace {

// ---- framing ----

struct LineCase {
    const char* name;
    std::string input;
    std::string want;  // lines joined by '|', then "+incomplete" / "+too_long(n)"
    std::size_t max = 32;
};

// Consumes `input` as the session does: lines while complete, then what stops it.
std::string frame(std::string_view input, std::size_t max) {
    std::string got;
    for (;;) {
        LineResult r = next_line(input, max);
        if (std::holds_alternative<LineIncomplete>(r)) return got + "+incomplete";
        if (auto* t = std::get_if<LineTooLong>(&r))
            return got + fmt::format("+too_long({})", t->discard);
        const Line& l = std::get<Line>(r);
        if (l.consumed > input.size()) return got + "+consumed past the input";
        got += std::string(l.line) + "|";
        input.remove_prefix(l.consumed);
    }
}

class LineFraming : public ::testing::TestWithParam<LineCase> {};

TEST_P(LineFraming, WholeSplitAndByteByByte) {
    const LineCase& c = GetParam();
    EXPECT_EQ(frame(c.input, c.max), c.want) << "whole";
    // Any prefix gives a prefix of the same lines and never a different outcome for a line
    // that is complete in it (the parser keeps no state between calls).
    for (std::size_t k = 0; k < c.input.size(); ++k) {
        std::string prefix = c.input.substr(0, k);  // a fresh buffer each time
        std::string got = frame(prefix, c.max);
        std::string lines = got.substr(0, got.rfind('+'));
        EXPECT_EQ(c.want.compare(0, lines.size(), lines), 0) << "prefix " << k << ": " << got;
    }
}

std::string line_name(const ::testing::TestParamInfo<LineCase>& i) {
    return i.param.name;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Lines, LineFraming, ::testing::Values(
    LineCase{"crlf", "NOOP\r\n", "NOOP|+incomplete"},
    LineCase{"bare_lf_accepted", "NOOP\nRSET\r\n", "NOOP|RSET|+incomplete"},
    LineCase{"pipelined", "EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n",
             "EHLO a|MAIL FROM:<a@b>|RCPT TO:<c@d>|DATA|+incomplete"},
    LineCase{"partial_last_line", "NOOP\r\nRS", "NOOP|+incomplete"},
    LineCase{"empty_line", "\r\n", "|+incomplete"},
    LineCase{"bare_cr_is_not_an_ending", "NO\rOP\r\n", "NO\rOP|+incomplete"},
    LineCase{"exactly_the_limit", std::string(30, 'a') + "\r\n", std::string(30, 'a') + "|+incomplete"},
    LineCase{"one_over_the_limit", std::string(31, 'a') + "\r\n", "+too_long(32)"},
    LineCase{"long_without_ending", std::string(40, 'a'), "+too_long(32)"},
    LineCase{"good_then_long", "NOOP\r\n" + std::string(40, 'a'), "NOOP|+too_long(32)"}), line_name);
// clang-format on

TEST(SkipLine, DropsThroughTheNextLineFeed) {
    Skip s = skip_line("aaaa\r\nNOOP\r\n");
    EXPECT_EQ(s.consumed, 6u);
    EXPECT_TRUE(s.done);
    s = skip_line("aaaa");
    EXPECT_EQ(s.consumed, 4u);
    EXPECT_FALSE(s.done);
}

// ---- verbs ----

TEST(ParseCommand, VerbsAreCaseInsensitiveAndArgumentsTrimmed) {
    struct V {
        const char* line;
        Verb verb;
        const char* argument;
    };
    for (const V& v : {
             V{"EHLO client.example", Verb::kEhlo, "client.example"},
             V{"ehlo x  ", Verb::kEhlo, "x"},
             V{"HeLo x", Verb::kHelo, "x"},
             V{"MAIL FROM:<a@b>", Verb::kMail, "FROM:<a@b>"},
             V{"rcpt TO:<a@b>", Verb::kRcpt, "TO:<a@b>"},
             V{"DATA", Verb::kData, ""},
             V{"rset", Verb::kRset, ""},
             V{"NOOP anything", Verb::kNoop, "anything"},
             V{"VRFY joe", Verb::kVrfy, "joe"},
             V{"HELP", Verb::kHelp, ""},
             V{"QUIT", Verb::kQuit, ""},
             V{"STARTTLS", Verb::kStartTls, ""},
             V{"AUTH PLAIN AHVAcA==", Verb::kAuth, "PLAIN AHVAcA=="},
             V{"EXPN list", Verb::kExpn, "list"},
             V{"BDAT 10 LAST", Verb::kBdat, "10 LAST"},
             V{"XYZZY", Verb::kUnknown, ""},
             V{"", Verb::kUnknown, ""},
             V{" NOOP", Verb::kUnknown, "NOOP"},
             V{"MAIL-FROM:<a@b>", Verb::kUnknown, ""},
         }) {
        Command c = parse_command(v.line);
        EXPECT_EQ(c.verb, v.verb) << v.line;
        EXPECT_EQ(c.argument, v.argument) << v.line;
    }
}

// ---- MAIL / RCPT ----

std::string mail(std::string_view arg) {
    auto r = parse_mail(arg);
    if (auto* e = std::get_if<PathError>(&r))
        return *e == PathError::kSyntax       ? "syntax"
               : *e == PathError::kBadAddress ? "address"
                                              : "param";
    const MailFrom& m = std::get<MailFrom>(r);
    std::string s = fmt::format("<{}>", m.address);
    if (m.size) s += fmt::format(" size={}", *m.size);
    if (m.body == Body::k7Bit) s += " 7bit";
    if (m.body == Body::k8BitMime) s += " 8bit";
    if (m.smtputf8) s += " utf8";
    if (m.non_ascii) s += " non-ascii";
    return s;
}

std::string rcpt(std::string_view arg) {
    auto r = parse_rcpt(arg);
    if (auto* e = std::get_if<PathError>(&r))
        return *e == PathError::kSyntax       ? "syntax"
               : *e == PathError::kBadAddress ? "address"
                                              : "param";
    const RcptTo& t = std::get<RcptTo>(r);
    return fmt::format("<{}>{}", t.address, t.non_ascii ? " non-ascii" : "");
}

TEST(ParseMail, PathsAndParameters) {
    const std::pair<std::string, std::string> cases[] = {
        {"FROM:<a@b.example>", "<a@b.example>"},
        {"from:<a@b>", "<a@b>"},
        {"FROM: <a@b>", "<a@b>"},  // tolerated
        {"FROM:<>", "<>"},
        {"FROM:<@relay.example,@r2.example:joe@x.example>", "<joe@x.example>"},
        {"FROM:<\"john doe\"@x.example>", "<\"john doe\"@x.example>"},
        {"FROM:<\"a\\\"b\"@x>", "<\"a\\\"b\"@x>"},
        {"FROM:<a.b+tag@[127.0.0.1]>", "<a.b+tag@[127.0.0.1]>"},
        {"FROM:<a@[IPv6:::1]>", "<a@[IPv6:::1]>"},
        {"FROM:<a@b> SIZE=1000", "<a@b> size=1000"},
        {"FROM:<a@b> size=0 BODY=8BITMIME", "<a@b> size=0 8bit"},
        {"FROM:<a@b> BODY=7bit", "<a@b> 7bit"},
        {"FROM:<j\xc3\xb6rg@b\xc3\xbc\x63her.example> SMTPUTF8",
         "<j\xc3\xb6rg@b\xc3\xbc\x63her.example> utf8 non-ascii"},
        {"FROM:<j\xc3\xb6rg@x>", "<j\xc3\xb6rg@x> non-ascii"},  // the session answers 553 5.6.7
        {"FROM:<a@b> AUTH=<>", "<a@b>"},
        {"FROM:<a@b>  SIZE=5", "<a@b> size=5"},
        {"FROM:<a@b> SIZE=18446744073709551615", "<a@b> size=18446744073709551615"},
        // refused
        {"FROM:a@b", "address"},
        {"FROM:<a@b", "address"},
        {"FROM:<a@b>x", "address"},
        {"FROM:<a b@c>", "address"},
        {"FROM:<a..b@c>", "address"},
        {"FROM:<.a@c>", "address"},
        {"FROM:<a@-c>", "address"},
        {"FROM:<a@c->", "address"},
        {"FROM:<a@c..d>", "address"},
        {"FROM:<a@>", "address"},
        {"FROM:<@>", "address"},
        {"FROM:<postmaster>", "address"},  // only RCPT may omit the domain
        {"FROM:<a@b\r>", "address"},
        {"FROM:<" + std::string(65, 'a') + "@b>", "address"},
        {"FROM:<a@" + std::string(256, 'b') + ">", "address"},
        {"FROM:<\xff@b> SMTPUTF8", "address"},      // not UTF-8
        {"FROM:<\xc0\xaf@b> SMTPUTF8", "address"},  // overlong
        {"FROM:<a@b> SIZE=", "param"},
        {"FROM:<a@b> SIZE=12x", "param"},
        {"FROM:<a@b> SIZE=18446744073709551616", "param"},
        {"FROM:<a@b> SIZE=1 SIZE=2", "param"},
        {"FROM:<a@b> BODY=BINARYMIME", "param"},
        {"FROM:<a@b> SMTPUTF8=yes", "param"},
        {"FROM:<a@b> RET=FULL", "param"},
        {"FROM:<a@b> =x", "param"},
        {"TO:<a@b>", "syntax"},
        {"FROM", "syntax"},
        {"", "syntax"},
    };
    for (const auto& [arg, want] : cases) EXPECT_EQ(mail(arg), want) << arg;
}

TEST(ParseRcpt, PathsAndParameters) {
    const std::pair<std::string, std::string> cases[] = {
        {"TO:<joe@example.com>", "<joe@example.com>"},
        {"to: <joe@example.com>", "<joe@example.com>"},
        {"TO:<Postmaster>", "<Postmaster>"},
        {"TO:<postmaster@example.com>", "<postmaster@example.com>"},
        {"TO:<@a.example:joe@example.com>", "<joe@example.com>"},
        {"TO:<\xe7\x94\xa8\xe6\x88\xb7@example.com>",
         "<\xe7\x94\xa8\xe6\x88\xb7@example.com> non-ascii"},
        {"TO:<>", "address"},
        {"TO:<joe>", "address"},
        {"TO:joe@example.com", "address"},
        {"TO:<joe@example.com> NOTIFY=NEVER", "param"},
        {"FROM:<joe@example.com>", "syntax"},
    };
    for (const auto& [arg, want] : cases) EXPECT_EQ(rcpt(arg), want) << arg;
}

TEST(ValidHelo, PrintableNamesWithoutSpaces) {
    for (const char* good : {"client.example", "[127.0.0.1]", "my_pc", "b\xc3\xbc\x63her.example"})
        EXPECT_TRUE(valid_helo(good)) << good;
    for (std::string bad :
         {std::string(), std::string("a b"), std::string("a\tb"), std::string("x(y)"),
          std::string("x;y"), std::string("\xff"), std::string(256, 'a')})
        EXPECT_FALSE(valid_helo(bad)) << bad;
}

TEST(DomainOf, AfterTheLastAt) {
    EXPECT_EQ(domain_of("joe@example.com"), "example.com");
    EXPECT_EQ(domain_of("\"a@b\"@c.example"), "c.example");
    EXPECT_EQ(domain_of("postmaster"), "");
}

}  // namespace
}  // namespace netius::net::smtp
