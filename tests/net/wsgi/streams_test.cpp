#include "net/wsgi/streams.hpp"

#include <gtest/gtest.h>

#include <pybind11/embed.h>

#include <thread>

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

// A streamed body (http::RequestBody) fed on another thread byte by byte while the reads
// wait for it (GIL released), across lines, pieces and the stream's 64 KiB takes.
TEST(StreamedInputStream, ReadsWhatArrivesByteByByte) {
    testing::ensure_python();
    const std::string body = "one\ntwo\n" + std::string(70000, 'z') + "\nlast";
    auto stream = std::make_shared<http::RequestBody>(4096, std::chrono::seconds(10));
    std::thread producer([&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (char c : body) {
            while (stream->space() == 0 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::yield();  // the window holds back, as the session does
            stream->push(std::string_view(&c, 1));
        }
        stream->finish();
    });
    InputStream in(stream);
    EXPECT_EQ(str(in.readline(py::none())), "one\n");
    EXPECT_EQ(str(in.readline(py::int_(2))), "tw");
    EXPECT_EQ(str(in.read(py::int_(2))), "o\n");
    EXPECT_EQ(str(in.read(py::int_(7919))), std::string(7919, 'z'));  // n, not fewer
    py::list lines = in.readlines(py::none());
    producer.join();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(str(lines[0]), std::string(70000 - 7919, 'z') + "\n");
    EXPECT_EQ(str(lines[1]), "last");
    EXPECT_EQ(str(in.read(py::none())), "");  // the end, again: wsgi.input_terminated
    EXPECT_THROW(in.next(), py::stop_iteration);
}

TEST(StreamedInputStream, FailedStreamRaisesOSError) {
    testing::ensure_python();
    auto stream = std::make_shared<http::RequestBody>(4096, std::chrono::seconds(10));
    stream->push("partial");
    stream->fail("the client closed the connection");
    InputStream in(stream);
    EXPECT_EQ(str(in.read(py::int_(7))), "partial");  // what arrived is still read
    try {
        in.read(py::none());
        ADD_FAILURE() << "no exception";
    } catch (py::error_already_set& e) {
        EXPECT_TRUE(e.matches(PyExc_OSError));
        EXPECT_NE(std::string(e.what()).find("client closed"), std::string::npos) << e.what();
    }
}

TEST(StreamedInputStream, ReadTimesOut) {
    testing::ensure_python();
    InputStream in(std::make_shared<http::RequestBody>(4096, std::chrono::milliseconds(20)));
    try {
        in.read(py::int_(1));
        ADD_FAILURE() << "no exception";
    } catch (py::error_already_set& e) {
        EXPECT_TRUE(e.matches(PyExc_OSError));
        EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace netius::net::wsgi
