#include "net/wsgi/streams.hpp"

#include <gtest/gtest.h>

#include <pybind11/embed.h>

#include "python_test_support.hpp"

namespace py = pybind11;

namespace netius::net::wsgi {
namespace {

std::string str(const py::handle& b) {
    return b.cast<std::string>();
}

// The same reads on a body in memory and on one spilled to a temporary file.
class InputStreamTest : public ::testing::TestWithParam<std::size_t> {};

TEST_P(InputStreamTest, ReadsLinesAndPieces) {
    testing::ensure_python();
    const std::string tail(GetParam(), 'z');
    const std::string body = "one\ntwo\n" + tail;
    InputStream in(body);
    EXPECT_EQ(str(in.readline(py::none())), "one\n");
    EXPECT_EQ(str(in.readline(py::int_(2))), "tw");
    EXPECT_EQ(str(in.readline(py::int_(-1))), "o\n");
    std::string rest;
    for (;;) {
        std::string piece = str(in.read(py::int_(7919)));
        if (piece.empty()) break;
        EXPECT_LE(piece.size(), 7919u);
        rest += piece;
    }
    EXPECT_EQ(rest, tail);
    EXPECT_EQ(str(in.read(py::none())), "");  // past the end: b"" again
    EXPECT_TRUE(in.touched());
}

TEST_P(InputStreamTest, ReadlinesAndIteration) {
    testing::ensure_python();
    const std::string tail(GetParam(), 'z');
    InputStream in("a\nb\n" + tail);
    py::list lines = in.readlines(py::none());
    ASSERT_EQ(lines.size(), tail.empty() ? 2u : 3u);
    EXPECT_EQ(str(lines[0]), "a\n");
    EXPECT_EQ(str(lines[1]), "b\n");
    InputStream again("x\ny");
    EXPECT_EQ(str(again.next()), "x\n");
    EXPECT_EQ(str(again.next()), "y");
    EXPECT_THROW(again.next(), py::stop_iteration);
}

INSTANTIATE_TEST_SUITE_P(MemoryAndSpilled, InputStreamTest,
                         ::testing::Values(std::size_t{0}, std::size_t{1000},
                                           InputStream::kSpillBytes + 12345));

}  // namespace
}  // namespace netius::net::wsgi
