#include "net/smtp/client/client_session.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "crypto/encoding.hpp"
#include "net/event_loop.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::smtp {
namespace {

// A reply is at most 100 lines of 2 KiB; the rest of the input limit is slack.
constexpr std::size_t kInputLimit = 1u << 20;

bool positive(const ServerReply& r) {
    return r.code / 100 == 2;
}

}  // namespace

ClientSession::ClientSession(EventLoop* loop, SessionConfig config, const Outbound& message,
                             DoneCallback done, std::function<void()> closed)
    : loop_(loop),
      config_(std::move(config)),
      message_(&message),
      done_(std::move(done)),
      closed_cb_(std::move(closed)),
      remote_(config_.host) {
    reset(message);
    TcpClientOptions tcp;
    tcp.connect_timeout = config_.connect_timeout;
    tcp.input_limit = kInputLimit;
    client_ = std::make_unique<TcpClient>(loop, config_.addresses, tcp);
    if (config_.implicit_tls && config_.tls) {  // RFC 8314 §3.3: the handshake comes first
        client_->set_transport_factory(make_tls_client_factory(config_.tls, config_.host));
        tls_tried_ = true;
    }
    // Raw `this`: the TcpClient is ours and dies first (see the destructor).
    client_->set_connection_callback([this](const TcpConnectionPtr& c) { on_connection(c); });
    client_->set_message_callback(
        [this](const TcpConnectionPtr& c, Buffer& in) { on_message(c, in); });
    client_->set_connect_failed_callback(
        [this](const ClientConnectFailure& f) { on_connect_failed(f); });
    client_->set_write_complete_callback([this](const TcpConnectionPtr&) {
        if (!closed_) send_data_pieces();
    });
}

ClientSession::~ClientSession() {
    closed_ = true;  // the TcpClient's last "down" callback must find nothing to do
    loop_->cancel(timer_);
    client_.reset();
}

void ClientSession::start() {
    client_->connect();
}

void ClientSession::reset(const Outbound& message) {
    message_ = &message;
    const std::size_t n = message.recipients.size();
    outcomes_.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) outcomes_[i].recipient = message.recipients[i];
    accepted_.assign(n, false);
    settled_.assign(n, false);
    next_rcpt_ = rcpt_replies_ = 0;
    mail_failed_ = answered_ = reported_ = false;
    stuffer_ = {};
    data_sent_ = 0;
    sending_data_ = false;
}

void ClientSession::next(const Outbound& message, DoneCallback done) {
    reset(message);
    done_ = std::move(done);
    reused_ = true;
    expected_.clear();
    begin_transaction();
}

void ClientSession::end_transaction() {
    if (config_.idle_timeout.count() <= 0) return finish(false);
    report(false);
    if (closed_ || !conn_ || !conn_->connected()) return close();
    step_ = Step::kIdle;
    arm(config_.idle_timeout);
}

void ClientSession::on_connect_failed(const ClientConnectFailure& failure) {
    if (closed_) return;
    tls_failed_ = failure.handshake;
    const std::string why =
        failure.handshake
            ? fmt::format("TLS handshake with {} failed: {}", config_.host, failure.message)
            : fmt::format("cannot connect to {}: {}", config_.host, failure.message);
    trace(TranscriptLine::kInfo, why + "\r\n");
    fail_pending(RecipientFate::kTransient, 0, {}, why);
    report(true);
    close();
}

void ClientSession::on_connection(const TcpConnectionPtr& conn) {
    if (closed_) return;
    if (conn->connected()) {
        conn_ = conn;
        remote_ = fmt::format("{} [{}]", config_.host, conn->peer_address().host());
        trace(TranscriptLine::kInfo,
              fmt::format("Connected to {} port {}\r\n", remote_, conn->peer_address().port()));
        if (config_.implicit_tls && config_.tls) {  // the handshake is done
            tls_active_ = true;
            trace(TranscriptLine::kInfo, "TLS started\r\n");
        }
        expected_.push_back(Step::kGreeting);
        arm(config_.command_timeout);
        return;
    }
    trace(TranscriptLine::kInfo, "Connection closed\r\n");
    if (!reported_) {
        tls_failed_ = current() == Step::kHandshake;
        std::string why = conn->error().empty() ? "" : ": " + conn->error();
        fail_pending(
            RecipientFate::kTransient, 0, {},
            current() == Step::kHandshake
                ? fmt::format("TLS handshake with {} failed{}", remote_, why)
                : fmt::format("connection lost while waiting for {}{}", waiting_for(), why));
        report(current() < Step::kMail);
    }
    close();
}

void ClientSession::on_message(const TcpConnectionPtr&, Buffer& in) {
    while (!closed_ && conn_ && conn_->connected()) {
        ServerReply reply;
        ReplyResult r = parser_.parse(in.view(), reply);
        if (is_incomplete(r)) return;
        if (const auto* e = std::get_if<ReplyError>(&r)) {
            abort(current() < Step::kMail, fmt::format("malformed reply ({}) while waiting for {}",
                                                       e->reason, waiting_for()));
            return;
        }
        const std::size_t consumed = std::get<ReplyComplete>(r).consumed;
        trailing_input_ = in.readable_bytes() > consumed;
        trace(TranscriptLine::kServer, in.view().substr(0, consumed));
        if (!expected_.empty()) {
            step_ = expected_.front();
            expected_.pop_front();
            on_reply(reply);
        }  // else an unsolicited reply (e.g. 421 before closing): the close reports it
        in.retrieve(consumed);
    }
}

void ClientSession::on_timeout() {
    timer_ = {};
    if (closed_) return;
    if (current() == Step::kIdle) {  // nothing more to send: end politely
        expected_.clear();
        return command("QUIT", Step::kQuit);
    }
    if (current() == Step::kQuit || reported_) {
        close();
        return;
    }
    abort(current() < Step::kMail, fmt::format("timed out waiting for {}", waiting_for()));
}

void ClientSession::on_reply(const ServerReply& reply) {
    spdlog::debug("smtp client: {} answered {}", remote_, describe(reply));
    switch (step_) {
        case Step::kGreeting:
            if (!positive(reply)) break;
            return command("EHLO " + config_.helo_name, Step::kEhlo);
        case Step::kEhlo:
            if (positive(reply)) {
                extensions_ = parse_ehlo(reply);
                return after_ehlo();
            }
            if (reply.code / 100 == 5 && !tls_active_)  // RFC 5321 §3.2: fall back to HELO
                return command("HELO " + config_.helo_name, Step::kHelo);
            break;
        case Step::kHelo:
            if (!positive(reply)) break;
            extensions_ = {};
            return after_ehlo();
        case Step::kStartTls:
            if (positive(reply)) {
                if (trailing_input_)  // bytes injected before the handshake (CVE-2011-0411)
                    return abort(true,
                                 fmt::format("{} sent data after its STARTTLS reply", remote_));
                return start_tls();
            }
            if (!config_.require_tls) return after_ehlo();  // carry on in clear
            fail_pending(RecipientFate::kTransient, reply.code, reply.enhanced,
                         fmt::format("STARTTLS refused by {}: {}", remote_, describe(reply)));
            return finish(true);
        case Step::kAuth:
        case Step::kAuthUser:
        case Step::kAuthPassword:
            return on_auth(reply);
        case Step::kMail:
        case Step::kRcpt:
        case Step::kData:
        case Step::kDataEnd:
        case Step::kAbortedData:
            return on_transaction_reply(step_, reply);
        case Step::kQuit:
            return close();
        default:
            return;
    }
    // A refusal before the transaction: the next host may do better.
    fail_pending(reply);
    finish(true);
}

void ClientSession::after_ehlo() {
    if (!tls_active_ && !tls_tried_ && config_.tls) {
        if (extensions_.starttls) {
            tls_tried_ = true;
            return command("STARTTLS", Step::kStartTls);
        }
        if (config_.require_tls) {
            fail_pending(RecipientFate::kTransient, 0, {},
                         fmt::format("{} does not offer STARTTLS, which is required", remote_));
            return finish(true);
        }
    }
    if (!config_.user.empty() && !authenticated_) return authenticate();
    begin_transaction();
}

void ClientSession::start_tls() {
    step_ = Step::kHandshake;
    arm(config_.command_timeout);
    conn_->upgrade_transport(TlsTransport::connect(config_.tls, conn_->fd(), config_.host),
                             [this](const TcpConnectionPtr&) {
                                 if (closed_) return;
                                 tls_active_ = true;
                                 trace(TranscriptLine::kInfo, "TLS started\r\n");
                                 extensions_ = {};  // RFC 3207 §4.2: forget what was said
                                 command("EHLO " + config_.helo_name, Step::kEhlo);
                             });
}

void ClientSession::authenticate() {
    if (!tls_active_) {
        fail_pending(
            RecipientFate::kTransient, 0, {},
            fmt::format("{} offers no STARTTLS: the password is not sent in clear", remote_));
        return finish(true);
    }
    if (extensions_.auth_plain) {
        std::string message = '\0' + config_.user + '\0' + config_.password;  // RFC 4616 §2
        return command("AUTH PLAIN " + crypto::base64_encode(message), Step::kAuth,
                       "AUTH PLAIN ****");
    }
    if (extensions_.auth_login) return command("AUTH LOGIN", Step::kAuthUser);
    fail_pending(RecipientFate::kTransient, 0, {},
                 fmt::format("{} offers neither AUTH PLAIN nor AUTH LOGIN", remote_));
    finish(true);
}

void ClientSession::on_auth(const ServerReply& reply) {
    if (step_ == Step::kAuth && positive(reply)) {
        authenticated_ = true;
        return begin_transaction();
    }
    if (step_ != Step::kAuth && reply.code == 334)
        return command(
            crypto::base64_encode(step_ == Step::kAuthUser ? config_.user : config_.password),
            step_ == Step::kAuthUser ? Step::kAuthPassword : Step::kAuth, "****");
    // A refused login is our configuration's fault, not the message's: retry later.
    fail_pending(RecipientFate::kTransient, reply.code, reply.enhanced,
                 fmt::format("authentication failed: {}", describe(reply)));
    finish(true);
}

RecipientFate fate_of_code(int code) {
    if (code / 100 == 2) return RecipientFate::kDelivered;
    if (code / 100 == 5) return RecipientFate::kPermanent;
    return RecipientFate::kTransient;  // 4xx, and a 3xx where none belongs
}

void ClientSession::command(std::string line, Step step, std::string_view shown) {
    if (config_.transcript)
        config_.transcript(TranscriptLine::kClient, shown.empty() ? line : shown);
    line += "\r\n";
    expected_.push_back(step);
    arm(config_.command_timeout);
    conn_->send(line);
}

void ClientSession::trace(TranscriptLine kind, std::string_view lines) const {
    if (!config_.transcript) return;
    while (!lines.empty()) {
        const std::size_t end = lines.find("\r\n");
        config_.transcript(kind, lines.substr(0, end));
        if (end == std::string_view::npos) break;
        lines.remove_prefix(end + 2);
    }
}

void ClientSession::arm(std::chrono::milliseconds timeout) {
    loop_->cancel(timer_);
    timer_ = loop_->run_after(timeout, [this] { on_timeout(); });
}

void ClientSession::fail_pending(RecipientFate fate, int code, std::string_view enhanced,
                                 const std::string& diagnostic) {
    for (std::size_t i = 0; i < outcomes_.size(); ++i) {
        if (settled_[i]) continue;
        RecipientOutcome& o = outcomes_[i];
        o.fate = fate;
        o.code = code;
        o.enhanced = std::string(enhanced);
        o.diagnostic = diagnostic;
        o.remote = code != 0 ? remote_ : "";
        settled_[i] = true;
    }
}

void ClientSession::fail_pending(const ServerReply& reply) {
    fail_pending(fate_of_code(reply.code), reply.code, reply.enhanced, describe(reply));
}

void ClientSession::report(bool next_host) {
    if (reported_) return;
    reported_ = true;
    if (reused_ && !answered_)
        next_host = true;  // the idle connection was gone: not the message's fault
    fail_pending(RecipientFate::kTransient, 0, {},
                 fmt::format("no outcome from {}", remote_));  // never expected: a safety net
    if (auto done = std::move(done_)) done(SessionResult{outcomes_, next_host, tls_failed_});
}

void ClientSession::finish(bool next_host) {
    report(next_host);
    if (closed_) return;
    if (!conn_ || !conn_->connected()) return close();
    expected_.clear();
    command("QUIT", Step::kQuit);
}

void ClientSession::abort(bool next_host, const std::string& diagnostic) {
    fail_pending(RecipientFate::kTransient, 0, {}, diagnostic);
    report(next_host);
    close();
}

void ClientSession::close() {
    if (closed_) return;
    closed_ = true;
    loop_->cancel(timer_);
    timer_ = {};
    conn_.reset();
    client_->stop();
    if (auto cb = std::move(closed_cb_)) cb();
}

std::string ClientSession::waiting_for() const {
    const char* what = "";
    switch (current()) {
        case Step::kConnect:
            what = "the connection";
            break;
        case Step::kGreeting:
            what = "the greeting";
            break;
        case Step::kEhlo:
            what = "the reply to EHLO";
            break;
        case Step::kHelo:
            what = "the reply to HELO";
            break;
        case Step::kStartTls:
            what = "the reply to STARTTLS";
            break;
        case Step::kHandshake:
            what = "the TLS handshake";
            break;
        case Step::kAuth:
        case Step::kAuthUser:
        case Step::kAuthPassword:
            what = "the reply to AUTH";
            break;
        case Step::kMail:
            what = "the reply to MAIL FROM";
            break;
        case Step::kRcpt:
            what = "the reply to RCPT TO";
            break;
        case Step::kData:
            what = "the reply to DATA";
            break;
        case Step::kDataEnd:
        case Step::kAbortedData:
            what = "the reply to the end of data";
            break;
        case Step::kIdle:
            what = "the next message";
            break;
        case Step::kQuit:
            what = "the reply to QUIT";
            break;
    }
    return fmt::format("{} from {}", what, remote_);
}

}  // namespace netius::net::smtp
