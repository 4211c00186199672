// Http2Session's answering side: runs the handler for a stream (dispatch), deferred answers
// (Resume), and the response as HEADERS then DATA pulled by nghttp2 as the stream's window
// allows (read_data). Reading, flow control, timeouts and closing are in http2_session.cpp.
#include <nghttp2/nghttp2.h>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <ctime>

#include "net/coarse_clock.hpp"
#include "net/http/char_class.hpp"
#include "net/http/h2/http2_session.hpp"
#include "net/http/server/http_server.hpp"
#include "net/http/server/response_coding.hpp"

namespace netius::net::http {
namespace {

ssize_t read_cb(nghttp2_session*, std::int32_t stream_id, std::uint8_t* buf, std::size_t length,
                std::uint32_t* flags, nghttp2_data_source*, void* ud) {
    return static_cast<Http2Session*>(ud)->read_data(stream_id, buf, length, flags);
}

bool connection_specific(std::string_view lower_name) {
    return lower_name == "connection" || lower_name == "keep-alive" ||
           lower_name == "proxy-connection" || lower_name == "transfer-encoding" ||
           lower_name == "upgrade" || lower_name == "content-length";
}

nghttp2_nv nv(std::string_view name, std::string_view value) {
    return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
            reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
            value.size(), NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

void Http2Session::dispatch(Http2Stream& s) {
    s.dispatched = true;
    buffered_bodies_ -= s.body().size();
    const TcpConnectionPtr conn = conn_->shared_from_this();
    current_ = &s;
    Response& response =
        run_handler(conn, Request{s.head(), s.body(), client(conn), s.body_stream()});
    current_ = nullptr;
    if (deferred(response)) {
        s.deferred = true;
        return;
    }
    s.deferred = false;  // a handler that deferred and then threw is answered now
    submit(s, response);
}

Resume Http2Session::defer(const TcpConnectionPtr& conn) {
    Resume r;
    make_resume(r, conn, static_cast<std::uint64_t>(current_->id()));
    return r;
}

void Http2Session::finish_deferred(const TcpConnectionPtr&, std::uint64_t id,
                                   const Resume::Fill& fill) {
    Http2Stream* s = stream(static_cast<std::int32_t>(id));
    if (!s || !s->deferred || closed_) return;
    s->deferred = false;
    Response& response = server_.scratch().response;
    response.clear();
    try {
        fill(response);
    } catch (const std::exception& e) {
        spdlog::error("deferred response for {} {} failed: {}", s->head().method, s->head().path,
                      e.what());
        response.clear();
        response.status = Status::kInternalServerError;
        response.body = "500 Internal Server Error\n";
    }
    submit(*s, response);
    send_pending();
}

void Http2Session::wake_stream(const TcpConnectionPtr&, std::uint64_t id) {
    Http2Stream* s = stream(static_cast<std::int32_t>(id));
    if (!s || !s->waiting || closed_) return;
    s->waiting = false;
    nghttp2_session_resume_data(ng_, s->id());
    send_pending();
}

void Http2Session::submit(Http2Stream& s, Response& response) {
    const HttpServerOptions& o = server_.options();
    HttpServer::Scratch& scratch = server_.scratch();
    if (auto& body = s.body_stream()) {  // the answer ends the reading of the content
        body->abandon();
        body.reset();
        consume(s, s.unconsumed);
    }
    s.responded = true;
    const RequestHead& head = s.head();
    const bool has_content = allows_content(response.status);
    const std::optional<ContentCoding> coding =
        choose_coding(o.encoding, head, response, has_content, scratch.weak_etag);

    std::optional<std::uint64_t> length;  // content-length
    std::string_view content;
    if (response.stream) {
        if (has_content) {
            if (!coding) length = response.stream->size();
            if (!head.is_head() && length != std::uint64_t{0})
                s.set_source(std::move(response.stream), coding);
        }
        response.stream.reset();
    } else if (has_content) {
        content = response.body;
        if (coding && !content.empty()) {
            scratch.compressed = compress(*coding, content);
            content = scratch.compressed;
        }
        if (response.status != Status::kNotModified) length = content.size();
        if (!head.is_head() && !content.empty()) s.set_content(content);
    }
    if (coding && (s.has_content() || head.is_head()))
        response.headers.push_back({"Content-Encoding", coding_name(*coding)});

    // :status, server, date, the handler's fields in lower case, content-length.
    std::string& names = scratch.field_names;
    names.clear();
    std::size_t name_bytes = 0;
    for (const Header& h : response.headers) name_bytes += h.name.size();
    names.reserve(name_bytes);  // no reallocation below: the nv entries point into it
    std::array<char, 24> status_text{}, length_text{};
    const int code_value = code(response.status);
    status_text[0] = static_cast<char>('0' + code_value / 100 % 10);
    status_text[1] = static_cast<char>('0' + code_value / 10 % 10);
    status_text[2] = static_cast<char>('0' + code_value % 10);
    std::vector<nghttp2_nv> fields;
    fields.reserve(response.headers.size() + 4);
    fields.push_back(nv(":status", std::string_view(status_text.data(), 3)));
    fields.push_back(nv("server", kServerName));
    fields.push_back(nv("date", server_.date()));
    for (const Header& h : response.headers) {
        const std::size_t at = names.size();
        for (char c : h.name) names += detail::ascii_lower(c);
        const std::string_view lower = std::string_view(names).substr(at);
        if (connection_specific(lower)) continue;  // RFC 9113 §8.2.2
        fields.push_back(nv(lower, h.value));
    }
    if (length) {
        auto [end, ec] = std::to_chars(length_text.data(), length_text.data() + 24, *length);
        fields.push_back(nv("content-length",
                            std::string_view(length_text.data(),
                                             static_cast<std::size_t>(end - length_text.data()))));
    }
    nghttp2_data_provider provider{};
    provider.read_callback = read_cb;
    const int rv = nghttp2_submit_response(ng_, s.id(), fields.data(), fields.size(),
                                           s.has_content() ? &provider : nullptr);
    names.clear();
    if (rv != 0)
        spdlog::debug("h2: submitting the response of stream {}: {}", s.id(), nghttp2_strerror(rv));
    if (AccessLog* log = server_.access_log()) {
        const std::string client_host = client(conn_->shared_from_this()).host();
        if (s.streams_content())  // logged when the stream closes, with the bytes sent
            s.log_entry = std::make_unique<AccessEntry>(
                AccessLog::entry(client_host, head, response.status, response.log_extra));
        else
            log->log(client_host, head, response.status,
                     head.is_head() || !has_content ? 0 : length.value_or(0), std::time(nullptr),
                     response.log_extra);
    }
    std::string().swap(s.body());
}

void Http2Session::log_streamed(Http2Stream& s) {
    if (!s.log_entry) return;
    if (AccessLog* log = server_.access_log())
        log->log(*s.log_entry, s.content_sent, std::time(nullptr));
    s.log_entry.reset();
}

void Http2Session::submit_error(Http2Stream& s, Status status) {
    if (s.responded) return;
    s.dispatched = true;
    Response& response = server_.scratch().response;
    response.clear();
    response.status = status;
    response.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    response.storage = std::to_string(code(status));
    response.storage += ' ';
    response.storage += reason_phrase(status);
    response.storage += '\n';
    response.body = response.storage;
    response.compressible = false;
    submit(s, response);
}

long Http2Session::read_data(std::int32_t stream_id, std::uint8_t* buf, std::size_t length,
                             std::uint32_t* flags) {
    Http2Stream* s = stream(stream_id);
    if (!s) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    std::size_t n = 0;
    bool end = false;
    switch (s->read(buf, length, n, end)) {
        case Http2Stream::Read::kData:
            s->sent_progress = coarse_now();
            s->content_sent += n;
            if (end) *flags |= NGHTTP2_DATA_FLAG_EOF;
            return static_cast<long>(n);
        case Http2Stream::Read::kWait:
            return NGHTTP2_ERR_DEFERRED;  // until Resume::wake (wake_stream)
        case Http2Stream::Read::kFailed:
            break;
    }
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // RST_STREAM(INTERNAL_ERROR)
}

}  // namespace netius::net::http
