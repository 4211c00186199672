#include "net/http/server/server_session.hpp"

#include <spdlog/spdlog.h>

#include <any>

#include "net/event_loop.hpp"
#include "net/http/server/http_server.hpp"
#include "net/proxy_protocol.hpp"
#include "net/scoreboard.hpp"

namespace netius::net::http {
namespace {

std::string describe_current_exception() {
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "a non-standard exception";
    }
}

}  // namespace

ServerSession* ServerSession::of(const TcpConnectionPtr& conn) {
    return conn->context<ServerSession>();  // HttpServer stores a shared_ptr<ServerSession>
}

ServerSession::ProxyStep ServerSession::read_proxy_header(const TcpConnectionPtr& conn,
                                                          Buffer& in) {
    ProxyResult r = parse_proxy_header(in.view());
    if (std::holds_alternative<ProxyIncomplete>(r)) return ProxyStep::kIncomplete;
    if (auto* e = std::get_if<ProxyError>(&r)) {
        // Not HTTP's business to answer: whoever sent this is not our load balancer.
        spdlog::warn("{}: bad PROXY header ({}); closing", conn->peer_address().to_string(),
                     e->reason);
        in.retrieve_all();
        conn->force_close();
        return ProxyStep::kRefused;
    }
    auto& h = std::get<ProxyHeader>(r);
    in.retrieve(h.consumed);
    if (h.source) {
        if (!server_.options().allowed.allows(h.source->get())) {
            spdlog::warn("refusing {}: not in the allowed list", h.source->to_string());
            in.retrieve_all();
            conn->force_close();
            return ProxyStep::kRefused;
        }
        proxied_ = std::make_unique<InetAddress>(*h.source);
    }
    return ProxyStep::kDone;
}

Response& ServerSession::run_handler(const TcpConnectionPtr& conn, const Request& req) {
    Response& response = server_.scratch().response;
    response.clear();
    response.session_ = this;
    response.conn_ = &conn;
    WorkerStatus::request_started(req.head.method, req.head.target);  // for the master
    try {
        server_.handler()(req, response);
    } catch (...) {
        spdlog::error("handler failed for {} {}: {}", req.head.method, req.head.path,
                      describe_current_exception());
        response.clear();
        response.status = Status::kInternalServerError;
        response.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
        response.body = "500 Internal Server Error\n";
    }
    return response;
}

void ServerSession::make_resume(Resume& r, const TcpConnectionPtr& conn, std::uint64_t id) {
    r.loop_ = conn->loop();
    r.conn_ = conn;
    r.id_ = id;
}

bool ServerSession::write_stalled(const TcpConnectionPtr& conn, Clock::time_point now) {
    if (!conn->has_pending_output()) {
        write_waiting_ = false;
    } else if (!write_waiting_ || conn->bytes_written() != last_written_) {
        write_waiting_ = true;
        last_written_ = conn->bytes_written();
        write_deadline_ = now + server_.options().limits.write_timeout;
    } else if (now > write_deadline_) {
        spdlog::debug("{}: write timeout", conn->peer_address().to_string());
        return true;
    }
    return false;
}

Resume Response::defer() {
    deferred_ = true;
    return session_->defer(*conn_);
}

void Resume::finish(Fill fill) const {
    loop_->queue_in_loop([conn = conn_, id = id_, fill = std::move(fill)] {
        if (auto c = conn.lock())
            if (ServerSession* s = ServerSession::of(c)) s->finish_deferred(c, id, fill);
    });
}

void Resume::wake() const {
    loop_->queue_in_loop([conn = conn_, id = id_] {
        if (auto c = conn.lock())
            if (ServerSession* s = ServerSession::of(c)) s->wake_stream(c, id);
    });
}

}  // namespace netius::net::http
