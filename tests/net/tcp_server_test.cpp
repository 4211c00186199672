#include "net/tcp_server.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "net_test_util.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;

void make_echo(TcpServer& server) {
    server.set_message_callback([](const TcpConnectionPtr& conn, Buffer& in) {
        conn->send(in.view());
        in.retrieve_all();
    });
    server.start();
}

// One client round trip per call; returns what came back.
std::string echo_once(const InetAddress& address, const std::string& message) {
    UniqueFd fd = connect_client(address);
    if (!write_all(fd.get(), message)) return "<write failed>";
    return read_exactly(fd.get(), message.size());
}

TEST(TcpServer, ReportsTheBoundPortOfPortZero) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    EXPECT_NE(server.address().port(), 0);
    EXPECT_EQ(server.address().host(), "127.0.0.1");
    EXPECT_EQ(server.connection_count(), 0u);
}

// TCP_NODELAY comes from the listening socket (accepted sockets inherit it on Linux).
TEST(TcpServer, AcceptedConnectionsHaveTcpNodelayAsConfigured) {
    for (bool on : {true, false}) {
        EventLoop loop;
        TcpServerOptions options;
        options.tcp_nodelay = on;
        TcpServer server(&loop, InetAddress::loopback(0), options);
        int seen = -1;
        server.set_connection_callback([&](const TcpConnectionPtr& c) {
            if (!c->connected()) return;
            socklen_t len = sizeof seen;
            ::getsockopt(c->fd(), IPPROTO_TCP, TCP_NODELAY, &seen, &len);
            loop.quit();
        });
        server.start();
        UniqueFd client = connect_client(server.address());
        loop.loop();
        EXPECT_EQ(seen != 0, on) << "tcp_nodelay " << on;
    }
}

TEST(TcpServer, BindErrorNamesTheAddress) {
    EventLoop loop;
    TcpServer first(&loop, InetAddress::loopback(0));
    try {
        TcpServer second(&loop, first.address());
        FAIL() << "bound twice";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "bind(" + first.address().to_string() + "): Address already in use");
    }
}

TEST(TcpServer, ReusePortLetsWorkersShareAPort) {
    EventLoop loop;
    TcpServerOptions o;
    o.reuse_port = true;
    TcpServer a(&loop, InetAddress::loopback(0), o);
    TcpServer b(&loop, a.address(), o);
    EXPECT_EQ(a.address(), b.address());
}

TEST(TcpServer, EchoesManyConcurrentClients) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    int ups = 0, downs = 0;
    server.set_connection_callback(
        [&](const TcpConnectionPtr& c) { ++(c->connected() ? ups : downs); });
    make_echo(server);
    constexpr int kClients = 32, kRounds = 20;
    std::atomic<int> ok{0}, finished{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.emplace_back([&, i] {
            UniqueFd fd = connect_client(server.address());
            bool good = true;
            for (int r = 0; r < kRounds && good; ++r) {
                std::string m = random_bytes(1 + (i * 7919 + r * 104729) % 9000, i * 100 + r);
                good = write_all(fd.get(), m) && read_exactly(fd.get(), m.size()) == m;
            }
            if (good) ++ok;
            ++finished;
        });
    }
    run_until(
        loop, [&] { return finished == kClients && server.connection_count() == 0; }, 30s);
    for (auto& t : clients) t.join();
    EXPECT_EQ(ok, kClients);
    EXPECT_EQ(ups, kClients);
    EXPECT_EQ(downs, kClients);
    EXPECT_EQ(server.connection_count(), 0u);
}

// The "no data stall" proof: the loop waits with no timeout, and 16 MiB still go through in
// both directions (the client writes and reads at the same time).
TEST(TcpServer, EchoesSixteenMebibytesIntact) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    make_echo(server);
    const std::string data = random_bytes(16u << 20, 16);
    std::string got;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        std::thread writer([&] { EXPECT_TRUE(write_all(fd.get(), data)); });
        got = read_exactly(fd.get(), data.size());
        writer.join();
        loop.quit();
    });
    run_loop(loop, 60s);
    client.join();
    EXPECT_EQ(got.size(), data.size());
    EXPECT_TRUE(got == data);
}

TEST(TcpServer, SendsALargeResponseWrittenInOneCall) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    const std::string body = random_bytes(16u << 20, 61);
    server.set_message_callback([&](const TcpConnectionPtr& conn, Buffer& in) {
        in.retrieve_all();
        conn->send(body);  // mostly queued: drained by EPOLLOUT events
        conn->shutdown();
    });
    server.start();
    std::string got;
    bool eof = false;
    std::thread client([&] {
        UniqueFd fd = connect_client(server.address());
        write_all(fd.get(), "GET");
        got = read_to_eof(fd.get(), &eof);
        loop.quit();
    });
    run_loop(loop, 60s);
    client.join();
    EXPECT_TRUE(eof);
    EXPECT_TRUE(got == body) << got.size() << " of " << body.size() << " bytes";
}

TEST(TcpServer, ServesIpv6Loopback) {
    EventLoop loop;
    std::unique_ptr<TcpServer> server;
    try {
        server = std::make_unique<TcpServer>(&loop, InetAddress::loopback(0, true));
    } catch (const Error& e) {
        GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
    }
    EXPECT_EQ(server->address().host(), "::1");
    EXPECT_EQ(server->address().to_string(), "[::1]:" + std::to_string(server->address().port()));
    std::string peer;
    server->set_connection_callback([&](const TcpConnectionPtr& c) {
        if (c->connected()) peer = c->peer_address().host();
    });
    make_echo(*server);
    std::string got;
    std::thread client([&] {
        got = echo_once(server->address(), "over v6");
        loop.quit();
    });
    run_loop(loop);
    client.join();
    EXPECT_EQ(got, "over v6");
    EXPECT_EQ(peer, "::1");
}

class TcpServerUnix : public testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-net-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        path_ = dir_ + "/s.sock";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string dir_, path_;
};

TEST_F(TcpServerUnix, EchoesAndRemovesItsSocketFile) {
    {
        EventLoop loop;
        TcpServer server(&loop, InetAddress::unix_path(path_));
        EXPECT_EQ(server.address().to_string(), "unix:" + path_);
        bool unix_peer = false;
        server.set_connection_callback([&](const TcpConnectionPtr& c) {
            if (c->connected()) unix_peer = c->peer_address().is_unix();
        });
        make_echo(server);
        std::string got;
        std::thread client([&] {
            got = echo_once(server.address(), "over a unix socket");
            loop.quit();
        });
        run_loop(loop);
        client.join();
        EXPECT_EQ(got, "over a unix socket");
        EXPECT_TRUE(unix_peer);
        EXPECT_TRUE(std::filesystem::exists(path_));
    }
    EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(TcpServerUnix, ReplacesAStaleSocketFile) {
    {
        // A socket bound and closed without unlinking: what a crashed server leaves.
        UniqueFd stale(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        InetAddress a = InetAddress::unix_path(path_);
        ASSERT_EQ(::bind(stale.get(), a.get(), a.length()), 0);
    }
    ASSERT_TRUE(std::filesystem::is_socket(path_));
    EventLoop loop;
    TcpServer server(&loop, InetAddress::unix_path(path_));
    make_echo(server);
    std::string got;
    std::thread client([&] {
        got = echo_once(server.address(), "fresh");
        loop.quit();
    });
    run_loop(loop);
    client.join();
    EXPECT_EQ(got, "fresh");
}

TEST_F(TcpServerUnix, RefusesALiveSocketOrAnotherFile) {
    EventLoop loop;
    TcpServer live(&loop, InetAddress::unix_path(path_));
    try {
        TcpServer second(&loop, InetAddress::unix_path(path_));
        FAIL() << "took over a live socket";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("another process is serving"), std::string::npos);
    }
    std::string plain = dir_ + "/notes.txt";
    { std::ofstream(plain) << "keep me"; }
    EXPECT_THROW(TcpServer(&loop, InetAddress::unix_path(plain)), Error);
    EXPECT_TRUE(std::filesystem::is_regular_file(plain));
}

TEST(TcpServer, AdoptsAListeningSocket) {
    EventLoop loop;
    UniqueFd fd = sockets::listen_on(InetAddress::loopback(0));
    TcpServer server(&loop, std::move(fd));
    EXPECT_NE(server.address().port(), 0);
    make_echo(server);
    std::string got;
    std::thread client([&] {
        got = echo_once(server.address(), "adopted");
        loop.quit();
    });
    run_loop(loop);
    client.join();
    EXPECT_EQ(got, "adopted");
    EXPECT_THROW(TcpServer(&loop, sockets::create_stream(AF_INET)), Error);
}

TEST(TcpServer, StopAcceptingClosesTheListenerAndReportsTheDrain) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    bool drained = false;
    server.set_message_callback([&](const TcpConnectionPtr& conn, Buffer& in) {
        server.stop_accepting([&] {
            drained = true;
            loop.quit();
        });
        conn->send(in.view());
        in.retrieve_all();
    });
    server.start();
    const InetAddress address = server.address();
    std::string echoed;
    bool refused = false;
    std::thread client([&] {
        UniqueFd fd = connect_client(address);
        write_all(fd.get(), "last");
        echoed = read_exactly(fd.get(), 4);
        try {
            sockets::connect_blocking(address);
        } catch (const Error& e) {
            refused = std::string(e.what()).find("Connection refused") != std::string::npos;
        }
        // closing `fd` ends the last connection: the server is drained
    });
    run_loop(loop);
    client.join();
    EXPECT_EQ(echoed, "last");
    EXPECT_TRUE(refused);
    EXPECT_TRUE(drained);
    EXPECT_FALSE(server.accepting());
}

// Restores RLIMIT_NOFILE even when an assertion returns early.
struct FdLimit {
    rlimit saved{};
    FdLimit() { ::getrlimit(RLIMIT_NOFILE, &saved); }
    ~FdLimit() { ::setrlimit(RLIMIT_NOFILE, &saved); }
};

// Out of descriptors, the listener stays readable but accept4 fails: the acceptor must neither
// spin nor leave the waiting clients hanging. It refuses them at once with its spare
// descriptor (each reads the overload reply, then a clean end of stream even though it had
// sent a request), and accepts again once descriptors are free.
TEST(TcpServer, RefusesPolitelyOnEmfileWithoutSpinning) {
    EventLoop loop;
    TcpServerOptions options;
    options.overload_reply = "busy\n";
    TcpServer server(&loop, InetAddress::loopback(0), options);
    server.start();
    constexpr int kClients = 3;
    std::vector<UniqueFd> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(connect_client(server.address()));
        ASSERT_TRUE(write_all(clients.back().get(), "hello?"));
    }

    // UBSan's vptr check probes memory through a pipe the first time it meets a type: let it
    // meet the logger the refusal warns through while descriptors are still free.
    spdlog::default_logger_raw()->flush();
    FdLimit guard;
    int lowest_free = ::dup(0);
    ASSERT_GE(lowest_free, 0);
    ::close(lowest_free);
    rlimit low = guard.saved;
    low.rlim_cur = static_cast<rlim_t>(lowest_free);  // every descriptor is taken
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);

    loop.run_after(300ms, [&] { loop.quit(); });
    const auto before = loop.iterations();
    run_loop(loop, 5s);
    const auto spent = loop.iterations() - before;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &guard.saved), 0);
    EXPECT_EQ(server.connection_count(), 0u);
    EXPECT_LT(spent, 30u) << "the loop spun on EMFILE";
    for (int i = 0; i < kClients; ++i) {
        bool eof = false;
        EXPECT_EQ(read_to_eof(clients[i].get(), &eof), "busy\n") << "client " << i;
        EXPECT_TRUE(eof) << "client " << i;
    }

    UniqueFd late = connect_client(server.address());
    run_until(
        loop, [&] { return server.connection_count() == 1; }, 5s);
    EXPECT_EQ(server.connection_count(), 1u);
}

}  // namespace
}  // namespace netius::net
