#include "net/http/http_session.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "net/event_loop.hpp"
#include "net/http/encoding.hpp"
#include "net/http/http_server.hpp"
#include "net/http/response_writer.hpp"

namespace netius::net::http {
namespace {

// The grace a closing connection gets to take our last bytes and FIN before it is dropped.
constexpr std::chrono::seconds kLingerTimeout{5};

// The request head's views point into the connection's input buffer; when the buffer moves
// (compaction or growth while a body arrives) they are moved along with it.
void rebase(std::string_view& v, const char* from, const char* to) {
    if (!v.empty()) v = std::string_view(to + (v.data() - from), v.size());
}

void rebase(RequestHead& h, const char* from, const char* to) {
    for (std::string_view* v : {&h.method, &h.target, &h.scheme, &h.authority, &h.path, &h.query,
                                &h.host})
        rebase(*v, from, to);
    for (Header& f : h.headers) {
        rebase(f.name, from, to);
        rebase(f.value, from, to);
    }
}

std::time_t wall_now() { return std::time(nullptr); }

}  // namespace

HttpSession::HttpSession(HttpServer& server)
    : server_(server), parser_(server.options().limits), chunked_(server.options().limits) {
    wait_for(Phase::kIdle, server.options().limits.keep_alive_timeout);
}

void HttpSession::wait_for(Phase phase, std::chrono::milliseconds timeout) {
    phase_ = phase;
    deadline_ = Clock::now() + timeout;
}

bool HttpSession::idle(const TcpConnectionPtr& conn) const {
    return phase_ == Phase::kIdle && conn->input().empty();
}

void HttpSession::close_when_idle(const TcpConnectionPtr& conn) {
    if (phase_ == Phase::kClosing || !idle(conn)) return;
    phase_ = Phase::kClosing;
    deadline_ = Clock::now() + kLingerTimeout;
    conn->shutdown();
}

void HttpSession::on_message(const TcpConnectionPtr& conn, Buffer& in) {
    const Limits& limits = server_.options().limits;
    while (phase_ != Phase::kClosing) {
        std::string_view data = in.view();
        if (data.empty()) break;
        if (!head_done_) {
            ParseResult r = parser_.parse(data, head_);
            if (std::holds_alternative<Incomplete>(r)) {
                if (phase_ == Phase::kIdle) wait_for(Phase::kHead, limits.header_read_timeout);
                break;
            }
            if (auto* e = std::get_if<ParseError>(&r)) {
                reject(conn, e->status, e->reason);
                break;
            }
            head_len_ = std::get<Complete>(r).consumed;
            head_done_ = true;
            base_ = data.data();
            body_scan_ = head_len_;
            seen_ = 0;
            continue_sent_ = false;
            if (head_.chunked) {
                chunked_.reset();
                body_.clear();
            }
            wait_for(Phase::kBody, limits.body_read_timeout);
        } else if (data.data() != base_) {
            rebase(head_, base_, data.data());
            base_ = data.data();
        }

        std::size_t total = 0;
        std::string_view body;
        if (!read_body(data, total, body)) {
            if (phase_ == Phase::kClosing) break;  // rejected
            if (data.size() > seen_) {             // progress: the body timeout restarts
                seen_ = data.size();
                deadline_ = Clock::now() + limits.body_read_timeout;
            }
            // RFC 9110 §10.1.1: ask for the content only once the head was accepted.
            if (head_.expect_continue && !continue_sent_) {
                append_continue(out_);
                continue_sent_ = true;
            }
            break;
        }
        respond(conn, body);
        in.retrieve(total);
        parser_.reset();
        head_done_ = false;
        if (phase_ != Phase::kClosing) wait_for(Phase::kIdle, limits.keep_alive_timeout);
    }
    if (phase_ == Phase::kClosing) in.retrieve_all();  // nothing after a close is answered
    flush(conn);
}

// Whether the whole body of the current request is in `data`; if so `total` is the request's
// size (head + framing + content) and `body` its decoded content.
bool HttpSession::read_body(std::string_view data, std::size_t& total, std::string_view& body) {
    if (!head_.chunked) {
        const std::uint64_t length = head_.content_length.value_or(0);
        if (data.size() - head_len_ < length) return false;
        total = head_len_ + static_cast<std::size_t>(length);
        body = data.substr(head_len_, static_cast<std::size_t>(length));
        return true;
    }
    while (body_scan_ < data.size()) {
        ChunkedStep step = chunked_.decode(data.substr(body_scan_));
        if (step.error) {
            reject(TcpConnectionPtr(), step.error->status, step.error->reason);
            return false;
        }
        body_.append(step.data);
        body_scan_ += step.consumed;
        if (step.done) {
            total = body_scan_;
            body = body_;
            return true;
        }
        if (step.consumed == 0) break;
    }
    return false;
}

void HttpSession::respond(const TcpConnectionPtr& conn, std::string_view body) {
    const HttpServerOptions& o = server_.options();
    response_.clear();
    try {
        server_.handler()(Request{head_, body, conn->peer_address()}, response_);
    } catch (const std::exception& e) {
        spdlog::error("handler failed for {} {}: {}", head_.method, head_.path, e.what());
        response_.clear();
        response_.status = Status::kInternalServerError;
        response_.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
        response_.body = "500 Internal Server Error\n";
    }

    ResponseHead rh;
    rh.status = response_.status;
    rh.keep_alive = head_.keep_alive && o.keep_alive && !server_.stopping();
    rh.http10 = head_.version == Version::kHttp10;
    std::string_view content = response_.body;
    const bool has_content = allows_content(rh.status);

    if ((o.encoding == ResponseEncoding::kGzip || o.encoding == ResponseEncoding::kDeflate) &&
        has_content) {
        const ContentCoding offered[] = {
            o.encoding == ResponseEncoding::kGzip ? ContentCoding::kGzip : ContentCoding::kDeflate,
            ContentCoding::kIdentity};
        auto coding = negotiate_encoding(head_, offered);
        response_.headers.push_back({"Vary", "Accept-Encoding"});
        if (coding && *coding != ContentCoding::kIdentity && !content.empty()) {
            compressed_ = compress(*coding, content);
            content = compressed_;
            response_.headers.push_back({"Content-Encoding", coding_name(*coding)});
        }
    }
    rh.headers = response_.headers;

    const std::string_view date = server_.date();
    if (o.encoding == ResponseEncoding::kChunked && !rh.http10 && has_content) {
        rh.framing = Framing::kChunked;
        append_head(out_, rh, date);
        if (!head_.is_head()) {
            append_chunk(out_, content);
            append_last_chunk(out_);
        }
    } else {
        append_response(out_, rh, content, head_.is_head(), date);
    }
    if (AccessLog* log = server_.access_log())
        log->log(conn->peer_address().host(), head_, rh.status,
                 head_.is_head() || !has_content ? 0 : content.size(), wall_now());
    if (!rh.keep_alive) {
        phase_ = Phase::kClosing;
        deadline_ = Clock::now() + kLingerTimeout;
    }
}

void HttpSession::reject(const TcpConnectionPtr&, Status status, std::string_view reason) {
    spdlog::debug("rejecting request: {} {}", code(status), reason);
    append_error(out_, status, server_.date(), head_done_ && head_.is_head());
    phase_ = Phase::kClosing;
    deadline_ = Clock::now() + kLingerTimeout;
}

void HttpSession::flush(const TcpConnectionPtr& conn) {
    if (!out_.empty()) {
        conn->send(out_);
        out_.clear();
    }
    if (phase_ == Phase::kClosing) conn->shutdown();
}

void HttpSession::on_high_water(const TcpConnectionPtr& conn) { conn->stop_reading(); }

void HttpSession::on_write_complete(const TcpConnectionPtr& conn) {
    if (!conn->is_reading() && phase_ != Phase::kClosing) conn->start_reading();
}

void HttpSession::check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) {
    // A peer that stops reading our output is dropped after the write timeout.
    const std::size_t queued = conn->queued_bytes();
    if (queued == 0) {
        last_queued_ = 0;
    } else if (queued != last_queued_) {
        last_queued_ = queued;
        write_deadline_ = now + server_.options().limits.write_timeout;
    } else if (now > write_deadline_) {
        spdlog::debug("{}: write timeout", conn->peer_address().to_string());
        conn->force_close();
        return;
    }
    if (now <= deadline_) return;
    switch (phase_) {
        case Phase::kIdle:
            close_when_idle(conn);
            break;
        case Phase::kHead:
        case Phase::kBody:  // slowloris or a stalled body: 408, then close (RFC 9110 §15.5.9)
            reject(conn, Status::kRequestTimeout, "timeout");
            flush(conn);
            break;
        case Phase::kClosing:
            conn->force_close();
            break;
    }
}

}  // namespace netius::net::http
