#include "net/http/client/h2_client_session.hpp"

#include <nghttp2/nghttp2.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/http/client/client_connection.hpp"
#include "net/http/client/h2_client_stream.hpp"
#include "util/error.hpp"

namespace netius::net::http {
namespace {

using Kind = ExchangeError::Kind;

}  // namespace

void H2ClientSession::SessionFree::operator()(nghttp2_session* s) const noexcept {
    nghttp2_session_del(s);
}

H2ClientSession::H2ClientSession(ClientConnection& owner)
    : owner_(owner), head_(owner.options().limits) {
    nghttp2_session_callbacks* cbs = nullptr;
    nghttp2_option* option = nullptr;
    if (nghttp2_session_callbacks_new(&cbs) != 0 || nghttp2_option_new(&option) != 0) {
        nghttp2_session_callbacks_del(cbs);
        throw Error("nghttp2: out of memory");
    }
    Callbacks::install(cbs);
    // Windows reopen as the sinks take the content (data_chunk), not as frames arrive.
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_option_set_peer_max_concurrent_streams(option, kMaxStreams);
    nghttp2_session* session = nullptr;
    const int rv = nghttp2_session_client_new2(&session, cbs, this, option);
    nghttp2_session_callbacks_del(cbs);
    nghttp2_option_del(option);
    if (rv != 0) throw Error("nghttp2: {}", nghttp2_strerror(rv));
    session_.reset(session);
}

H2ClientSession::~H2ClientSession() {
    owner_.loop()->cancel(timer_);
}

void H2ClientSession::start() {
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(kStreamWindow)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
         static_cast<std::uint32_t>(owner_.options().limits.max_head_bytes)},
    };
    nghttp2_submit_settings(session_.get(), NGHTTP2_FLAG_NONE, settings, std::size(settings));
    nghttp2_session_set_local_window_size(session_.get(), NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
    idle_since_ = Clock::now();
    arm_timer();
    pump();
}

bool H2ClientSession::available() const {
    if (dropped_ || goaway_ || broken_) return false;
    const std::size_t limit = std::min<std::size_t>(
        kMaxStreams, nghttp2_session_get_remote_settings(session_.get(),
                                                         NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS));
    return streams_.size() < limit && nghttp2_session_check_request_allowed(session_.get()) != 0;
}

H2ClientSession::Stream* H2ClientSession::find(std::int32_t stream_id) const {
    auto it = streams_.find(stream_id);
    return it == streams_.end() ? nullptr : it->second.get();
}

void H2ClientSession::send(std::uint64_t id, const ClientRequest& request,
                           ExchangeCallbacks callbacks) {
    auto st = std::make_shared<Stream>();
    st->exchange = id;
    st->callbacks = std::move(callbacks);
    if (request.upgrade) {  // RFC 9113 §8.6: HTTP/2 has no 101
        ExchangeError e{Kind::kProtocol, "switching protocols needs HTTP/1.1, not HTTP/2"};
        owner_.loop()->queue_in_loop([st, e] { st->callbacks.done(e); });  // never inside send
        return;
    }
    st->body = request.body;
    st->upload = request.upload;
    if (st->upload) st->upload_left = st->upload->size();
    const FieldList fields = h2_request_fields(request);
    std::vector<nghttp2_nv> nva;
    nva.reserve(fields.size());
    for (const auto& [name, value] : fields)
        nva.push_back({reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                       reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())),
                       name.size(), value.size(), NGHTTP2_NV_FLAG_NONE});
    owner_.announce(st->callbacks);
    if (st->callbacks.request) st->callbacks.request(h2_request_display(request, fields));
    nghttp2_data_provider body{};
    body.read_callback = &Callbacks::read_body;
    const std::int32_t sid =
        nghttp2_submit_request(session_.get(), nullptr, nva.data(), nva.size(),
                               st->body.empty() && !st->upload ? nullptr : &body, nullptr);
    if (sid < 0) {  // no stream id left, or the session is going away: try another connection
        broken_ = true;
        ExchangeError e{Kind::kClosed, fmt::format("HTTP/2: {}", nghttp2_strerror(sid)), true};
        owner_.loop()->queue_in_loop([st, e] { st->callbacks.done(e); });  // never inside send
        return;
    }
    st->last_activity = Clock::now();
    if (st->upload)
        st->upload->set_ready([weak = weak_from_this(), sid, up = st->upload.get()] {
            auto self = weak.lock();
            Stream* s = self ? self->find(sid) : nullptr;
            if (!s || s->upload.get() != up || !s->upload_waiting) return;
            s->upload_waiting = false;
            nghttp2_session_resume_data(self->session_.get(), sid);
            self->pump();
        });
    streams_.emplace(sid, std::move(st));
    ids_[id] = sid;
    if (const auto& conn = owner_.tcp()) conn->set_input_reserve(kBodyReadReserve);
    arm_timer();
    pump();
}

ssize_t H2ClientSession::read_upload(Stream& st, std::uint8_t* buf, std::size_t length,
                                     std::uint32_t* flags) {
    std::string& held = st.upload_held;
    while (held.size() < length && !st.upload_ended) {
        const BodyStatus status = st.upload->read(held, length - held.size());
        if (status == BodyStatus::kWait) break;
        if (status == BodyStatus::kFailed) {
            st.error =
                ExchangeError{Kind::kUpload, "the request content failed: " + st.upload->error()};
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // resets the stream
        }
        st.upload_ended = status == BodyStatus::kDone;
    }
    if (st.upload_left && held.size() > *st.upload_left) {
        st.error =
            ExchangeError{Kind::kUpload, "the request content is longer than its Content-Length"};
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    const std::size_t n = std::min(length, held.size());
    if (n == 0 && !st.upload_ended) {
        st.upload_waiting = true;
        return NGHTTP2_ERR_DEFERRED;
    }
    std::memcpy(buf, held.data(), n);
    held.erase(0, n);
    if (st.upload_left) *st.upload_left -= n;
    st.last_activity = Clock::now();
    if (st.upload_ended && held.empty()) {
        if (st.upload_left && *st.upload_left != 0) {
            st.error = ExchangeError{Kind::kUpload,
                                     fmt::format("the request content ended {} bytes short of its "
                                                 "Content-Length",
                                                 *st.upload_left)};
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        *flags |= NGHTTP2_DATA_FLAG_EOF;
        st.upload.reset();
    }
    return static_cast<ssize_t>(n);
}

void H2ClientSession::pause(std::uint64_t id) {
    auto it = ids_.find(id);
    if (it == ids_.end()) return;
    if (Stream* st = find(it->second)) st->paused = true;
}

void H2ClientSession::resume(std::uint64_t id) {
    auto it = ids_.find(id);
    if (it == ids_.end()) return;
    Stream* st = find(it->second);
    if (!st || !st->paused) return;
    st->paused = false;
    st->last_activity = Clock::now();  // the time spent paused was ours, not the server's
    if (st->unconsumed) {
        nghttp2_session_consume_stream(session_.get(), it->second, st->unconsumed);
        st->unconsumed = 0;
    }
    arm_timer();
    pump();
}

void H2ClientSession::cancel(std::uint64_t id) {
    auto it = ids_.find(id);
    if (it == ids_.end()) return;
    const std::int32_t sid = it->second;
    ids_.erase(it);
    auto s = streams_.find(sid);
    if (s == streams_.end()) return;
    // We may be inside one of its callbacks: it dies from the loop's queue.
    owner_.loop()->queue_in_loop([dead = std::move(s->second)] {});
    streams_.erase(s);
    if (streams_.empty()) idle_since_ = Clock::now();
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, sid, NGHTTP2_CANCEL);
    pump();
}

void H2ClientSession::end_stream(std::int32_t stream_id, std::optional<ExchangeError> error) {
    auto it = streams_.find(stream_id);
    if (it == streams_.end()) return;
    std::shared_ptr<Stream> st = std::move(it->second);
    streams_.erase(it);
    ids_.erase(st->exchange);
    if (streams_.empty()) {
        idle_since_ = Clock::now();
        if (const auto& conn = owner_.tcp()) conn->set_input_reserve(0);
    }
    if (!error) ++completed_;
    changed_ = true;
    // Its callbacks may be running (a data callback that failed it): destroyed from the queue.
    owner_.loop()->queue_in_loop([st] {});
    if (st->callbacks.done) st->callbacks.done(error);
}

void H2ClientSession::fail_streams(const std::string& message,
                                   std::optional<ExchangeError::Kind> kind) {
    std::vector<std::int32_t> ids;
    for (const auto& [id, st] : streams_) ids.push_back(id);
    for (std::int32_t id : ids) {
        Stream* st = find(id);
        if (!st) continue;
        // As on HTTP/1.1: a request the server never answered on a connection that served
        // others may be sent again.
        const bool stale = !kind && st->bytes_in == 0 && completed_ > 0;
        std::string why = message;
        if (!kind)
            why = (st->final_head ? "the connection closed in the middle of the content"
                                  : "the connection closed before the response") +
                  message;
        end_stream(id,
                   ExchangeError{kind.value_or(st->final_head ? Kind::kTruncated : Kind::kClosed),
                                 std::move(why), stale});
    }
}

// ---- connection events ----

void H2ClientSession::on_message(Buffer& in) {
    std::string_view bytes = in.view();
    busy_ = true;
    const ssize_t n = nghttp2_session_mem_recv(
        session_.get(), reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    busy_ = false;
    in.retrieve_all();
    if (dropped_) return;  // a callback closed the connection
    if (n < 0) {
        broken_ = true;
        fail_streams(fmt::format("HTTP/2 protocol error: {}",
                                 error_.empty() ? nghttp2_strerror(static_cast<int>(n)) : error_),
                     Kind::kProtocol);
        pump();  // GOAWAY, if nghttp2 has one to send
        close_connection();
        return;
    }
    pump();
}

void H2ClientSession::on_peer_shutdown() {
    fail_streams(goaway_ ? fmt::format(" (GOAWAY {})", nghttp2_http2_strerror(goaway_code_)) : "",
                 std::nullopt);
    close_connection();
}

void H2ClientSession::on_down(const std::string& error) {
    fail_streams(error.empty() ? std::string() : ": " + error, std::nullopt);
}

void H2ClientSession::drop() {
    dropped_ = true;
    owner_.loop()->cancel(timer_);
    timer_ = {};
    // We may be inside one of the streams' callbacks: they die from the loop's queue.
    if (!streams_.empty()) owner_.loop()->queue_in_loop([dead = std::move(streams_)] {});
    streams_.clear();
    ids_.clear();
}

void H2ClientSession::close_connection() {
    if (dropped_) return;
    owner_.close();
    owner_.changed();
}

void H2ClientSession::pump() {
    if (busy_) {
        again_ = true;
        return;
    }
    do {
        again_ = false;
        const auto& conn = owner_.tcp();
        busy_ = true;
        for (;;) {
            const std::uint8_t* data = nullptr;
            const ssize_t n = nghttp2_session_mem_send(session_.get(), &data);
            if (n <= 0) {
                if (n < 0) {
                    broken_ = true;
                    error_ = nghttp2_strerror(static_cast<int>(n));
                }
                break;
            }
            if (conn) conn->send(h2_chars(data, static_cast<std::size_t>(n)));
        }
        busy_ = false;
        if (dropped_) return;
        if (changed_) {
            changed_ = false;
            owner_.changed();  // may send more requests (pump() again: again_)
            if (dropped_) return;
        }
    } while (again_);
    if (nghttp2_session_want_read(session_.get()) || nghttp2_session_want_write(session_.get()))
        return;
    // The session is over (GOAWAY sent or received, and no stream left to finish).
    fail_streams(error_.empty() ? "the HTTP/2 connection ended" : "HTTP/2: " + error_,
                 Kind::kProtocol);
    close_connection();
}

// ---- timeouts ----

void H2ClientSession::arm_timer() {
    if (dropped_) return;
    std::optional<Clock::time_point> when;
    if (streams_.empty()) when = idle_since_ + owner_.options().idle_timeout;
    for (const auto& [id, st] : streams_)
        if (!st->paused) {
            const auto t = st->last_activity + owner_.options().receive_timeout;
            if (!when || t < *when) when = t;
        }
    if (!when) return;  // every stream is paused: its resume() arms it again
    // A later deadline waits for the armed timer, which re-arms itself when it fires.
    if (timer_ && armed_for_ <= *when) return;
    owner_.loop()->cancel(timer_);
    armed_for_ = *when;
    timer_ = owner_.loop()->run_at(*when, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_timer();
    });
}

void H2ClientSession::on_timer() {
    timer_ = {};
    if (dropped_) return;
    const auto now = Clock::now();
    if (streams_.empty()) {
        if (now < idle_since_ + owner_.options().idle_timeout) {
            arm_timer();
            return;
        }
        nghttp2_session_terminate_session(session_.get(), NGHTTP2_NO_ERROR);
        pump();  // sends GOAWAY; the session is over: the connection closes
        return;
    }
    const auto wait = owner_.options().receive_timeout;
    std::vector<std::int32_t> late;
    for (const auto& [id, st] : streams_)
        if (st->paused || st->upload_waiting)  // our time, not the server's
            st->last_activity = now;
        else if (now >= st->last_activity + wait)
            late.push_back(id);
    for (std::int32_t id : late) {
        const Stream* st = find(id);
        if (!st) continue;
        const auto seconds = std::chrono::duration<double>(wait).count();
        ExchangeError e{Kind::kTimeout,
                        fmt::format("Timeout on receive (nothing for {:g} s, {} bytes received)",
                                    seconds, st->bytes_in)};
        nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
        end_stream(id, std::move(e));
        if (dropped_) return;
    }
    arm_timer();
    pump();
}

}  // namespace netius::net::http
