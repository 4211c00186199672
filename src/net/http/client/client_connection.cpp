#include "net/http/client/client_connection.hpp"

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/http/client/h1_client_session.hpp"
#include "net/http/client/h2_client_session.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::http {

ClientConnection::ClientConnection(EventLoop* loop, std::uint64_t id, const Url& origin,
                                   std::vector<InetAddress> addresses,
                                   const ClientConnectionOptions& options)
    : loop_(loop),
      id_(id),
      host_(origin.host),
      options_(options),
      client_(std::make_unique<TcpClient>(
          loop, std::move(addresses),
          TcpClientOptions{.connect_timeout = options.connect_timeout})) {
    // Raw `this` throughout: the TcpClient is ours and dies first (see the destructor).
    client_->set_connection_callback([this](const TcpConnectionPtr& c) { on_connection(c); });
    client_->set_message_callback([this](const TcpConnectionPtr&, Buffer& in) {
        if (session_ && !closed_)
            session_->on_message(in);
        else
            in.retrieve_all();
    });
    client_->set_peer_shutdown_callback([this](const TcpConnectionPtr&) {
        if (session_ && !closed_) session_->on_peer_shutdown();
    });
    client_->set_connect_failed_callback(
        [this](const ClientConnectFailure& f) { on_connect_failed(f); });
    if (origin.tls()) {
        client_->set_transport_factory([this](int fd) -> std::unique_ptr<Transport> {
            auto t = TlsTransport::connect(options_.tls, fd, host_);
            tls_ = t.get();
            return t;
        });
    }
}

ClientConnection::~ClientConnection() {
    closed_ = true;  // the TcpClient's last "down" callback must find nothing to do
    if (session_) session_->drop();
    client_.reset();
}

void ClientConnection::connect() {
    client_->connect();
}

void ClientConnection::send(std::uint64_t id, const ClientRequest& request,
                            ExchangeCallbacks callbacks) {
    session_->send(id, request, std::move(callbacks));
}

void ClientConnection::pause(std::uint64_t id) {
    if (session_ && !closed_) session_->pause(id);
}

void ClientConnection::resume(std::uint64_t id) {
    if (session_ && !closed_) session_->resume(id);
}

void ClientConnection::cancel(std::uint64_t id) {
    if (session_ && !closed_) session_->cancel(id);
}

void ClientConnection::close() {
    if (closed_) return;
    closed_ = true;
    if (session_) session_->drop();
    client_->stop();
}

void ClientConnection::announce(const ExchangeCallbacks& callbacks) {
    ++requests_;
    if (!callbacks.info) return;
    const std::string peer = tcp() ? tcp()->peer_address().to_string() : std::string();
    if (requests_ > 1) {
        callbacks.info(fmt::format("Re-using connection #{} with {} ({})", id_, host_, peer));
        return;
    }
    callbacks.info(fmt::format("Connected to {} ({}) as #{}", host_, peer, id_));
    if (tls_)
        callbacks.info(alpn_.empty() ? std::string("ALPN: the server agreed on no protocol")
                                     : fmt::format("ALPN: the server accepted {}", alpn_));
    callbacks.info(multiplexed() ? "Using HTTP/2" : "Using HTTP/1.1");
}

void ClientConnection::on_connection(const TcpConnectionPtr& conn) {
    if (closed_) return;
    if (conn->connected()) {
        alpn_ = std::string(conn->transport().alpn());
        const bool h2 = tls_ ? alpn_ == "h2" : options_.prior_knowledge;
        version_ = h2 ? Version::kHttp2 : Version::kHttp11;
        spdlog::debug("connection #{} to {} is up ({})", id_, host_, h2 ? "HTTP/2" : "HTTP/1.1");
        if (h2)
            session_ = std::make_shared<H2ClientSession>(*this);
        else
            session_ = std::make_shared<H1ClientSession>(*this);
        session_->start();
        if (!closed_) changed();
        return;
    }
    // Reset, a read/write error, or the server closed an unused connection.
    if (session_) session_->on_down(conn->error());  // may close and report itself
    if (!closed_) {
        close();
        changed();
    }
}

void ClientConnection::on_connect_failed(const ClientConnectFailure& f) {
    using Kind = ExchangeError::Kind;
    Kind kind = Kind::kConnect;
    std::string message = f.message;
    if (f.timed_out) {
        kind = Kind::kTimeout;
        message = "Timeout on connect: " + f.message;
    } else if (f.handshake) {
        kind = tls_ && tls_->verify_failed() ? Kind::kTlsVerify : Kind::kTls;
        message = fmt::format("TLS handshake with {} failed: {}", client_->address().to_string(),
                              f.message);
    }
    failure_ = ExchangeError{kind, std::move(message)};
    close();
    changed();
}

}  // namespace netius::net::http
