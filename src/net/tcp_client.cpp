#include "net/tcp_client.hpp"

#include <cerrno>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"

namespace netius::net {

TcpClient::TcpClient(EventLoop* loop, std::vector<InetAddress> addresses,
                     const TcpClientOptions& options)
    : loop_(loop),
      options_(options),
      connector_(std::make_shared<Connector>(loop, std::move(addresses), options.connect_timeout,
                                             options.attempt_delay)) {
    // Raw `this` in the connector's callbacks: the destructor stops the connector first, and a
    // stopped connector calls nothing.
    connector_->set_connected_callback(
        [this](UniqueFd fd, const InetAddress& peer) { new_connection(std::move(fd), peer); });
    connector_->set_failed_callback([this](const ConnectFailure& f) {
        ClientConnectFailure failure;
        static_cast<ConnectFailure&>(failure) = f;
        report_failure(std::move(failure));
    });
}

TcpClient::~TcpClient() {
    loop_->assert_in_loop_thread();
    connector_->stop();
    loop_->cancel(handshake_timer_);
    if (TcpConnectionPtr conn = std::move(connection_)) conn->connect_destroyed();
}

void TcpClient::connect() {
    deadline_ = Clock::now() + options_.connect_timeout;
    connector_->start();
}

void TcpClient::disconnect() {
    if (connection_) connection_->shutdown();
}

void TcpClient::stop() {
    connector_->stop();
    loop_->cancel(handshake_timer_);
    if (connection_) connection_->force_close();
}

void TcpClient::new_connection(UniqueFd fd, const InetAddress& peer) {
    const int raw = fd.get();
    std::unique_ptr<Transport> transport = factory_ ? factory_(raw) : PlainTransport::make(raw);
    if (!transport) {
        ClientConnectFailure f;
        f.error = ENOMEM;
        f.handshake = true;
        f.message = "cannot set up the transport for " + peer.to_string();
        report_failure(std::move(f));
        return;
    }
    auto conn =
        std::make_shared<TcpConnection>(loop_, 1, std::move(fd), peer, std::move(transport));
    if (options_.tcp_nodelay) conn->set_tcp_nodelay(true);
    conn->set_input_limit(options_.input_limit);
    auto callbacks = std::make_shared<ConnectionCallbacks>(callbacks_);
    callbacks->high_water_mark = options_.high_water_mark;
    // Raw `this`: the destructor detaches the connection (connect_destroyed) before it goes.
    callbacks->connection = [this](const TcpConnectionPtr& c) { on_connection(c); };
    callbacks->close = [this](const TcpConnectionPtr& c) { remove_connection(c); };
    conn->set_callbacks(std::move(callbacks));
    connection_ = conn;
    // The handshake gets what is left of the connect timeout (the destructor cancels the
    // timer, so it may hold `this`).
    handshake_timer_ = loop_->run_at(deadline_, [this] { handshake_timed_out(); });
    conn->connect_established();
}

void TcpClient::on_connection(const TcpConnectionPtr& conn) {
    if (conn->connected()) {
        up_ = true;
        loop_->cancel(handshake_timer_);
        handshake_timer_ = {};
    }
    if (callbacks_.connection) callbacks_.connection(conn);
}

void TcpClient::handshake_timed_out() {
    handshake_timer_ = {};
    if (up_ || !connection_) return;
    ClientConnectFailure f;
    f.error = ETIMEDOUT;
    f.timed_out = true;
    f.handshake = true;
    f.connection = connection_;
    f.message = "handshake with " + connection_->peer_address().to_string() + " timed out";
    connection_->force_close();
    report_failure(std::move(f));
}

void TcpClient::remove_connection(const TcpConnectionPtr& conn) {
    loop_->cancel(handshake_timer_);
    handshake_timer_ = {};
    if (connection_ == conn) connection_.reset();
    // The last reference lives in this functor: the connection dies after it ran.
    loop_->queue_in_loop([conn] { conn->connect_destroyed(); });
    if (!up_) {  // closed before it came up: the handshake failed
        ClientConnectFailure f;
        f.handshake = true;
        f.error = EPROTO;
        f.connection = conn;
        f.message =
            conn->error().empty() ? "the connection closed during the handshake" : conn->error();
        report_failure(std::move(f));
    }
}

void TcpClient::report_failure(ClientConnectFailure failure) {
    if (failed_reported_) return;
    failed_reported_ = true;
    spdlog::debug("connect failed: {}", failure.message);
    if (failed_) failed_(failure);
}

}  // namespace netius::net
