// HttpServer + HttpSession over real loopback sockets: the server runs its loop on a thread,
// the test is a blocking client. Every wait is bounded (watchdog, socket timeouts).
#include "net/http/server/http_server.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "../../net_test_util.hpp"
#include "server_thread.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;

using testing::ServerThread;

// Reads until the peer closes or `until` appears `count` times (bounded by socket timeouts).
std::string read_until(int fd, std::string_view until = {}, std::size_t count = 1) {
    std::string out;
    char buf[65536];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return out;
        out.append(buf, static_cast<std::size_t>(n));
        std::size_t found = 0;
        for (auto p = out.find(until); !until.empty() && p != std::string::npos;
             p = out.find(until, p + 1))
            ++found;
        if (!until.empty() && found >= count) return out;
    }
}

TEST(HttpServer, BodyInManyReadsKeepsTheHeadValid) {
    // An absolute-form target without a path: the parser's "/" is static text, not buffer
    // bytes; the buffer moves many times while the 200 KB body arrives.
    ServerThread server([](const Request& req, Response& res) {
        res.storage = std::string(req.head.path) + " " + std::string(req.head.host) + " " +
                      std::to_string(req.body.size());
        res.body = res.storage;
    });
    UniqueFd fd = test::connect_client(server.address());
    const std::size_t size = 200000;
    ASSERT_TRUE(test::write_all(fd.get(),
                                "POST http://example.org HTTP/1.1\r\nHost: example.org\r\n"
                                "Connection: close\r\nContent-Length: " +
                                    std::to_string(size) + "\r\n\r\n"));
    for (std::size_t sent = 0; sent < size; sent += 10000) {
        ASSERT_TRUE(test::write_all(fd.get(), std::string(10000, 'x')));
        std::this_thread::sleep_for(2ms);
    }
    std::string response = read_until(fd.get());
    EXPECT_TRUE(response.ends_with("\r\n\r\n/ example.org 200000")) << response;
}

TEST(HttpServer, AHandlerThrowingAnythingGets500AndLeaksNothing) {
    ServerThread server([](const Request& req, Response& res) {
        if (req.head.path == "/boom") throw 42;  // not even a std::exception
        res.storage.assign("secret-for-").append(req.head.path);
        res.body = res.storage;
    });
    UniqueFd a = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(a.get(),
                                "GET /alice HTTP/1.1\r\nHost: a\r\n\r\n"
                                "GET /boom HTTP/1.1\r\nHost: a\r\n\r\n"));
    std::string ra = read_until(a.get(), "500 Internal Server Error\n");
    EXPECT_NE(ra.find("secret-for-/alice"), std::string::npos) << ra;
    EXPECT_NE(ra.find("HTTP/1.1 500 "), std::string::npos) << ra;

    UniqueFd b = test::connect_client(server.address());
    ASSERT_TRUE(
        test::write_all(b.get(), "GET /bob HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    std::string rb = read_until(b.get());
    EXPECT_EQ(rb.find("alice"), std::string::npos) << rb;
    EXPECT_TRUE(rb.ends_with("secret-for-/bob")) << rb;
}

TEST(HttpServer, DeepPipelinesAreAnsweredInOrderInBatches) {
    HttpServerOptions options;
    options.limits.max_pipelined_requests = 4;
    ServerThread server([](const Request& req, Response& res) { res.body = req.head.path; },
                        options);
    UniqueFd fd = test::connect_client(server.address());
    std::string requests, expected;
    for (int i = 0; i < 50; ++i) {
        requests.append("GET /").append(std::to_string(i)).append(" HTTP/1.1\r\nHost: a\r\n");
        requests.append(i == 49 ? "Connection: close\r\n\r\n" : "\r\n");
        expected.append("/").append(std::to_string(i)).append(";");
    }
    ASSERT_TRUE(test::write_all(fd.get(), requests));
    std::string response = read_until(fd.get());
    std::string got;
    for (auto p = response.find("\r\n\r\n"); p != std::string::npos;
         p = response.find("\r\n\r\n", p + 4)) {
        auto end = response.find("HTTP/1.1", p);
        got += response.substr(p + 4, (end == std::string::npos ? response.size() : end) - p - 4);
        got += ";";
    }
    EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace netius::net::http
