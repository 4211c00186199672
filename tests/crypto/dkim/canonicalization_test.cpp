#include "crypto/dkim/canonicalization.hpp"

#include <gtest/gtest.h>

#include "crypto/dkim/algorithm.hpp"
#include "crypto/encoding.hpp"

namespace netius::crypto::dkim {
namespace {

// ---- header fields -------------------------------------------------------------------------

struct HeaderCase {
    const char* name;
    std::string field;  // one field as written, without its line ending
    std::string simple;
    std::string relaxed;
};

const HeaderCase kHeaderCases[] = {
    // RFC 6376 §3.4.6, first two header fields of the example.
    {"rfc6376_a", "A: X", "A: X\r\n", "a:X\r\n"},
    {"rfc6376_b", "B : Y\t\r\n\tZ  ", "B : Y\t\r\n\tZ  \r\n", "b:Y Z\r\n"},
    // netius-vectors §D.3 (dkim_header_relaxed).
    {"netius_relaxed", "From: user@example.com", "From: user@example.com\r\n",
     "from:user@example.com\r\n"},
    {"netius_whitespace", "From:  user@example.com  ", "From:  user@example.com  \r\n",
     "from:user@example.com\r\n"},
    {"netius_folded", "Received: from example.com\r\n\tby server.com",
     "Received: from example.com\r\n\tby server.com\r\n",
     "received:from example.com by server.com\r\n"},
    {"netius_tabs", "Subject:\t hello \t world ", "Subject:\t hello \t world \r\n",
     "subject:hello world\r\n"},
    // A bare LF fold counts as CRLF in both algorithms.
    {"lf_fold", "Subject: a\n b", "Subject: a\r\n b\r\n", "subject:a b\r\n"},
    {"empty_value", "X-Empty:", "X-Empty:\r\n", "x-empty:\r\n"},
    {"bare_cr_is_data", "X: a\rb \r\n c", "X: a\rb \r\n c\r\n", "x:a\rb c\r\n"},
    {"only_wsp_value", "X-Empty: \t ", "X-Empty: \t \r\n", "x-empty:\r\n"},
    {"utf8", "Subject: Ol\xc3\xa1  mundo", "Subject: Ol\xc3\xa1  mundo\r\n",
     "subject:Ol\xc3\xa1 mundo\r\n"},
};

std::string header_case_name(const ::testing::TestParamInfo<HeaderCase>& i) {
    return i.param.name;
}

class HeaderCanon : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(HeaderCanon, SimpleAndRelaxed) {
    const HeaderCase& c = GetParam();
    const std::string msg = c.field + "\r\n\r\n";
    Message m = parse_message(msg);
    ASSERT_EQ(m.headers.fields.size(), 1u);
    std::string simple, relaxed;
    canonicalize_header(Canon::Simple, m.headers.fields[0], simple);
    canonicalize_header(Canon::Relaxed, m.headers.fields[0], relaxed);
    EXPECT_EQ(simple, c.simple);
    EXPECT_EQ(relaxed, c.relaxed);
}

INSTANTIATE_TEST_SUITE_P(Dkim, HeaderCanon, ::testing::ValuesIn(kHeaderCases), header_case_name);

// ---- bodies ---------------------------------------------------------------------------------

struct BodyCase {
    const char* name;
    std::string body;
    std::string simple;
    std::string relaxed;
};

const BodyCase kBodyCases[] = {
    // RFC 6376 §3.4.6 example body.
    {"rfc6376", " C \r\nD \t E\r\n\r\n\r\n", " C \r\nD \t E\r\n", " C\r\nD E\r\n"},
    // netius-vectors §D.5 (dkim_body, simple) with the relaxed result alongside.
    {"netius_trailing_crlf", "Hello World\r\n\r\n\r\n", "Hello World\r\n", "Hello World\r\n"},
    {"netius_no_trailing_crlf", "Hello World", "Hello World\r\n", "Hello World\r\n"},
    {"netius_single_crlf", "Hello World\r\n", "Hello World\r\n", "Hello World\r\n"},
    {"netius_empty", "", "\r\n", ""},
    {"netius_only_crlf", "\r\n\r\n\r\n", "\r\n", ""},
    {"netius_multiline", "Line 1\r\nLine 2\r\nLine 3\r\n", "Line 1\r\nLine 2\r\nLine 3\r\n",
     "Line 1\r\nLine 2\r\nLine 3\r\n"},
    {"netius_multiline_trailing", "Line 1\r\nLine 2\r\n\r\n\r\n", "Line 1\r\nLine 2\r\n",
     "Line 1\r\nLine 2\r\n"},
    {"netius_utf8", "Recupera\xc3\xa7\xc3\xa3o de conta\r\n",
     "Recupera\xc3\xa7\xc3\xa3o de conta\r\n", "Recupera\xc3\xa7\xc3\xa3o de conta\r\n"},
    // LF-only bodies hash like their CRLF form.
    {"lf_lines", "a\nb  \n\n", "a\r\nb  \r\n", "a\r\nb\r\n"},
    {"mixed_endings", "a\r\nb\nc", "a\r\nb\r\nc\r\n", "a\r\nb\r\nc\r\n"},
    // Inner empty lines stay; trailing whitespace-only lines go (relaxed).
    {"inner_blank", "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n"},
    {"wsp_lines_at_end", "a\r\n  \r\n\t\r\n", "a\r\n  \r\n\t\r\n", "a\r\n"},
    {"only_wsp", " \t ", " \t \r\n", ""},
    {"leading_wsp_kept_as_one", "\t\tx", "\t\tx\r\n", " x\r\n"},
    {"trailing_wsp_last_line", "x  ", "x  \r\n", "x\r\n"},
    {"bare_cr_is_data", "a\rb\r\n", "a\rb\r\n", "a\rb\r\n"},
    {"final_bare_cr", "a\r", "a\r\r\n", "a\r\r\n"},
};

std::string body_case_name(const ::testing::TestParamInfo<BodyCase>& i) {
    return i.param.name;
}

class BodyCanon : public ::testing::TestWithParam<BodyCase> {};

std::string feed_split(Canon canon, const std::string& body, std::size_t at) {
    BodyCanonicalizer c(canon);
    std::string out;
    c.update(std::string_view(body).substr(0, at), out);
    c.update(std::string_view(body).substr(at), out);
    c.finish(out);
    return out;
}

std::string feed_bytes(Canon canon, const std::string& body) {
    BodyCanonicalizer c(canon);
    std::string out;
    for (char ch : body) c.update(std::string_view(&ch, 1), out);
    c.finish(out);
    return out;
}

TEST_P(BodyCanon, WholeSplitAndByteByByte) {
    const BodyCase& c = GetParam();
    for (Canon canon : {Canon::Simple, Canon::Relaxed}) {
        const std::string& want = canon == Canon::Simple ? c.simple : c.relaxed;
        const char* label = canon == Canon::Simple ? "simple" : "relaxed";
        EXPECT_EQ(canonicalize_body(canon, c.body), want) << label << " whole";
        for (std::size_t at = 0; at <= c.body.size(); ++at)
            EXPECT_EQ(feed_split(canon, c.body, at), want) << label << " split at " << at;
        EXPECT_EQ(feed_bytes(canon, c.body), want) << label << " byte by byte";
    }
}

TEST_P(BodyCanon, HasherMatchesTheCanonicalBytes) {
    const BodyCase& c = GetParam();
    for (Canon canon : {Canon::Simple, Canon::Relaxed}) {
        const std::string want = canonicalize_body(canon, c.body);
        BodyHasher h(canon);
        for (char ch : c.body) h.update(std::string_view(&ch, 1));
        BodyHash bh = h.finish();
        EXPECT_EQ(bh.digest, sha256(want));
        EXPECT_EQ(bh.length, want.size());
    }
}

INSTANTIATE_TEST_SUITE_P(Dkim, BodyCanon, ::testing::ValuesIn(kBodyCases), body_case_name);

TEST(BodyHasher, NetiusHelloWorldHash) {
    // netius-vectors §D.5: bh of "Hello World\r\n", l=13.
    BodyHasher h(Canon::Simple);
    h.update("Hello World");
    BodyHash bh = h.finish();
    EXPECT_EQ(base64_encode(bh.digest), "sIAi0xXPHrEtJmW97Q5q9AZTwKC+l1Iy+0m8vQIc/DY=");
    EXPECT_EQ(bh.length, 13u);
}

TEST(BodyHasher, LimitHashesOnlyTheFirstBytes) {
    const std::string body = "Hello World\r\nappended later\r\n";
    for (std::uint64_t limit : {0u, 5u, 13u, 29u, 100u}) {
        BodyHasher h(Canon::Simple, limit);
        h.update(body.substr(0, 7));
        h.update(body.substr(7));
        BodyHash bh = h.finish();
        EXPECT_EQ(bh.digest, sha256(body.substr(0, limit))) << limit;
        EXPECT_EQ(bh.length, body.size()) << limit;
    }
}

TEST(Canonicalization, ParsesAndPrints) {
    struct Row {
        const char* text;
        std::optional<Canonicalization> want;
    };
    const Row rows[] = {
        {"relaxed/relaxed", Canonicalization{Canon::Relaxed, Canon::Relaxed}},
        {"relaxed/simple", Canonicalization{Canon::Relaxed, Canon::Simple}},
        {"simple/relaxed", Canonicalization{Canon::Simple, Canon::Relaxed}},
        {"simple", Canonicalization{Canon::Simple, Canon::Simple}},
        {"relaxed", Canonicalization{Canon::Relaxed, Canon::Simple}},  // §3.5 c=
        {"", std::nullopt},
        {"strict", std::nullopt},
        {"relaxed/", std::nullopt},
        {"/relaxed", std::nullopt},
        {"Relaxed/relaxed", std::nullopt},
        {"relaxed/relaxed/relaxed", std::nullopt},
    };
    for (const Row& r : rows) EXPECT_EQ(parse_canonicalization(r.text), r.want) << r.text;
    EXPECT_EQ(to_string(Canonicalization{}), "relaxed/relaxed");
    EXPECT_EQ(to_string(Canonicalization{Canon::Simple, Canon::Relaxed}), "simple/relaxed");
}

}  // namespace
}  // namespace netius::crypto::dkim
