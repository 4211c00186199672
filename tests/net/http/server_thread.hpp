#pragma once
// An HttpServer on its own loop thread for in-process tests; the test is a blocking client.
// Every wait is bounded (the loop's watchdog, socket timeouts).
#include <future>
#include <thread>

#include "../net_test_util.hpp"
#include "net/event_loop.hpp"
#include "net/http/http_server.hpp"

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

}  // namespace netius::net::http::testing
