// SmtpSession's command handlers (RFC 5321 §4.1.1 and the ESMTP extensions); the framing,
// dispatch and connection handling are in smtp_session.cpp.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>

#include "net/event_loop.hpp"
#include "net/smtp/command_parser.hpp"
#include "net/smtp/sasl.hpp"
#include "net/smtp/smtp_server.hpp"
#include "net/smtp/smtp_session.hpp"
#include "net/tls_transport.hpp"
#include "util/ascii.hpp"

namespace netius::net::smtp {

// A callback for the sink/authenticator/timer: runs `f(conn)` on the loop if the connection
// and this session still exist then (they capture weak pointers only).
template <typename F>
auto SmtpSession::on_loop(const TcpConnectionPtr& conn, F f) {
    return [weak_conn = std::weak_ptr<TcpConnection>(conn), weak_self = weak_from_this(),
            f = std::move(f)](auto... args) {
        auto c = weak_conn.lock();
        auto self = weak_self.lock();
        if (!c || !self || c->disconnected()) return;
        f(*self, c, args...);  // may run inside process() (a synchronous result): no clear()
    };
}

bool SmtpSession::auth_offered() const {
    return server_.authenticator() && (tls_ || loopback_ || server_.options().allow_plain_auth);
}

void SmtpSession::helo(const Command& c, bool extended) {
    if (!valid_helo(c.argument)) return error(replies::kSyntax);
    // RFC 5321 §4.1.4: HELO/EHLO may come again at any time and resets the transaction.
    reset_transaction();
    envelope_.helo = std::string(c.argument);
    envelope_.esmtp = extended;
    const SmtpServerOptions& o = server_.options();
    if (!extended) {
        out_ += "250 " + o.hostname + "\r\n";
        return;
    }
    std::vector<std::string> lines{o.hostname + " greets " + envelope_.helo,
                                   "PIPELINING",
                                   "SIZE " + std::to_string(o.limits.max_message_bytes),
                                   "8BITMIME",
                                   "SMTPUTF8",
                                   "ENHANCEDSTATUSCODES"};
    if (o.tls && !tls_) lines.emplace_back("STARTTLS");
    if (auth_offered() && envelope_.auth_user.empty()) lines.emplace_back("AUTH PLAIN LOGIN");
    lines.emplace_back("HELP");
    append_multiline(out_, 250, lines);
}

void SmtpSession::help() {
    append_multiline(out_, 214,
                     {"2.0.0 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT"
                      " STARTTLS AUTH",
                      "2.0.0 See RFC 5321"});
}

void SmtpSession::mail(const Command& c) {
    if (envelope_.helo.empty()) return error(replies::kHeloFirst);
    if (in_transaction_) return error(replies::kNestedMail);
    if (server_.options().require_auth && envelope_.auth_user.empty())
        return error(replies::kAuthRequired);
    auto parsed = parse_mail(c.argument);
    if (auto* e = std::get_if<PathError>(&parsed)) {
        return error(*e == PathError::kSyntax       ? replies::kSyntax
                     : *e == PathError::kBadAddress ? replies::kBadSender
                                                    : replies::kBadParameter);
    }
    const MailFrom& m = std::get<MailFrom>(parsed);
    if (m.non_ascii && !m.smtputf8) return error(replies::kNeedsSmtpUtf8);
    // RFC 1870 §6.3: a declared size over the limit is refused at once.
    if (m.size && *m.size > server_.options().limits.max_message_bytes)
        return error(replies::kMessageTooBig);
    envelope_.client = remote_;  // for the sink's relay policy (RCPT) as well
    if (auto refusal = server_.sink().check_sender(envelope_, m.address)) return error(*refusal);
    in_transaction_ = true;
    envelope_.sender = std::string(m.address);
    envelope_.smtputf8 = m.smtputf8;
    envelope_.eight_bit = m.body == Body::k8BitMime;
    declared_size_ = m.size.value_or(0);
    reply(replies::kSenderOk);
}

void SmtpSession::rcpt(const Command& c) {
    if (!in_transaction_) return error(replies::kMailFirst);
    auto parsed = parse_rcpt(c.argument);
    if (auto* e = std::get_if<PathError>(&parsed)) {
        return error(*e == PathError::kSyntax       ? replies::kSyntax
                     : *e == PathError::kBadAddress ? replies::kBadRecipient
                                                    : replies::kBadParameter);
    }
    const RcptTo& r = std::get<RcptTo>(parsed);
    if (r.non_ascii && !envelope_.smtputf8) return error(replies::kNeedsSmtpUtf8);
    // RFC 5321 §4.5.3.1.10: too many recipients is a temporary failure, not an error.
    if (envelope_.recipients.size() >= server_.options().limits.max_recipients)
        return reply(replies::kTooManyRecipients);
    if (auto refusal = server_.sink().check_recipient(envelope_, r.address)) return error(*refusal);
    envelope_.recipients.emplace_back(r.address);
    reply(replies::kRecipientOk);
}

void SmtpSession::data(const Command& c) {
    if (!c.argument.empty()) return error(replies::kSyntax);
    if (!in_transaction_) return error(replies::kMailFirst);
    if (envelope_.recipients.empty()) return error(replies::kRcptFirst);
    reply(replies::kStartData);
    content_.clear();
    const std::uint64_t max = server_.options().limits.max_message_bytes;
    // SIZE= is a hint, not a promise: reserve for it only up to a bound, so sessions that
    // declare large messages and send nothing cannot make us hold memory for them.
    constexpr std::uint64_t kMaxReserve = 1u << 20;
    if (declared_size_ > 0 && declared_size_ <= max)
        content_.reserve(static_cast<std::size_t>(std::min(declared_size_, kMaxReserve)));
    decoder_.reset(max);
    wait_for(Phase::kData);
}

std::string SmtpSession::trace_field() const {
    // RFC 5321 §4.4 time stamp line; "with" per RFC 3848 (ESMTP, ESMTPS, ESMTPA, ESMTPSA).
    // RFC 6531 §3.7.3: UTF8SMTP[S][A] when the transaction used SMTPUTF8.
    std::string with = envelope_.smtputf8 ? "UTF8SMTP" : envelope_.esmtp ? "ESMTP" : "SMTP";
    if (envelope_.esmtp && envelope_.tls) with += "S";
    if (envelope_.esmtp && !envelope_.auth_user.empty()) with += "A";
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string field = "Received: from " + envelope_.helo + " ([" + envelope_.client +
                        "])\r\n\tby " + server_.options().hostname + " (netius) with " + with +
                        " id " + envelope_.id;
    if (envelope_.recipients.size() == 1) field += "\r\n\tfor <" + envelope_.recipients[0] + ">";
    return field + "; " + date + "\r\n";
}

void SmtpSession::end_of_data(const TcpConnectionPtr& conn) {
    envelope_.client = remote_;
    if (decoder_.overflow()) {
        server_.log_transaction(envelope_, replies::kMessageTooBig.code, decoder_.size());
        reset_transaction();
        wait_for(Phase::kCommand);
        return error(replies::kMessageTooBig);
    }
    envelope_.id = server_.next_id();
    std::string trace = trace_field();
    pause(conn);
    server_.sink().deliver(envelope_, std::move(trace), std::move(content_),
                           on_loop(conn, [](SmtpSession& s, const TcpConnectionPtr& c,
                                            DeliveryStatus st) { s.delivered(c, st); }));
}

void SmtpSession::delivered(const TcpConnectionPtr& conn, DeliveryStatus status) {
    server_.log_transaction(envelope_,
                            status == DeliveryStatus::kStored        ? replies::kQueued.code
                            : status == DeliveryStatus::kStorageFull ? replies::kStorageFull.code
                                                                     : replies::kStorageFailed.code,
                            decoder_.size());
    switch (status) {
        case DeliveryStatus::kStored:
            spdlog::info("{}: stored {} from <{}> for {} recipient(s), {} bytes", remote_,
                         envelope_.id, envelope_.sender, envelope_.recipients.size(),
                         decoder_.size());
            append_reply(out_, replies::kQueued, envelope_.id);
            break;
        case DeliveryStatus::kFailed:
            reply(replies::kStorageFailed);
            break;
        case DeliveryStatus::kStorageFull:
            reply(replies::kStorageFull);
            break;
    }
    reset_transaction();
    resume(conn);
}

void SmtpSession::starttls(const TcpConnectionPtr& conn, const Command& c) {
    if (!c.argument.empty()) return error(replies::kSyntax);
    if (tls_) return error(replies::kAlreadyTls);
    const auto& ctx = server_.options().tls;
    if (!ctx) return reply(replies::kTlsUnavailable);
    reply(replies::kStartTls);
    flush(conn);
    // RFC 3207 §4.2: everything the client sent after STARTTLS in the clear is discarded
    // (CVE-2011-0411 command injection); the session starts over (§4.2: forget HELO, AUTH).
    conn->input().retrieve_all();
    reset_transaction();
    envelope_.helo.clear();
    envelope_.auth_user.clear();
    phase_ = Phase::kUpgrading;
    deadline_ = Clock::now() + server_.options().limits.command_timeout;
    conn->upgrade_transport(
        TlsTransport::accept(ctx, conn->fd()),
        on_loop(conn, [](SmtpSession& s, const TcpConnectionPtr&, const TcpConnectionPtr&) {
            s.tls_ = s.envelope_.tls = true;
            s.wait_for(Phase::kCommand);
        }));
}

void SmtpSession::auth(const TcpConnectionPtr& conn, const Command& c) {
    if (!server_.authenticator()) return error(replies::kNotImplemented);
    if (envelope_.helo.empty() || !envelope_.esmtp) return error(replies::kHeloFirst);
    if (!envelope_.auth_user.empty()) return error(replies::kAlreadyAuthenticated);
    if (in_transaction_) return error(replies::kBadSequence);  // RFC 4954 §4
    if (!auth_offered()) return error(replies::kEncryptionRequired);
    const std::size_t sp = c.argument.find(' ');
    const std::string_view mechanism = c.argument.substr(0, sp);
    const std::string_view initial =
        sp == std::string_view::npos ? std::string_view() : c.argument.substr(sp + 1);
    if (iequals(mechanism, "PLAIN")) {
        if (initial.empty()) {
            out_ += "334 \r\n";
            phase_ = Phase::kAuthPlain;
            return;
        }
        phase_ = Phase::kAuthPlain;
        return auth_line(conn, initial);
    }
    if (iequals(mechanism, "LOGIN")) {
        phase_ = Phase::kAuthLoginUser;
        if (!initial.empty()) return auth_line(conn, initial);
        out_ += "334 " + std::string(kLoginUserPrompt) + "\r\n";
        return;
    }
    if (mechanism.empty()) return error(replies::kSyntax);
    error(replies::kUnknownMechanism);
}

void SmtpSession::auth_line(const TcpConnectionPtr& conn, std::string_view line) {
    const Phase step = phase_;
    wait_for(Phase::kCommand);
    Credentials cred;
    SaslStatus st;
    if (step == Phase::kAuthPlain) {
        st = decode_plain(line, cred);
    } else {
        std::string value;
        st = decode_response(line, value);
        if (st == SaslStatus::kOk && step == Phase::kAuthLoginUser) {
            if (value.empty()) return error(replies::kAuthFailed);
            login_user_ = std::move(value);
            phase_ = Phase::kAuthLoginPassword;
            out_ += "334 " + std::string(kLoginPasswordPrompt) + "\r\n";
            return;
        }
        cred.user = std::exchange(login_user_, {});
        cred.password = std::move(value);
    }
    switch (st) {
        case SaslStatus::kCancelled:
            return error(replies::kAuthCancelled);
        case SaslStatus::kBadBase64:
            return error(replies::kBadBase64);
        case SaslStatus::kBadMessage:
            pause(conn);
            return auth_done(conn, AuthStatus::kFailed);
        case SaslStatus::kOk:
            return verify_credentials(conn, std::move(cred.user), std::move(cred.password));
    }
}

void SmtpSession::verify_credentials(const TcpConnectionPtr& conn, std::string user,
                                     std::string password) {
    pause(conn);
    login_user_ = user;  // kept for the 235's log line
    server_.authenticator()->verify(std::move(user), std::move(password),
                                    on_loop(conn, [](SmtpSession& s, const TcpConnectionPtr& c,
                                                     AuthStatus st) { s.auth_done(c, st); }));
}

void SmtpSession::auth_done(const TcpConnectionPtr& conn, AuthStatus status) {
    std::string user = std::exchange(login_user_, {});
    if (status == AuthStatus::kOk) {
        spdlog::info("{}: authenticated as {}", remote_, user);
        envelope_.auth_user = std::move(user);
        reply(replies::kAuthOk);
        return resume(conn);
    }
    if (status == AuthStatus::kBusy) {
        reply(replies::kAuthTemporary);
        return resume(conn);
    }
    // RFC 4954 §4: 535; after a delay that makes guessing slow. The session stays paused.
    spdlog::info("{}: authentication failed for '{}'", remote_, user);
    server_.loop()->run_after(server_.options().limits.auth_failure_delay,
                              on_loop(conn, [](SmtpSession& s, const TcpConnectionPtr& c) {
                                  s.error(replies::kAuthFailed);
                                  s.resume(c);
                              }));
}

}  // namespace netius::net::smtp
