#include "net/smtp/smtp_session.hpp"

#include <spdlog/spdlog.h>

#include "net/proxy_protocol.hpp"
#include "net/smtp/command_parser.hpp"
#include "net/smtp/smtp_server.hpp"

namespace netius::net::smtp {
namespace {

// The grace a closing connection gets to take our last reply before it is dropped.
constexpr std::chrono::seconds kLingerTimeout{5};

bool is_loopback(const InetAddress& a) {
    static const AllowList kLoopback = AllowList::parse("127.0.0.0/8;::1");
    return kLoopback.allows(a.get());  // unix socket peers count as local too
}

}  // namespace

SmtpSession::SmtpSession(SmtpServer& server, const TcpConnectionPtr& conn)
    : server_(server),
      out_(server.scratch()),
      loopback_(is_loopback(conn->peer_address())),
      tls_(server.options().implicit_tls),
      remote_(conn->peer_address().is_unix() ? "127.0.0.1" : conn->peer_address().host()) {
    envelope_.tls = tls_;
}

void SmtpSession::start(const TcpConnectionPtr& conn) {
    out_.clear();
    if (server_.options().proxy_protocol) {
        wait_for(Phase::kProxy);
        return;
    }
    greet();
    flush(conn);
}

void SmtpSession::greet() {
    // RFC 5321 §4.3.1: the greeting names us; no enhanced code (RFC 2034 §3).
    out_ += "220 ";
    out_ += server_.options().hostname;
    out_ += " ESMTP netius\r\n";
    wait_for(Phase::kCommand);
}

bool SmtpSession::read_proxy_header(const TcpConnectionPtr& conn, Buffer& in) {
    ProxyResult r = parse_proxy_header(in.view());
    if (std::holds_alternative<ProxyIncomplete>(r)) return false;
    if (auto* e = std::get_if<ProxyError>(&r)) {
        spdlog::warn("{}: bad PROXY header ({}); closing", remote_, e->reason);
        in.retrieve_all();
        phase_ = Phase::kClosing;
        conn->force_close();
        return false;
    }
    auto& h = std::get<ProxyHeader>(r);
    in.retrieve(h.consumed);
    if (h.source) {
        if (!server_.options().allowed.allows(h.source->get())) {
            spdlog::warn("refusing {}: not in the allowed list", h.source->to_string());
            phase_ = Phase::kClosing;
            conn->force_close();
            return false;
        }
        remote_ = h.source->host();
        loopback_ = is_loopback(*h.source);
    }
    greet();
    return true;
}

void SmtpSession::wait_for(Phase phase) {
    phase_ = phase;
    const Limits& l = server_.options().limits;
    deadline_ = Clock::now() + (phase == Phase::kData ? l.data_timeout : l.command_timeout);
}

void SmtpSession::on_message(const TcpConnectionPtr& conn, Buffer& in) {
    out_.clear();  // the server-wide scratch: never carry another connection's bytes
    if (phase_ == Phase::kProxy && !read_proxy_header(conn, in)) return;
    process(conn, in);
    flush(conn);
}

void SmtpSession::process(const TcpConnectionPtr& conn, Buffer& in) {
    const Limits& limits = server_.options().limits;
    while (!in.empty()) {
        if (phase_ == Phase::kBusy || phase_ == Phase::kUpgrading) return;  // input waits
        if (phase_ == Phase::kClosing) {
            in.retrieve_all();  // nothing after a 221/421 is answered
            return;
        }
        if (skipping_) {
            Skip s = skip_line(in.view());
            in.retrieve(s.consumed);
            skipping_ = !s.done;
            continue;
        }
        if (phase_ == Phase::kData) {
            DataDecoder::Step step = decoder_.decode(in.view(), content_);
            in.retrieve(step.consumed);
            deadline_ = Clock::now() + limits.data_timeout;  // progress
            if (step.done) end_of_data(conn);
            continue;
        }
        const bool sasl = phase_ != Phase::kCommand;
        LineResult r = next_line(in.view(), sasl ? limits.max_auth_line : limits.max_command_line);
        if (std::holds_alternative<LineIncomplete>(r)) return;
        if (auto* tl = std::get_if<LineTooLong>(&r)) {
            in.retrieve(tl->discard);
            skipping_ = true;
            if (sasl) {
                phase_ = Phase::kCommand;  // the exchange is abandoned (RFC 4954 §4)
                error(replies::kAuthLineTooLong);
            } else {
                error(replies::kLineTooLong);
            }
            continue;
        }
        const Line line = std::get<Line>(r);
        if (sasl)
            auth_line(conn, line.line);
        else
            command(conn, line.line);
        in.retrieve(line.consumed);  // after handling: `line` points into `in`
    }
}

void SmtpSession::command(const TcpConnectionPtr& conn, std::string_view line) {
    wait_for(Phase::kCommand);
    const Command c = parse_command(line);
    switch (c.verb) {
        case Verb::kHelo:
            return helo(c, false);
        case Verb::kEhlo:
            return helo(c, true);
        case Verb::kMail:
            return mail(c);
        case Verb::kRcpt:
            return rcpt(c);
        case Verb::kData:
            return data(c);
        case Verb::kStartTls:
            return starttls(conn, c);
        case Verb::kAuth:
            return auth(conn, c);
        case Verb::kRset:
            if (!c.argument.empty()) return error(replies::kSyntax);
            reset_transaction();
            return reply(replies::kOk);
        case Verb::kNoop:  // RFC 5321 §4.1.1.9: a parameter is allowed and ignored
            return reply(replies::kOk);
        case Verb::kVrfy:
            if (c.argument.empty()) return error(replies::kSyntax);
            return reply(replies::kCannotVerify);  // §3.5.3: no user enumeration
        case Verb::kHelp:
            return help();
        case Verb::kQuit:
            if (!c.argument.empty()) return error(replies::kSyntax);
            return close_after_reply(replies::kBye);
        case Verb::kExpn:
        case Verb::kTurn:
        case Verb::kEtrn:
        case Verb::kBdat:
            return error(replies::kNotImplemented);
        case Verb::kUnknown:
            return error(replies::kUnknownCommand);
    }
}

void SmtpSession::reply(const Reply& r) {
    append_reply(out_, r);
}

void SmtpSession::error(const Reply& r) {
    append_reply(out_, r);
    if (++errors_ >= server_.options().limits.max_errors && phase_ != Phase::kClosing)
        close_after_reply(replies::kTooManyErrors);
}

void SmtpSession::close_after_reply(const Reply& r) {
    append_reply(out_, r);
    phase_ = Phase::kClosing;
    closing_after_flush_ = true;
    deadline_ = Clock::now() + kLingerTimeout;
}

void SmtpSession::reset_transaction() {
    in_transaction_ = false;
    envelope_.id.clear();
    envelope_.sender.clear();
    envelope_.recipients.clear();
    envelope_.smtputf8 = envelope_.eight_bit = false;
    declared_size_ = 0;
    std::string().swap(content_);  // an idle session holds no message memory
}

void SmtpSession::flush(const TcpConnectionPtr& conn) {
    if (!out_.empty()) {
        conn->send(out_);
        out_.clear();
    }
    if (!closing_after_flush_) {
        if (stop_when_idle_ && phase_ == Phase::kCommand && !in_transaction_) {
            close_after_reply(replies::kShuttingDown);
            flush(conn);
        }
        return;
    }
    closing_after_flush_ = false;
    conn->input().retrieve_all();
    // Everything written and nothing unread: close at once. Else half-close after the queue
    // drains, so our last reply is not destroyed by a reset (as the HTTP session does).
    if (conn->queued_bytes() == 0 && !conn->transport().has_close_handshake())
        conn->force_close();
    else
        conn->shutdown();
}

void SmtpSession::pause(const TcpConnectionPtr& conn) {
    phase_ = Phase::kBusy;
    deadline_ = Clock::now() + server_.options().limits.command_timeout;
    conn->stop_reading();
}

void SmtpSession::resume(const TcpConnectionPtr& conn) {
    if (phase_ == Phase::kBusy) wait_for(Phase::kCommand);
    if (phase_ != Phase::kClosing) conn->start_reading();  // delivers input waiting meanwhile
    flush(conn);
}

void SmtpSession::on_high_water(const TcpConnectionPtr& conn) {
    conn->stop_reading();
}

void SmtpSession::on_write_complete(const TcpConnectionPtr& conn) {
    if (phase_ == Phase::kClosing)
        deadline_ = Clock::now() + kLingerTimeout;
    else if (!conn->is_reading() && phase_ != Phase::kBusy && phase_ != Phase::kUpgrading)
        conn->start_reading();
}

void SmtpSession::close_when_idle(const TcpConnectionPtr& conn) {
    stop_when_idle_ = true;
    if (phase_ != Phase::kCommand || in_transaction_) return;
    out_.clear();
    close_after_reply(replies::kShuttingDown);
    flush(conn);
}

void SmtpSession::check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) {
    const std::size_t queued = conn->queued_bytes();
    if (queued == 0) {
        last_queued_ = 0;
    } else if (queued != last_queued_) {
        last_queued_ = queued;
        write_deadline_ = now + server_.options().limits.write_timeout;
    } else if (now > write_deadline_) {
        spdlog::debug("{}: write timeout", remote_);
        conn->force_close();
        return;
    }
    if (now <= deadline_) return;
    switch (phase_) {
        case Phase::kBusy:  // our own work: the sink or authenticator answers in time
            deadline_ = now + server_.options().limits.command_timeout;
            return;
        case Phase::kProxy:
        case Phase::kUpgrading:
        case Phase::kClosing:
            conn->force_close();
            return;
        default:  // RFC 5321 §4.5.3.2.7: say so, then close
            spdlog::debug("{}: timeout", remote_);
            out_.clear();
            close_after_reply(replies::kTimeout);
            flush(conn);
    }
}

}  // namespace netius::net::smtp
