#include "net/http/server/http_server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <any>
#include <cstdint>

#include "net/block_pool.hpp"
#include "net/coarse_clock.hpp"
#include "net/event_loop.hpp"
#include "net/http/h1/http_session.hpp"
#include "net/http/h2/http2_session.hpp"

namespace netius::net::http {
namespace {

ServerSession* session_of(const TcpConnectionPtr& conn) {
    return ServerSession::of(conn);
}

}  // namespace

std::optional<ResponseEncoding> parse_response_encoding(std::string_view name) {
    if (name == "plain") return ResponseEncoding::kPlain;
    if (name == "chunked") return ResponseEncoding::kChunked;
    if (name == "gzip") return ResponseEncoding::kGzip;
    if (name == "deflate") return ResponseEncoding::kDeflate;
    return std::nullopt;
}

HttpServer::HttpServer(EventLoop* loop, const InetAddress& address, HttpServerOptions options,
                       Handler handler)
    : loop_(loop),
      options_(std::move(options)),
      handler_(std::move(handler)),
      tcp_(loop, address, options_.tcp) {
    init();
}

HttpServer::HttpServer(EventLoop* loop, UniqueFd listening_fd, HttpServerOptions options,
                       Handler handler)
    : loop_(loop),
      options_(std::move(options)),
      handler_(std::move(handler)),
      tcp_(loop, std::move(listening_fd), options_.tcp) {
    init();
}

HttpServer::~HttpServer() {
    loop_->cancel(sweep_timer_);
    loop_->cancel(shutdown_timer_);
    loop_->cancel(idle_close_timer_);
    if (access_log_) access_log_->flush();
}

void HttpServer::init() {
    // A body is held in the input until it is complete; chunked framing can double its size.
    // With no body limit (max_body_bytes 0) the input is not bounded here either: a streamed
    // body only ever fills its reader's window, a held one is what the user allowed.
    const Limits& limits = options_.limits;
    const std::uint64_t body = limits.body_limit();
    const std::uint64_t slack = limits.max_head_bytes + 64 * 1024;
    input_limit_ =
        body > (SIZE_MAX - slack) / 2 ? SIZE_MAX : static_cast<std::size_t>(slack + 2 * body);
    if (!options_.access_log.empty())
        access_log_ = std::make_unique<AccessLog>(options_.access_log);
    if (options_.transport) tcp_.set_transport_factory(options_.transport);
    tcp_.set_connection_callback([this](const TcpConnectionPtr& c) { on_connection(c); });
    tcp_.set_message_callback([this](const TcpConnectionPtr& c, Buffer& in) {
        ServerSession* s = session_of(c);
        if (!s && !(s = wake(c))) return;
        s->on_message(c, in);
        if (s->wants_http2()) {  // the HTTP/1.1 session found the h2 preface
            start_http2(c, s->take_proxied(), false);
            if ((s = session_of(c))) s->on_message(c, in);
        }
    });
    tcp_.set_high_water_mark_callback([](const TcpConnectionPtr& c, std::size_t) {
        if (ServerSession* s = session_of(c)) s->on_high_water(c);
    });
    tcp_.set_write_complete_callback([this](const TcpConnectionPtr& c) {
        if (ServerSession* s = session_of(c)) {
            s->on_write_complete(c);
            rest_if_idle(c, session_of(c));
        }
    });
}

void HttpServer::start() {
    if (!sweep_timer_)
        sweep_timer_ = loop_->run_every(std::chrono::seconds(1), [this] { sweep(); });
    tcp_.start();
}

void HttpServer::on_connection(const TcpConnectionPtr& conn) {
    if (!conn->connected()) {  // down: the session dies with the connection
        if (ServerSession* s = session_of(conn)) s->on_disconnect();
        return;
    }
    // Behind a PROXY-protocol balancer the allow-list applies to the client it names.
    if (!options_.proxy_protocol && !options_.allowed.allows(conn->peer_address().get())) {
        spdlog::warn("refusing {}: not in the allowed list", conn->peer_address().to_string());
        conn->force_close();
        return;
    }
    conn->set_input_limit(input_limit_);
    if (options_.http2.enabled && conn->transport().alpn() == "h2") {
        start_http2(conn, nullptr, options_.proxy_protocol);
        return;
    }
    // HTTP/1.1: the connection rests until its first bytes arrive (wake() makes its session);
    // its idle (or PROXY header) timeout runs from now.
    conn->restamp(coarse_now());
    if (stopping_) close_resting(conn);
}

void HttpServer::start_http2(const TcpConnectionPtr& conn, std::unique_ptr<InetAddress> proxied,
                             bool read_proxy) {
    std::shared_ptr<ServerSession> session =
        std::make_shared<Http2Session>(*this, conn, std::move(proxied), read_proxy);
    conn->set_context(session);  // the HTTP/1.1 session, if any, is gone from here on
    if (stopping_) session->close_when_idle(conn);
}

ServerSession* HttpServer::wake(const TcpConnectionPtr& conn) {
    if (!conn->connected()) return nullptr;  // refused or closing: its input is not answered
    // A connection that rested after a response has written bytes; a new one has not (TLS
    // handshake bytes are not counted): only the new one may start with PROXY or the preface.
    auto session = std::allocate_shared<HttpSession>(block_pool::Allocator<HttpSession>(), *this,
                                                     conn->bytes_written() > 0);
    ServerSession* s = session.get();
    conn->set_context(std::move(session));
    return s;
}

void HttpServer::rest_if_idle(const TcpConnectionPtr& conn, ServerSession* session) {
    if (!session || !session->can_rest(conn)) return;
    conn->restamp(coarse_now());  // the idle period starts: timed by sweep()
    conn->set_context(nullptr);   // not inside the session: its call has returned
    // Its input is empty, but a deferred answer kept the buffer past the read that would
    // have freed it (a proxied request): a resting connection holds no buffer either.
    conn->input().release();
}

void HttpServer::close_resting(const TcpConnectionPtr& conn) {
    if (ServerSession* s = wake(conn)) s->close_when_idle(conn);
}

std::size_t HttpServer::resting_count() const {
    std::size_t n = 0;
    tcp_.for_each_connection([&n](const TcpConnectionPtr& c) {
        if (c->connected() && !session_of(c) && !c->input().allocated()) ++n;
    });
    return n;
}

std::string_view HttpServer::date() {
    return dates_.get(coarse_wall_second());
}

void HttpServer::sweep() {
    const auto now = Clock::now();
    const auto handshake_timeout = options_.limits.header_read_timeout;
    const auto idle_timeout = options_.limits.keep_alive_timeout;
    tcp_.for_each_connection([&](const TcpConnectionPtr& c) {
        if (ServerSession* s = session_of(c)) {
            s->check_timeouts(c, now);
        } else if (c->state() == TcpConnection::State::Connecting) {
            if (now - c->created() > handshake_timeout)
                c->force_close();     // a TLS handshake that never finishes (slowloris on TLS)
        } else if (c->connected()) {  // resting: new, or between keep-alive requests
            const bool wants_proxy = options_.proxy_protocol && c->bytes_written() == 0;
            if (now - c->created() <= (wants_proxy ? handshake_timeout : idle_timeout)) return;
            if (wants_proxy)
                c->force_close();  // no PROXY header in time: not our balancer
            else
                close_resting(c);  // as HttpSession's kIdle deadline would
        }
    });
    if (access_log_) access_log_->flush();
}

void HttpServer::shutdown(std::chrono::milliseconds timeout, std::function<void()> done) {
    stopping_ = true;
    auto finish = std::make_shared<std::function<void()>>(std::move(done));
    tcp_.stop_accepting([this, finish] {
        loop_->cancel(shutdown_timer_);
        loop_->cancel(idle_close_timer_);
        if (access_log_) access_log_->flush();
        if (*finish) (*finish)();
    });
    // Idle keep-alive connections get a moment's last call before they close: a client that
    // sends its next request meanwhile (a busy one always does) gets its answer with
    // "Connection: close" instead of a reset racing its request (RFC 9112 §9.6). Connections
    // that are busy close after their response.
    loop_->cancel(idle_close_timer_);
    idle_close_timer_ = loop_->run_after(std::min(timeout, kIdleLastCall), [this] {
        idle_close_timer_ = {};
        tcp_.for_each_connection([this](const TcpConnectionPtr& c) {
            if (ServerSession* s = session_of(c))
                s->close_when_idle(c);
            else
                close_resting(c);
        });
    });
    loop_->cancel(shutdown_timer_);  // a second signal restarts the grace period
    shutdown_timer_ = loop_->run_after(timeout, [this] {
        spdlog::warn("shutdown timeout: closing {} connection(s)", tcp_.connection_count());
        tcp_.for_each_connection([](const TcpConnectionPtr& c) { c->force_close(); });
    });
}

std::unique_ptr<Exchange> HttpServer::acquire_exchange() {
    if (exchange_pool_.empty()) return std::make_unique<Exchange>(options_.limits);
    std::unique_ptr<Exchange> x = std::move(exchange_pool_.back());
    exchange_pool_.pop_back();
    return x;
}

void HttpServer::release_exchange(std::unique_ptr<Exchange> x) {
    if (exchange_pool_.size() >= kExchangePoolSize) return;
    x->reset();
    if (x->body.capacity() > 64 * 1024) std::string().swap(x->body);  // don't hoard big bodies
    exchange_pool_.push_back(std::move(x));
}

void HttpServer::reopen_access_log() {
    if (access_log_) access_log_->reopen();
}

}  // namespace netius::net::http
