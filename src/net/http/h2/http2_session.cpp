#include "net/http/h2/http2_session.hpp"

#include <nghttp2/nghttp2.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>

#include "net/coarse_clock.hpp"
#include "net/event_loop.hpp"
#include "net/http/char_class.hpp"
#include "net/http/server/http_server.hpp"
#include "net/http/server/response_coding.hpp"

namespace netius::net::http {
namespace {

// Output serialised ahead of the socket, at most: past it, frames wait for write-complete.
constexpr std::size_t kOutputBudget = 256 * 1024;
// Serialised frames are handed to the connection in batches of about this size.
constexpr std::size_t kSendBatch = 64 * 1024;
// A streamed request's content read ahead of the app (RequestBody), as on HTTP/1.1.
constexpr std::size_t kBodyWindow = 512 * 1024;
// Input read and dropped after our GOAWAY, at most, before the connection is dropped.
constexpr std::uint64_t kDrainLimit = 1 << 20;
// The grace a closing connection gets to take our GOAWAY before it is dropped.
constexpr std::chrono::seconds kLingerTimeout{5};

Http2Session* self(void* user_data) {
    return static_cast<Http2Session*>(user_data);
}

std::string_view sv(const std::uint8_t* p, std::size_t n) {
    return {reinterpret_cast<const char*>(p), n};
}

int on_begin_headers_cb(nghttp2_session*, const nghttp2_frame* f, void* ud) {
    if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    return self(ud)->on_begin_headers(f->hd.stream_id);
}

int on_header_cb(nghttp2_session*, const nghttp2_frame* f, const std::uint8_t* name,
                 std::size_t namelen, const std::uint8_t* value, std::size_t valuelen, std::uint8_t,
                 void* ud) {
    // Trailers (a second HEADERS) are read and ignored, as on HTTP/1.1.
    if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    return self(ud)->on_header(f->hd.stream_id, sv(name, namelen), sv(value, valuelen));
}

int on_frame_recv_cb(nghttp2_session*, const nghttp2_frame* f, void* ud) {
    const bool end_stream = (f->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    switch (f->hd.type) {
        case NGHTTP2_HEADERS:
            if (f->headers.cat == NGHTTP2_HCAT_REQUEST)
                return self(ud)->on_headers_done(f->hd.stream_id, end_stream);
            return end_stream ? self(ud)->on_end_stream(f->hd.stream_id) : 0;
        case NGHTTP2_DATA:
            return end_stream ? self(ud)->on_end_stream(f->hd.stream_id) : 0;
        default:
            return 0;
    }
}

int on_data_chunk_cb(nghttp2_session*, std::uint8_t, std::int32_t stream_id,
                     const std::uint8_t* data, std::size_t len, void* ud) {
    return self(ud)->on_data(stream_id, sv(data, len));
}

int on_stream_close_cb(nghttp2_session*, std::int32_t stream_id, std::uint32_t, void* ud) {
    self(ud)->on_stream_close(stream_id);
    return 0;
}

// The callbacks and options every session shares (nghttp2 copies them at session creation).
struct Setup {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_option* option = nullptr;
    Setup() {
        nghttp2_session_callbacks_new(&callbacks);
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers_cb);
        nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header_cb);
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv_cb);
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk_cb);
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close_cb);
        nghttp2_option_new(&option);
        // Request content is granted back as handlers take it (consume()), not on arrival.
        nghttp2_option_set_no_auto_window_update(option, 1);
        // The library's flood guards keep their defaults: 1000 queued control-frame ACKs,
        // 32 settings per SETTINGS frame, RST_STREAM at 1000 burst / 33 per second
        // (CVE-2023-44487). CONTINUATION frames per header block (CVE-2024-27316): 16, not
        // 8: Debian's 1.52 backport counts a frame twice when its header is split between
        // two reads (fixed upstream in 1.70), which refused legal blocks of 8.
        nghttp2_option_set_max_continuations(option, 16);
    }
};

const Setup& setup() {
    static const Setup s;
    return s;
}

}  // namespace

Http2Session::Http2Session(HttpServer& server, const TcpConnectionPtr& conn,
                           std::unique_ptr<InetAddress> proxied, bool read_proxy)
    : ServerSession(server), conn_(conn.get()), reading_proxy_(read_proxy) {
    proxied_ = std::move(proxied);
    idle_since_ = coarse_now();
    nghttp2_session_server_new2(&ng_, setup().callbacks, this, setup().option);
    const Http2Options& o = server.options().http2;
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, o.header_table_size},
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, o.max_concurrent_streams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, o.initial_window_size},
        {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, o.max_frame_size},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, o.max_header_list_size},
    };
    nghttp2_submit_settings(ng_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    // The connection's receive window matches a stream's (65535 otherwise, RFC 9113 §6.9.2).
    nghttp2_session_set_local_window_size(ng_, NGHTTP2_FLAG_NONE, 0,
                                          static_cast<std::int32_t>(o.initial_window_size));
    if (!reading_proxy_) send_pending();  // our preface (SETTINGS) goes first
}

Http2Session::~Http2Session() {
    nghttp2_session_del(ng_);
}

Http2Stream* Http2Session::stream(std::int32_t id) const {
    auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : it->second.get();
}

void Http2Session::on_message(const TcpConnectionPtr& conn, Buffer& in) {
    if (closed_) {  // after GOAWAY: read (so our close is no reset) a bounded amount
        drained_ += in.readable_bytes();
        in.retrieve_all();
        if (drained_ > kDrainLimit) conn->force_close();
        return;
    }
    if (reading_proxy_) {
        switch (read_proxy_header(conn, in)) {
            case ProxyStep::kIncomplete:
                return;
            case ProxyStep::kRefused:
                closed_ = true;
                return;
            case ProxyStep::kDone:
                reading_proxy_ = false;
                break;
        }
    }
    const std::string_view data = in.view();
    const ssize_t n = nghttp2_session_mem_recv(
        ng_, reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    in.retrieve_all();
    if (n < 0) {
        fail("reading", static_cast<int>(n));
        return;
    }
    send_pending();
    in.release();  // an idle connection holds no input buffer
}

int Http2Session::on_begin_headers(std::int32_t stream_id) {
    auto s = std::make_unique<Http2Stream>(stream_id);
    s->progress = coarse_now();
    streams_.emplace(stream_id, std::move(s));
    return 0;
}

int Http2Session::on_header(std::int32_t stream_id, std::string_view name, std::string_view value) {
    Http2Stream* s = stream(stream_id);
    if (!s || s->add_field(name, value, server_.options().http2.max_header_list_size,
                           server_.options().limits))
        return 0;
    spdlog::debug("{}: h2 header block far over the limits (an HPACK bomb?); closing",
                  conn_->peer_address().to_string());
    nghttp2_session_terminate_session(ng_, NGHTTP2_ENHANCE_YOUR_CALM);
    return NGHTTP2_ERR_CALLBACK_FAILURE;
}

int Http2Session::on_headers_done(std::int32_t stream_id, bool end_stream) {
    Http2Stream* s = stream(stream_id);
    if (!s) return 0;
    s->headers_done = true;
    s->progress = coarse_now();
    if (!s->rejection() && !s->finish_head(end_stream)) s->reject(Status::kBadRequest);
    if (!s->rejection() &&
        s->head().content_length.value_or(0) > server_.options().limits.body_limit())
        s->reject(Status::kContentTooLarge);
    s->request_complete = end_stream;
    if (s->rejection()) {
        submit_error(*s, *s->rejection());
        return 0;
    }
    if (end_stream) {
        dispatch(*s);
    } else if (server_.options().stream_request_bodies) {
        // The handler starts now and reads the content on another thread as it arrives.
        auto body =
            std::make_shared<RequestBody>(kBodyWindow, server_.options().limits.body_read_timeout);
        body->set_demand_hook([loop = conn_->loop(), weak = conn_->weak_from_this(), stream_id] {
            loop->queue_in_loop([weak, stream_id] {
                if (auto c = weak.lock())
                    if (auto* h2 = dynamic_cast<Http2Session*>(ServerSession::of(c)))
                        h2->on_body_demand(stream_id);
            });
        });
        s->body_stream() = std::move(body);
        dispatch(*s);
    }
    return 0;
}

int Http2Session::on_data(std::int32_t stream_id, std::string_view data) {
    Http2Stream* s = stream(stream_id);
    if (!s) {  // a stream we already closed: only the connection window is ours to grant
        nghttp2_session_consume_connection(ng_, data.size());
        return 0;
    }
    s->progress = coarse_now();
    s->unconsumed += data.size();
    if (auto& body = s->body_stream()) {
        body->push(data);
        if (!body->hold_until_drained()) consume(*s, s->unconsumed);
        return 0;
    }
    if (s->dispatched || s->rejection()) {  // answered already: the rest is dropped
        consume(*s, s->unconsumed);
        return 0;
    }
    const std::uint64_t limit = server_.options().limits.body_limit();
    // Content held for handlers on one connection, all streams together, stays within twice
    // the per-request limit: past it the stream that asks for more is refused with 413.
    const std::uint64_t connection_limit = limit > UINT64_MAX / 2 ? UINT64_MAX : 2 * limit;
    if (s->body().size() + data.size() > limit ||
        buffered_bodies_ + data.size() > connection_limit) {
        buffered_bodies_ -= s->body().size();
        std::string().swap(s->body());
        consume(*s, s->unconsumed);
        s->reject(Status::kContentTooLarge);
        submit_error(*s, Status::kContentTooLarge);
        return 0;
    }
    s->body().append(data);
    buffered_bodies_ += data.size();
    consume(*s, s->unconsumed);
    return 0;
}

int Http2Session::on_end_stream(std::int32_t stream_id) {
    Http2Stream* s = stream(stream_id);
    if (!s) return 0;
    s->request_complete = true;
    if (auto& body = s->body_stream()) {
        body->finish();
        return 0;
    }
    if (!s->dispatched && !s->rejection()) dispatch(*s);
    return 0;
}

void Http2Session::consume(Http2Stream& s, std::uint64_t n) {
    if (n == 0) return;
    s.unconsumed -= std::min(n, s.unconsumed);
    nghttp2_session_consume(ng_, s.id(), n);
}

void Http2Session::on_body_demand(std::int32_t stream_id) {
    Http2Stream* s = stream(stream_id);
    if (!s || !s->body_stream()) return;
    consume(*s, s->unconsumed);
    send_pending();
}

void Http2Session::on_stream_close(std::int32_t stream_id) {
    auto it = streams_.find(stream_id);
    if (it == streams_.end()) return;
    if (!it->second->dispatched) buffered_bodies_ -= it->second->body().size();
    log_streamed(*it->second);
    streams_.erase(it);  // a reader of its content fails; a deferred answer is dropped
    if (streams_.empty()) idle_since_ = coarse_now();
}

void Http2Session::send_pending() {
    if (sending_ || closed_) return;
    sending_ = true;
    while (conn_->queued_bytes() + out_.size() < kOutputBudget) {
        const std::uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(ng_, &data);
        if (n < 0) {
            sending_ = false;
            fail("sending", static_cast<int>(n));
            return;
        }
        if (n == 0) break;
        out_.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
        if (out_.size() >= kSendBatch) {
            conn_->send(out_);
            out_.clear();
        }
    }
    if (!out_.empty()) {
        conn_->send(out_);
        out_.clear();
    }
    sending_ = false;
    if (!nghttp2_session_want_read(ng_) && !nghttp2_session_want_write(ng_)) {
        closed_ = true;  // GOAWAY both ways and no stream left: done
        closed_at_ = coarse_now();
        conn_->shutdown();
    }
}

void Http2Session::fail(const char* what, int code) {
    spdlog::debug("{}: h2 {}: {}; closing", conn_->peer_address().to_string(), what,
                  nghttp2_strerror(code));
    // nghttp2 has queued its GOAWAY for most protocol errors; say it if not, with
    // ENHANCE_YOUR_CALM for floods (RFC 9113 §7).
    const bool flood = code == NGHTTP2_ERR_FLOODED || code == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS;
    nghttp2_session_terminate_session(ng_,
                                      flood ? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR);
    if (!sending_) {
        const std::uint8_t* data = nullptr;
        for (ssize_t n; (n = nghttp2_session_mem_send(ng_, &data)) > 0;)
            conn_->send(
                std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n)));
    }
    closed_ = true;
    closed_at_ = coarse_now();
    conn_->shutdown();
}

void Http2Session::on_high_water(const TcpConnectionPtr& conn) {
    conn->stop_reading();
}

void Http2Session::on_write_complete(const TcpConnectionPtr& conn) {
    if (closed_) return;
    if (!conn->is_reading()) conn->start_reading();
    send_pending();
}

void Http2Session::close_when_idle(const TcpConnectionPtr&) {
    if (going_away_ || closed_) return;
    going_away_ = true;
    nghttp2_submit_goaway(ng_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(ng_),
                          NGHTTP2_NO_ERROR, nullptr, 0);
    send_pending();
}

void Http2Session::on_disconnect() {
    for (auto& [id, s] : streams_) {
        if (s->body_stream()) s->body_stream()->fail("the client closed the connection");
        log_streamed(*s);  // cut off: logged with what was sent
    }
    closed_ = true;
}

void Http2Session::check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) {
    const Limits& limits = server_.options().limits;
    if (write_stalled(conn, now)) {
        conn->force_close();
        return;
    }
    if (closed_) {
        if (now - closed_at_ > kLingerTimeout) conn->force_close();
        return;
    }
    if (streams_.empty()) {
        if (now - idle_since_ > limits.keep_alive_timeout) close_when_idle(conn);
        return;
    }
    for (auto& [id, s] : streams_) {
        if (!s->headers_done && now - s->progress > limits.header_read_timeout) {
            // A header block that never ends blocks the whole connection (RFC 9113 §6.10).
            nghttp2_session_terminate_session(ng_, NGHTTP2_PROTOCOL_ERROR);
            break;
        }
        if (!s->request_complete && !s->dispatched &&
            now - s->progress > limits.body_read_timeout) {
            submit_error(*s, Status::kRequestTimeout);
            continue;
        }
        // A response the client does not let us send (its window stays shut) is given up
        // after the write timeout, as a client that stops reading is on HTTP/1.1.
        if (s->responded && s->has_content() && !s->waiting &&
            now - std::max(s->sent_progress, s->progress) > limits.write_timeout &&
            std::min(nghttp2_session_get_stream_remote_window_size(ng_, id),
                     nghttp2_session_get_remote_window_size(ng_)) <= 0)
            nghttp2_submit_rst_stream(ng_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    }
    send_pending();
}

}  // namespace netius::net::http
