// ReplyParser: every case fed whole, split at every offset and byte by byte (feed.hpp), plus
// describe() and the EHLO keywords.
#include "net/smtp/client/reply_parser.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "../../http/feed.hpp"

namespace netius::net::smtp {
namespace {

using http::testing::case_name;
using http::testing::Feed;
using http::testing::feed_head;
using http::testing::inside;
using http::testing::kEveryFeed;

struct Case {
    const char* name;
    std::string in;
    std::string want;  // "code|enhanced|text|line/line|consumed", "incomplete", "error: why"
};

const ReplyLimits kSmall{.max_line = 24, .max_lines = 3};

std::string outcome(const ReplyResult& r, const ServerReply& reply, std::string_view buf,
                    std::size_t) {
    if (is_incomplete(r)) return "incomplete";
    if (const auto* e = std::get_if<ReplyError>(&r)) return fmt::format("error: {}", e->reason);
    std::string lines;
    for (std::size_t i = 0; i < reply.lines.size(); ++i) {
        if (!inside(reply.lines[i], buf)) return "a line points outside the input";
        lines += (i == 0 ? "" : "/") + std::string(reply.lines[i]);
    }
    if (!inside(reply.enhanced, buf) || !inside(reply.text, buf)) return "views outside input";
    return fmt::format("{}|{}|{}|{}|{}", reply.code, reply.enhanced, reply.text, lines,
                       std::get<ReplyComplete>(r).consumed);
}

const Case kCases[] = {
    {"greeting", "220 mx.example ESMTP\r\n", "220||mx.example ESMTP|mx.example ESMTP|22"},
    {"code_only", "250\r\n", "250||||5"},
    {"multi_line", "250-mx\r\n250-PIPE\r\n250 SIZE\r\n", "250||mx|mx/PIPE/SIZE|28"},
    {"empty_continuation", "250-\r\n250 ok\r\n", "250|||/ok|14"},
    {"enhanced", "550 5.1.1 No user\r\n", "550|5.1.1|No user|5.1.1 No user|19"},
    {"enhanced_only", "250 2.0.0\r\n", "250|2.0.0||2.0.0|11"},
    {"enhanced_wrong_class", "550 2.1.1 x\r\n", "550||2.1.1 x|2.1.1 x|13"},
    {"enhanced_not_followed_by_space", "550 5.1.1x\r\n", "550||5.1.1x|5.1.1x|12"},
    {"enhanced_three_digits", "452 4.123.456 z\r\n", "452|4.123.456|z|4.123.456 z|17"},
    {"enhanced_multi", "451-4.3.0 a\r\n451 4.3.0 b\r\n", "451|4.3.0|a|4.3.0 a/4.3.0 b|26"},
    {"bare_lf", "250 ok\n", "250||ok|ok|7"},
    {"next_reply_follows", "250 a\r\n354 b\r\n", "250||a|a|7"},
    {"incomplete_line", "250 ok", "incomplete"},
    {"incomplete_multi", "250-a\r\n250 b", "incomplete"},
    {"incomplete_cr", "250 ok\r", "incomplete"},
    {"empty", "", "incomplete"},
    {"code_changes", "250-a\r\n251 b\r\n", "error: reply code changed between lines"},
    {"bad_separator", "250x\r\n", "error: malformed reply line"},
    {"letters", "abc\r\n", "error: malformed reply line"},
    {"short_code", "25\r\n", "error: malformed reply line"},
    {"class_1", "150 x\r\n", "error: malformed reply line"},
    {"class_6", "650 x\r\n", "error: malformed reply line"},
    {"second_digit_6", "260 x\r\n", "error: malformed reply line"},
    {"empty_line", "\r\n", "error: malformed reply line"},
    {"line_at_limit", "250 012345678901234567\r\n",
     "250||012345678901234567|012345678901234567|24"},
    {"line_too_long", "250 01234567890123456789\r\n", "error: line too long"},
    {"unterminated_too_long", "250 0123456789012345678901", "error: line too long"},
    {"three_lines", "250-a\r\n250-b\r\n250 c\r\n", "250||a|a/b/c|21"},
    {"too_many_lines", "250-a\r\n250-b\r\n250-c\r\n250 d\r\n", "error: too many reply lines"},
};

class ReplyParserTable : public testing::TestWithParam<Case> {};

TEST_P(ReplyParserTable, EveryFeed) {
    const Case& c = GetParam();
    for (Feed f : kEveryFeed)
        EXPECT_EQ((feed_head<ReplyParser, ServerReply>(kSmall, c.in, f, outcome)), c.want)
            << http::testing::to_string(f);
}

INSTANTIATE_TEST_SUITE_P(ReplyParser, ReplyParserTable, testing::ValuesIn(kCases), case_name<Case>);

TEST(ReplyParser, ParsesConsecutiveRepliesWithOneParser) {
    ReplyParser p;
    ServerReply r;
    std::string in = "250-a\r\n250 b\r\n550 5.7.1 no\r\n";
    auto first = p.parse(in, r);
    ASSERT_EQ(first, ReplyResult{ReplyComplete{14}});
    EXPECT_EQ(r.lines.size(), 2u);
    auto second = p.parse(std::string_view(in).substr(14), r);
    EXPECT_EQ(second, ReplyResult{ReplyComplete{14}});
    EXPECT_EQ(r.code, 550);
    EXPECT_EQ(r.enhanced, "5.7.1");
}

ServerReply reply_of(std::string_view in) {
    static std::string keep;  // views point into it
    keep = in;
    ServerReply r;
    ReplyParser p;
    EXPECT_TRUE(std::holds_alternative<ReplyComplete>(p.parse(keep, r))) << in;
    return r;
}

TEST(ReplyParser, DescribeJoinsLinesOnOneLine) {
    EXPECT_EQ(describe(reply_of("550-5.1.1 No such\r\n550 5.1.1 user\r\n")),
              "550 5.1.1 No such; user");
    EXPECT_EQ(describe(reply_of("451 try\x01later\r\n")), "451 try?later");
    EXPECT_EQ(describe(reply_of("250\r\n")), "250");
    EXPECT_EQ(describe(reply_of("554 abcdefgh\r\n"), 8), "554 abcd");
}

TEST(ReplyParser, EhloKeywords) {
    Extensions e =
        parse_ehlo(reply_of("250-mx.example greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n"
                            "250-starttls\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                            "250-ENHANCEDSTATUSCODES\r\n250-AUTH LOGIN plain CRAM-MD5\r\n"
                            "250 X-UNKNOWN foo\r\n"));
    EXPECT_TRUE(e.pipelining);
    EXPECT_TRUE(e.size);
    EXPECT_EQ(e.max_size, 1000u);
    EXPECT_TRUE(e.starttls);
    EXPECT_TRUE(e.eight_bit_mime);
    EXPECT_TRUE(e.smtputf8);
    EXPECT_TRUE(e.enhanced_status_codes);
    EXPECT_TRUE(e.auth_plain);
    EXPECT_TRUE(e.auth_login);
}

TEST(ReplyParser, EhloGreetingLineIsNoKeywordAndOddFormsAreTolerated) {
    Extensions e = parse_ehlo(reply_of("250 PIPELINING\r\n"));  // only the greeting line
    EXPECT_FALSE(e.pipelining);
    e = parse_ehlo(reply_of("250-mx\r\n250-SIZE\r\n250 AUTH=LOGIN\r\n"));
    EXPECT_TRUE(e.size);
    EXPECT_EQ(e.max_size, 0u);  // no fixed limit
    EXPECT_TRUE(e.auth_login);
    EXPECT_FALSE(e.auth_plain);
    e = parse_ehlo(reply_of("250-mx\r\n250 SIZE 12x\r\n"));
    EXPECT_TRUE(e.size);
    EXPECT_EQ(e.max_size, 0u);
    e = parse_ehlo(reply_of("250 mx\r\n"));
    EXPECT_FALSE(e.starttls || e.size || e.auth_plain || e.pipelining);
}

}  // namespace
}  // namespace netius::net::smtp
