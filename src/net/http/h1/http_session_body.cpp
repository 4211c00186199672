// HttpSession's side of streamed request content (HttpServerOptions::stream_request_bodies):
// feeding the RequestBody from the input (Content-Length or chunked, RFC 9112 §6.3, §7.1),
// 100 Continue on demand (RFC 9110 §10.1.1), and failing the reader when the client leaves or
// its framing is bad; and tunnels (tunnel_upgrades, RFC 9110 §7.8): a request to switch
// protocols whose answer is 101 feeds the RequestBody with the raw bytes that follow. Loop
// thread.
#include <algorithm>

#include "net/event_loop.hpp"
#include "net/http/h1/http_session.hpp"
#include "net/http/h1/response_writer.hpp"
#include "net/http/server/http_server.hpp"

namespace netius::net::http {

void HttpSession::feed_body(const TcpConnectionPtr& conn, Buffer& in) {
    RequestBody& body = *body_in_;
    std::size_t space = body.space();
    while (!in.empty() && space > 0 && !body.complete()) {
        // Never more than the window takes: the decoder resumes where a slice ended.
        const std::string_view data = in.view().substr(0, space);
        if (!x_->head.chunked) {
            const auto n =
                static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), body_left_));
            body.push(data.substr(0, n));
            in.retrieve(n);
            body_left_ -= n;
            if (body_left_ == 0) body.finish();
        } else {
            const ChunkedStep step = x_->chunked.decode(data);
            if (step.error) {  // the client gets its 400/413 now, the reader a failure, and
                               // the handler's answer, when it comes, is dropped
                body.fail("bad chunked request content: " + std::string(step.error->reason));
                body_in_.reset();
                deferred_id_ = 0;
                unread_body_ = true;  // the client may still be sending: linger
                in.retrieve_all();
                reject(conn, step.error->status, step.error->reason);
                flush(conn, true);
                return;
            }
            body.push(step.data);
            in.retrieve(step.consumed);
            if (step.done)
                body.finish();
            else if (step.consumed == 0)
                break;
        }
        space = body.space();
    }
    // Full: a read that drains it resumes (on_body_demand). Complete: what follows is the
    // next request, read once this one is answered.
    if (body.complete() || space == 0) conn->stop_reading();
}

void HttpSession::make_body_in(const TcpConnectionPtr& conn) {
    body_in_ =
        std::make_shared<RequestBody>(kBodyWindow, server_.options().limits.body_read_timeout);
    body_in_->set_demand_hook([loop = conn->loop(), weak_conn = std::weak_ptr(conn),
                               weak_body = std::weak_ptr(body_in_)] {
        loop->queue_in_loop([weak_conn, weak_body] {
            auto c = weak_conn.lock();
            auto body = weak_body.lock();
            if (c && body)
                if (auto* s = dynamic_cast<HttpSession*>(ServerSession::of(c)))
                    s->on_body_demand(c, body.get());
        });
    });
}

bool HttpSession::asks_to_switch() const {
    const RequestHead& h = x_->head;
    return server_.options().tunnel_upgrades && server_.options().stream_request_bodies &&
           h.upgrade && h.version == Version::kHttp11 && !h.chunked &&
           h.content_length.value_or(0) == 0 && h.get("upgrade").has_value();
}

void HttpSession::start_switch_request(const TcpConnectionPtr& conn, Buffer& in) {
    own_head(in);
    in.retrieve(x_->head_len);
    make_body_in(conn);
    switch_pending_ = true;
    respond(conn, {});
    if (!deferred_id_) return;  // answered at once (not 101): send_response closes after it
    deferred_total_ = 0;
    conn->stop_reading();  // what follows waits for the answer
}

void HttpSession::feed_tunnel(const TcpConnectionPtr& conn, Buffer& in) {
    if (!body_in_) {  // the other end is gone: nothing more goes anywhere
        in.retrieve_all();
        return;
    }
    const std::size_t n = std::min(body_in_->space(), in.readable_bytes());
    if (n > 0) {
        body_in_->push(in.view().substr(0, n));
        in.retrieve(n);
    }
    if (!in.empty() || body_in_->space() == 0)
        conn->stop_reading();  // a read that drains the window resumes (on_body_demand)
    else if (!conn->is_reading())
        conn->start_reading();
}

void HttpSession::on_body_demand(const TcpConnectionPtr& conn, const RequestBody* body) {
    if (body != body_in_.get() || !conn->connected() || body_in_->complete()) return;
    if (tunnel_) {
        feed_tunnel(conn, conn->input());
        return;
    }
    if (x_->head.expect_continue && !x_->continue_sent) {
        std::string line;
        append_continue(line);
        conn->send(line);
        x_->continue_sent = true;
    }
    if (body_in_->space() > 0 && !conn->is_reading()) conn->start_reading();
}

void HttpSession::on_disconnect() {
    if (body_in_) body_in_->fail("the client closed the connection");
    if (stream_) finish_stream();  // cut off: logged with what was sent
}

}  // namespace netius::net::http
