// DotStuffer: a table of contents and their DATA streams, fed whole, split at every offset
// and byte by byte; and the round trip through the server's DataDecoder.
#include "net/smtp/client/dot_stuffer.hpp"

#include <gtest/gtest.h>

#include "../../net_test_util.hpp"
#include "net/smtp/data_decoder.hpp"

namespace netius::net::smtp {
namespace {

struct Case {
    const char* name;
    std::string content;
    std::string stream;
};

const Case kCases[] = {
    {"empty", "", ".\r\n"},
    {"one_line", "a\r\n", "a\r\n.\r\n"},
    {"no_final_line_end", "a", "a\r\n.\r\n"},
    {"leading_dot", ".a\r\n", "..a\r\n.\r\n"},
    {"lone_dot_line", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"},
    {"dot_only", ".", "..\r\n.\r\n"},
    {"dot_not_at_line_start", "a.b\r\n", "a.b\r\n.\r\n"},
    {"bare_lf", "a\nb\n", "a\r\nb\r\n.\r\n"},
    {"bare_cr", "a\rb", "a\r\nb\r\n.\r\n"},
    {"cr_at_end", "a\r", "a\r\n.\r\n"},
    {"smuggling_lf_dot_lf", "a\n.\nb\r\n", "a\r\n..\r\nb\r\n.\r\n"},
    {"smuggling_cr_dot_cr", "a\r.\rb", "a\r\n..\r\nb\r\n.\r\n"},
    {"lf_cr", "a\n\rb", "a\r\n\r\nb\r\n.\r\n"},
    {"blank_lines", "\r\n\r\n", "\r\n\r\n.\r\n"},
    {"dots_after_bare_lf", "x\n..y", "x\r\n...y\r\n.\r\n"},
};

std::string stuff_in_pieces(const std::string& content, std::size_t piece) {
    DotStuffer s;
    std::string out;
    for (std::size_t i = 0; i < content.size(); i += piece)
        s.encode(std::string_view(content).substr(i, piece), out);
    s.finish(out);
    return out;
}

class DotStufferTable : public testing::TestWithParam<Case> {};

TEST_P(DotStufferTable, EveryFeed) {
    const Case& c = GetParam();
    EXPECT_EQ(dot_stuff(c.content), c.stream) << "whole";
    EXPECT_EQ(stuff_in_pieces(c.content, 1), c.stream) << "byte by byte";
    for (std::size_t k = 1; k < c.content.size(); ++k) {
        DotStuffer s;
        std::string out;
        s.encode(std::string_view(c.content).substr(0, k), out);
        s.encode(std::string_view(c.content).substr(k), out);
        s.finish(out);
        EXPECT_EQ(out, c.stream) << "split at " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(DotStuffer, DotStufferTable, testing::ValuesIn(kCases),
                         [](const auto& i) { return std::string(i.param.name); });

std::string decode(std::string_view stream, std::size_t* consumed) {
    DataDecoder d;
    std::string out;
    DataDecoder::Step step = d.decode(stream, out);
    *consumed = step.done ? step.consumed : 0;
    return out;
}

TEST(DotStuffer, RoundTripThroughTheServersDecoderGivesTheContentInCrlfLines) {
    for (const Case& c : kCases) {
        std::size_t consumed = 0;
        std::string back = decode(c.stream, &consumed);
        EXPECT_EQ(consumed, c.stream.size()) << c.name;  // the terminator is ours, at the end
        // What arrives is the content with every line end made CRLF and a last one added.
        std::string want = c.stream.substr(0, c.stream.size() - 3);
        for (std::size_t i = 0; (i = want.find("\r\n.", i)) != std::string::npos; i += 2)
            want.erase(i + 2, 1);
        if (want.starts_with(".")) want.erase(0, 1);
        EXPECT_EQ(back, want) << c.name;
    }
}

TEST(DotStuffer, RoundTripOfRandomBytesKeepsEveryByteButLineEnds) {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        std::string content = test::random_bytes(4096, seed);
        for (char& ch : content)  // plenty of dots and line ends
            if (static_cast<unsigned char>(ch) % 7 == 0)
                ch = "\r\n."[static_cast<unsigned char>(ch) % 3];
        std::size_t consumed = 0;
        std::string stream = stuff_in_pieces(content, 1 + seed * 37);
        std::string back = decode(stream, &consumed);
        EXPECT_EQ(consumed, stream.size()) << seed;
        std::string normal;  // content with CR, LF and CRLF each made CRLF
        for (std::size_t i = 0; i < content.size(); ++i) {
            if (content[i] == '\r' || content[i] == '\n') {
                normal += "\r\n";
                if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n') ++i;
            } else {
                normal += content[i];
            }
        }
        if (!normal.ends_with("\r\n")) normal += "\r\n";
        EXPECT_EQ(back, normal) << seed;
    }
}

}  // namespace
}  // namespace netius::net::smtp
