#pragma once
// ClientConnection — one client connection to one origin: a TcpClient that tries every
// address, then the TLS handshake (offering the TlsContext's ALPN list), then the wire
// protocol as a ClientSession: HTTP/2 when ALPN agreed on "h2" (RFC 9113 §3.2) or, on
// cleartext, when prior_knowledge says so (§3.3); HTTP/1.1 otherwise (a server that picks no
// protocol, or only http/1.1, is spoken to in HTTP/1.1: the fallback).
//
// Every wait is bounded: connecting and the TLS handshake by connect_timeout; then each
// session bounds each exchange's wait for response bytes by receive_timeout (per stream on
// HTTP/2; while the request's content is still going out, each part of it the server takes
// restarts the wait) and an unused connection by idle_timeout. Body bytes are handed on as they
// arrive (streaming), transfer coding removed, content coding kept (the caller decodes).
//
// Lifetime: owned by a shared_ptr (HttpClient's pool). Its callbacks may run inside the
// TcpClient's, so the owner must release it via the loop's queue, never destroy it inside one
// of them. Loop thread only.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/http/client/client_session.hpp"
#include "net/http/client/url.hpp"
#include "net/http/limits.hpp"
#include "net/tcp_client.hpp"

namespace netius::net {
class TlsContext;
class TlsTransport;
}  // namespace netius::net

namespace netius::net::http {

struct ClientConnectionOptions {
    std::chrono::milliseconds connect_timeout{30'000};
    std::chrono::milliseconds receive_timeout{60'000};
    std::chrono::milliseconds idle_timeout{30'000};
    Limits limits = client_limits();  // response head, fields, chunk framing
    std::shared_ptr<TlsContext> tls;  // https: a client context (its ALPN list is offered)
    /// http: speak HTTP/2 from the first byte, without Upgrade (RFC 9113 §3.3).
    bool prior_knowledge = false;
};

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
  public:
    /// Nothing happens before connect(). `origin` names the server (TLS host name, logs).
    ClientConnection(EventLoop* loop, std::uint64_t id, const Url& origin,
                     std::vector<InetAddress> addresses, const ClientConnectionOptions& options);
    ~ClientConnection();
    ClientConnection(const ClientConnection&) = delete;
    ClientConnection& operator=(const ClientConnection&) = delete;

    /// Runs when the connection comes up, becomes available for another request, or closes;
    /// the owner's hook to hand it the next request or drop it.
    void set_state_callback(std::function<void(ClientConnection&)> cb) {
        state_cb_ = std::move(cb);
    }

    void connect();
    /// ClientSession's operations on exchange `id` (client_session.hpp); send() only when
    /// available().
    void send(std::uint64_t id, const ClientRequest& request, ExchangeCallbacks callbacks);
    void pause(std::uint64_t id);
    void resume(std::uint64_t id);
    void cancel(std::uint64_t id);
    /// Closes now; exchanges in progress are dropped without their done callbacks.
    void close();

    std::uint64_t id() const { return id_; }
    bool connecting() const { return !session_ && !closed_; }
    bool closed() const { return closed_; }
    /// Up, and may carry another request now.
    bool available() const { return session_ && !closed_ && session_->available(); }
    /// Up as HTTP/2: requests share it as concurrent streams.
    bool multiplexed() const { return version_ == Version::kHttp2; }
    /// Up, but it will take no more requests (HTTP/2 after GOAWAY): only finishing.
    bool draining() const { return session_ && !closed_ && !session_->accepting(); }
    /// Why it closed before coming up (connect, handshake, timeout), else nullopt.
    const std::optional<ExchangeError>& failure() const { return failure_; }
    /// The address being tried or connected to.
    const InetAddress& address() const { return client_->address(); }

    // For the sessions.
    EventLoop* loop() const { return loop_; }
    const ClientConnectionOptions& options() const { return options_; }
    const std::string& host() const { return host_; }
    const TcpConnectionPtr& tcp() const { return client_->connection(); }
    TlsTransport* tls() const { return tls_; }
    /// Requests sent on this connection so far.
    std::uint64_t requests() const { return requests_; }
    /// Counts a request and tells `callbacks.info` where it goes ("Connected to ..." for the
    /// first, with the protocol ALPN chose, "Re-using connection #N ..." after).
    void announce(const ExchangeCallbacks& callbacks);
    /// The session changed state (an exchange ended, a stream became free, it closed the
    /// connection): runs the state callback.
    void changed() {
        if (state_cb_) state_cb_(*this);
    }

  private:
    void on_connection(const TcpConnectionPtr& conn);
    void on_connect_failed(const ClientConnectFailure& f);

    EventLoop* loop_;
    std::uint64_t id_;
    std::string host_;
    ClientConnectionOptions options_;
    std::unique_ptr<TcpClient> client_;
    TlsTransport* tls_ = nullptr;  // the transport the factory made (owned by the connection)
    std::shared_ptr<ClientSession> session_;
    std::function<void(ClientConnection&)> state_cb_;
    std::optional<ExchangeError> failure_;
    Version version_ = Version::kHttp11;
    std::string alpn_;  // what the TLS handshake agreed on, for -v
    std::uint64_t requests_ = 0;
    bool closed_ = false;
};

}  // namespace netius::net::http
