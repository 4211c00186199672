#include "net/tls_transport.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <thread>

#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "net/tcp_connection.hpp"
#include "net/tcp_server.hpp"
#include "net_test_util.hpp"
#include "tls_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;
using testing::HasSubstr;

TlsTransport& tls_of(const TcpConnectionPtr& conn) {
    return dynamic_cast<TlsTransport&>(conn->transport());
}

// A TLS echo server on 127.0.0.1:0 that records what each connection negotiated. With
// `bye`, a chunk ending in "bye\n" makes it shut the connection down after the echo.
struct EchoServer {
    EchoServer(EventLoop& loop, std::shared_ptr<TlsContext> ctx, bool bye = false)
        : server(&loop, InetAddress::loopback(0)) {
        server.set_transport_factory([this, tls = make_tls_server_factory(std::move(ctx))](int fd) {
            ++transports;
            return tls(fd);
        });
        server.set_connection_callback([this](const TcpConnectionPtr& c) {
            TlsTransport& t = tls_of(c);
            if (c->connected()) {
                ++ups;
                alpns.emplace_back(t.alpn());
                protocols.emplace_back(t.protocol());
            } else {
                ++downs;
                truncated.push_back(t.truncated());
            }
        });
        server.set_message_callback([this, bye](const TcpConnectionPtr& c, Buffer& in) {
            const bool last = bye && in.view().ends_with("bye\n");
            received += in.readable_bytes();
            c->send(in);
            if (last) c->shutdown();
        });
        server.start();
    }
    InetAddress address() const { return server.address(); }

    // Declared before `server`: its destructor reports the connections still open.
    int ups = 0, downs = 0;
    std::size_t transports = 0, received = 0;
    std::vector<std::string> alpns, protocols;
    std::vector<bool> truncated;
    TcpServer server;
};

// An in-process TLS client on the same loop: a TcpConnection over a client TlsTransport,
// owned the way TcpServer owns its connections (house rule 4).
struct LoopClient {
    LoopClient(EventLoop& loop, const InetAddress& address, std::shared_ptr<TlsContext> ctx,
               const std::string& host, int sndbuf = 0) {
        UniqueFd fd = sockets::connect_blocking(address);
        if (sndbuf) {
            ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        }
        sockets::set_nonblocking(fd.get(), true);
        const int raw = fd.get();
        conn = std::make_shared<TcpConnection>(&loop, 1, std::move(fd), address,
                                               TlsTransport::connect(std::move(ctx), raw, host));
        conn->set_connection_callback([this](const TcpConnectionPtr& c) {
            if (c->connected()) {
                up = true;
                alpn = tls_of(c).alpn();
                if (on_up) on_up(c);
            } else {
                down = true;
                truncated = tls_of(c).truncated();
            }
        });
        conn->set_message_callback([this](const TcpConnectionPtr&, Buffer& in) {
            received.append(in.view());
            in.retrieve_all();
        });
        conn->set_close_callback([this, &loop](const TcpConnectionPtr& c) {
            loop.queue_in_loop([c] { c->connect_destroyed(); });
            conn.reset();
        });
        conn->connect_established();
    }

    TcpConnectionPtr conn;
    std::function<void(const TcpConnectionPtr&)> on_up;
    bool up = false, down = false, truncated = false;
    std::string alpn, received;
};

class TlsTransportTest : public PkiTest {
  protected:
    static std::shared_ptr<TlsContext> server_context(
        const std::vector<std::string>& alpn = kHttp11Alpn) {
        return TlsContext::server(path("server.key"), path("chain.pem"), alpn);
    }
    static std::shared_ptr<TlsContext> trusting_client(const std::vector<std::string>& alpn = {}) {
        return TlsContext::client(true, path("root.pem"), alpn);
    }
};

// ---- the openssl binary as the client ----

struct SClientRun {
    ProcessResult result;
    std::atomic<bool> done{false};
};

// Runs `openssl s_client` against the server while the loop serves, until the client exits
// and the server has no connection left.
ProcessResult run_s_client(EventLoop& loop, EchoServer& server,
                           const std::vector<std::string>& extra, const std::string& input) {
    std::vector<std::string> argv = {"openssl", "s_client", "-connect",
                                     server.address().to_string(), "-ign_eof"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    SClientRun run;
    std::jthread client([&] {
        run.result = run_process(argv, input, 20s);
        run.done = true;
    });
    run_until(
        loop, [&] { return run.done && server.server.connection_count() == 0; }, 30s);
    client.join();
    return run.result;
}

TEST_F(TlsTransportTest, OpensslClientGetsTheEchoAndHttp11) {
    for (std::string version : {"-tls1_3", "-tls1_2"}) {
        SCOPED_TRACE(version);
        EventLoop loop;
        EchoServer server(loop, server_context(), true);
        ProcessResult r = run_s_client(
            loop, server,
            {version, "-alpn", "h2,http/1.1", "-CAfile", path("root.pem"), "-verify_return_error",
             "-verify_hostname", "localhost", "-servername", "localhost"},
            "hello over tls\nbye\n");
        EXPECT_FALSE(r.timed_out);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_THAT(r.out, HasSubstr("hello over tls\nbye\n"));
        EXPECT_THAT(r.out, HasSubstr("ALPN protocol: http/1.1"));
        EXPECT_THAT(r.out, HasSubstr("Verify return code: 0 (ok)"));  // the chain was sent
        EXPECT_EQ(server.alpns, std::vector<std::string>{"http/1.1"});
        EXPECT_EQ(server.protocols,
                  std::vector<std::string>{version == "-tls1_3" ? "TLSv1.3" : "TLSv1.2"});
        EXPECT_EQ(server.downs, 1);
    }
}

TEST_F(TlsTransportTest, OpensslClientWithoutAlpnStillConnects) {
    EventLoop loop;
    EchoServer server(loop, server_context(), true);
    ProcessResult r = run_s_client(loop, server, {}, "no alpn\nbye\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("no alpn\nbye\n"));
    EXPECT_THAT(r.out, HasSubstr("No ALPN negotiated"));
    EXPECT_EQ(server.alpns, std::vector<std::string>{""});
}

TEST_F(TlsTransportTest, Tls11IsRefused) {
    EventLoop loop;
    EchoServer server(loop, server_context(), true);
    // SECLEVEL=0 lets the client offer TLS 1.1 at all; the server must still refuse it.
    ProcessResult r =
        run_s_client(loop, server, {"-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"}, "bye\n");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_THAT(r.out + r.err, HasSubstr("alert protocol version"));
    EXPECT_EQ(server.ups, 0);
    EXPECT_EQ(server.server.connection_count(), 0u);
}

// ---- in-process clients ----

TEST_F(TlsTransportTest, FourMebibyteEchoArrivesIntact) {
    // 4096: a tiny send buffer, so most client writes end in WANT_WRITE. (A receive buffer
    // below loopback's MSS would only measure TCP's persist timer.)
    for (int sndbuf : {0, 4096}) {
        SCOPED_TRACE(sndbuf);
        EventLoop loop;
        EchoServer server(loop, server_context());
        LoopClient client(loop, server.address(), trusting_client({"h2", "http/1.1"}), "localhost",
                          sndbuf);
        const std::string payload = random_bytes(4u << 20, 42);
        std::size_t queued_at_once = 0;
        client.on_up = [&](const TcpConnectionPtr& c) {
            c->send(payload);
            queued_at_once = c->queued_bytes();
        };
        run_until(
            loop, [&] { return client.received.size() >= payload.size() || client.down; }, 60s);
        ASSERT_TRUE(client.up);
        EXPECT_GT(queued_at_once, 0u);  // the socket took only part: the rest waited on WANT_WRITE
        EXPECT_EQ(client.alpn, "http/1.1");
        EXPECT_EQ(client.received.size(), payload.size());
        EXPECT_TRUE(client.received == payload) << "the echo differs";
        // A clean close both ways: close_notify, then FIN, each direction.
        if (client.conn) client.conn->shutdown();
        run_until(loop, [&] { return !client.conn && server.server.connection_count() == 0; });
        EXPECT_TRUE(client.down);
        EXPECT_FALSE(client.truncated);
        EXPECT_EQ(server.truncated, std::vector<bool>{false});
        EXPECT_EQ(server.received, payload.size());
    }
}

TEST_F(TlsTransportTest, EphemeralCertificateVerifiesForLocalhostNames) {
    auto ctx = TlsContext::self_signed_server();
    write_file(path("ephemeral.pem"), ctx->certificate_pem());
    for (std::string host : {"localhost", "127.0.0.1"}) {
        SCOPED_TRACE(host);
        EventLoop loop;
        EchoServer server(loop, ctx);
        LoopClient client(loop, server.address(),
                          TlsContext::client(true, path("ephemeral.pem"), {"http/1.1"}), host);
        client.on_up = [](const TcpConnectionPtr& c) { c->send("ping"); };
        run_until(loop, [&] { return client.received.size() >= 4 || client.down; });
        EXPECT_EQ(client.received, "ping");
        EXPECT_EQ(client.alpn, "http/1.1");
    }
}

// The client side of one connection on a helper thread, driven with poll(), while the
// test's loop serves: handshake, then "ping" echoed back.
struct Outcome {
    IoResult handshake;
    std::string error, alpn, echo;
};

Outcome connect_and_ping(EventLoop& loop, const InetAddress& address,
                         std::shared_ptr<TlsContext> ctx, const std::string& host) {
    Outcome out;
    std::atomic<bool> done{false};
    std::jthread client([&] {
        UniqueFd fd = sockets::connect_blocking(address);
        sockets::set_nonblocking(fd.get(), true);
        auto tls = TlsTransport::connect(ctx, fd.get(), host);
        out.handshake = drive(fd.get(), [&] { return tls->handshake(); });
        out.error = tls->error_string(out.handshake);
        if (out.handshake.status == IoStatus::Ok) {
            out.alpn = tls->alpn();
            if (tls_write_all(*tls, fd.get(), "ping")) out.echo = tls_read(*tls, fd.get(), 4);
        }
        done = true;
    });
    run_until(
        loop, [&] { return done.load(); }, 20s);
    client.join();
    return out;
}

TEST_F(TlsTransportTest, ClientVerifiesTheChainAndTheHostName) {
    EventLoop loop;
    EchoServer server(loop, server_context());
    const struct {
        std::string host;
        std::shared_ptr<TlsContext> ctx;
        std::string error;  // empty: must succeed
    } cases[] = {
        {"localhost", trusting_client(), ""},
        {"127.0.0.1", trusting_client(), ""},
        {"wrong.example", trusting_client(), "certificate verify failed (hostname mismatch)"},
        {"10.0.0.1", trusting_client(), "certificate verify failed (IP address mismatch)"},
        // The system store does not know the test root.
        {"localhost", TlsContext::client(true),
         "certificate verify failed (unable to get local issuer certificate)"},
        {"wrong.example", TlsContext::client(false), ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.host + " expecting '" + c.error + "'");
        Outcome out = connect_and_ping(loop, server.address(), c.ctx, c.host);
        if (c.error.empty()) {
            EXPECT_EQ(out.handshake.status, IoStatus::Ok) << out.error;
            EXPECT_EQ(out.echo, "ping");
        } else {
            EXPECT_EQ(out.handshake.status, IoStatus::Error);
            EXPECT_EQ(out.handshake.error, EPROTO);
            EXPECT_EQ(out.error, c.error);
        }
    }
    run_until(loop, [&] { return server.server.connection_count() == 0; });
    EXPECT_EQ(server.server.connection_count(), 0u);
}

TEST_F(TlsTransportTest, ServerSendsItsIntermediate) {
    EventLoop loop;
    // Only the leaf: a client that trusts the root alone cannot build the chain.
    EchoServer leaf_only(loop, TlsContext::server(path("server.key"), path("server.pem")));
    Outcome out = connect_and_ping(loop, leaf_only.address(), trusting_client(), "localhost");
    EXPECT_EQ(out.error, "certificate verify failed (unable to get local issuer certificate)");
    EchoServer chained(loop, server_context());
    EXPECT_EQ(connect_and_ping(loop, chained.address(), trusting_client(), "localhost").echo,
              "ping");
}

TEST_F(TlsTransportTest, AlpnFollowsTheServersPreference) {
    EventLoop loop;
    EchoServer server(loop, server_context({"smtp", "http/1.1"}));
    const struct {
        std::vector<std::string> offered;
        std::string agreed;
    } cases[] = {
        {{"http/1.1", "smtp"}, "smtp"},
        {{"http/1.1"}, "http/1.1"},
        {{"h2"}, ""},  // no overlap: no ALPN, but the connection goes on
        {{}, ""},
    };
    for (const auto& c : cases) {
        Outcome out =
            connect_and_ping(loop, server.address(), trusting_client(c.offered), "localhost");
        EXPECT_EQ(out.echo, "ping");
        EXPECT_EQ(out.alpn, c.agreed);
    }
}

// A peer that closes without close_notify: the server reads Eof (noted as truncated), still
// sends its echo and ends with its own close_notify.
TEST_F(TlsTransportTest, FinWithoutCloseNotifyIsEndOfStream) {
    EventLoop loop;
    EchoServer server(loop, server_context());
    std::string echo;
    IoResult last;
    bool client_truncated = true;
    std::atomic<bool> done{false};
    std::jthread client([&] {
        UniqueFd fd = sockets::connect_blocking(server.address());
        sockets::set_nonblocking(fd.get(), true);
        auto tls = TlsTransport::connect(trusting_client(), fd.get(), "localhost");
        if (drive(fd.get(), [&] { return tls->handshake(); }).status == IoStatus::Ok &&
            tls_write_all(*tls, fd.get(), "cut short")) {
            ::shutdown(fd.get(), SHUT_WR);  // FIN, no close_notify
            echo = tls_read(*tls, fd.get(), SIZE_MAX, &last);
            client_truncated = tls->truncated();
        }
        done = true;
    });
    run_until(loop, [&] { return done && server.server.connection_count() == 0; });
    client.join();
    EXPECT_EQ(echo, "cut short");
    EXPECT_EQ(last.status, IoStatus::Eof);
    EXPECT_FALSE(client_truncated);  // the server said close_notify
    EXPECT_EQ(server.truncated, std::vector<bool>{true});
}

// How a raw (non-TLS) client's read ends: "eof", "reset" or "timeout".
std::string raw_exchange(const InetAddress& address, std::string_view send) {
    UniqueFd fd = connect_client(address);
    set_timeouts(fd.get(), 10s);
    if (!send.empty()) write_all(fd.get(), send);
    char buf[4096];
    for (;;) {
        ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
        if (n > 0) continue;  // an alert, if any
        if (n == 0) return "eof";
        if (errno == EINTR) continue;
        return errno == ECONNRESET ? "reset" : "timeout";
    }
}

TEST_F(TlsTransportTest, NonTlsClientsAreClosedAndServingGoesOn) {
    EventLoop loop;
    EchoServer server(loop, server_context());
    const struct {
        std::string send;  // empty: connect and close at once
        std::string how;   // how the client's read ends ("eof|reset": either)
    } cases[] = {
        // Closing with the request's bytes unread makes the kernel send RST rather than FIN.
        {"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "eof|reset"},
        {std::string("\x16\x03\x01\x00\x05hello", 10), "eof"},  // a bad handshake record
        {std::string("\x16\x03\x01\x00\x10", 5) + std::string(16, 'x'), "eof"},
        {"", ""},
    };
    std::size_t accepted = 0;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.send);
        std::string how;
        std::atomic<bool> done{false};
        std::jthread client([&] {
            if (c.send.empty())
                connect_client(server.address());
            else
                how = raw_exchange(server.address(), c.send);
            done = true;
        });
        ++accepted;
        run_until(loop, [&] {
            return done && server.transports == accepted && server.server.connection_count() == 0;
        });
        client.join();
        if (c.how == "eof|reset")
            EXPECT_THAT(how, testing::AnyOf("eof", "reset"));
        else
            EXPECT_EQ(how, c.how);
        EXPECT_EQ(server.transports, accepted);
        EXPECT_EQ(server.server.connection_count(), 0u);
    }
    EXPECT_EQ(server.ups, 0);
    // Still serving TLS.
    EXPECT_EQ(connect_and_ping(loop, server.address(), trusting_client(), "localhost").echo,
              "ping");
}

}  // namespace
}  // namespace netius::net
