// nghttp2's callbacks of H2ClientSession (h2_client_stream.hpp): the response's header blocks,
// DATA and stream ends into the exchanges' callbacks, and the request content out.
#include <nghttp2/nghttp2.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include "net/http/client/client_connection.hpp"
#include "net/http/client/h2_client_stream.hpp"

namespace netius::net::http {
namespace {

using Kind = ExchangeError::Kind;

}  // namespace

void H2ClientSession::Callbacks::install(nghttp2_session_callbacks* cbs) {
    nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &stream_close);
    nghttp2_session_callbacks_set_error_callback2(cbs, &error);
    nghttp2_session_callbacks_set_on_frame_send_callback(cbs, &frame_send);
}

int H2ClientSession::Callbacks::begin_headers(nghttp2_session*, const nghttp2_frame* frame,
                                              void* p) {
    if (frame->hd.type == NGHTTP2_HEADERS) self(p).head_.reset();
    return 0;
}

int H2ClientSession::Callbacks::header(nghttp2_session*, const nghttp2_frame* frame,
                                       const std::uint8_t* name, std::size_t namelen,
                                       const std::uint8_t* value, std::size_t valuelen,
                                       std::uint8_t, void* p) {
    H2ClientSession& s = self(p);
    Stream* st = s.find(frame->hd.stream_id);
    if (!st) return 0;
    st->bytes_in += namelen + valuelen;
    if (s.head_.add(h2_chars(name, namelen), h2_chars(value, valuelen))) return 0;
    st->error = ExchangeError{Kind::kProtocol, "malformed response: " + s.head_.error()};
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // resets the stream
}

int H2ClientSession::Callbacks::frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    H2ClientSession& s = self(p);
    const std::int32_t id = frame->hd.stream_id;
    switch (frame->hd.type) {
        case NGHTTP2_HEADERS:
            if (Stream* st = s.find(id); st && !st->final_head) {
                st->last_activity = Clock::now();
                ClientResponseHead head;
                if (!s.head_.finish(head)) {
                    st->error =
                        ExchangeError{Kind::kProtocol, "malformed response: " + s.head_.error()};
                    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
                }
                st->final_head = head.status >= 200;
                if (st->callbacks.head) st->callbacks.head(s.head_.raw(), head);
            }  // else trailers: ignored (bounded by head_ all the same)
            break;
        case NGHTTP2_RST_STREAM:
            if (Stream* st = s.find(id)) st->peer_reset = true;
            break;
        case NGHTTP2_SETTINGS:
            if (!(frame->hd.flags & NGHTTP2_FLAG_ACK)) s.changed_ = true;  // stream limit
            break;
        case NGHTTP2_GOAWAY:
            s.goaway_ = true;
            s.goaway_code_ = frame->goaway.error_code;
            spdlog::debug("{}: GOAWAY {} (last stream {})", s.owner_.host(),
                          nghttp2_http2_strerror(s.goaway_code_), frame->goaway.last_stream_id);
            break;
        default:
            break;
    }
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
        if (Stream* st = s.find(id)) st->remote_ended = true;
    return 0;
}

int H2ClientSession::Callbacks::data_chunk(nghttp2_session* session, std::uint8_t, std::int32_t id,
                                           const std::uint8_t* data, std::size_t len, void* p) {
    H2ClientSession& s = self(p);
    // The connection's window reopens at once: only streams hold data back.
    nghttp2_session_consume_connection(session, len);
    Stream* st = s.find(id);
    if (!st) return 0;  // cancelled meanwhile
    st->bytes_in += len;
    st->last_activity = Clock::now();
    if (st->callbacks.data && len) st->callbacks.data(h2_chars(data, len));
    st = s.find(id);  // the callback may have cancelled it, or closed everything
    if (!st || s.dropped_) return 0;
    if (st->paused)
        st->unconsumed += len;
    else
        nghttp2_session_consume_stream(session, id, len);
    return 0;
}

int H2ClientSession::Callbacks::stream_close(nghttp2_session*, std::int32_t id, std::uint32_t code,
                                             void* p) {
    H2ClientSession& s = self(p);
    Stream* st = s.find(id);
    if (!st) return 0;  // cancelled, or dropped
    std::optional<ExchangeError> error = st->error;
    const Kind cut = st->final_head ? Kind::kTruncated : Kind::kClosed;
    if (error) {
    } else if (code == NGHTTP2_REFUSED_STREAM) {
        error = ExchangeError{Kind::kClosed, "the server refused the stream", true};
    } else if (code != NGHTTP2_NO_ERROR && st->peer_reset) {
        error = ExchangeError{
            cut, fmt::format("the server reset the stream ({})", nghttp2_http2_strerror(code))};
    } else if (code != NGHTTP2_NO_ERROR) {  // nghttp2 found the response malformed
        error = ExchangeError{Kind::kProtocol,
                              fmt::format("malformed response ({})", nghttp2_http2_strerror(code))};
    } else if (!st->remote_ended || !st->final_head) {
        error = ExchangeError{cut, "the stream ended before the response was complete"};
    }
    s.end_stream(id, std::move(error));
    return 0;
}

ssize_t H2ClientSession::Callbacks::read_body(nghttp2_session*, std::int32_t id, std::uint8_t* buf,
                                              std::size_t length, std::uint32_t* flags,
                                              nghttp2_data_source*, void* p) {
    Stream* st = self(p).find(id);
    if (!st) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    if (st->upload) return self(p).read_upload(*st, buf, length, flags);
    const std::size_t n = std::min(length, st->body.size() - st->body_sent);
    std::memcpy(buf, st->body.data() + st->body_sent, n);
    st->body_sent += n;
    // Upload progress (the server's window let more out): the wait for the response
    // counts from the last of it, not from the request's start.
    st->last_activity = Clock::now();
    if (st->body_sent == st->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
}

int H2ClientSession::Callbacks::error(nghttp2_session*, int, const char* msg, std::size_t len,
                                      void* p) {
    H2ClientSession& s = self(p);
    s.error_.assign(msg, len);
    spdlog::debug("{}: HTTP/2: {}", s.owner_.host(), s.error_);
    return 0;
}

int H2ClientSession::Callbacks::frame_send(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    if (frame->hd.type == NGHTTP2_GOAWAY) self(p).broken_ = true;  // ours: no new streams
    return 0;
}

}  // namespace netius::net::http
