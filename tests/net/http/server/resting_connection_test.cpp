// Resting connections (net/http/server/http_server.hpp): an HTTP/1.1 keep-alive connection
// holds no session between requests; a new one is made when its next bytes arrive. Requests
// after a rest (whole, pipelined, byte by byte) are answered; the idle timeout and shutdown
// still close a resting connection; a resting connection holds no input buffer, also after a
// deferred answer (resting_count() counts only those); what only a connection's first bytes may be
// (the HTTP/2 preface, a PROXY header) is refused after a rest; a stale Resume never answers a
// later request. Real loopback sockets; every wait is bounded (watchdog, socket timeouts, polls).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <optional>
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

// Polls `done` on the loop thread until it holds (at most 10 s).
template <typename Pred>
bool eventually(ServerThread& server, Pred done) {
    for (int i = 0; i < 2000; ++i) {
        if (server.in_loop(done)) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

bool resting(ServerThread& server, std::size_t n) {
    return eventually(server, [&] { return server.server().resting_count() == n; });
}

void echo_path(const Request& req, Response& res) {
    res.storage.assign("path=").append(req.head.path).append(";");
    res.body = res.storage;
}

// Reads until the server closes: what came before its FIN; "<no close>" when the socket's
// timeout (10 s) passed first, or the connection was reset.
std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0) return out;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return out + "<no close>";
        out.append(buf, static_cast<std::size_t>(n));
    }
}

TEST(RestingConnection, SessionIsDroppedAfterEachResponseAndMadeAgain) {
    ServerThread server(echo_path);
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(resting(server, 1));  // a new connection rests until its first bytes
    for (const char* path : {"/1", "/2", "/3"}) {
        ASSERT_TRUE(
            test::write_all(fd.get(), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        const std::string want = std::string("path=") + path + ";";
        std::string out = read_until(fd.get(), want);
        EXPECT_NE(out.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << out;
        EXPECT_TRUE(out.ends_with(want)) << out;
        EXPECT_TRUE(resting(server, 1)) << "no rest after " << path;
    }
    // Pipelined after a rest: both answered, in order, then the connection rests again.
    ASSERT_TRUE(test::write_all(fd.get(),
                                "GET /4 HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /5 HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string out = read_until(fd.get(), "path=/5;");
    const auto four = out.find("path=/4;"), five = out.find("path=/5;");
    ASSERT_NE(four, std::string::npos) << out;
    EXPECT_LT(four, five) << out;
    EXPECT_TRUE(resting(server, 1));
    EXPECT_EQ(server.in_loop([&] { return server.server().connection_count(); }), 1u);
}

TEST(RestingConnection, RequestSplitByteByByteAfterARestIsAnswered) {
    ServerThread server(echo_path);
    UniqueFd fd = test::connect_client(server.address());
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ASSERT_TRUE(test::write_all(fd.get(), "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_NE(read_until(fd.get(), "path=/first;").find("path=/first;"), std::string::npos);
    ASSERT_TRUE(resting(server, 1));
    const std::string request = "GET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (char c : request) {
        ASSERT_TRUE(test::write_all(fd.get(), std::string_view(&c, 1)));
        std::this_thread::sleep_for(1ms);
    }
    std::string out = read_all(fd.get());
    EXPECT_NE(out.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("path=/second;")) << out;
}

TEST(RestingConnection, IdleTimeoutClosesRestingConnections) {
    HttpServerOptions options;
    options.limits.keep_alive_timeout = 200ms;
    ServerThread server(echo_path, options);
    UniqueFd served = test::connect_client(server.address());
    UniqueFd silent = test::connect_client(server.address());  // never sends a byte
    ASSERT_TRUE(test::write_all(served.get(), "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string out = read_all(served.get());  // the response, then the close
    EXPECT_TRUE(out.ends_with("path=/a;")) << out;
    EXPECT_EQ(read_all(silent.get()), "");
    served.reset();  // the clients take the FIN and close (else the server lingers)
    silent.reset();
    EXPECT_TRUE(eventually(server, [&] { return server.server().connection_count() == 0; }));
}

TEST(RestingConnection, Http2PrefaceOnlyAsTheFirstBytes) {
    HttpServerOptions options;
    options.http2.enabled = true;
    ServerThread server(echo_path, options);
    const std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    UniqueFd first = test::connect_client(server.address());  // control: h2 as first bytes
    ASSERT_TRUE(test::write_all(first.get(), preface));
    char head[9];
    ASSERT_EQ(::recv(first.get(), head, sizeof head, MSG_WAITALL), 9);
    EXPECT_EQ(head[3], 0x4);  // the server's SETTINGS frame (RFC 9113 §3.4)

    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "GET /h1 HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_NE(read_until(fd.get(), "path=/h1;").find("path=/h1;"), std::string::npos);
    ASSERT_TRUE(resting(server, 1));
    ASSERT_TRUE(test::write_all(fd.get(), preface));
    std::string out = read_all(fd.get());
    EXPECT_TRUE(out.starts_with("HTTP/1.1 505 ")) << out;  // HTTP/1.1 garbage, then close
}

TEST(RestingConnection, ProxyHeaderOnlyAtTheStart) {
    HttpServerOptions options;
    options.proxy_protocol = true;
    ServerThread server(
        [](const Request& req, Response& res) {
            res.storage.assign(req.head.path).append(" from ").append(req.peer.to_string());
            res.body = res.storage;
        },
        options);
    // A health check's header names no client: the session may rest, and what follows is
    // plain HTTP (a second PROXY line is a bad request, not a header).
    UniqueFd check = test::connect_client(server.address());
    ASSERT_TRUE(
        test::write_all(check.get(), "PROXY UNKNOWN\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_NE(read_until(check.get(), "/a from").find("/a from"), std::string::npos);
    ASSERT_TRUE(resting(server, 1));
    ASSERT_TRUE(
        test::write_all(check.get(), "PROXY UNKNOWN\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string out = read_all(check.get());
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400 ")) << out;

    // A header that names the client: every request on the connection is from it.
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(),
                                "PROXY TCP4 192.0.2.7 127.0.0.1 4321 80\r\n"
                                "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(read_until(fd.get(), "4321").find("/1 from 192.0.2.7:4321"), std::string::npos);
    ASSERT_TRUE(
        test::write_all(fd.get(), "GET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    out = read_all(fd.get());
    EXPECT_TRUE(out.ends_with("/2 from 192.0.2.7:4321")) << out;
}

TEST(RestingConnection, ShutdownClosesRestingConnections) {
    ServerThread server(echo_path);
    UniqueFd served = test::connect_client(server.address());
    UniqueFd silent = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(served.get(), "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_NE(read_until(served.get(), "path=/a;").find("path=/a;"), std::string::npos);
    ASSERT_TRUE(resting(server, 2));
    std::atomic<bool> done = false;
    server.in_loop([&] {
        server.server().shutdown(20s, [&] { done = true; });  // not its timeout
        return 0;
    });
    EXPECT_EQ(read_all(served.get()), "");
    EXPECT_EQ(read_all(silent.get()), "");
    served.reset();  // the clients take the FIN and close (else the server lingers)
    silent.reset();
    EXPECT_TRUE(eventually(server, [&] { return done.load(); }));
}

TEST(RestingConnection, StaleResumeNeverAnswersALaterRequest) {
    std::mutex mutex;
    std::optional<Resume> last;  // the Resume of the latest deferred request
    ServerThread server([&](const Request& req, Response& res) {
        std::lock_guard lock(mutex);
        last = res.defer();
        (void)req;
    });
    auto take = [&] {
        std::optional<Resume> r;
        for (int i = 0; i < 2000 && !r; ++i) {
            {
                std::lock_guard lock(mutex);
                r.swap(last);
            }
            if (!r) std::this_thread::sleep_for(5ms);
        }
        return r;
    };
    auto answer = [](const char* text) { return [text](Response& r) { r.body = text; }; };
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::optional<Resume> a = take();
    ASSERT_TRUE(a);
    a->finish(answer("first"));
    ASSERT_NE(read_until(fd.get(), "first").find("first"), std::string::npos);
    ASSERT_TRUE(resting(server, 1));  // a new session answers the next request

    ASSERT_TRUE(
        test::write_all(fd.get(), "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::optional<Resume> b = take();
    ASSERT_TRUE(b);
    a->finish(answer("stale"));  // the first request's handle, used again: ignored
    b->finish(answer("second"));
    std::string out = read_all(fd.get());
    EXPECT_TRUE(out.ends_with("second")) << out;
    EXPECT_EQ(out.find("stale"), std::string::npos) << out;
}

}  // namespace
}  // namespace netius::net::http
