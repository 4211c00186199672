#include "net/tcp_client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>

#include "net/event_loop.hpp"
#include "net/tcp_server.hpp"
#include "net/tls_transport.hpp"
#include "net_test_util.hpp"
#include "tls_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;

struct Outcome {
    std::string received;
    int ups = 0, downs = 0;
    std::optional<ClientConnectFailure> failure;
};

void wire(TcpClient& client, EventLoop& loop, Outcome& out, std::string send = "ping") {
    client.set_connection_callback([&out, send](const TcpConnectionPtr& c) {
        ++(c->connected() ? out.ups : out.downs);
        if (c->connected()) c->send(send);
    });
    client.set_message_callback([&](const TcpConnectionPtr& c, Buffer& in) {
        out.received += in.retrieve_as_string(in.readable_bytes());
        c->shutdown();
    });
    client.set_connect_failed_callback([&](const ClientConnectFailure& f) {
        out.failure = f;
        loop.quit();
    });
}

TEST(TcpClient, ConnectsExchangesAndReportsDownOnce) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
        c->send(in.view());
        in.retrieve_all();
    });
    server.start();
    Outcome out;
    TcpClient client(&loop, {server.address()});
    wire(client, loop, out);
    client.set_connection_callback([&](const TcpConnectionPtr& c) {
        ++(c->connected() ? out.ups : out.downs);
        if (c->connected())
            c->send("ping");
        else
            loop.quit();
    });
    client.connect();
    run_loop(loop);
    EXPECT_EQ(out.received, "ping");
    EXPECT_EQ(out.ups, 1);
    EXPECT_EQ(out.downs, 1);
    EXPECT_FALSE(out.failure);
    EXPECT_EQ(client.address(), server.address());
}

TEST(TcpClient, RefusedNamesTheAddress) {
    EventLoop loop;
    const InetAddress refused = closed_port();
    Outcome out;
    TcpClient client(&loop, {refused});
    wire(client, loop, out);
    client.connect();
    run_loop(loop);
    ASSERT_TRUE(out.failure);
    EXPECT_EQ(out.failure->error, ECONNREFUSED);
    EXPECT_FALSE(out.failure->timed_out);
    EXPECT_FALSE(out.failure->handshake);
    EXPECT_EQ(out.failure->message, "connect(" + refused.to_string() + "): Connection refused");
    EXPECT_EQ(out.ups, 0);
}

TEST(TcpClient, TriesEachAddressInTurn) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
        c->send(in.view());
        in.retrieve_all();
        c->shutdown();
    });
    server.start();
    Blackhole hole;
    Outcome out;
    // Refused, then silent (the server is tried beside it after the attempt delay).
    TcpClientOptions o;
    o.connect_timeout = 3s;
    TcpClient client(&loop, {closed_port(), hole.address, server.address()}, o);
    wire(client, loop, out);
    client.set_connection_callback([&](const TcpConnectionPtr& c) {
        if (c->connected()) c->send("x");
        if (!c->connected()) loop.quit();
    });
    client.connect();
    run_loop(loop);
    EXPECT_FALSE(out.failure) << out.failure->message;
    EXPECT_EQ(out.received, "x");
    EXPECT_EQ(client.address(), server.address());
}

TEST(TcpClient, ConnectTimeout) {
    EventLoop loop;
    Blackhole hole;
    Outcome out;
    TcpClientOptions o;
    o.connect_timeout = 200ms;
    TcpClient client(&loop, {hole.address}, o);
    wire(client, loop, out);
    client.connect();
    run_loop(loop);
    ASSERT_TRUE(out.failure);
    EXPECT_TRUE(out.failure->timed_out);
    EXPECT_EQ(out.failure->error, ETIMEDOUT);
}

TEST(TcpClient, StopAbandonsConnectingWithoutCallbacks) {
    EventLoop loop;
    Blackhole hole;
    Outcome out;
    TcpClient client(&loop, {hole.address});
    wire(client, loop, out);
    client.connect();
    client.stop();
    loop.run_after(100ms, [&] { loop.quit(); });
    run_loop(loop);
    EXPECT_FALSE(out.failure);
    EXPECT_EQ(out.ups, 0);
}

class TcpClientTls : public PkiTest {};

TEST_F(TcpClientTls, HandshakeFailureIsReportedWithItsReason) {
    EventLoop loop;
    // A TLS server whose certificate names localhost/127.0.0.1, reached as another name.
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_transport_factory(
        make_tls_server_factory(TlsContext::server(path("server.key"), path("chain.pem"))));
    server.start();
    Outcome out;
    TcpClient client(&loop, {server.address()});
    wire(client, loop, out);
    TlsTransport* tls = nullptr;
    auto ctx = TlsContext::client(true, path("root.pem"));
    client.set_transport_factory([&](int fd) -> std::unique_ptr<Transport> {
        auto t = TlsTransport::connect(ctx, fd, "wrong.example");
        tls = t.get();
        return t;
    });
    client.connect();
    run_loop(loop);
    ASSERT_TRUE(out.failure);
    EXPECT_TRUE(out.failure->handshake);
    EXPECT_NE(out.failure->message.find("certificate verify failed"), std::string::npos)
        << out.failure->message;
    ASSERT_TRUE(out.failure->connection);
    EXPECT_TRUE(tls && tls->verify_failed());
}

TEST_F(TcpClientTls, VerifiedHandshakeThenData) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));
    server.set_transport_factory(
        make_tls_server_factory(TlsContext::server(path("server.key"), path("chain.pem"))));
    server.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
        c->send(in.view());
        in.retrieve_all();
        c->shutdown();
    });
    server.start();
    Outcome out;
    TcpClient client(&loop, {server.address()});
    wire(client, loop, out, "over tls");
    client.set_transport_factory(
        make_tls_client_factory(TlsContext::client(true, path("root.pem")), "localhost"));
    client.set_connection_callback([&](const TcpConnectionPtr& c) {
        if (c->connected()) c->send("over tls");
        if (!c->connected()) loop.quit();
    });
    client.connect();
    run_loop(loop);
    EXPECT_FALSE(out.failure) << out.failure->message;
    EXPECT_EQ(out.received, "over tls");
}

TEST(TcpClient, HandshakeTimeoutAgainstASilentServer) {
    EventLoop loop;
    TcpServer server(&loop, InetAddress::loopback(0));  // accepts, never speaks TLS
    server.start();
    Outcome out;
    TcpClientOptions o;
    o.connect_timeout = 300ms;
    TcpClient client(&loop, {server.address()}, o);
    wire(client, loop, out);
    client.set_transport_factory(make_tls_client_factory(TlsContext::client(false), "localhost"));
    client.connect();
    run_loop(loop);
    ASSERT_TRUE(out.failure);
    EXPECT_TRUE(out.failure->timed_out);
    EXPECT_TRUE(out.failure->handshake);
}

}  // namespace
}  // namespace netius::net
