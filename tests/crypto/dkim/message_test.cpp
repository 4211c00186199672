#include "crypto/dkim/message.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace netius::crypto::dkim {
namespace {

struct Expect {
    std::vector<std::string> names;   // field names in order
    std::vector<std::string> values;  // their values (folds kept)
    std::string body;
    LineEnding eol = LineEnding::Crlf;
    std::optional<std::size_t> error_line;  // set: the message is rejected on this line
    std::string error;
};

struct Case {
    const char* name;
    std::string input;
    Expect expect;
};

Expect fields(std::vector<std::string> names, std::vector<std::string> values, std::string body,
              LineEnding eol = LineEnding::Crlf) {
    return Expect{std::move(names), std::move(values), std::move(body), eol, std::nullopt, ""};
}

Expect error(std::size_t line, std::string reason) {
    return Expect{{}, {}, "", LineEnding::Crlf, line, std::move(reason)};
}

const Case kCases[] = {
    {"crlf", "From: a@example.com\r\nTo: b@example.org\r\n\r\nHello\r\n",
     fields({"From", "To"}, {" a@example.com", " b@example.org"}, "Hello\r\n")},
    {"lf", "From: a@example.com\nTo: b\n\nHello\nWorld\n",
     fields({"From", "To"}, {" a@example.com", " b"}, "Hello\nWorld\n", LineEnding::Lf)},
    {"folded_crlf", "Subject: one\r\n two\r\n\tthree\r\nX:y\r\n\r\n",
     fields({"Subject", "X"}, {" one\r\n two\r\n\tthree", "y"}, "")},
    {"folded_lf", "Subject: one\n two\n\n",
     fields({"Subject"}, {" one\n two"}, "", LineEnding::Lf)},
    {"wsp_before_colon", "B : Y\t\r\n\tZ  \r\n\r\n", fields({"B"}, {" Y\t\r\n\tZ  "}, "")},
    {"empty_value", "X-Empty:\r\n\r\nbody", fields({"X-Empty"}, {""}, "body")},
    {"empty_body", "From: a\r\n\r\n", fields({"From"}, {" a"}, "")},
    {"body_keeps_bytes", "From: a\r\n\r\n\r\n  x \n\r\n",
     fields({"From"}, {" a"}, "\r\n  x \n\r\n")},
    {"no_blank_line", "From: a\r\nTo: b\r\n", fields({"From", "To"}, {" a", " b"}, "")},
    {"no_final_newline", "From: a\r\nTo: b", fields({"From", "To"}, {" a", " b"}, "")},
    {"no_headers", "\r\nbody only", fields({}, {}, "body only")},
    {"empty_message", "", fields({}, {}, "")},
    {"colon_in_value", "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n",
     fields({"Date"}, {" Mon, 1 Jan 2024 10:00:00 +0000"}, "")},
    {"utf8_value", "Subject: Ol\xc3\xa1\r\n\r\n", fields({"Subject"}, {" Ol\xc3\xa1"}, "")},
    {"no_colon", "From: a\r\nBogus line\r\n\r\n", error(2, "header line without a colon")},
    {"no_colon_first", "Hello\r\n\r\n", error(1, "header line without a colon")},
    {"no_colon_lf", "From: a\nTo: b\nnope\n\n", error(3, "header line without a colon")},
    {"continuation_first", " folded\r\nFrom: a\r\n\r\n",
     error(1, "continuation line before the first header field")},
    {"empty_name", "From: a\r\n: x\r\n\r\n", error(2, "empty header field name")},
    {"space_in_name", "Bad Name: x\r\n\r\n", error(1, "invalid character in a header field name")},
    {"non_ascii_name", "F\xc3\xb6o: x\r\n\r\n",
     error(1, "invalid character in a header field name")},
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.name;
}

class MessageCase : public ::testing::TestWithParam<Case> {};

void expect_fields(const HeaderSection& h, const Expect& e, const std::string& where) {
    ASSERT_EQ(h.fields.size(), e.names.size()) << where;
    for (std::size_t i = 0; i < e.names.size(); ++i) {
        EXPECT_EQ(h.fields[i].name, e.names[i]) << where;
        EXPECT_EQ(h.fields[i].value, e.values[i]) << where;
        // raw = name .. value, the whole field without its final line ending
        EXPECT_EQ(h.fields[i].raw.data(), h.fields[i].name.data()) << where;
        EXPECT_EQ(h.fields[i].raw.data() + h.fields[i].raw.size(),
                  h.fields[i].value.data() + h.fields[i].value.size())
            << where;
    }
    if (!e.names.empty()) {
        EXPECT_EQ(h.line_ending, e.eol) << where;
    }
}

TEST_P(MessageCase, WholeMessage) {
    const Case& c = GetParam();
    if (c.expect.error_line) {
        try {
            parse_message(c.input);
            FAIL() << "accepted";
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()),
                      "line " + std::to_string(*c.expect.error_line) + ": " + c.expect.error);
        }
        return;
    }
    Message m = parse_message(c.input);
    expect_fields(m.headers, c.expect, "whole");
    EXPECT_EQ(m.body, c.expect.body);
}

// The incremental parser fed every prefix (which covers split-at-every-offset and byte by
// byte, since it restarts from the beginning each call): Incomplete until the answer is
// decided, then the same answer as for the whole input, for every longer prefix.
TEST_P(MessageCase, EveryPrefixOfTheHeaderSection) {
    const Case& c = GetParam();
    bool decided = false;
    for (std::size_t k = 0; k <= c.input.size(); ++k) {
        const std::string prefix = c.input.substr(0, k);
        HeaderSection h;
        HeadersResult r = parse_header_section(prefix, h);
        const std::string where = "prefix of " + std::to_string(k) + " bytes";
        if (std::holds_alternative<HeadersIncomplete>(r)) {
            EXPECT_FALSE(decided) << where;
            continue;
        }
        decided = true;
        if (c.expect.error_line) {
            ASSERT_TRUE(std::holds_alternative<HeadersError>(r)) << where;
            EXPECT_EQ(std::get<HeadersError>(r).line, *c.expect.error_line) << where;
            EXPECT_EQ(std::get<HeadersError>(r).reason, c.expect.error) << where;
        } else {
            ASSERT_TRUE(std::holds_alternative<HeadersComplete>(r)) << where;
            EXPECT_EQ(c.input.substr(std::get<HeadersComplete>(r).consumed), c.expect.body)
                << where;
            expect_fields(h, c.expect, where);
        }
    }
    // Without an empty line, only the whole-message parser (end of input) can decide.
    const bool has_blank = c.input.find("\r\n\r\n") != std::string::npos ||
                           c.input.find("\n\n") != std::string::npos ||
                           c.input.rfind("\r\n", 0) == 0;
    if (!c.expect.error_line && !has_blank) {
        EXPECT_FALSE(decided);
    }
}

INSTANTIATE_TEST_SUITE_P(Message, MessageCase, ::testing::ValuesIn(kCases), case_name);

TEST(MessageLimits, TooManyFields) {
    std::string msg;
    for (int i = 0; i < 11; ++i) msg += "X-" + std::to_string(i) + ": v\r\n";
    msg += "\r\n";
    MessageLimits limits{.max_fields = 10, .max_header_bytes = 1 << 20};
    EXPECT_THROW(
        {
            try {
                parse_message(msg, limits);
            } catch (const Error& e) {
                EXPECT_STREQ(e.what(), "line 11: more than 10 header fields");
                throw;
            }
        },
        Error);
    limits.max_fields = 11;
    EXPECT_EQ(parse_message(msg, limits).headers.fields.size(), 11u);
}

TEST(MessageLimits, HeaderSectionTooLarge) {
    MessageLimits limits{.max_fields = 1000, .max_header_bytes = 64};
    std::string big = "Subject: " + std::string(100, 'x') + "\r\n\r\n";
    HeaderSection h;
    auto r = parse_header_section(big, h, limits);
    ASSERT_TRUE(std::holds_alternative<HeadersError>(r));
    EXPECT_EQ(std::get<HeadersError>(r).reason, "header section too large");
    // Also while incomplete: a peer cannot make us buffer an endless header line.
    r = parse_header_section(std::string(65, 'x'), h, limits);
    ASSERT_TRUE(std::holds_alternative<HeadersError>(r));
    EXPECT_NO_THROW(parse_message("Subject: x\r\n\r\n" + std::string(1000, 'b'), limits));
}

TEST(MessageLimits, DefaultsAreAThousandFieldsAndOneMebibyte) {
    MessageLimits limits;
    EXPECT_EQ(limits.max_fields, 1000u);
    EXPECT_EQ(limits.max_header_bytes, 1u << 20);
    std::string msg;
    for (int i = 0; i < 1001; ++i) msg += "X: v\n";
    EXPECT_THROW(parse_message(msg + "\n"), Error);
}

TEST(Iequals, AsciiCaseOnly) {
    EXPECT_TRUE(iequals("DKIM-Signature", "dkim-signature"));
    EXPECT_FALSE(iequals("From", "Fro"));
    EXPECT_FALSE(iequals("From", "Frob"));
}

}  // namespace
}  // namespace netius::crypto::dkim
