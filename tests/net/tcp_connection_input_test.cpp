// TcpConnection's input side: pausing and resuming reading, what an idle connection keeps,
// and the limit on unconsumed input (the rest is in tcp_connection_test.cpp).
#include "net/tcp_connection.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "net/event_loop.hpp"
#include "net/tcp_server.hpp"
#include "net_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;

// stop_reading() holds input back; start_reading() hands over what already waits in the
// buffer even though no new byte arrives on the socket.
TEST(TcpConnection, StopAndStartReadingReplaysBufferedInput) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    int calls = 0;
    bool called_while_stopped = false;
    server.set_message_callback([&](const TcpConnectionPtr& c, Buffer& in) {
        if (!c->is_reading()) called_while_stopped = true;
        if (++calls == 1) {  // keep the bytes, pause, resume later
            c->stop_reading();
            std::weak_ptr<TcpConnection> weak = c;
            loop.run_after(30ms, [weak] {
                if (auto conn = weak.lock()) conn->start_reading();
            });
            return;
        }
        c->send(std::string(in.view()) + "!");
        in.retrieve_all();
    });
    server.start();
    std::string got;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), "one");
        got = read_exactly(fd.get(), 4);
        loop.quit();
    });
    run_loop(loop);
    client.join();
    EXPECT_EQ(got, "one!");
    EXPECT_EQ(calls, 2);
    EXPECT_FALSE(called_while_stopped);
}

// A pause right after a read that filled its space: the rest of the bytes still come when
// reading starts again (the socket still holds them; no new byte arrives to announce them).
TEST(TcpConnection, APauseAfterAFullReadStillGetsTheRestWhenReadingStarts) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    constexpr std::size_t kSize = 300 * 1000;
    std::size_t received = 0;
    int pauses = 0;
    server.set_message_callback([&](const TcpConnectionPtr& c, Buffer& in) {
        received += in.readable_bytes();
        in.retrieve_all();
        if (received == kSize) {
            c->send("done");
        } else if (pauses < 3) {  // pause after each of the first reads, resume a little later
            ++pauses;
            c->stop_reading();
            std::weak_ptr<TcpConnection> weak = c;
            loop.run_after(20ms, [weak] {
                if (auto conn = weak.lock()) conn->start_reading();
            });
        }
    });
    server.start();
    std::string got;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), std::string(kSize, 'x'));  // all at once, then only wait
        got = read_exactly(fd.get(), 4);
        loop.queue_in_loop([&loop] { loop.quit(); });
    });
    run_loop(loop);
    client.join();
    EXPECT_EQ(got, "done");
    EXPECT_EQ(received, kSize);
    EXPECT_EQ(pauses, 3);
}

// A message that exactly fills the first read (a 2 KiB block less the buffer's prepend room)
// makes the connection read on with 64 KiB in case more is waiting; when nothing is, that
// storage goes too: an idle connection holds no input memory, after a request of any size.
TEST(TcpConnection, AnIdleConnectionHoldsNoInputAfterARequestThatFilledTheRead) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    TcpConnectionPtr conn;
    server.set_message_callback([&](const TcpConnectionPtr& c, Buffer& in) {
        conn = c;
        c->send(std::to_string(in.readable_bytes()) + "\n");
        in.retrieve_all();
    });
    server.start();
    std::string got;
    bool holds_input = true;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        constexpr std::size_t kFirstRead = 2048 - Buffer::kCheapPrepend;
        write_all(fd.get(), std::string(kFirstRead, 'x'));
        got = read_exactly(fd.get(), 5);
        std::promise<bool> seen;  // from the loop, after the handlers of that reply
        loop.queue_in_loop([&] { seen.set_value(conn->input().allocated()); });
        auto answer = seen.get_future();
        if (answer.wait_for(10s) == std::future_status::ready) holds_input = answer.get();
        loop.quit();
    });
    run_loop(loop);
    client.join();
    conn.reset();
    EXPECT_EQ(got, "2040\n");
    EXPECT_FALSE(holds_input);
}

// A pause that ends before the peer sends more (a deferred answer) costs no epoll_ctl, even
// though the connection writes meanwhile; bytes arriving during a pause drop the read interest
// then (one epoll_ctl), and they wait in the kernel until reading starts again.
TEST(TcpConnection, APauseCostsNoEpollCallUntilBytesArriveDuringIt) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    TcpConnectionPtr paused;
    std::uint64_t at_pause = 0;
    std::vector<std::string> got;
    std::atomic<int> pauses{0};
    std::atomic<bool> resumed{false}, done{false};
    server.set_message_callback([&](const TcpConnectionPtr& c, Buffer& in) {
        got.emplace_back(in.view());
        in.retrieve_all();
        c->stop_reading();
        at_pause = loop.epoll_controls();
        paused = c;
        ++pauses;
    });
    server.start();
    std::string answers;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), "one");
        answers = read_exactly(fd.get(), 4);
        for (int i = 0; i < 1000 && !resumed; ++i) std::this_thread::sleep_for(5ms);
        write_all(fd.get(), "two");
        for (int i = 0; i < 1000 && pauses < 2; ++i) std::this_thread::sleep_for(5ms);
        write_all(fd.get(), "three");
        answers += read_exactly(fd.get(), 10);
        done = true;
    });
    // First pause: answered, then reading again, no byte arriving meanwhile.
    run_until(loop, [&] { return pauses == 1; });
    paused->send("one!");
    loop.run_after(20ms, [&] { loop.quit(); });
    run_loop(loop);
    paused->start_reading();
    resumed = true;
    EXPECT_EQ(loop.epoll_controls(), at_pause);
    // Second pause: "three" arrives during it, which costs the one epoll_ctl, and waits.
    run_until(loop, [&] { return pauses == 2 && loop.epoll_controls() > at_pause; });
    loop.run_after(20ms, [&] { loop.quit(); });
    run_loop(loop);
    EXPECT_EQ(loop.epoll_controls(), at_pause + 1);
    EXPECT_EQ(got, (std::vector<std::string>{"one", "two"}));
    paused->send("two!");
    paused->start_reading();
    run_until(loop, [&] { return pauses == 3; });
    paused->send("three!");
    run_until(loop, [&] { return done.load(); });
    client.join();
    EXPECT_EQ(got.back(), "three");
    EXPECT_EQ(answers, "one!two!three!");
}

TEST(TcpConnection, UnconsumedInputOverTheLimitClosesTheConnection) {
    EventLoop loop;
    TcpServerOptions o;
    o.input_limit = 4096;
    TcpServer server(&loop, InetAddress::loopback(0), o);
    std::size_t largest = 0;
    server.set_message_callback([&](const TcpConnectionPtr&, Buffer& in) {
        largest = std::max(largest, in.readable_bytes());  // never consumes
    });
    server.start();
    std::atomic<bool> done{false};
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), random_bytes(1u << 20, 3));  // may fail once the server closes
        read_to_eof(fd.get());
        done = true;
    });
    run_until(loop, [&] { return done && server.connection_count() == 0; });
    client.join();
    EXPECT_GT(largest, 0u);
    EXPECT_LT(largest, 4096u + 2 * Buffer::kSpillSize);  // closed soon after the limit
    EXPECT_EQ(server.connection_count(), 0u);
}

}  // namespace
}  // namespace netius::net
