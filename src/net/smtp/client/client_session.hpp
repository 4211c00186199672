#pragma once
// ClientSession — one SMTP client connection to one host (RFC 5321 §3, §4.1): greeting, EHLO
// (HELO when EHLO gets a 5xx, §3.2), STARTTLS (RFC 3207) and EHLO again, AUTH PLAIN/LOGIN
// (RFC 4954, only over TLS), one mail transaction (MAIL, RCPTs, DATA; in one write with
// PIPELINING, RFC 2920), then QUIT. The content is dot-stuffed and sent a piece at a time as
// the connection drains, so it is never held twice. The Deliverer runs one per host it tries.
//
// Outcomes (delivery.hpp): a 2xx to the end of data delivers every recipient whose RCPT got a
// 2xx; 4xx replies, timeouts, lost connections and TLS failures are transient; 5xx replies are
// permanent; a failed MAIL or DATA applies to every recipient still pending. A failure before
// MAIL was sent (connect, greeting, EHLO, STARTTLS, AUTH) sets SessionResult::next_host: the
// message may go to another host.
//
// Every wait is bounded: connect_timeout for TCP, command_timeout for each reply and for the
// TLS handshake, twice it for the reply to the end of data (RFC 5321 §4.5.3.2.6: 10 minutes).
//
// Lifetime: `done` runs once with the result (possibly before QUIT is answered), `closed` runs
// once when the connection is gone; neither inside start(). The owner must not destroy the
// session inside either callback (queue it). Loop thread only.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/buffer.hpp"
#include "net/smtp/client/dot_stuffer.hpp"
#include "net/smtp/client/reply_parser.hpp"
#include "net/smtp/client/transcript.hpp"
#include "net/smtp/delivery.hpp"
#include "net/tcp_client.hpp"

namespace netius::net {
class EventLoop;
class TlsContext;
}  // namespace netius::net

namespace netius::net::smtp {

struct SessionConfig {
    std::string host;                    // the host's name: TLS SNI/verification, diagnostics
    std::vector<InetAddress> addresses;  // its addresses, in the order to try them
    std::string helo_name = "localhost";
    std::shared_ptr<TlsContext> tls;  // a client context; null: no STARTTLS
    bool require_tls = false;         // no STARTTLS offered, or a failed handshake: transient
    bool implicit_tls = false;        // TLS from the first byte (RFC 8314 §3.3); needs `tls`
    TranscriptCallback transcript;    // the dialogue line by line (transcript.hpp); may be empty
    std::string user, password;       // AUTH when user is not empty (over TLS only)
    std::chrono::milliseconds connect_timeout{30000};
    std::chrono::milliseconds command_timeout{300000};
    /// > 0: after a transaction that reached the end of data, stay connected this long for
    /// another one (next()), then QUIT; 0: QUIT at once.
    std::chrono::milliseconds idle_timeout{0};
};

struct SessionResult {
    std::vector<RecipientOutcome> outcomes;  // one per recipient, in order
    bool next_host = false;                  // failed before the transaction: try another host
    bool tls_failed = false;                 // the STARTTLS handshake failed
};

/// The fate a reply code gives a recipient: 2xx delivered, 5xx permanent, anything else
/// (4xx, or a reply that makes no sense there) transient.
RecipientFate fate_of_code(int code);

class ClientSession {
  public:
    using DoneCallback = std::function<void(SessionResult)>;

    /// `message` must outlive the session (the Delivery owns both).
    ClientSession(EventLoop* loop, SessionConfig config, const Outbound& message, DoneCallback done,
                  std::function<void()> closed);
    /// Closes the connection; no callback runs afterwards.
    ~ClientSession();
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    void start();

    /// True between a finished transaction and the idle timeout (see idle_timeout).
    bool idle() const { return step_ == Step::kIdle && !closed_; }
    /// Another transaction on this connection, for `message` (which must outlive it), reported
    /// to `done` like the first. Only when idle(). A connection found dead before any reply to
    /// it sets SessionResult::next_host, so the caller can try a fresh connection.
    void next(const Outbound& message, DoneCallback done);
    /// Replaces the `closed` callback (a new owner).
    void set_closed_callback(std::function<void()> closed) { closed_cb_ = std::move(closed); }

  private:
    enum class Step {
        kConnect,
        kGreeting,
        kEhlo,
        kHelo,
        kStartTls,
        kHandshake,
        kAuth,
        kAuthUser,
        kAuthPassword,
        kMail,
        kRcpt,
        kData,
        kDataEnd,
        kAbortedData,
        kIdle,
        kQuit,
    };

    void on_connection(const TcpConnectionPtr& conn);
    void on_message(const TcpConnectionPtr& conn, Buffer& in);
    void on_connect_failed(const ClientConnectFailure& failure);
    void on_timeout();
    void on_reply(const ServerReply& reply);
    void on_ehlo(const ServerReply& reply);
    void after_ehlo();
    void start_tls();
    void authenticate();
    void on_auth(const ServerReply& reply);
    void begin_transaction();
    void on_transaction_reply(Step step, const ServerReply& reply);
    void send_data();
    /// Sends dot-stuffed pieces of the content while the output queue is empty.
    void send_data_pieces();
    void send_next_command();
    /// The end-of-data reply is in: report, then QUIT or stay for another transaction.
    void end_transaction();
    /// Per-message state for the transaction of `message`.
    void reset(const Outbound& message);

    /// Sends `line` (CRLF added) and waits for its reply as `step`. `shown` replaces the
    /// line in the transcript (credentials).
    void command(std::string line, Step step, std::string_view shown = {});
    /// Passes each CRLF-terminated line of `lines` to the transcript callback, if any.
    void trace(TranscriptLine kind, std::string_view lines) const;
    void arm(std::chrono::milliseconds timeout);
    /// Sets the outcome of every recipient still pending (not yet failed by its RCPT).
    void fail_pending(RecipientFate fate, int code, std::string_view enhanced,
                      const std::string& diagnostic);
    void fail_pending(const ServerReply& reply);
    /// Reports the result (once), then ends the session politely: QUIT.
    void finish(bool next_host);
    /// Reports the result (once), then drops the connection (timeouts, protocol errors).
    void abort(bool next_host, const std::string& diagnostic);
    void report(bool next_host);
    void close();
    Step current() const { return expected_.empty() ? step_ : expected_.front(); }
    /// "the reply to RCPT TO from mx.example.org [127.0.0.1]"
    std::string waiting_for() const;

    EventLoop* loop_;
    SessionConfig config_;
    const Outbound* message_;
    DoneCallback done_;
    std::function<void()> closed_cb_;
    std::unique_ptr<TcpClient> client_;
    TcpConnectionPtr conn_;
    ReplyParser parser_;
    Extensions extensions_;
    std::string remote_;          // "mx.example.org [127.0.0.1]"
    Step step_ = Step::kConnect;  // what we wait for when no reply is due
    std::deque<Step> expected_;   // replies due, oldest first (several with PIPELINING)
    std::size_t next_rcpt_ = 0;   // RCPTs sent
    std::size_t rcpt_replies_ = 0;
    std::vector<RecipientOutcome> outcomes_;
    std::vector<bool> accepted_;  // RCPT got a 2xx
    std::vector<bool> settled_;   // outcome final
    DotStuffer stuffer_;          // the content going out after DATA
    std::size_t data_sent_ = 0;   // content bytes stuffed and sent
    bool sending_data_ = false;
    bool tls_active_ = false;
    bool tls_tried_ = false;
    bool authenticated_ = false;
    bool tls_failed_ = false;
    bool trailing_input_ = false;  // bytes followed the reply being handled
    bool mail_failed_ = false;
    bool reused_ = false;    // a transaction after the first on this connection
    bool answered_ = false;  // a reply to this transaction came
    bool pipelining_ = false;
    bool reported_ = false;
    bool closed_ = false;
    TimerId timer_;
};

}  // namespace netius::net::smtp
