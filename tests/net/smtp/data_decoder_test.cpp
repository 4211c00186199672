// DataDecoder: every case fed whole, split in two at every offset, and byte by byte; the
// content, the bytes consumed (what follows is the next command) and the overflow must not
// depend on how the input was cut.
#include "net/smtp/data_decoder.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netius::net::smtp {
namespace {

struct Case {
    const char* name;
    std::string input;
    std::string want;  // "done <content> rest=<n>" / "incomplete <content>" (+ " overflow")
    std::uint64_t max = UINT64_MAX;
};

std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// Feeds `pieces` in order (as a session would: each call sees only the new bytes).
std::string run(const Case& c, const std::vector<std::size_t>& cuts) {
    DataDecoder d(c.max);
    std::string out;
    std::size_t at = 0;
    std::vector<std::size_t> bounds = cuts;
    bounds.push_back(c.input.size());
    for (std::size_t end : bounds) {
        std::string piece = c.input.substr(at, end - at);  // a fresh copy each time
        DataDecoder::Step s = d.decode(piece, out);
        if (s.done) {
            std::string r =
                fmt::format("done {} rest={}", escape(out), c.input.size() - (at + s.consumed));
            return d.overflow() ? r + " overflow" : r;
        }
        if (s.consumed != piece.size()) return "left input unconsumed";
        at = end;
    }
    std::string r = "incomplete " + escape(out);
    return d.overflow() ? r + " overflow" : r;
}

class DataDecoderCase : public ::testing::TestWithParam<Case> {};

TEST_P(DataDecoderCase, WholeSplitAndByteByByte) {
    const Case& c = GetParam();
    EXPECT_EQ(run(c, {}), c.want) << "whole";
    for (std::size_t k = 1; k < c.input.size(); ++k)
        EXPECT_EQ(run(c, {k}), c.want) << "split " << k;
    std::vector<std::size_t> bytes;
    for (std::size_t k = 1; k < c.input.size(); ++k) bytes.push_back(k);
    EXPECT_EQ(run(c, bytes), c.want) << "byte by byte";
}

std::string case_name(const ::testing::TestParamInfo<Case>& i) {
    return i.param.name;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Content, DataDecoderCase, ::testing::Values(
    Case{"simple", "Subject: x\r\n\r\nbody\r\n.\r\n", "done Subject: x\\r\\n\\r\\nbody\\r\\n rest=0"},
    Case{"empty_message", ".\r\n", "done  rest=0"},
    Case{"only_a_blank_line", "\r\n.\r\n", "done \\r\\n rest=0"},
    Case{"dot_stuffed", "a\r\n..b\r\n...\r\n.\r\n", "done a\\r\\n.b\\r\\n..\\r\\n rest=0"},
    Case{"stuffed_first_line", "..x\r\n.\r\n", "done .x\\r\\n rest=0"},
    Case{"lone_stuffed_dot", "..\r\n.\r\n", "done .\\r\\n rest=0"},
    Case{"dot_then_text", ".x\r\n.\r\n", "done x\\r\\n rest=0"},
    Case{"pipelined_command_after", "a\r\n.\r\nQUIT\r\n", "done a\\r\\n rest=6"},
    Case{"two_messages_worth", "a\r\n.\r\nb\r\n.\r\n", "done a\\r\\n rest=6"},
    Case{"dot_cr_text", "a\r\n.\rb\r\n.\r\n", "done a\\r\\n\\rb\\r\\n rest=0"},
    Case{"dot_cr_cr_lf", "a\r\n.\r\r\n.\r\n", "done a\\r\\n\\r\\r\\n rest=0"},
    Case{"eight_bit_and_nul", std::string("\xc3\xa9\0\xff\r\n.\r\n", 9),
         std::string("done \xc3\xa9") + '\0' + "\xff\\r\\n rest=0"},
    Case{"no_terminator_yet", "a\r\nb\r\n", "incomplete a\\r\\nb\\r\\n"},
    Case{"dot_at_end_held_back", "a\r\n.", "incomplete a\\r\\n"},
    Case{"dot_cr_at_end_held_back", "a\r\n.\r", "incomplete a\\r\\n"}), case_name);

// SMTP smuggling (CVE-2023-51764/5/6): only <CR><LF>.<CR><LF> ends the content.
INSTANTIATE_TEST_SUITE_P(Smuggling, DataDecoderCase, ::testing::Values(
    Case{"bare_lf_dot_bare_lf", "a\n.\nMAIL FROM:<x@y>\n", "incomplete a\\n.\\nMAIL FROM:<x@y>\\n"},
    Case{"bare_cr_dot_bare_cr", "a\r.\rMAIL", "incomplete a\\r.\\rMAIL"},
    Case{"bare_lf_dot_crlf", "a\n.\r\nMAIL FROM:<x@y>\r\n", "incomplete a\\n.\\r\\nMAIL FROM:<x@y>\\r\\n"},
    Case{"crlf_dot_bare_lf", "a\r\n.\nMAIL\r\n", "incomplete a\\r\\n\\nMAIL\\r\\n"},
    Case{"cr_dot_crlf", "a\r.\r\nb\r\n", "incomplete a\\r.\\r\\nb\\r\\n"},
    Case{"smuggled_then_real_end", "a\n.\r\nRSET\r\n.\r\n", "done a\\n.\\r\\nRSET\\r\\n rest=0"}), case_name);

INSTANTIATE_TEST_SUITE_P(Limit, DataDecoderCase, ::testing::Values(
    Case{"at_the_limit", "abc\r\n.\r\n", "done abc\\r\\n rest=0", 5},
    Case{"over_the_limit_keeps_prefix", "abcdef\r\n.\r\nQUIT\r\n", "done abcde rest=6 overflow", 5},
    Case{"stuffed_dots_count_once", "..\r\n.\r\n", "done .\\r\\n rest=0", 3}), case_name);
// clang-format on

TEST(DataDecoder, ResetStartsANewMessageAtALineStart) {
    DataDecoder d(100);
    std::string out;
    EXPECT_TRUE(d.decode("x\r\n.\r\n", out).done);
    d.reset(100);
    out.clear();
    DataDecoder::Step s = d.decode("..y\r\n.\r\n", out);
    EXPECT_TRUE(s.done);
    EXPECT_EQ(out, ".y\r\n");
    EXPECT_EQ(d.size(), 4u);
}

}  // namespace
}  // namespace netius::net::smtp
