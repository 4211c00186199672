#include "net/http/h1/http_session.hpp"

#include <spdlog/spdlog.h>

#include "net/coarse_clock.hpp"
#include "net/event_loop.hpp"
#include "net/http/h1/response_writer.hpp"
#include "net/http/h2/preface.hpp"
#include "net/http/server/http_server.hpp"

namespace netius::net::http {
namespace {

// The grace a closing connection gets to take our last bytes and FIN before it is dropped.
constexpr std::chrono::seconds kLingerTimeout{5};

// The request head's views point into the connection's input buffer; when the buffer moves
// (compaction or growth while a body arrives) they are moved along with it. Only views inside
// the head's `len` bytes move: a parser may also hand out views of static text ("/").
void rebase(std::string_view& v, const char* from, std::size_t len, const char* to) {
    if (!v.empty() && v.data() >= from && v.data() < from + len)
        v = std::string_view(to + (v.data() - from), v.size());
}

void rebase(RequestHead& h, const char* from, std::size_t len, const char* to) {
    for (std::string_view* v :
         {&h.method, &h.target, &h.scheme, &h.authority, &h.path, &h.query, &h.host})
        rebase(*v, from, len, to);
    for (Header& f : h.headers) {
        rebase(f.name, from, len, to);
        rebase(f.value, from, len, to);
    }
}

}  // namespace

HttpSession::HttpSession(HttpServer& server, bool continued)
    : ServerSession(server), out_(server.scratch().out) {
    // RFC 9113 §3.3: the preface only as the connection's first bytes; the PROXY header too.
    fresh_ = server.options().http2.enabled && !continued;
    if (server.options().proxy_protocol && !continued)
        wait_for(Phase::kProxy, server.options().limits.header_read_timeout);
    else
        wait_for(Phase::kIdle, server.options().limits.keep_alive_timeout);
}

bool HttpSession::read_proxy(const TcpConnectionPtr& conn, Buffer& in) {
    switch (read_proxy_header(conn, in)) {
        case ProxyStep::kIncomplete:
            return false;
        case ProxyStep::kRefused:
            phase_ = Phase::kClosing;
            return false;
        case ProxyStep::kDone:
            break;
    }
    wait_for(Phase::kIdle, server_.options().limits.keep_alive_timeout);
    return true;
}

bool HttpSession::preface_pending(Buffer& in) {
    switch (match_http2_preface(in.view())) {
        case PrefaceMatch::kNo:
            fresh_ = false;
            return false;
        case PrefaceMatch::kPartial:
            if (phase_ == Phase::kIdle)
                wait_for(Phase::kHead, server_.options().limits.header_read_timeout);
            return true;
        case PrefaceMatch::kWhole:
            wants_http2_ = true;
            return true;
    }
    return false;
}

void HttpSession::wait_for(Phase phase, std::chrono::milliseconds timeout) {
    phase_ = phase;
    deadline_ = coarse_now() + timeout;
}

bool HttpSession::idle(const TcpConnectionPtr& conn) const {
    return phase_ == Phase::kIdle && !stream_ && !deferred_id_ && conn->input().empty();
}

void HttpSession::close_after_response() {
    phase_ = Phase::kClosing;
    deadline_ = coarse_now() + kLingerTimeout;
}

void HttpSession::close_when_idle(const TcpConnectionPtr& conn) {
    if (phase_ == Phase::kClosing || !idle(conn)) return;
    phase_ = Phase::kClosing;
    deadline_ = coarse_now() + kLingerTimeout;
    conn->shutdown();
}

void HttpSession::on_message(const TcpConnectionPtr& conn, Buffer& in) {
    if (tunnel_) {
        feed_tunnel(conn, in);
        return;
    }
    const Limits& limits = server_.options().limits;
    out_.clear();  // the server-wide scratch: never carry another connection's bytes
    if (body_in_ && deferred_id_) {  // a streamed request's content, while it is answered
        if (switch_pending_)         // nothing is read before the switch (or its refusal)
            conn->stop_reading();
        else
            feed_body(conn, in);
        return;
    }
    // Not reading meanwhile; the input is delivered again afterwards.
    if (stream_ || deferred_id_) return;
    std::size_t answered = 0;
    if (phase_ == Phase::kProxy && !read_proxy(conn, in)) return;
    if (fresh_ && preface_pending(in)) return;
    while (phase_ != Phase::kClosing) {
        std::string_view data = in.view();
        if (data.empty()) break;
        if (!x_) x_ = server_.acquire_exchange();
        if (!x_->head_done) {
            ParseResult r = x_->parser.parse(data, x_->head);
            if (std::holds_alternative<Incomplete>(r)) {
                if (phase_ == Phase::kIdle) wait_for(Phase::kHead, limits.header_read_timeout);
                break;
            }
            if (auto* e = std::get_if<ParseError>(&r)) {
                reject(conn, e->status, e->reason);
                break;
            }
            x_->head_len = std::get<Complete>(r).consumed;
            x_->head_done = true;
            x_->base = data.data();
            x_->body_scan = x_->head_len;
            x_->seen = 0;
            x_->continue_sent = false;
            x_->owned_head = false;
            if (x_->head.chunked) {
                x_->chunked.reset();
                x_->body.clear();
            }
            wait_for(Phase::kBody, limits.body_read_timeout);
        } else if (data.data() != x_->base) {
            rebase(x_->head, x_->base, x_->head_len, data.data());
            x_->base = data.data();
        }

        std::size_t total = 0;
        std::string_view body;
        if (!read_body(data, total, body)) {
            if (phase_ == Phase::kClosing) break;  // rejected
            if (server_.options().stream_request_bodies) {
                start_body_stream(conn, in);
                break;
            }
            if (data.size() > x_->seen) {  // progress: the body timeout restarts
                x_->seen = data.size();
                deadline_ = coarse_now() + limits.body_read_timeout;
            }
            // RFC 9110 §10.1.1: ask for the content only once the head was accepted.
            if (x_->head.expect_continue && !x_->continue_sent) {
                append_continue(out_);
                x_->continue_sent = true;
            }
            break;
        }
        if (asks_to_switch()) {
            start_switch_request(conn, in);
            break;
        }
        respond(conn, body);
        if (deferred_id_) {  // the request's bytes stay until Resume::finish
            deferred_total_ = total;
            conn->stop_reading();
            break;
        }
        in.retrieve(total);
        x_->parser.reset();
        x_->head_done = false;
        if (phase_ != Phase::kClosing) wait_for(Phase::kIdle, limits.keep_alive_timeout);
        if (stream_ && !run_stream(conn)) break;  // the next request waits for its end
        // Pipelining bound: answer this many per batch, then read on once they are written
        // (on_write_complete resumes reading and the rest of the input is delivered again).
        if (++answered >= limits.max_pipelined_requests && !in.empty() &&
            phase_ != Phase::kClosing) {
            conn->stop_reading();
            break;
        }
    }
    const bool unread = !in.empty();
    if (phase_ == Phase::kClosing) in.retrieve_all();  // nothing after a close is answered
    flush(conn, unread);
    // An idle keep-alive connection holds no buffers (bench/http.sh: RSS per idle connection).
    if (in.empty()) {
        in.release();
        if (phase_ == Phase::kIdle && x_) server_.release_exchange(std::move(x_));
    }
}

// Whether the whole body of the current request is in `data`; if so `total` is the request's
// size (head + framing + content) and `body` its decoded content.
bool HttpSession::read_body(std::string_view data, std::size_t& total, std::string_view& body) {
    if (!x_->head.chunked) {
        const std::uint64_t length = x_->head.content_length.value_or(0);
        if (data.size() - x_->head_len < length) return false;
        total = x_->head_len + static_cast<std::size_t>(length);
        body = data.substr(x_->head_len, static_cast<std::size_t>(length));
        return true;
    }
    while (x_->body_scan < data.size()) {
        ChunkedStep step = x_->chunked.decode(data.substr(x_->body_scan));
        if (step.error) {
            reject(TcpConnectionPtr(), step.error->status, step.error->reason);
            return false;
        }
        x_->body.append(step.data);
        x_->body_scan += step.consumed;
        if (step.done) {
            total = x_->body_scan;
            body = x_->body;
            return true;
        }
        if (step.consumed == 0) break;
    }
    return false;
}

void HttpSession::reject(const TcpConnectionPtr&, Status status, std::string_view reason) {
    spdlog::debug("rejecting request: {} {}", code(status), reason);
    append_error(out_, status, server_.date(), x_ && x_->head_done && x_->head.is_head());
    close_after_response();
}

void HttpSession::flush(const TcpConnectionPtr& conn, bool unread) {
    if (!out_.empty()) {
        conn->send(out_);
        out_.clear();
    }
    if (phase_ == Phase::kClosing && !stream_) close_after_output(conn, unread);
}

void HttpSession::close_after_output(const TcpConnectionPtr& conn, bool unread) {
    // Nothing unread: close once the output is sent (a plain close sends FIN after it). Else
    // half-close after the queue drains, so unread input cannot turn our close into a reset
    // that destroys the response in flight (RFC 9112 §9.6).
    if (!unread && !unread_body_ && !conn->transport().has_close_handshake()) {
        conn->close_after_output();
        return;
    }
    conn->shutdown();
    if (unread_body_ && !conn->is_reading()) conn->start_reading();  // discarded till FIN
}

void HttpSession::own_head(Buffer& in) {
    x_->head_copy.assign(in.view().substr(0, x_->head_len));
    rebase(x_->head, x_->base, x_->head_len, x_->head_copy.data());
    x_->base = x_->head_copy.data();
    x_->owned_head = true;
}

void HttpSession::start_body_stream(const TcpConnectionPtr& conn, Buffer& in) {
    own_head(in);  // the content leaves the input as it is fed
    in.retrieve(x_->head.chunked ? x_->body_scan : x_->head_len);
    body_left_ = x_->head.content_length.value_or(0);
    make_body_in(conn);
    body_in_->push(x_->body);  // chunked content decoded so far
    x_->body.clear();
    respond(conn, {});
    if (!deferred_id_) return;  // answered at once: send_response closed after it
    deferred_total_ = 0;
    feed_body(conn, in);
}

void HttpSession::on_high_water(const TcpConnectionPtr& conn) {
    conn->stop_reading();
}

void HttpSession::on_write_complete(const TcpConnectionPtr& conn) {
    if (stream_)
        continue_stream(conn);
    else if (phase_ == Phase::kClosing)  // the linger period starts once our output is out
        deadline_ = coarse_now() + kLingerTimeout;
    else if (!conn->is_reading())
        conn->start_reading();
}

bool HttpSession::can_rest(const TcpConnectionPtr& conn) const {
    return phase_ == Phase::kIdle && !fresh_ && !x_ && !stream_ && !body_in_ && !deferred_id_ &&
           !tunnel_ && !switch_pending_ && !unread_body_ && !proxied_ && !wants_http2_ &&
           conn->connected() && conn->is_reading() && conn->input().empty() &&
           !conn->has_pending_output();
}

Resume HttpSession::defer(const TcpConnectionPtr& conn) {
    defer_seq_ = server_.next_defer_id();  // never 0, never one an earlier session gave out
    deferred_id_ = defer_seq_;
    Resume r;
    make_resume(r, conn, deferred_id_);
    return r;
}

void HttpSession::finish_deferred(const TcpConnectionPtr& conn, std::uint64_t id,
                                  const Resume::Fill& fill) {
    if (id != deferred_id_ || !conn->connected()) return;
    deferred_id_ = 0;
    Buffer& in = conn->input();
    if (!x_->owned_head && in.view().data() != x_->base) {  // the head's views follow the buffer
        rebase(x_->head, x_->base, x_->head_len, in.view().data());
        x_->base = in.view().data();
    }
    out_.clear();
    Response& response = server_.scratch().response;
    response.clear();
    try {
        fill(response);
    } catch (const std::exception& e) {
        spdlog::error("deferred response for {} {} failed: {}", x_->head.method, x_->head.path,
                      e.what());
        response.clear();
        response.status = Status::kInternalServerError;
        response.body = "500 Internal Server Error\n";
    }
    send_response(conn, response);
    in.retrieve(deferred_total_);
    x_->parser.reset();
    x_->head_done = false;
    if (phase_ != Phase::kClosing)
        wait_for(Phase::kIdle, server_.options().limits.keep_alive_timeout);
    if (stream_) {
        if (run_stream(conn)) after_response(conn);  // else on write-complete or wake()
        return;
    }
    conn->send(out_);
    out_.clear();
    after_response(conn);
}

void HttpSession::wake_stream(const TcpConnectionPtr& conn, std::uint64_t id) {
    if (stream_ && id == defer_seq_ && !deferred_id_) continue_stream(conn);
}

void HttpSession::check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) {
    // A peer that stops reading our output (bytes or a file being sent) is dropped after the
    // write timeout without progress.
    if (write_stalled(conn, now)) {
        conn->force_close();
        return;
    }
    if (tunnel_) return;  // bounded by its other end
    const bool pending = conn->has_pending_output();
    if (now <= deadline_ || deferred_id_) return;  // a deferred answer: the app's time
    // While we hold back reading (output over the high-water mark), the peer's slowness is the
    // write timeout's business, not the header/body/idle ones.
    if (!conn->is_reading() && phase_ != Phase::kClosing) {
        deadline_ = now + server_.options().limits.header_read_timeout;
        return;
    }
    switch (phase_) {
        case Phase::kIdle:
            close_when_idle(conn);
            break;
        case Phase::kProxy:
            conn->force_close();
            break;
        case Phase::kHead:
        case Phase::kBody:  // slowloris or a stalled body: 408, then close (RFC 9110 §15.5.9)
            reject(conn, Status::kRequestTimeout, "timeout");
            flush(conn, !conn->input().empty());
            break;
        case Phase::kClosing:  // a steady reader gets all of our last response
            if (!pending && !stream_) conn->force_close();
            break;
    }
}

}  // namespace netius::net::http
