#pragma once
// The HTTP handler of `netius serve wsgi`: each request becomes a call of the WSGI app
// (AppCall) whose status, headers and content become the Response (PEP 3333 on the engine of
// net/http). Two modes:
//   - threads == 0: the app runs on the loop thread, which holds the GIL while serving (the
//     fastest for apps that do not block); a request whose content is still arriving
//     (http::Request::body_stream: the server streams request bodies) runs on a small pool
//     created on first use, as below, so its wsgi.input reads can wait;
//   - threads  > 0: the app runs on a pool of that many threads; the loop thread releases the
//     GIL while serving and never touches a Python object, responses are deferred
//     (Response::defer) and content is handed from the pool to the loop piece by piece;
//     write() data goes to the client before write() returns (threaded_body.hpp).
// Framing (PEP 3333 "Buffering and Streaming"): the content of an iterable that ended with
// its first piece, or the app's Content-Length, is sent with Content-Length; otherwise the
// engine chunks it (HTTP/1.1) or closes after it (HTTP/1.0). HEAD gets no content.
#include <chrono>
#include <memory>

#include <pybind11/pybind11.h>

#include "net/http/server/http_server.hpp"
#include "net/wsgi/environ.hpp"

namespace netius::net::wsgi {

struct WsgiOptions {
    EnvironConfig environ;
    int threads = 0;
    /// --threads: how long write() waits for the client to take earlier data (--write-timeout).
    std::chrono::milliseconds write_timeout{30'000};
};

/// Makes the handler for `app`. GIL held by the calling thread, which is the loop thread that
/// will serve; with threads > 0 the GIL is released before returning and taken back when the
/// last copy of the handler is destroyed (on that thread); with threads == 0 that loop
/// (EventLoop::current()) releases the GIL around each wait for events and holds it
/// otherwise (EventLoop::set_wait_hooks). Throws netius::Error when the
/// threads cannot be started.
http::Handler make_wsgi_handler(pybind11::object app, const WsgiOptions& options);

}  // namespace netius::net::wsgi
