// The pure parts of `netius smtp send`: composition, line endings, recipients by domain,
// netius' positional arguments and the exit status.
#include <gtest/gtest.h>

#include "commands/smtp_send_message.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

using net::smtp::RecipientFate;
using net::smtp::RecipientOutcome;

constexpr std::int64_t kNow = 1'800'000'000;  // Fri, 15 Jan 2027 08:00:00 +0000

TEST(ComposeMessage, AddsFromToSubjectDateAndMessageId) {
    Composition c{
        "a@example.org", {"b@example.net", "c@example.com"}, "hello", "line 1\nline 2", {}};
    EXPECT_EQ(compose_message(c, "abc", kNow),
              "From: a@example.org\r\n"
              "To: b@example.net,\r\n c@example.com\r\n"
              "Subject: hello\r\n"
              "Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"
              "Message-ID: <abc.1800000000@example.org>\r\n"
              "\r\n"
              "line 1\r\nline 2\r\n");
}

TEST(ComposeMessage, HeadersReplaceOursAndComeFirst) {
    Composition c{"a@example.org",
                  {"b@example.net"},
                  "ignored",
                  "",
                  {"From: Alice <a@example.org>", "Date: Thu, 14 Jan 2027 00:00:00 +0000",
                   "X-Tag: 1", "subject: given"}};
    EXPECT_EQ(compose_message(c, "id", kNow),
              "From: Alice <a@example.org>\r\n"
              "Date: Thu, 14 Jan 2027 00:00:00 +0000\r\n"
              "X-Tag: 1\r\n"
              "subject: given\r\n"
              "To: b@example.net\r\n"
              "Message-ID: <id.1800000000@example.org>\r\n"
              "\r\n");
}

TEST(ComposeMessage, NonAsciiSubjectAndBody) {
    Composition c{"a@example.org", {"b@example.net"}, "caf\xc3\xa9", "\xe2\x82\xac 5", {}};
    const std::string m = compose_message(c, "id", kNow);
    EXPECT_NE(m.find("Subject: =?UTF-8?B?Y2Fmw6k=?=\r\n"), std::string::npos) << m;
    EXPECT_NE(m.find("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                     "Content-Transfer-Encoding: 8bit\r\n\r\n\xe2\x82\xac 5\r\n"),
              std::string::npos)
        << m;
    // A long subject: several encoded-words, none over 75 characters, no split UTF-8.
    c.subject.clear();
    for (int i = 0; i < 40; ++i) c.subject += "\xc3\xa9";
    const std::string long_m = compose_message(c, "id", kNow);
    const std::size_t start = long_m.find("Subject: ");
    const std::string field = long_m.substr(start, long_m.find("\r\nDate:") - start);
    EXPECT_NE(field.find("?=\r\n =?UTF-8?B?"), std::string::npos) << field;
    std::size_t pos = 0;
    while ((pos = field.find("=?UTF-8?B?", pos)) != std::string::npos) {
        const std::size_t end = field.find("?=", pos + 10);
        EXPECT_LE(end + 2 - pos, 75u);
        pos = end;
    }
}

TEST(CheckHeaderField, RefusesMalformedFields) {
    EXPECT_EQ(check_header_field("X-A: b"), "");
    EXPECT_EQ(check_header_field("X-A:"), "");
    EXPECT_NE(check_header_field("no colon"), "");
    EXPECT_NE(check_header_field(": v"), "");
    EXPECT_NE(check_header_field("X A: v"), "");
    EXPECT_NE(check_header_field("X-A: v\r\nBcc: x"), "");
    EXPECT_NE(check_header_field("X-A: v\nBcc: x"), "");
}

TEST(ToCrlf, NormalisesEveryLineEnding) {
    EXPECT_EQ(to_crlf("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd\r\n");
    EXPECT_EQ(to_crlf("a\r\n"), "a\r\n");
    EXPECT_EQ(to_crlf("a\n\n"), "a\r\n\r\n");
    EXPECT_EQ(to_crlf(""), "\r\n");
}

TEST(ByDomain, GroupsInFirstSeenOrderCaseInsensitively) {
    auto g = by_domain({"a@X.example", "b@y.example", "c@x.EXAMPLE", "d@e@y.example"});
    ASSERT_EQ(g.size(), 2u);
    EXPECT_EQ(g[0].first, "x.example");
    EXPECT_EQ(g[0].second, (std::vector<std::string>{"a@X.example", "c@x.EXAMPLE"}));
    EXPECT_EQ(g[1].first, "y.example");
    EXPECT_EQ(g[1].second, (std::vector<std::string>{"b@y.example", "d@e@y.example"}));
    EXPECT_THROW(by_domain({"nobody"}), UsageError);
    EXPECT_THROW(by_domain({"@x.example"}), UsageError);
    EXPECT_THROW(by_domain({"a@"}), UsageError);
}

RecipientOutcome outcome(RecipientFate fate, int code) {
    return RecipientOutcome{"r@x", fate, code, {}, "d", {}};
}

TEST(SendExitStatus, PermanentThenTransientThenNoServer) {
    const auto ok = outcome(RecipientFate::kDelivered, 250);
    const auto perm = outcome(RecipientFate::kPermanent, 550);
    const auto nxdomain = outcome(RecipientFate::kPermanent, 0);
    const auto auth = outcome(RecipientFate::kTransient, 535);  // refused login
    const auto temp = outcome(RecipientFate::kTransient, 451);
    const auto down = outcome(RecipientFate::kTransient, 0);
    EXPECT_EQ(send_exit_status({ok, ok}), 0);
    EXPECT_EQ(send_exit_status({ok, perm}), kExitPermanent);
    EXPECT_EQ(send_exit_status({nxdomain}), kExitPermanent);
    EXPECT_EQ(send_exit_status({auth}), kExitPermanent);
    EXPECT_EQ(send_exit_status({temp, ok}), kExitTransient);
    EXPECT_EQ(send_exit_status({down}), kExitNoServer);
    EXPECT_EQ(send_exit_status({down, temp}), kExitTransient);
    EXPECT_EQ(send_exit_status({down, temp, perm}), kExitPermanent);
}

TEST(ParseNetiusArgs, MapsFromToHostPortUserAndStls) {
    NetiusArgs n = parse_netius_args({"a@x", "b@y,c@z"});
    EXPECT_EQ(n.from, "a@x");
    EXPECT_EQ(n.to, (std::vector<std::string>{"b@y", "c@z"}));
    EXPECT_FALSE(n.server);
    n = parse_netius_args({"a@x", "b@y", "mail.example", "2525", "joe", "-", "true"});
    EXPECT_EQ(n.server, "mail.example:2525");
    EXPECT_EQ(n.user, "joe");
    EXPECT_TRUE(n.starttls);
    n = parse_netius_args({"a@x", "b@y", "mail.example"});
    EXPECT_EQ(n.server, "mail.example");
    EXPECT_FALSE(n.starttls);
    EXPECT_THROW(parse_netius_args({"a@x"}), UsageError);
    EXPECT_THROW(parse_netius_args({"a@x", "b@y", "h", "25", "joe", "secret"}), UsageError);
    EXPECT_THROW(parse_netius_args({"a@x", "b@y", "h", "25", "joe", "-", "maybe"}), UsageError);
    EXPECT_THROW(parse_netius_args({"a@x", "b@y", "h", "25", "joe", "-", "1", "extra"}),
                 UsageError);
}

}  // namespace
}  // namespace netius::cmd
