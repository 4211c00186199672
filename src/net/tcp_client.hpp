#pragma once
// TcpClient — one outgoing connection on one EventLoop: a Connector that tries the addresses
// (Happy Eyeballs, RFC 8305: interleaved families, staggered attempts, the first up wins), then the
// TcpConnection it owns (the client side of TcpServer; same lifetime sequence, see
// tcp_connection.hpp). The transport handshake (TLS) is bounded by what is left of the
// connect timeout, so "connected" means usable.
//
//     TcpClient client(&loop, {InetAddress::parse("127.0.0.1:9090")});
//     client.set_connection_callback([](const TcpConnectionPtr& c) {
//         if (c->connected()) c->send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
//     });
//     client.set_message_callback([](const TcpConnectionPtr&, Buffer& in) { use(in); });
//     client.set_connect_failed_callback([](const ConnectFailure& f) { report(f.message); });
//     client.connect();
//
// Exactly one of these happens after connect(): the connection callback reports "up" (and
// later "down", once), or the connect-failed callback runs once (no address accepted, the
// handshake failed, or the timeout expired first). Thread-safety: loop thread only.
// Do not destroy a client from one of its own callbacks: queue_in_loop it.
#include <memory>
#include <vector>

#include "net/callbacks.hpp"
#include "net/connector.hpp"
#include "net/inet_address.hpp"
#include "net/tcp_connection.hpp"
#include "net/transport.hpp"

namespace netius::net {

class EventLoop;

struct TcpClientOptions {
    /// Connecting to every address, then the transport handshake, all together.
    std::chrono::milliseconds connect_timeout{30'000};
    /// Happy Eyeballs' Connection Attempt Delay: how long an attempt runs alone before the
    /// next address is tried beside it (RFC 8305 §5).
    Clock::duration attempt_delay = Connector::kDefaultAttemptDelay;
    bool tcp_nodelay = true;  // requests leave as soon as they are written
    std::size_t high_water_mark = kDefaultHighWaterMark;
    std::size_t input_limit = Buffer::kDefaultMaxSize;
};

/// A failure before the connection came up; `handshake` tells the transport's (e.g. TLS
/// certificate refused) from the TCP connect's, and `connection` is then the connection
/// that failed (its transport can be asked why).
struct ClientConnectFailure : ConnectFailure {
    bool handshake = false;
    TcpConnectionPtr connection;
};

class TcpClient {
  public:
    using ConnectFailedCallback = std::function<void(const ClientConnectFailure&)>;

    /// `addresses` most preferred first (the Connector interleaves their families); must not
    /// be empty.
    TcpClient(EventLoop* loop, std::vector<InetAddress> addresses,
              const TcpClientOptions& options = {});
    /// Stops connecting, or closes the connection (its callback reports "down").
    ~TcpClient();
    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;

    EventLoop* loop() const { return loop_; }

    // Set before connect().
    void set_connection_callback(ConnectionCallback cb) { callbacks_.connection = std::move(cb); }
    void set_message_callback(MessageCallback cb) { callbacks_.message = std::move(cb); }
    void set_write_complete_callback(WriteCompleteCallback cb) {
        callbacks_.write_complete = std::move(cb);
    }
    void set_high_water_mark_callback(HighWaterMarkCallback cb) {
        callbacks_.high_water = std::move(cb);
    }
    void set_peer_shutdown_callback(ConnectionCallback cb) {
        callbacks_.peer_shutdown = std::move(cb);
    }
    void set_connect_failed_callback(ConnectFailedCallback cb) { failed_ = std::move(cb); }
    /// Default: PlainTransport. A TLS client passes make_tls_client_factory(ctx, host).
    void set_transport_factory(TransportFactory factory) { factory_ = std::move(factory); }

    /// Starts connecting. Once only; callbacks never run inside it.
    void connect();
    /// Half-closes the connection once its output is sent (TcpConnection::shutdown).
    void disconnect();
    /// Abandons connecting, or closes the connection now.
    void stop();

    /// The connection while it exists (from the handshake on), else nullptr.
    const TcpConnectionPtr& connection() const { return connection_; }
    /// The address connected to, else the last one tried.
    const InetAddress& address() const { return connector_->current(); }

  private:
    void new_connection(UniqueFd fd, const InetAddress& peer);
    void on_connection(const TcpConnectionPtr& conn);
    void remove_connection(const TcpConnectionPtr& conn);
    void handshake_timed_out();
    void report_failure(ClientConnectFailure failure);

    EventLoop* loop_;
    TcpClientOptions options_;
    std::shared_ptr<Connector> connector_;
    Clock::time_point deadline_{};
    TcpConnectionPtr connection_;
    ConnectionCallbacks callbacks_;  // the user's
    ConnectFailedCallback failed_;
    TransportFactory factory_;
    TimerId handshake_timer_;
    bool up_ = false;
    bool failed_reported_ = false;
};

}  // namespace netius::net
