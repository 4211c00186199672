// Streamed responses (Response::stream, BodyStream) through a real HttpServer on loopback:
// framing by size (Content-Length, chunked, close-delimited), pipelining behind a stream,
// back-pressure against a client that does not read, the write timeout on a stalled stream,
// files (sendfile and compressed), and sources that fail or break their size promise.
#include "net/http/h1/body_stream.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "../../net_test_util.hpp"
#include "../server/server_thread.hpp"
#include "net/http/file_body.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;
using testing::ServerThread;

// `count` pieces of `piece` bytes ('a' + index % 26), announcing its size or not; counts pulls
// in `pulls` (shared with the test thread).
class Pieces final : public BodySource {
  public:
    Pieces(std::size_t count, std::size_t piece, bool sized, std::atomic<std::size_t>* pulls)
        : count_(count), piece_(piece), sized_(sized), pulls_(pulls) {}
    std::optional<std::uint64_t> size() const override {
        if (!sized_) return std::nullopt;
        return count_ * piece_;
    }
    BodyStatus pull(BodySink& out) override {
        if (pulls_) ++*pulls_;
        if (next_ == count_) return BodyStatus::kDone;
        out.write(std::string(piece_, static_cast<char>('a' + next_ % 26)));
        return ++next_ == count_ ? BodyStatus::kDone : BodyStatus::kMore;
    }

  private:
    std::size_t count_, piece_, next_ = 0;
    bool sized_;
    std::atomic<std::size_t>* pulls_;
};

std::string expected_pieces(std::size_t count, std::size_t piece) {
    std::string s;
    for (std::size_t i = 0; i < count; ++i) s.append(piece, static_cast<char>('a' + i % 26));
    return s;
}

// A source that writes `written` bytes, then fails or claims to be done.
class Broken final : public BodySource {
  public:
    Broken(std::uint64_t announced, std::size_t written, BodyStatus end)
        : announced_(announced), written_(written), end_(end) {}
    std::optional<std::uint64_t> size() const override { return announced_; }
    BodyStatus pull(BodySink& out) override {
        out.write(std::string(written_, 'x'));
        return end_;
    }

  private:
    std::uint64_t announced_;
    std::size_t written_;
    BodyStatus end_;
};

// Writes a byte on every `every`-th pull only, `count` bytes in all (unknown size).
class Sparse final : public BodySource {
  public:
    Sparse(int every, int count) : every_(every), count_(count) {}
    BodyStatus pull(BodySink& out) override {
        if (++calls_ % every_ == 0) {
            out.write("z");
            if (--count_ == 0) return BodyStatus::kDone;
        }
        return BodyStatus::kMore;
    }

  private:
    int every_, count_, calls_ = 0;
};

struct Reply {
    std::string head;
    std::string body;
    bool complete = false;  // the framing said the content ended (not a cut connection)
};

// Reads one response from `fd` (buffered in `in`): Content-Length, chunked or until close;
// `head_request`: the head alone.
Reply read_reply(int fd, std::string& in, bool head_request = false) {
    Reply r;
    auto fill = [&] {
        char buf[65536];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) in.append(buf, static_cast<std::size_t>(n));
        return n > 0;
    };
    std::size_t end;
    while ((end = in.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) return r;
    r.head = in.substr(0, end + 2);
    in.erase(0, end + 4);
    if (head_request || r.head.find(" 304 ") != std::string::npos) {
        r.complete = true;
        return r;
    }
    if (auto p = r.head.find("Content-Length: "); p != std::string::npos) {
        const std::size_t n = std::stoull(r.head.substr(p + 16));
        while (in.size() < n)
            if (!fill()) return r;
        r.body = in.substr(0, n);
        in.erase(0, n);
        r.complete = true;
    } else if (r.head.find("Transfer-Encoding: chunked") != std::string::npos) {
        for (;;) {
            std::size_t eol;
            while ((eol = in.find("\r\n")) == std::string::npos)
                if (!fill()) return r;
            const std::size_t n = std::stoull(in.substr(0, eol), nullptr, 16);
            while (in.size() < eol + 2 + n + 2)
                if (!fill()) return r;
            r.body.append(in, eol + 2, n);
            in.erase(0, eol + 2 + n + 2);
            if (n == 0) break;
        }
        r.complete = true;
    } else {
        while (fill()) {
        }
        r.body = std::move(in);
        in.clear();
        r.complete = true;  // close-delimited: the end of the stream is the end
    }
    return r;
}

Handler streaming(std::size_t count, std::size_t piece, bool sized,
                  std::atomic<std::size_t>* pulls = nullptr) {
    return [=](const Request& req, Response& res) {
        if (req.head.path == "/small") {
            res.body = "small";
            return;
        }
        res.headers.push_back({"Content-Type", "text/plain"});
        res.stream = std::make_unique<Pieces>(count, piece, sized, pulls);
    };
}

TEST(BodyStream, KnownSizeIsContentLengthAndKeepsTheConnection) {
    ServerThread server(streaming(10, 100'000, true));
    UniqueFd fd = test::connect_client(server.address());
    std::string in;
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    Reply r = read_reply(fd.get(), in);
    EXPECT_NE(r.head.find("Content-Length: 1000000\r\n"), std::string::npos) << r.head;
    EXPECT_EQ(r.body, expected_pieces(10, 100'000));
    ASSERT_TRUE(test::write_all(fd.get(), "GET /small HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(read_reply(fd.get(), in).body, "small");
}

TEST(BodyStream, UnknownSizeIsChunkedForHttp11AndCloseDelimitedFor10) {
    ServerThread server(streaming(5, 3000, false));
    UniqueFd a = test::connect_client(server.address());
    std::string in;
    ASSERT_TRUE(test::write_all(a.get(),
                                "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\n"
                                "Host: a\r\n\r\n"));
    Reply r = read_reply(a.get(), in);
    EXPECT_NE(r.head.find("Transfer-Encoding: chunked"), std::string::npos) << r.head;
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.body, expected_pieces(5, 3000));
    EXPECT_EQ(read_reply(a.get(), in).body, "small");  // the pipelined one, after it

    UniqueFd b = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(b.get(), "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    std::string in10;
    r = read_reply(b.get(), in10);
    EXPECT_NE(r.head.find("Connection: close"), std::string::npos) << r.head;
    EXPECT_EQ(r.head.find("chunked"), std::string::npos);
    EXPECT_EQ(r.body, expected_pieces(5, 3000));
}

TEST(BodyStream, PipelinedRequestsWaitForTheStreamAndComeInOrder) {
    ServerThread server(streaming(8, 64 * 1024, true));
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(),
                                "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: "
                                "a\r\n\r\nHEAD /3 HTTP/1.1\r\nHost: a\r\n\r\nGET /4 HTTP/1.1\r\n"
                                "Host: a\r\nConnection: close\r\n\r\n"));
    std::string in;
    EXPECT_EQ(read_reply(fd.get(), in).body, expected_pieces(8, 64 * 1024));
    EXPECT_EQ(read_reply(fd.get(), in).body, "small");
    Reply head = read_reply(fd.get(), in, true);  // HEAD: the length, no content
    EXPECT_NE(head.head.find("Content-Length: 524288"), std::string::npos);
    EXPECT_TRUE(head.body.empty());
    std::string rest = in + test::read_to_eof(fd.get());
    EXPECT_TRUE(rest.starts_with("HTTP/1.1 200 OK\r\n")) << rest.substr(0, 200);
    EXPECT_NE(rest.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(rest.ends_with(expected_pieces(8, 64 * 1024)));
}

TEST(BodyStream, AClientThatDoesNotReadHoldsTheProducerBack) {
    std::atomic<std::size_t> pulls{0};
    constexpr std::size_t kPiece = 64 * 1024, kCount = 384;  // 24 MiB offered
    ServerThread server(streaming(kCount, kPiece, true, &pulls));
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int small = 64 * 1024;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    test::set_timeouts(fd.get());
    ASSERT_EQ(::connect(fd.get(), server.address().get(), server.address().length()), 0);
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::this_thread::sleep_for(300ms);  // reading nothing: the kernel buffers fill up
    const std::size_t stalled = pulls.load();
    // Without back-pressure all 24 MiB would be pulled into memory at once; with it, only
    // what the kernel's socket buffers take (a few MiB).
    EXPECT_LT(stalled * kPiece, 16u << 20) << "pulled " << stalled << " pieces";
    std::string in;
    Reply r = read_reply(fd.get(), in);
    EXPECT_EQ(r.body.size(), kCount * kPiece);
    EXPECT_EQ(r.body, expected_pieces(kCount, kPiece));
}

TEST(BodyStream, AStalledStreamIsClosedAtTheWriteTimeout) {
    HttpServerOptions options;
    options.limits.write_timeout = 1s;
    ServerThread server(streaming(1024, 64 * 1024, true), options);
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    auto count = [&] { return server.in_loop([&] { return server.server().connection_count(); }); };
    // Accepted first (else a count of 0 only means "not yet": the whole stream then flows).
    for (int i = 0; i < 50 && count() == 0; ++i) std::this_thread::sleep_for(20ms);
    ASSERT_EQ(count(), 1u);
    for (int i = 0; i < 50 && count(); ++i) std::this_thread::sleep_for(100ms);
    EXPECT_EQ(server.in_loop([&] { return server.server().connection_count(); }), 0u);
    std::string in;
    EXPECT_FALSE(read_reply(fd.get(), in).complete);  // cut, not finished
}

TEST(BodyStream, ABrokenSourceClosesTheConnection) {
    ServerThread server([](const Request& req, Response& res) {
        if (req.head.path == "/fail")
            res.stream = std::make_unique<Broken>(100, 10, BodyStatus::kFailed);
        else if (req.head.path == "/short")
            res.stream = std::make_unique<Broken>(100, 10, BodyStatus::kDone);
        else if (req.head.path == "/stuck")
            res.stream = std::make_unique<Sparse>(1'000'000, 1);  // never writes
        else
            res.stream = std::make_unique<Broken>(5, 10, BodyStatus::kDone);  // too long
    });
    for (const char* path : {"/fail", "/short", "/long", "/stuck"}) {
        UniqueFd fd = test::connect_client(server.address());
        std::string req = std::string("GET ") + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
        ASSERT_TRUE(test::write_all(fd.get(), req + req));
        std::string in;
        Reply r = read_reply(fd.get(), in);
        EXPECT_FALSE(r.complete) << path;  // truncated, and nothing after it
        EXPECT_EQ(in.find("HTTP/1.1"), std::string::npos) << path;
    }
}

TEST(BodyStream, PullsThatWriteNothingNowAndThenAreFine) {
    ServerThread server([](const Request&, Response& res) {
        res.stream = std::make_unique<Sparse>(10, 50);  // 9 empty pulls before each byte
    });
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::string in;
    Reply r = read_reply(fd.get(), in);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.body, std::string(50, 'z'));
}

class TempFile {
  public:
    explicit TempFile(const std::string& content) {
        char tmpl[] = "/tmp/netius-body-XXXXXX";
        fd_ = ::mkstemp(tmpl);
        path_ = tmpl;
        std::string_view rest = content;
        while (!rest.empty()) {
            ssize_t n = ::write(fd_, rest.data(), rest.size());
            if (n <= 0) break;
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        EXPECT_TRUE(rest.empty());
    }
    ~TempFile() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    UniqueFd open() const { return UniqueFd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC)); }

  private:
    int fd_;
    std::string path_;
};

std::string gunzip(const std::string& in) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    std::string out(in.size() * 20 + 1024, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    out.resize(z.total_out);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : "inflate failed";
}

TEST(BodyStream, FilesWholeInRangesAndCompressed) {
    const std::string content = test::random_bytes(3'000'000, 7);
    TempFile file(content);
    HttpServerOptions options;
    options.encoding = ResponseEncoding::kGzip;
    ServerThread server(
        [&file](const Request& req, Response& res) {
            auto body = std::make_unique<FileBody>(file.open());
            if (req.head.path == "/parts") {
                body->add_text("<");
                body->add_range(10, 5);
                body->add_text("|");
                body->add_range(2'999'990, 10);
                body->add_text(">");
                res.compressible = false;
            } else {
                body->add_range(0, 3'000'000);
            }
            res.stream = std::move(body);
        },
        options);
    UniqueFd fd = test::connect_client(server.address());
    std::string in;
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    Reply plain = read_reply(fd.get(), in);  // did not ask for gzip: sendfile
    EXPECT_NE(plain.head.find("Content-Length: 3000000"), std::string::npos);
    EXPECT_TRUE(plain.body == content);
    ASSERT_TRUE(test::write_all(fd.get(), "GET /parts HTTP/1.1\r\nHost: a\r\n\r\n"));
    EXPECT_EQ(read_reply(fd.get(), in).body,
              "<" + content.substr(10, 5) + "|" + content.substr(2'999'990) + ">");
    ASSERT_TRUE(test::write_all(fd.get(),
                                "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n"
                                "\r\n"));
    Reply gz = read_reply(fd.get(), in);
    EXPECT_NE(gz.head.find("Content-Encoding: gzip"), std::string::npos) << gz.head;
    EXPECT_NE(gz.head.find("Transfer-Encoding: chunked"), std::string::npos);
    EXPECT_TRUE(gunzip(gz.body) == content);
}

}  // namespace
}  // namespace netius::net::http
