#include "net/tcp_connection.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <string>
#include <thread>

#include "net/event_loop.hpp"
#include "net/tcp_server.hpp"
#include "net_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;

// Marks its flag when the connection (which holds it as context) is destroyed.
struct Session {
    bool* destroyed;
    explicit Session(bool* d) : destroyed(d) {}
    ~Session() { *destroyed = true; }
};

TEST(TcpConnection, ClosingFromItsOwnMessageCallbackIsDeferred) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    bool destroyed = false;
    int downs = 0;
    std::weak_ptr<TcpConnection> weak;
    server.set_connection_callback([&](const TcpConnectionPtr& c) {
        if (c->connected())
            c->set_context(std::make_shared<Session>(&destroyed));
        else
            ++downs;
    });
    server.set_message_callback([&](const TcpConnectionPtr& c, Buffer& in) {
        in.retrieve_all();
        c->send("bye");
        c->force_close();
        // Still fully usable until the callback returns; later sends are dropped.
        EXPECT_EQ(c->state(), TcpConnection::State::Disconnecting);
        c->send("late");
        c->force_close();
        EXPECT_FALSE(destroyed);
        EXPECT_EQ(downs, 0);
        weak = c;
    });
    server.start();
    std::string got;
    bool eof = false;
    std::atomic<bool> done{false};
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), "hi");
        got = read_to_eof(fd.get(), &eof);
        done = true;
    });
    run_until(loop, [&] { return done && weak.expired() && destroyed; });
    client.join();
    EXPECT_EQ(got, "bye");
    EXPECT_TRUE(eof);
    EXPECT_EQ(downs, 1);
    EXPECT_TRUE(destroyed);
    EXPECT_EQ(server.connection_count(), 0u);
}

TEST(TcpConnection, AnExceptionClosesOnlyThatConnection) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
        if (in.view() == "boom") throw std::runtime_error("handler bug");
        c->send(in.view());
        in.retrieve_all();
    });
    server.start();
    bool eof = false;
    std::string echoed;
    std::thread client([&] {
        UniqueFd healthy = connect_client(server.address());
        UniqueFd doomed = connect_client(server.address());
        write_all(doomed.get(), "boom");
        read_to_eof(doomed.get(), &eof);
        write_all(healthy.get(), "still here");
        echoed = read_exactly(healthy.get(), 10);
        loop.quit();
    });
    run_loop(loop);
    client.join();
    EXPECT_TRUE(eof);
    EXPECT_EQ(echoed, "still here");
}

TEST(TcpConnection, HalfCloseStillGetsTheReply) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
        c->send(in.view());
        in.retrieve_all();
    });
    server.start();
    std::string got;
    bool eof = false;
    std::atomic<bool> done{false};
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), "ping");
        ::shutdown(fd.get(), SHUT_WR);
        got = read_to_eof(fd.get(), &eof);
        done = true;
    });
    run_until(loop, [&] { return done && server.connection_count() == 0; });
    client.join();
    EXPECT_EQ(got, "ping");
    EXPECT_TRUE(eof);
}

// The peer-shutdown callback lets a protocol answer later (here from a timer that holds only a
// weak_ptr to the connection).
TEST(TcpConnection, HalfCloseWithADeferredReply) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    std::string request;
    server.set_message_callback([&](const TcpConnectionPtr&, Buffer& in) {
        request += in.view();
        in.retrieve_all();
    });
    server.set_peer_shutdown_callback([&](const TcpConnectionPtr& c) {
        std::weak_ptr<TcpConnection> weak = c;
        loop.run_after(20ms, [weak, &request] {
            if (auto conn = weak.lock()) {
                conn->send("reply to " + request);
                conn->shutdown();
            }
        });
    });
    server.start();
    std::string got;
    std::atomic<bool> done{false};
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), "question");
        ::shutdown(fd.get(), SHUT_WR);
        got = read_to_eof(fd.get());
        done = true;
    });
    run_until(loop, [&] { return done && server.connection_count() == 0; });
    client.join();
    EXPECT_EQ(got, "reply to question");
}

TEST(TcpConnection, HighWaterMarkFiresWhenThePeerDoesNotRead) {
    EventLoop loop;
    TcpServerOptions o;
    o.high_water_mark = 256 * 1024;
    TcpServer server(&loop, InetAddress::loopback(0), o);
    constexpr std::size_t kSize = 8u << 20;
    std::atomic<int> high_water{0};
    std::size_t queued_at_mark = 0;
    int completes = 0;
    server.set_connection_callback([&](const TcpConnectionPtr& c) {
        if (c->connected()) c->send(std::string(kSize, 'x'));
    });
    server.set_high_water_mark_callback([&](const TcpConnectionPtr&, std::size_t queued) {
        ++high_water;
        queued_at_mark = queued;
    });
    server.set_write_complete_callback([&](const TcpConnectionPtr&) { ++completes; });
    server.start();
    std::string got;
    std::atomic<bool> done{false};
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        for (int i = 0; i < 5000 && high_water == 0; ++i) std::this_thread::sleep_for(1ms);
        got = read_exactly(fd.get(), kSize);  // now drain: the queue must empty
        done = true;
    });
    run_until(loop, [&] { return done && completes == 1; });
    client.join();
    EXPECT_EQ(high_water, 1);
    EXPECT_GE(queued_at_mark, o.high_water_mark);
    EXPECT_EQ(got.size(), kSize);
    EXPECT_EQ(completes, 1);
}

TEST(TcpConnection, SendFileKeepsOrderWithSurroundingBytes) {
    char path[] = "/tmp/netius-sendfile-XXXXXX";
    UniqueFd tmp(::mkstemp(path));
    ASSERT_TRUE(tmp);
    ::unlink(path);
    const std::string content = random_bytes(3u << 20, 5);
    ASSERT_TRUE(write_all(tmp.get(), content) || ::write(tmp.get(), content.data(), 0) == 0);
    // write_all uses send(); on a regular file fall back to write().
    if (::lseek(tmp.get(), 0, SEEK_END) != static_cast<off_t>(content.size())) {
        ASSERT_EQ(::pwrite(tmp.get(), content.data(), content.size(), 0),
                  static_cast<ssize_t>(content.size()));
    }
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_connection_callback([&](const TcpConnectionPtr& c) {
        if (!c->connected()) return;
        c->send("HEAD|");
        c->send_file(UniqueFd(::dup(tmp.get())), 100, content.size() - 100);
        c->send("|TAIL");
        c->shutdown();
    });
    server.start();
    std::string got;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        got = read_to_eof(fd.get());
        loop.quit();
    });
    run_loop(loop, 30s);
    client.join();
    EXPECT_TRUE(got == "HEAD|" + content.substr(100) + "|TAIL") << got.size() << " bytes";
}

TEST(TcpConnection, SendFromAnotherThreadHopsToTheLoop) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    std::thread sender;
    server.set_connection_callback([&](const TcpConnectionPtr& c) {
        if (!c->connected()) return;
        sender = std::thread([c] {
            c->send("from another thread");
            c->shutdown();
        });
    });
    server.start();
    std::string got;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        got = read_to_eof(fd.get());
        loop.quit();
    });
    run_loop(loop);
    client.join();
    if (sender.joinable()) sender.join();
    EXPECT_EQ(got, "from another thread");
}

// A connection over a socketpair, driven by hand: the owner's side of the lifetime sequence.
TEST(TcpConnection, OwnerSequenceOverASocketpair) {
    EventLoop loop;
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    UniqueFd peer(sv[1]);
    auto conn = std::make_shared<TcpConnection>(
        &loop, 1, UniqueFd(sv[0]), InetAddress::unix_path("/pair"), PlainTransport::make(sv[0]));
    std::vector<std::string> events;
    conn->set_connection_callback(
        [&](const TcpConnectionPtr& c) { events.push_back(c->connected() ? "up" : "down"); });
    conn->set_message_callback([&](const TcpConnectionPtr&, Buffer& in) {
        events.push_back("message " + in.retrieve_as_string(in.readable_bytes()));
    });
    TcpConnectionPtr owned = conn;  // the "map"
    conn->set_close_callback([&](const TcpConnectionPtr& c) {
        events.push_back("close");
        owned.reset();
        loop.queue_in_loop([c] { c->connect_destroyed(); });
    });
    std::weak_ptr<TcpConnection> weak = conn;
    conn->connect_established();
    conn.reset();
    EXPECT_EQ(conn, nullptr);
    ASSERT_TRUE(write_all(peer.get(), "abc"));
    loop.run_after(20ms, [&] { peer.reset(); });
    run_until(loop, [&] { return weak.expired(); });
    EXPECT_EQ(events, (std::vector<std::string>{"up", "message abc", "down", "close"}));
}

}  // namespace
}  // namespace netius::net
