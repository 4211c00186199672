#include "net/http/h1/response_parser.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "../feed.hpp"

namespace netius::net::http {
namespace {

using testing::case_name;
using testing::Feed;

// Small limits so the limit cases stay short: head 64 bytes, 3 fields.
const Limits kSmall = [] {
    Limits l = client_limits();
    l.max_head_bytes = 64;
    l.max_header_count = 3;
    return l;
}();
const Limits kClient = client_limits();

struct Case {
    const char* name;
    std::string input;
    std::string want;  // see outcome()
    const Limits* limits = &kClient;
};

const char* framing_name(BodyFraming f) {
    switch (f) {
        case BodyFraming::kNone:
            return "none";
        case BodyFraming::kLength:
            return "length";
        case BodyFraming::kChunked:
            return "chunked";
        case BodyFraming::kUntilClose:
            return "close-delimited";
    }
    return "?";
}

// "error <reason>", "incomplete", or "ok <version> <status> '<reason>' h=<fields>
// <framing> [close]" plus "rest=N" when bytes follow the head.
std::string outcome(const ParseResult& r, const ClientResponseHead& h, std::string_view in,
                    std::size_t total) {
    if (auto* e = std::get_if<ParseError>(&r)) return fmt::format("error {}", e->reason);
    if (std::holds_alternative<Incomplete>(r)) return "incomplete";
    const std::size_t consumed = std::get<Complete>(r).consumed;
    if (consumed > in.size()) return "consumed past the input";
    if (!testing::inside(h.reason, in)) return "reason outside the input";
    for (const Header& f : h.headers)
        if (!testing::inside(f.name, in) || !testing::inside(f.value, in))
            return "field view outside the input";
    std::string s =
        fmt::format("ok {} {} '{}' h={} {}", h.version == Version::kHttp10 ? "1.0" : "1.1",
                    h.status, h.reason, h.headers.size(), framing_name(body_framing(h, false)));
    if (h.content_length) s += fmt::format("={}", *h.content_length);
    if (!h.keep_alive) s += " close";
    if (consumed != total) s += fmt::format(" rest={}", total - consumed);
    return s;
}

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

class ResponseParserCase : public ::testing::TestWithParam<Case> {};

TEST_P(ResponseParserCase, WholeSplitAndByteByByte) {
    const Case& c = GetParam();
    for (Feed feed : testing::kEveryFeed) {
        const std::string got = testing::feed_head<ResponseParser, ClientResponseHead>(
            *c.limits, c.input, feed, outcome);
        EXPECT_EQ(got, c.want) << to_string(feed);
    }
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Valid, ResponseParserCase, ::testing::Values(
    // netius-vectors §E: what `serve hello` sends.
    Case{"netius_hello", "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: text/plain\r\n"
                         "Content-Length: 11\r\nServer: netius\r\n\r\nHello World",
         "ok 1.1 200 'OK' h=4 length=11 rest=11"},
    Case{"netius_gzip_chunked", "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Type: text/plain\r\n"
                                "Server: netius\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\na\r\n",
         "ok 1.1 200 'OK' h=5 chunked rest=3"},
    Case{"netius_http10_close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: text/plain\r\n"
                                "Content-Length: 8\r\nServer: netius\r\n\r\nHi there",
         "ok 1.1 200 'OK' h=4 length=8 close rest=8"},
    Case{"no_reason", "HTTP/1.1 204\r\n\r\n", "ok 1.1 204 '' h=0 none"},
    Case{"empty_reason", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", "ok 1.1 200 '' h=1 length=0"},
    Case{"reason_with_spaces", "HTTP/1.1 404 Not  Found \r\n\r\n", "ok 1.1 404 'Not  Found' h=0 close-delimited"},
    Case{"http10_closes", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n", "ok 1.0 200 'OK' h=1 length=2 close"},
    Case{"http10_keep_alive", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n",
         "ok 1.0 200 'OK' h=2 length=2"},
    Case{"http11_close", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", "ok 1.1 200 'OK' h=1 close-delimited close"},
    Case{"bare_lf_lines", "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc", "ok 1.1 200 'OK' h=1 length=3 rest=3"},
    Case{"leading_empty_lines", "\r\n\nHTTP/1.1 304 Not Modified\r\n\r\n", "ok 1.1 304 'Not Modified' h=0 none"},
    Case{"interim_100", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", "ok 1.1 100 'Continue' h=0 none rest=19"},
    Case{"length_list_same", "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n",
         "ok 1.1 200 'OK' h=2 length=5"},
    Case{"te_not_final_chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
         "ok 1.1 200 'OK' h=1 close-delimited"},
    Case{"te_two_lines", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n",
         "ok 1.1 200 'OK' h=2 chunked"},
    Case{"te_beats_length_and_closes", "HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n",
         "ok 1.1 200 'OK' h=2 chunked close"},
    Case{"te_ignores_bad_length", "HTTP/1.1 200 OK\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n",
         "ok 1.1 200 'OK' h=2 chunked close"},
    Case{"ows_and_tabs", "HTTP/1.1 200 OK\r\nA:\tb \t\r\nC:\r\n\r\n", "ok 1.1 200 'OK' h=2 close-delimited"},
    Case{"obs_text", "HTTP/1.1 200 D\xc3\xa9j\xc3\xa0\r\nX: \xff\r\n\r\n", "ok 1.1 200 'D\xc3\xa9j\xc3\xa0' h=1 close-delimited"},
    Case{"status_999", "HTTP/1.1 999 Odd\r\n\r\n", "ok 1.1 999 'Odd' h=0 close-delimited"},
    Case{"three_fields_at_limit", "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",
         "ok 1.1 200 'OK' h=3 close-delimited", &kSmall}),
    case_name<Case>);

INSTANTIATE_TEST_SUITE_P(Incomplete, ResponseParserCase, ::testing::Values(
    Case{"nothing", "", "incomplete"},
    Case{"version_only", "HTTP/1.1", "incomplete"},
    Case{"status_line_only", "HTTP/1.1 200 OK\r\n", "incomplete"},
    Case{"final_cr", "HTTP/1.1 200 OK\r\nA: b\r\n\r", "incomplete"}),
    case_name<Case>);

INSTANTIATE_TEST_SUITE_P(Rejections, ResponseParserCase, ::testing::Values(
    Case{"http09_body", "<html>hello</html>", "error invalid status line"},
    Case{"lowercase_http", "http/1.1 200 OK\r\n\r\n", "error invalid status line"},
    Case{"missing_space", "HTTP/1.1200 OK\r\n\r\n", "error invalid status line"},
    Case{"http2", "HTTP/2.0 200 OK\r\n\r\n", "error unsupported HTTP version"},
    Case{"two_digit_status", "HTTP/1.1 20 OK\r\n\r\n", "error invalid status code"},
    Case{"four_digit_status", "HTTP/1.1 2000 OK\r\n\r\n", "error invalid status code"},
    Case{"leading_zero_status", "HTTP/1.1 099 X\r\n\r\n", "error invalid status code"},
    Case{"ctl_in_reason", "HTTP/1.1 200 O\x01K\r\n\r\n", "error invalid character in the reason phrase"},
    Case{"bare_cr", "HTTP/1.1 200 OK\rX: y\r\n\r\n", "error bare CR"},
    Case{"bare_cr_in_value", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", "error bare CR"},
    Case{"obs_fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", "error obs-fold"},
    Case{"space_before_first_field", "HTTP/1.1 200 OK\r\n X: a\r\n\r\n", "error whitespace before the first field"},
    Case{"space_before_colon", "HTTP/1.1 200 OK\r\nX : a\r\n\r\n", "error whitespace before colon"},
    Case{"name_not_token", "HTTP/1.1 200 OK\r\nX(y: a\r\n\r\n", "error invalid field name"},
    Case{"nul_in_value", std::string("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 27), "error invalid character in field value"},
    Case{"bad_length", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "error invalid Content-Length"},
    Case{"empty_length", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", "error invalid Content-Length"},
    Case{"conflicting_lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
         "error invalid Content-Length"},
    Case{"length_overflow", "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
         "error invalid Content-Length"},
    Case{"too_many_fields", "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", "error too many header fields", &kSmall},
    Case{"head_too_large", "HTTP/1.1 200 OK\r\nX: " + std::string(60, 'x') + "\r\n\r\n", "error response head too large", &kSmall}),
    case_name<Case>);
// clang-format on

TEST(ResponseFraming, FollowsRfc9112Section6_3) {
    ClientResponseHead h;
    h.status = 200;
    h.content_length = 10;
    EXPECT_EQ(body_framing(h, false), BodyFraming::kLength);
    EXPECT_EQ(body_framing(h, true), BodyFraming::kNone);  // HEAD
    for (int status : {100, 103, 204, 304}) {
        h.status = status;
        EXPECT_EQ(body_framing(h, false), BodyFraming::kNone) << status;
    }
    h.status = 200;
    h.content_length.reset();
    EXPECT_EQ(body_framing(h, false), BodyFraming::kUntilClose);
}

TEST(ResponseParser, ResetParsesTheNextResponse) {
    const Limits limits = client_limits();
    ResponseParser p(limits);
    ClientResponseHead h;
    std::string first = "HTTP/1.1 100 Continue\r\n\r\n";
    std::string second = "HTTP/1.1 201 Created\r\nLocation: /x\r\n\r\n";
    ASSERT_EQ(p.parse(first, h), ParseResult(Complete{first.size()}));
    EXPECT_EQ(h.status, 100);
    p.reset();
    ASSERT_EQ(p.parse(second, h), ParseResult(Complete{second.size()}));
    EXPECT_EQ(h.status, 201);
    EXPECT_EQ(h.get("location"), "/x");
    EXPECT_FALSE(h.get("Content-Length"));
}

TEST(ResponseParser, RepeatedFieldsAndTokens) {
    const Limits limits = client_limits();
    ClientResponseHead h;
    ResponseParser p(limits);
    std::string in =
        "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nConnection: foo, Close\r\n\r\n";
    ASSERT_TRUE(std::holds_alternative<Complete>(p.parse(in, h)));
    EXPECT_EQ(h.headers.size(), 3u);
    EXPECT_EQ(h.get("SET-COOKIE"), "a=1");
    EXPECT_TRUE(h.has_token("connection", "close"));
    EXPECT_FALSE(h.has_token("connection", "keep-alive"));
    EXPECT_FALSE(h.keep_alive);
}

}  // namespace
}  // namespace netius::net::http
