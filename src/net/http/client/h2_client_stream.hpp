#pragma once
// Internal to H2ClientSession (h2_client_session.cpp, h2_client_callbacks.cpp): a stream's
// state, and nghttp2's callbacks, which reach into the session (user_data is the session;
// each returns 0, or an nghttp2 error code).
#include <nghttp2/nghttp2.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http/client/h2_client_session.hpp"

namespace netius::net::http {

/// nghttp2's bytes as chars.
inline std::string_view h2_chars(const std::uint8_t* p, std::size_t n) {
    return {reinterpret_cast<const char*>(p), n};
}

struct H2ClientSession::Stream {
    std::uint64_t exchange = 0;
    ExchangeCallbacks callbacks;
    std::string body;  // request content, sent as DATA
    std::size_t body_sent = 0;
    std::shared_ptr<Upload> upload;            // or content from a source (DATA as it comes)
    std::string upload_held;                   // read from it, not yet framed
    std::optional<std::uint64_t> upload_left;  // of its size, when known
    bool upload_ended = false;                 // the source said kDone
    bool upload_waiting = false;               // deferred until the source is ready
    std::uint64_t bytes_in = 0;                // response bytes for it (fields and content)
    std::size_t unconsumed = 0;                // content taken while paused: its window stays shut
    Clock::time_point last_activity{};
    std::optional<ExchangeError> error;  // why we reset it ourselves
    bool final_head = false;             // a head >= 200 was handed on
    bool remote_ended = false;           // END_STREAM came
    bool peer_reset = false;             // RST_STREAM came
    bool paused = false;
};

struct H2ClientSession::Callbacks {
    /// Sets them as `cbs`' callbacks (the read callback goes in each request's data provider).
    static void install(nghttp2_session_callbacks* cbs);
    static H2ClientSession& self(void* p) { return *static_cast<H2ClientSession*>(p); }
    static int begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* p);
    static int header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
                      std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                      std::uint8_t, void* p);
    static int frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* p);
    static int data_chunk(nghttp2_session* session, std::uint8_t, std::int32_t id,
                          const std::uint8_t* data, std::size_t len, void* p);
    static int stream_close(nghttp2_session*, std::int32_t id, std::uint32_t code, void* p);
    static ssize_t read_body(nghttp2_session*, std::int32_t id, std::uint8_t* buf,
                             std::size_t length, std::uint32_t* flags, nghttp2_data_source*,
                             void* p);
    static int error(nghttp2_session*, int, const char* msg, std::size_t len, void* p);
    static int frame_send(nghttp2_session*, const nghttp2_frame* frame, void* p);
};

}  // namespace netius::net::http
