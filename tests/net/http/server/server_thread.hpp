#pragma once
// An HttpServer on its own loop thread for in-process tests; the test is a blocking client.
// Every wait is bounded (the loop's watchdog, socket timeouts).
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "../../net_test_util.hpp"
#include "net/event_loop.hpp"
#include "net/http/server/http_server.hpp"

namespace netius::net::http::testing {

class ServerThread {
  public:
    explicit ServerThread(Handler handler, HttpServerOptions options = {}) {
        std::promise<InetAddress> ready;
        auto address = ready.get_future();
        thread_ = std::thread([&, handler = std::move(handler), options] {
            EventLoop loop;
            HttpServer server(&loop, InetAddress::parse("127.0.0.1:0"), options, handler);
            server.start();
            loop_ = &loop;
            server_ = &server;
            ready.set_value(server.address());
            net::test::run_loop(loop, std::chrono::seconds(30));
        });
        address_ = address.get();
    }
    ~ServerThread() {
        loop_->quit();
        thread_.join();
    }
    const InetAddress& address() const { return address_; }
    /// Runs `f` on the loop thread and waits for it (e.g. to read connection_count()).
    template <typename F>
    auto in_loop(F f) {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        loop_->run_in_loop([&task] { task(); });
        return result.get();
    }
    HttpServer& server() { return *server_; }

  private:
    std::thread thread_;
    EventLoop* loop_ = nullptr;
    HttpServer* server_ = nullptr;
    InetAddress address_;
};

/// Reads from a client socket until `until` has arrived, the peer closes, or its timeout.
inline std::string read_until(int fd, std::string_view until) {
    std::string out;
    char buf[65536];
    while (out.find(until) == std::string::npos) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

/// Threads a handler starts (declare before the ServerThread: joined after it is gone).
struct Threads {
    std::mutex mutex;
    std::vector<std::thread> threads;
    void start(std::function<void()> f) {
        std::lock_guard lock(mutex);
        threads.emplace_back(std::move(f));
    }
    ~Threads() {
        for (auto& t : threads) t.join();
    }
};

}  // namespace netius::net::http::testing
