// HttpSession's answering side: runs the handler, applies --encoding (RFC 9110 §8.4,
// §12.5.3), frames the response (RFC 9112 §6) and sends streamed content as the output
// drains. Reading, timeouts and closing are in http_session.cpp.
#include <spdlog/spdlog.h>

#include <ctime>

#include "net/http/char_class.hpp"
#include "net/http/h1/http_session.hpp"
#include "net/http/h1/response_writer.hpp"
#include "net/http/server/http_server.hpp"
#include "net/http/server/response_coding.hpp"

namespace netius::net::http {

void HttpSession::respond(const TcpConnectionPtr& conn, std::string_view body) {
    Response& response = run_handler(conn, Request{x_->head, body, client(conn), body_in_});
    if (deferred(response)) return;  // Resume::finish calls send_response
    deferred_id_ = 0;                // a handler that deferred and then threw is answered now
    send_response(conn, response);
}

void HttpSession::send_response(const TcpConnectionPtr& conn, Response& response) {
    const HttpServerOptions& o = server_.options();
    std::string& compressed = server_.scratch().compressed;
    if (switch_pending_) {
        switch_pending_ = false;
        if (response.status == Status::kSwitchingProtocols && response.stream) {
            switch_to_tunnel(conn, response);
            return;
        }
    }
    if (body_in_) {                   // a streamed request's content: the answer ends its reading
        if (!body_in_->complete()) {  // unread content: close after the answer (RFC 9112 §9.6)
            x_->head.keep_alive = false;
            unread_body_ = true;
        }
        body_in_->abandon();
        body_in_.reset();
    }
    ResponseHead rh;
    rh.status = response.status;
    rh.reason = response.reason;
    rh.keep_alive = x_->head.keep_alive && o.keep_alive && !server_.stopping();
    rh.http10 = x_->head.version == Version::kHttp10;
    const bool has_content = allows_content(rh.status);
    const std::optional<ContentCoding> coding =
        choose_coding(o.encoding, x_->head, response, has_content, server_.scratch().weak_etag);

    if (response.stream) {
        respond_stream(conn, response, rh, coding);
        return;
    }
    std::string_view content = response.body;
    if (coding && !content.empty()) {
        compressed = compress(*coding, content);
        content = compressed;
        response.headers.push_back({"Content-Encoding", coding_name(*coding)});
    }
    rh.headers = response.headers;
    const std::string_view date = server_.date();
    if (o.encoding == ResponseEncoding::kChunked && !rh.http10 && has_content) {
        rh.framing = Framing::kChunked;
        append_head(out_, rh, date);
        if (!x_->head.is_head()) {
            append_chunk(out_, content);
            append_last_chunk(out_);
        }
    } else {
        append_response(out_, rh, content, x_->head.is_head(), date);
    }
    if (AccessLog* log = server_.access_log())
        log->log(client(conn).host(), x_->head, rh.status,
                 x_->head.is_head() || !has_content ? 0 : content.size(), std::time(nullptr),
                 response.log_extra);
    if (!rh.keep_alive) close_after_response();
}

void HttpSession::switch_to_tunnel(const TcpConnectionPtr& conn, Response& response) {
    tunnel_ = true;
    ResponseHead rh;  // 1xx: no framing and no Connection decision, the handler's fields only
    rh.status = response.status;
    rh.reason = response.reason;
    rh.headers = response.headers;
    append_head(out_, rh, server_.date());
    stream_ =
        std::make_unique<BodyStream>(std::move(response.stream), Framing::kClose, std::nullopt);
    if (AccessLog* log = server_.access_log())
        log->log(client(conn).host(), x_->head, rh.status, 0, std::time(nullptr),
                 response.log_extra);
    close_after_response();  // once the stream ends
}

void HttpSession::respond_stream(const TcpConnectionPtr& conn, Response& response, ResponseHead& rh,
                                 std::optional<ContentCoding> coding) {
    const HttpServerOptions& o = server_.options();
    const bool has_content = allows_content(rh.status);
    // Content-Length when the size is known, unless the bytes are compressed on the fly or
    // ENCODING=chunked asks for chunks.
    std::uint64_t length = 0;
    bool known = false;
    if (!coding && !(o.encoding == ResponseEncoding::kChunked && !rh.http10)) {
        if (auto size = response.stream->size()) {
            length = *size;
            known = true;
        }
    }
    if (coding) response.headers.push_back({"Content-Encoding", coding_name(*coding)});
    if (known) {
        rh.framing = Framing::kLength;
        rh.content_length = length;
    } else if (rh.http10) {  // RFC 9112 §6.3: no chunked for 1.0, the close ends the content
        rh.framing = Framing::kClose;
        rh.keep_alive = false;
    } else {
        rh.framing = Framing::kChunked;
    }
    rh.headers = response.headers;
    append_head(out_, rh, server_.date());
    const bool send = has_content && !x_->head.is_head();
    if (send && !(known && length == 0))
        stream_ = std::make_unique<BodyStream>(std::move(response.stream), rh.framing, coding);
    response.stream.reset();
    if (AccessLog* log = server_.access_log()) {
        if (stream_)  // logged when it ends, with the bytes sent (finish_stream)
            stream_entry_ = std::make_unique<AccessEntry>(
                AccessLog::entry(client(conn).host(), x_->head, rh.status, response.log_extra));
        else
            log->log(client(conn).host(), x_->head, rh.status, 0, std::time(nullptr),
                     response.log_extra);
    }
    if (!rh.keep_alive) close_after_response();
}

void HttpSession::finish_stream() {
    if (stream_entry_) {
        if (AccessLog* log = server_.access_log())
            log->log(*stream_entry_, stream_ ? stream_->content_bytes() : 0, std::time(nullptr));
        stream_entry_.reset();
    }
    stream_.reset();
}

bool HttpSession::run_stream(const TcpConnectionPtr& conn) {
    if (!out_.empty()) {   // the head (and earlier pipelined responses) go first, and leave
        conn->hold(out_);  // with the first content (one segment; MSG_MORE before a file)
        out_.clear();
    }
    const BodyStream::Progress progress = stream_->pump(*conn);
    conn->flush();
    switch (progress) {
        case BodyStream::Progress::kDone:
            finish_stream();
            return true;
        case BodyStream::Progress::kWaiting:
            if (tunnel_)  // the client's bytes flow meanwhile
                feed_tunnel(conn, conn->input());
            else
                conn->stop_reading();  // pipelined requests stay unread until the stream ends
            return false;
        case BodyStream::Progress::kFailed:
            break;
    }
    finish_stream();
    close_after_response();
    conn->force_close();
    return false;
}

void HttpSession::continue_stream(const TcpConnectionPtr& conn) {
    switch (stream_->pump(*conn)) {
        case BodyStream::Progress::kWaiting:
            return;
        case BodyStream::Progress::kFailed:
            finish_stream();
            close_after_response();
            conn->force_close();
            return;
        case BodyStream::Progress::kDone:
            finish_stream();
            break;
    }
    after_response(conn);
}

void HttpSession::after_response(const TcpConnectionPtr& conn) {
    if (phase_ == Phase::kClosing) {
        close_after_response();  // the linger period starts now
        close_after_output(conn, !conn->input().empty());
        return;
    }
    conn->start_reading();  // answers what was pipelined meanwhile
    // Nothing pipelined: the request's state goes back to the pool, so the session can rest.
    if (conn->input().empty() && x_) server_.release_exchange(std::move(x_));
    if (server_.stopping()) close_when_idle(conn);
}

}  // namespace netius::net::http
