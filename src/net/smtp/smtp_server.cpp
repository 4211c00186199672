#include "net/smtp/smtp_server.hpp"

#include <spdlog/spdlog.h>

#include <any>
#include <ctime>
#include <random>

#include "net/event_loop.hpp"
#include "net/proxy_first_transport.hpp"
#include "net/smtp/smtp_session.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::smtp {
namespace {

using SessionPtr = std::shared_ptr<SmtpSession>;

}  // namespace

SmtpSession* session_of(const TcpConnectionPtr& conn) {
    return conn->context<SmtpSession>();
}

SmtpServer::SmtpServer(EventLoop* loop, const InetAddress& address, SmtpServerOptions options,
                       MessageSink& sink, Authenticator* auth)
    : loop_(loop),
      options_(std::move(options)),
      sink_(sink),
      auth_(auth),
      tcp_(loop, address, options_.tcp) {
    init();
}

SmtpServer::SmtpServer(EventLoop* loop, UniqueFd listening_fd, SmtpServerOptions options,
                       MessageSink& sink, Authenticator* auth)
    : loop_(loop),
      options_(std::move(options)),
      sink_(sink),
      auth_(auth),
      tcp_(loop, std::move(listening_fd), options_.tcp) {
    init();
}

SmtpServer::~SmtpServer() {
    loop_->cancel(sweep_timer_);
    loop_->cancel(shutdown_timer_);
}

void SmtpServer::init() {
    if (!options_.access_log.empty()) access_log_ = std::make_unique<LogFile>(options_.access_log);
    std::random_device seed;
    id_state_ = (static_cast<std::uint64_t>(seed()) << 32) ^ seed();
    if (options_.implicit_tls && options_.tls) {
        TransportFactory tls = make_tls_server_factory(options_.tls);
        // A balancer sends the PROXY header before the TLS ClientHello.
        tcp_.set_transport_factory(options_.proxy_protocol ? proxy_header_first(std::move(tls))
                                                           : std::move(tls));
    }
    tcp_.set_connection_callback([this](const TcpConnectionPtr& c) { on_connection(c); });
    tcp_.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
        if (SmtpSession* s = session_of(c))
            s->on_message(c, in);
        else
            in.retrieve_all();
    });
    tcp_.set_high_water_mark_callback([](const TcpConnectionPtr& c, std::size_t) {
        if (SmtpSession* s = session_of(c)) s->on_high_water(c);
    });
    tcp_.set_write_complete_callback([](const TcpConnectionPtr& c) {
        if (SmtpSession* s = session_of(c)) s->on_write_complete(c);
    });
}

void SmtpServer::start() {
    if (!sweep_timer_)
        sweep_timer_ = loop_->run_every(std::chrono::seconds(1), [this] { sweep(); });
    tcp_.start();
}

void SmtpServer::on_connection(const TcpConnectionPtr& conn) {
    if (!conn->connected()) return;  // down: the session dies with the connection
    if (!options_.proxy_protocol && !options_.allowed.allows(conn->peer_address().get())) {
        spdlog::warn("refusing {}: not in the allowed list", conn->peer_address().to_string());
        conn->force_close();
        return;
    }
    // Unconsumed input is at most a partial line (or what arrived while a message was being
    // stored: one read's worth); this only catches what the session's own limits cannot.
    conn->set_input_limit(options_.limits.max_auth_line + (1u << 20));
    auto session = std::make_shared<SmtpSession>(*this, conn);
    conn->set_context(session);  // read back by session_of()
    if (stopping_) {
        session->close_when_idle(conn);
        return;
    }
    session->start(conn);
}

std::string SmtpServer::next_id() {
    // splitmix64: ids are unique per process and not guessable across restarts.
    std::uint64_t z = (id_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return fmt::format("{:016X}", z ^ (z >> 31));
}

void SmtpServer::sweep() {
    const auto now = Clock::now();
    const auto handshake_timeout = options_.limits.command_timeout;
    tcp_.for_each_connection([now, handshake_timeout](const TcpConnectionPtr& c) {
        if (SmtpSession* s = session_of(c)) {
            s->check_timeouts(c, now);
        } else if (c->state() == TcpConnection::State::Connecting &&
                   now - c->created() > handshake_timeout) {
            c->force_close();  // an implicit-TLS handshake that never finishes
        }
    });
    if (access_log_) access_log_->flush();
}

void SmtpServer::reopen_access_log() {
    if (access_log_) access_log_->reopen();
}

void SmtpServer::log_transaction(const Envelope& e, int code, std::uint64_t bytes) {
    if (!access_log_) return;
    std::string& o = access_log_->pending();
    append_escaped_field(o, e.client);
    o += " - ";
    append_escaped_field(o, e.auth_user.empty() ? "-" : e.auth_user);
    o += ' ';
    o += access_log_->stamp(std::time(nullptr));
    o += " \"DATA <";
    append_escaped_field(o, e.sender);
    o += "> ";
    for (std::size_t i = 0; i < e.recipients.size(); ++i) {
        o += i ? ",<" : "<";
        append_escaped_field(o, e.recipients[i]);
        o += '>';
    }
    o += fmt::format("\" {} {} \"", code, bytes);
    append_escaped_field(o, e.id.empty() ? "-" : e.id);
    o += "\" \"";
    append_escaped_field(o, e.helo);
    o += "\"\n";
    access_log_->written();
}

void SmtpServer::shutdown(std::chrono::milliseconds timeout, std::function<void()> done) {
    stopping_ = true;
    auto finish = std::make_shared<std::function<void()>>(std::move(done));
    tcp_.stop_accepting([this, finish] {
        loop_->cancel(shutdown_timer_);
        if (access_log_) access_log_->flush();
        if (*finish) (*finish)();
    });
    tcp_.for_each_connection([](const TcpConnectionPtr& c) {
        if (SmtpSession* s = session_of(c)) s->close_when_idle(c);
    });
    loop_->cancel(shutdown_timer_);  // a second signal restarts the grace period
    shutdown_timer_ = loop_->run_after(timeout, [this] {
        spdlog::warn("shutdown timeout: closing {} connection(s)", tcp_.connection_count());
        tcp_.for_each_connection([](const TcpConnectionPtr& c) { c->force_close(); });
    });
}

}  // namespace netius::net::smtp
