#pragma once
// SmtpServer — an ESMTP server (RFC 5321) on one EventLoop: a TcpServer, one SmtpSession per
// connection, a once-a-second timeout sweep and graceful shutdown. What happens to accepted
// mail is the MessageSink's business (Maildir for `serve smtp`, a queue for a relay), password
// checks the Authenticator's:
//
//     MaildirSink sink(&loop, store, {});
//     SmtpServer server(&loop, InetAddress::parse("127.0.0.1:2525"), {}, sink, nullptr);
//     server.start();
//     loop.loop();
//
// Thread-safety: loop thread only, construction included. The sink and the authenticator
// must outlive the server.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/allow_list.hpp"
#include "net/log_file.hpp"
#include "net/smtp/limits.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/tcp_server.hpp"

namespace netius::net {
class TlsContext;
}

namespace netius::net::smtp {

struct SmtpServerOptions {
    Limits limits;
    /// Our name in the greeting, EHLO and Received fields.
    std::string hostname = "localhost";
    /// A server certificate: STARTTLS is offered (RFC 3207), or with implicit_tls every
    /// connection starts with TLS (RFC 8314, port 465).
    std::shared_ptr<TlsContext> tls;
    bool implicit_tls = false;
    /// AUTH is offered only over TLS (RFC 4954 §4) unless this is set; loopback and unix
    /// socket clients may always use it.
    bool allow_plain_auth = false;
    /// MAIL needs a successful AUTH first (530 5.7.0).
    bool require_auth = false;
    AllowList allowed;  // clients outside it are closed at once
    /// One line per message (stored or refused after DATA) appended to this file, "-" for
    /// stdout, "" for none: client, user, time, "DATA <sender> <recipients>", reply code,
    /// content bytes, queue id, HELO name (Combined Log Format-like fields).
    std::string access_log;
    /// Connections start with a PROXY v1/v2 header (haproxy send-proxy).
    bool proxy_protocol = false;
    TcpServerOptions tcp;
};

class SmtpSession;

class SmtpServer {
  public:
    /// Binds and listens at once (throws netius::Error); serves after start(). A null
    /// `auth` means AUTH is not offered.
    SmtpServer(EventLoop* loop, const InetAddress& address, SmtpServerOptions options,
               MessageSink& sink, Authenticator* auth);
    /// Serves on an already-listening socket (workers, systemd socket activation).
    SmtpServer(EventLoop* loop, UniqueFd listening_fd, SmtpServerOptions options, MessageSink& sink,
               Authenticator* auth);
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    void start();
    /// Reopens the access log (SIGUSR1).
    void reopen_access_log();
    /// Graceful stop: no new connections; sessions between transactions get 421 4.3.2 and
    /// are closed, messages being received or stored finish first; `done` runs once every
    /// connection is gone, or after `timeout` with the rest closed by force.
    void shutdown(std::chrono::milliseconds timeout, std::function<void()> done);

    const InetAddress& address() const { return tcp_.address(); }
    std::size_t connection_count() const { return tcp_.connection_count(); }

    // For SmtpSession.
    EventLoop* loop() const { return loop_; }
    const SmtpServerOptions& options() const { return options_; }
    MessageSink& sink() { return sink_; }
    Authenticator* authenticator() { return auth_; }
    bool stopping() const { return stopping_; }
    /// A new queue id: 16 upper-case hex digits.
    std::string next_id();
    /// Adds the access log line of a transaction that ended with `code` (no-op without a log).
    void log_transaction(const Envelope& envelope, int code, std::uint64_t bytes);
    /// Replies produced while handling one event (sessions are synchronous: one per loop).
    std::string& scratch() { return scratch_; }

  private:
    void init();
    void on_connection(const TcpConnectionPtr& conn);
    void sweep();

    EventLoop* loop_;
    SmtpServerOptions options_;
    MessageSink& sink_;
    Authenticator* auth_;
    TcpServer tcp_;
    std::unique_ptr<LogFile> access_log_;
    std::string scratch_;
    std::uint64_t id_state_;
    TimerId sweep_timer_;
    TimerId shutdown_timer_;
    bool stopping_ = false;
};

/// The session of `conn`, or nullptr (not yet made, or a connection of another server).
SmtpSession* session_of(const TcpConnectionPtr& conn);

}  // namespace netius::net::smtp
