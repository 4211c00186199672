#include "net/http/h1/chunked_decoder.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "../feed.hpp"

namespace netius::net::http {
namespace {

using testing::case_name;
using testing::Feed;
using testing::MovingBuffer;

// Small limits for the limit cases: extensions 8 bytes, trailers 16, content 10.
const Limits kSmall = [] {
    Limits l;
    l.max_chunk_extension_bytes = 8;
    l.max_trailer_bytes = 16;
    l.max_body_bytes = 10;
    return l;
}();
const Limits kDefault{};
const Limits kNoBodyLimit = [] {  // --max-body-bytes 0
    Limits l;
    l.max_body_bytes = 0;
    return l;
}();

struct Case {
    const char* name;
    std::string input;
    std::string want;  // see Collector::outcome()
    const Limits* limits = &kDefault;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

// Drives a decoder the way a session does and records what came out.
struct Collector {
    ChunkedDecoder decoder;
    std::string body;
    std::size_t consumed = 0;
    std::optional<ParseError> error;
    bool done = false;

    explicit Collector(const Limits& l) : decoder(l) {}

    // Feeds one read's worth; returns false once the body ended or failed.
    bool feed(std::string_view in) {
        while (!in.empty()) {
            ChunkedStep s = decoder.decode(in);
            if (s.consumed > in.size() || !testing::inside(s.data, in)) {
                error = ParseError{Status::kInternalServerError, "contract broken"};
                return false;
            }
            if (s.data.empty() && !s.done && !s.error && s.consumed != in.size()) {
                error = ParseError{Status::kInternalServerError, "stopped without a reason"};
                return false;
            }
            body.append(s.data);
            consumed += s.consumed;
            in.remove_prefix(s.consumed);
            if (s.error) error = s.error;
            if (s.done) done = true;
            if (s.error || s.done) return false;
        }
        return true;
    }

    // "done <consumed> <body>", "more <body>" (input used up) or "error <status> <reason>
    // at <offset> after <body>".
    std::string outcome() const {
        if (error)
            return fmt::format("error {} {} at {} after '{}'", code(error->status), error->reason,
                               consumed, body);
        if (done) return fmt::format("done {} '{}'", consumed, body);
        return fmt::format("more '{}'", body);
    }
};

std::string run_case(const Case& c, Feed feed) {
    MovingBuffer buf;
    const std::string_view in = c.input;
    switch (feed) {
        case Feed::kWhole: {
            Collector col(*c.limits);
            col.feed(buf.hold(in));
            return col.outcome();
        }
        case Feed::kEverySplit:
            return testing::same_at_every_split(
                in.size(),
                [&](std::size_t k) {
                    Collector col(*c.limits);
                    // What the session does: the decoder ate all of a read unless the body
                    // ended, so the second read starts where the first one's consumption stopped.
                    if (col.feed(buf.hold(in.substr(0, k)))) col.feed(buf.hold(in.substr(k)));
                    return col.outcome();
                },
                [&] { return run_case(c, Feed::kWhole); });
        case Feed::kByteByByte: {
            Collector col(*c.limits);
            for (std::size_t i = 0; i < in.size(); ++i)
                if (!col.feed(buf.hold(in.substr(i, 1)))) break;
            return col.outcome();
        }
    }
    return "?";
}

class ChunkedDecoderCase : public ::testing::TestWithParam<Case> {};

TEST_P(ChunkedDecoderCase, WholeSplitAndByteByByte) {
    for (Feed feed : testing::kEveryFeed)
        EXPECT_EQ(run_case(GetParam(), feed), GetParam().want) << to_string(feed);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Valid, ChunkedDecoderCase, ::testing::Values(
    Case{"one_chunk", "5\r\nhello\r\n0\r\n\r\n", "done 15 'hello'"},
    Case{"netius_vector", "b\r\nHello World\r\n0\r\n\r\n", "done 21 'Hello World'"},
    Case{"several_chunks", "3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n", "done 26 'abcdef'"},
    Case{"hex_upper_and_lower", "A\r\n0123456789\r\nb\r\nabcdefghijk\r\n0\r\n\r\n",
         "done 36 '0123456789abcdefghijk'"},
    Case{"leading_zeros", "005\r\nhello\r\n0000\r\n\r\n", "done 20 'hello'"},
    Case{"empty_body", "0\r\n\r\n", "done 5 ''"},
    Case{"extensions_ignored", "5;ext=1\r\nhello\r\n0;last\r\n\r\n", "done 26 'hello'"},
    Case{"extension_bws_and_quotes", "5 ;\ta = \"x y\"\r\nhello\r\n0\r\n\r\n", "done 27 'hello'"},
    Case{"trailers_ignored", "5\r\nhello\r\n0\r\nX-Sum: abc\r\nY:z\r\n\r\n", "done 32 'hello'"},
    Case{"pipelined_request_after", "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n", "done 15 'hello'"},
    Case{"data_that_looks_like_framing", "7\r\n0\r\n\r\n\r\n\r\n0\r\n\r\n", "done 17 '0\r\n\r\n\r\n'"},
    Case{"extension_at_limit", "1;abcdefg\r\nx\r\n0\r\n\r\n", "done 19 'x'", &kSmall},
    Case{"body_at_limit", "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", "done 25 'helloworld'", &kSmall},
    Case{"trailer_at_limit", "0\r\nX: 012345678\r\n\r\n", "done 19 ''", &kSmall}),
    case_name<Case>);

INSTANTIATE_TEST_SUITE_P(Incomplete, ChunkedDecoderCase, ::testing::Values(
    Case{"nothing", "", "more ''"},
    Case{"size_only", "5", "more ''"},
    Case{"inside_data", "5\r\nhel", "more 'hel'"},
    Case{"before_data_crlf", "5\r\nhello", "more 'hello'"},
    Case{"inside_extension", "5;a=", "more ''"},
    Case{"trailer_pending", "5\r\nhello\r\n0\r\n", "more 'hello'"},
    Case{"inside_trailer", "0\r\nX: y\r\n", "more ''"},
    Case{"over_default_limit_without_one", "1000001\r\n", "more ''", &kNoBodyLimit}),
    case_name<Case>);

INSTANTIATE_TEST_SUITE_P(Rejections, ChunkedDecoderCase, ::testing::Values(
    Case{"not_hex", "x\r\n", "error 400 invalid chunk size at 0 after ''"},
    Case{"empty_size", "\r\n", "error 400 invalid chunk size at 0 after ''"},
    Case{"negative", "-5\r\nhello\r\n", "error 400 invalid chunk size at 0 after ''"},
    Case{"hex_prefix", "0x5\r\nhello\r\n", "error 400 invalid chunk size line at 1 after ''"},
    Case{"space_then_crlf", "5 \r\nhello\r\n", "error 400 invalid chunk size line at 2 after ''"},
    Case{"size_then_garbage", "5x\r\n", "error 400 invalid chunk size line at 1 after ''"},
    Case{"lf_after_size", "5\nhello\r\n", "error 400 bare LF at 1 after ''"},
    Case{"cr_then_garbage", "5\rhello", "error 400 bare CR at 2 after ''"},
    Case{"lf_in_extension", "5;a\nhello", "error 400 bare LF at 3 after ''"},
    Case{"ctl_in_extension", "5;a\x01\r\n", "error 400 invalid chunk extension at 3 after ''"},
    Case{"data_longer_than_size", "5\r\nhelloX\r\n", "error 400 missing CRLF after chunk data at 8 after 'hello'"},
    Case{"data_then_lf", "5\r\nhello\n0\r\n\r\n", "error 400 missing CRLF after chunk data at 8 after 'hello'"},
    Case{"data_then_bare_cr", "5\r\nhello\rX", "error 400 bare CR at 9 after 'hello'"},
    Case{"seventeen_digits", "00000000000000005\r\n", "error 400 chunk size too long at 16 after ''"},
    Case{"size_overflowing_u64", "10000000000000000\r\n", "error 413 content too large at 7 after ''"},
    Case{"size_over_default_limit", "1000001\r\n", "error 413 content too large at 6 after ''"},
    Case{"content_past_u64_without_limit", "1\r\nx\r\nffffffffffffffff\r\n",
         "error 413 content too large at 21 after 'x'", &kNoBodyLimit},
    Case{"trailer_obs_fold", "0\r\nX: a\r\n b\r\n\r\n", "error 400 obs-fold at 9 after ''"},
    Case{"trailer_space_before_colon", "0\r\nX : a\r\n\r\n", "error 400 whitespace before colon at 4 after ''"},
    Case{"trailer_without_colon", "0\r\nX\r\n\r\n", "error 400 invalid trailer field name at 4 after ''"},
    Case{"trailer_bare_lf", "0\r\nX: a\n\r\n", "error 400 bare LF at 7 after ''"},
    Case{"trailer_nul", std::string("0\r\nX: \0\r\n\r\n", 11), "error 400 invalid character in field value at 6 after ''"},
    Case{"end_lf_only", "0\r\n\n", "error 400 bare LF at 3 after ''"},
    Case{"end_bare_cr", "0\r\n\rX", "error 400 bare CR at 4 after ''"},
    Case{"extension_too_long", "1;abcdefgh\r\nx\r\n0\r\n\r\n", "error 400 chunk extension too long at 9 after ''", &kSmall},
    Case{"bws_too_long", "1         ;\r\n", "error 400 chunk extension too long at 9 after ''", &kSmall},
    Case{"body_over_limit", "5\r\nhello\r\n6\r\n", "error 413 content too large at 10 after 'hello'", &kSmall},
    Case{"single_chunk_over_limit", "b\r\nhello world\r\n", "error 413 content too large at 0 after ''", &kSmall},
    Case{"trailer_over_limit", "0\r\nX: 0123456789A\r\n\r\n", "error 431 trailer section too large at 19 after ''", &kSmall}),
    case_name<Case>);
// clang-format on

TEST(ChunkedDecoder, DoneAndErrorAreSticky) {
    ChunkedDecoder d(kDefault);
    ChunkedStep s = d.decode("0\r\n\r\nGET");
    ASSERT_TRUE(s.done);
    EXPECT_EQ(s.consumed, 5u);
    EXPECT_TRUE(d.done());
    s = d.decode("GET");
    EXPECT_TRUE(s.done);
    EXPECT_EQ(s.consumed, 0u);

    d.reset();
    EXPECT_FALSE(d.done());
    s = d.decode("z");
    ASSERT_TRUE(s.error);
    s = d.decode("0\r\n\r\n");
    ASSERT_TRUE(s.error);
    EXPECT_EQ(s.consumed, 0u);
    EXPECT_EQ(s.error->reason, "invalid chunk size");
}

TEST(ChunkedDecoder, DataIsAViewIntoTheInputAndCounted) {
    ChunkedDecoder d(kDefault);
    const std::string in = "4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n";
    ChunkedStep s = d.decode(in);
    EXPECT_EQ(s.data, "wiki");
    EXPECT_EQ(s.data.data(), in.data() + 3);  // no copy
    EXPECT_EQ(s.consumed, 7u);
    s = d.decode(std::string_view(in).substr(7));
    EXPECT_EQ(s.data, "pedia");
    EXPECT_EQ(d.decoded(), 9u);
}

TEST(ChunkedDecoder, ResetForTheNextBody) {
    ChunkedDecoder d(kDefault);
    ASSERT_TRUE(d.decode("3\r\nabc\r\n").data == "abc");
    d.reset();
    EXPECT_EQ(d.decoded(), 0u);
    ChunkedStep s = d.decode("2\r\nxy\r\n");
    EXPECT_EQ(s.data, "xy");
}

}  // namespace
}  // namespace netius::net::http
