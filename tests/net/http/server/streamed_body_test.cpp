// HttpServerOptions::stream_request_bodies (net/http/h1/http_session_body.cpp): request content
// handed to a reading thread as it arrives, fed whole, split at every offset and byte by byte; the
// window holding the client back; 100 Continue only once the reader asks; answers made before
// the content was all read; a client leaving mid-upload. Real loopback sockets; every wait is
// bounded (socket timeouts, futures with limits, the channel's timeout, joined threads).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>

#include "../../net_test_util.hpp"
#include "net/http/server/http_server.hpp"
#include "server_thread.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;
using testing::read_until;
using testing::ServerThread;
using testing::Threads;

HttpServerOptions streaming(std::uint64_t max_body = 16 * 1024 * 1024) {
    HttpServerOptions o;
    o.stream_request_bodies = true;
    o.limits.max_body_bytes = max_body;
    o.limits.body_read_timeout = 10s;
    return o;
}

// Reads all of a request's content (streamed or not) in `piece`-byte reads; "" plus `failed`
// when the stream failed.
std::string read_all(const Request& req, std::size_t piece, bool* failed = nullptr) {
    if (!req.body_stream) return std::string(req.body);
    std::string out;
    while (true) {
        auto status = req.body_stream->read(out, piece);
        if (status == RequestBody::ReadStatus::kEnd) return out;
        if (status != RequestBody::ReadStatus::kData) {
            if (failed) *failed = true;
            return {};
        }
    }
}

// A handler echoing the content, read on a thread when streamed.
Handler echo(Threads& threads, std::size_t piece) {
    return [&threads, piece](const Request& req, Response& res) {
        if (!req.body_stream) {
            res.storage = "got:" + std::string(req.body);
            res.body = res.storage;
            return;
        }
        Resume resume = res.defer();
        threads.start([resume, body = req.body_stream, piece] {
            std::string content = read_all(Request{RequestHead(), {}, InetAddress(), body}, piece);
            resume.finish([content](Response& r) {
                r.storage = "got:" + content;
                r.body = r.storage;
            });
        });
    };
}

void no_delay(int fd) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

TEST(StreamedBody, EveryFeedOfChunkedAndLengthBodies) {
    const std::string head = "POST /up HTTP/1.1\r\nHost: x\r\n";
    const struct Case {
        std::string request;
        std::string content;
    } cases[] = {
        {head + "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n"
                "5\r\nworld\r\n0\r\nTrailer-X: y\r\n\r\n",
         "hello world"},
        {head + "Content-Length: 11\r\n\r\nhello world", "hello world"},
        {head + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", ""},
    };
    Threads threads;
    ServerThread server(echo(threads, 3), streaming());
    for (const Case& c : cases) {
        std::vector<std::vector<std::string>> feeds = {{c.request}};
        for (std::size_t at = 1; at < c.request.size(); ++at)
            feeds.push_back({c.request.substr(0, at), c.request.substr(at)});
        std::vector<std::string> bytes;
        for (char ch : c.request) bytes.emplace_back(1, ch);
        feeds.push_back(bytes);
        for (const auto& pieces : feeds) {
            UniqueFd fd = test::connect_client(server.address());
            no_delay(fd.get());
            for (const std::string& p : pieces) ASSERT_TRUE(test::write_all(fd.get(), p));
            const std::string out = read_until(fd.get(), "got:" + c.content);
            EXPECT_NE(out.find("\r\n\r\ngot:" + c.content), std::string::npos)
                << c.request << " in " << pieces.size() << " pieces: " << out;
        }
    }
}

TEST(StreamedBody, WindowHoldsTheClientBack) {
    constexpr std::size_t kSize = 64 * 1024 * 1024;
    std::promise<void> go;
    std::shared_future<void> started = go.get_future().share();
    Threads threads;
    ServerThread server(
        [&](const Request& req, Response& res) {
            Resume resume = res.defer();
            threads.start([resume, body = req.body_stream, started] {
                if (started.wait_for(20s) != std::future_status::ready) return;
                std::size_t total = 0;
                std::string piece;
                while (body->read(piece, 65536) == RequestBody::ReadStatus::kData) {
                    total += piece.size();
                    piece.clear();
                }
                resume.finish([total](Response& r) {
                    r.storage = "total:" + std::to_string(total);
                    r.body = r.storage;
                });
            });
        },
        streaming(kSize));
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                              std::to_string(kSize) + "\r\n\r\n"));
    // Nobody reads: what the client gets rid of is the window plus the kernels' buffers.
    const std::string block(65536, 'x');
    std::size_t sent = 0;
    for (int idle = 0; idle < 50 && sent < kSize;) {
        ssize_t n = ::send(fd.get(), block.data(), std::min(block.size(), kSize - sent),
                           MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            idle = 0;
        } else {
            ++idle;
            std::this_thread::sleep_for(10ms);
        }
    }
    EXPECT_LT(sent, kSize / 2);
    go.set_value();
    while (sent < kSize) {
        const std::size_t n = std::min(block.size(), kSize - sent);
        ASSERT_TRUE(test::write_all(fd.get(), std::string_view(block).substr(0, n)));
        sent += n;
    }
    const std::string out = read_until(fd.get(), "total:" + std::to_string(kSize));
    EXPECT_NE(out.find("total:" + std::to_string(kSize)), std::string::npos) << out;
}

TEST(StreamedBody, ContinueOnlyWhenTheReaderAsks) {
    Threads threads;
    ServerThread server(
        [&](const Request& req, Response& res) {
            Resume resume = res.defer();
            if (req.head.path == "/reject") {  // answers without reading
                resume.finish([](Response& r) {
                    r.status = Status::kContentTooLarge;
                    r.body = "too large";
                });
                return;
            }
            threads.start([resume, body = req.body_stream] {
                std::string content =
                    read_all(Request{RequestHead(), {}, InetAddress(), body}, 100);
                resume.finish([content](Response& r) {
                    r.storage = "got:" + content;
                    r.body = r.storage;
                });
            });
        },
        streaming());
    const std::string expect = "Host: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n";
    {
        UniqueFd fd = test::connect_client(server.address());
        ASSERT_TRUE(test::write_all(fd.get(), "POST /reject HTTP/1.1\r\n" + expect));
        const std::string out = read_until(fd.get(), "\x01");  // to the close
        EXPECT_TRUE(out.starts_with("HTTP/1.1 413 ")) << out;
        EXPECT_EQ(out.find("100 Continue"), std::string::npos) << out;
        EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
    }
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "POST /read HTTP/1.1\r\n" + expect));
    const std::string interim = read_until(fd.get(), "\r\n\r\n");
    EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
    ASSERT_TRUE(test::write_all(fd.get(), "hello"));
    const std::string out = read_until(fd.get(), "got:hello");
    EXPECT_TRUE(out.starts_with("HTTP/1.1 200 ")) << out;
    EXPECT_EQ(out.find("Connection: close"), std::string::npos) << out;
}

// Reads `n` bytes of the content, then answers with them; `called` is set when a streamed
// request reaches the handler.
Handler read_some(Threads& threads, std::size_t n, std::promise<void>* called = nullptr) {
    return [&threads, n, called](const Request& req, Response& res) {
        if (!req.body_stream) {
            res.body = "bodyless";
            return;
        }
        if (called) called->set_value();
        Resume resume = res.defer();
        threads.start([resume, body = req.body_stream, n] {
            std::string content;
            body->read(content, n);
            resume.finish([content](Response& r) {
                r.storage = "read:" + content;
                r.body = r.storage;
            });
        });
    };
}

TEST(StreamedBody, PipelinedRequestAfterAPartlyReadBody) {
    std::promise<void> called;
    Threads threads;
    ServerThread server(read_some(threads, 3, &called), streaming());
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(
        test::write_all(fd.get(), "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"));
    ASSERT_EQ(called.get_future().wait_for(10s), std::future_status::ready);
    // The content arrives with the next request: all of it is in before the answer (which
    // waits for a read of it), so the connection goes on and the next request is answered.
    ASSERT_TRUE(test::write_all(fd.get(), "0123456789GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::string out = read_until(fd.get(), "bodyless");
    EXPECT_NE(out.find("read:012"), std::string::npos) << out;
    EXPECT_NE(out.find("bodyless"), std::string::npos) << out;
    EXPECT_EQ(out.find("Connection: close"), std::string::npos) << out;
}

TEST(StreamedBody, AnswerBeforeTheContentArrivedCloses) {
    Threads threads;
    ServerThread server(read_some(threads, 3), streaming());
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(),
                                "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n01234"));
    const std::string out = read_until(fd.get(), "\x01");  // to the close
    EXPECT_NE(out.find("read:012"), std::string::npos) << out;
    EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
}

TEST(StreamedBody, BadChunkedFramingIsAnsweredAndFailsTheReader) {
    std::promise<bool> failed;
    std::promise<void> called;
    Threads threads;
    ServerThread server(
        [&](const Request& req, Response& res) {
            called.set_value();
            Resume resume = res.defer();
            threads.start([&failed, resume, body = req.body_stream] {
                bool f = false;
                read_all(Request{RequestHead(), {}, InetAddress(), body}, 100, &f);
                resume.finish([](Response& r) { r.body = "dropped"; });
                failed.set_value(f);
            });
        },
        streaming());
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(
        fd.get(), "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab"));
    ASSERT_EQ(called.get_future().wait_for(10s), std::future_status::ready);
    ASSERT_TRUE(test::write_all(fd.get(), "c\r\nzz\r\n"));
    const std::string out = read_until(fd.get(), "\x01");  // to the close
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400 ")) << out;
    EXPECT_EQ(out.find("dropped"), std::string::npos) << out;
    auto result = failed.get_future();
    ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
    EXPECT_TRUE(result.get());
}

TEST(StreamedBody, ClientLeavingMidUploadWakesTheReader) {
    std::promise<bool> failed;
    Threads threads;
    ServerThread server(
        [&](const Request& req, Response& res) {
            Resume resume = res.defer();
            threads.start([&failed, resume, body = req.body_stream] {
                bool f = false;
                read_all(Request{RequestHead(), {}, InetAddress(), body}, 100, &f);
                resume.finish([](Response& r) { r.body = "late"; });  // while the loop lives
                failed.set_value(f);
            });
        },
        streaming());
    {
        UniqueFd fd = test::connect_client(server.address());
        ASSERT_TRUE(test::write_all(
            fd.get(), "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nsome"));
    }  // closed mid-upload
    auto result = failed.get_future();
    ASSERT_EQ(result.wait_for(5s), std::future_status::ready);  // well before the body timeout
    EXPECT_TRUE(result.get());
}

}  // namespace
}  // namespace netius::net::http
