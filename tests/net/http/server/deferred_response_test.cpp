// Response::defer and Resume (net/http/http_types.hpp): answers finished on another thread,
// pipelined requests waiting for them, streams woken from another thread (BodyStatus::kWait), and
// the fill of a connection that closed meanwhile dropped unrun. Real loopback sockets; every wait
// is bounded (watchdog, socket timeouts, joined threads).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../../net_test_util.hpp"
#include "net/http/server/http_server.hpp"
#include "server_thread.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;
using testing::read_until;
using testing::ServerThread;
using testing::Threads;

TEST(DeferredResponse, FinishedOnAnotherThreadKeepsPipelineOrder) {
    Threads threads;
    ServerThread server([&](const Request& req, Response& res) {
        if (req.head.path == "/now") {
            res.body = "now";
            return;
        }
        Resume resume = res.defer();
        std::string path(req.head.path);  // the request's views die on return
        threads.start([resume, path] {
            std::this_thread::sleep_for(50ms);
            resume.finish([path](Response& r) {
                r.storage = "later " + path;
                r.body = r.storage;
            });
        });
    });
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(),
                                "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /now HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::string out = read_until(fd.get(), "later /b");
    const auto a = out.find("later /a"), now = out.find("now"), b = out.find("later /b");
    ASSERT_NE(b, std::string::npos) << out;
    EXPECT_LT(a, now) << out;
    EXPECT_LT(now, b) << out;
}

// A stream whose pieces are made on another thread: kWait until woken.
struct Shared {
    std::mutex mutex;
    std::string ready;
    bool done = false;
};

class WokenBody final : public BodySource {
  public:
    explicit WokenBody(std::shared_ptr<Shared> s) : s_(std::move(s)) {}
    BodyStatus pull(BodySink& out) override {
        std::lock_guard lock(s_->mutex);
        if (!s_->ready.empty()) out.write(std::exchange(s_->ready, {}));
        if (s_->done) return BodyStatus::kDone;
        return BodyStatus::kWait;
    }

  private:
    std::shared_ptr<Shared> s_;
};

TEST(DeferredResponse, StreamWokenFromAnotherThread) {
    Threads threads;
    ServerThread server([&](const Request&, Response& res) {
        Resume resume = res.defer();
        auto shared = std::make_shared<Shared>();
        resume.finish([shared](Response& r) { r.stream = std::make_unique<WokenBody>(shared); });
        threads.start([resume, shared] {
            for (int i = 0; i < 3; ++i) {
                std::this_thread::sleep_for(20ms);
                std::lock_guard lock(shared->mutex);
                shared->ready += "piece" + std::to_string(i) + ";";
                shared->done = i == 2;
                resume.wake();
            }
        });
    });
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string out = read_until(fd.get(), "\r\n0\r\n\r\n");
    EXPECT_NE(out.find("Transfer-Encoding: chunked"), std::string::npos) << out;
    std::string content;
    for (std::size_t p = out.find("piece"); p != std::string::npos; p = out.find("piece", p + 1))
        content += out.substr(p, 7);
    EXPECT_EQ(content, "piece0;piece1;piece2;") << out;
}

TEST(DeferredResponse, FillAfterTheConnectionClosedIsDroppedUnrun) {
    // While a response is deferred the session does not read, so a client that left is
    // noticed once the answer is written; a later finish() finds no connection.
    std::atomic<int> ran{0};
    std::atomic<bool> destroyed{false};
    std::promise<Resume> handed;
    ServerThread server([&](const Request&, Response& res) { handed.set_value(res.defer()); });
    UniqueFd fd = test::connect_client(server.address());
    ASSERT_TRUE(test::write_all(fd.get(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto future = handed.get_future();
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    Resume resume = future.get();
    fd.reset();  // the client goes away
    resume.finish([&ran](Response& r) {
        ++ran;
        r.body = "too late";
    });
    auto connections = [&] {
        return server.in_loop([&] { return server.server().connection_count(); });
    };
    for (int i = 0; i < 500 && connections() > 0; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(connections(), 0u);
    EXPECT_EQ(ran, 1);

    struct Flag {
        std::atomic<bool>* destroyed = nullptr;
        ~Flag() { *destroyed = true; }
    };
    auto flag = std::make_shared<Flag>();
    flag->destroyed = &destroyed;
    resume.finish([&ran, flag](Response&) { ++ran; });
    flag.reset();
    resume.wake();  // harmless too
    for (int i = 0; i < 500 && !destroyed; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(destroyed);
    EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace netius::net::http
