#pragma once
// SmtpSession — the per-connection ESMTP state machine (RFC 5321 §4.1, §4.3.2) between a
// TcpConnection and its server's MessageSink/Authenticator:
//
//   greeting → HELO/EHLO → [STARTTLS → EHLO] → [AUTH] → MAIL → RCPT... → DATA → content
//   → 250/451/452 → MAIL... or QUIT
//
// Commands are answered in order with one write per read event (PIPELINING, RFC 2920),
// including commands that follow the end of a message in the same read. While a message is
// being stored or a password checked the session stops reading (the bytes already received
// wait in the input) and carries on when the result comes back. Every reply but the greeting
// and EHLO's carries an enhanced status code (RFC 2034). Overlong lines get 500 and are
// skipped; too many errors, a stalled client or a shutdown get their 421 before the close.
// Loop thread only.
#include <memory>
#include <string>

#include "net/smtp/data_decoder.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/tcp_connection.hpp"

namespace netius::net::smtp {

class SmtpServer;
struct Command;

class SmtpSession : public std::enable_shared_from_this<SmtpSession> {
  public:
    SmtpSession(SmtpServer& server, const TcpConnectionPtr& conn);

    /// Sends the greeting (or waits for the PROXY header first).
    void start(const TcpConnectionPtr& conn);
    void on_message(const TcpConnectionPtr& conn, Buffer& in);
    /// The output queue passed the high-water mark: stop reading until it drains.
    void on_high_water(const TcpConnectionPtr& conn);
    void on_write_complete(const TcpConnectionPtr& conn);
    /// Once a second: enforces the command, data and write timeouts.
    void check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now);
    /// Shutdown: a session between transactions gets 421 4.3.2 and is closed now; one
    /// inside a transaction when it returns to that point.
    void close_when_idle(const TcpConnectionPtr& conn);

  private:
    enum class Phase {
        kProxy,              // waiting for the PROXY header
        kCommand,            // waiting for a command
        kAuthPlain,          // 334 sent, waiting for PLAIN's response
        kAuthLoginUser,      // 334 Username: sent
        kAuthLoginPassword,  // 334 Password: sent
        kData,               // receiving message content
        kBusy,               // storing a message or checking a password; not reading
        kUpgrading,          // STARTTLS handshake
        kClosing,            // last reply sent; closing
    };

    void process(const TcpConnectionPtr& conn, Buffer& in);
    bool read_proxy_header(const TcpConnectionPtr& conn, Buffer& in);
    void greet();
    void command(const TcpConnectionPtr& conn, std::string_view line);
    void auth_line(const TcpConnectionPtr& conn, std::string_view line);

    // Commands (smtp_commands.cpp).
    void helo(const Command& c, bool extended);
    void mail(const Command& c);
    void rcpt(const Command& c);
    void data(const Command& c);
    void starttls(const TcpConnectionPtr& conn, const Command& c);
    void auth(const TcpConnectionPtr& conn, const Command& c);
    void help();
    void verify_credentials(const TcpConnectionPtr& conn, std::string user, std::string password);
    void auth_done(const TcpConnectionPtr& conn, AuthStatus status);
    void end_of_data(const TcpConnectionPtr& conn);
    void delivered(const TcpConnectionPtr& conn, DeliveryStatus status);
    std::string trace_field() const;
    bool auth_offered() const;

    void reply(const Reply& r);
    /// A reply to the client's mistake: counts towards max_errors.
    void error(const Reply& r);
    void reset_transaction();
    /// Sends the replies made so far; after a 221/421, closes once they are out.
    void flush(const TcpConnectionPtr& conn);
    void wait_for(Phase phase);
    void pause(const TcpConnectionPtr& conn);
    /// Back from kBusy: replies, then reads on (input waiting meanwhile is delivered again).
    void resume(const TcpConnectionPtr& conn);
    void close_after_reply(const Reply& r);
    template <typename F>
    auto on_loop(const TcpConnectionPtr& conn, F f);

    SmtpServer& server_;
    std::string& out_;  // the server's scratch: this event's replies
    Phase phase_ = Phase::kCommand;
    Clock::time_point deadline_;
    std::size_t errors_ = 0;
    bool skipping_ = false;  // discarding the rest of an overlong line
    bool loopback_ = false;
    bool tls_ = false;
    bool closing_after_flush_ = false;
    bool stop_when_idle_ = false;
    std::string remote_;  // client address, for logs and Received
    Envelope envelope_;   // helo/esmtp/tls/auth persist; the rest is per transaction
    bool in_transaction_ = false;
    std::uint64_t declared_size_ = 0;
    std::string login_user_;  // AUTH LOGIN: the user, while the password is asked for
    DataDecoder decoder_;
    std::string content_;
    std::size_t last_queued_ = 0;
    Clock::time_point write_deadline_;
};

}  // namespace netius::net::smtp
