#pragma once
// wsgi.input and wsgi.errors (PEP 3333 "Input and Error Streams").
//
// InputStream reads the request body, either one the engine has read whole (it came with its
// head: Content-Length or chunked, bounded by --max-body-bytes; bodies over kSpillBytes are
// moved to an unnamed temporary file, O_TMPFILE else tmpfile()) or, for one still arriving,
// streamed from an http::RequestBody: a read waits (GIL released, at most the body timeout)
// for content the loop reads from the socket as the app drains it, and the first read sends
// `100 Continue` when the client expects it. read(n) / readline(n) / readlines(hint) /
// iteration return bytes (read(n) returns n unless the content ends first), b"" at the end;
// size -1 or None reads to the end (wsgi.input_terminated is true: reading past the end is
// safe). A streamed read raises OSError when the client goes away, its chunked framing is
// bad, the body timeout passes, or the response has already gone out (read the content
// before the first piece of a streamed response).
//
// ErrorStream logs each complete line at WARNING ("wsgi.errors: ...").
//
// Python objects: use with the GIL held, from one thread at a time.
#include <cstdio>
#include <memory>
#include <string>

#include <pybind11/pybind11.h>

#include "net/http/request_body.hpp"

namespace netius::net::wsgi {

class InputStream {
  public:
    static constexpr std::size_t kSpillBytes = 1024 * 1024;

    /// Takes the body; spills it to a temporary file when large (the copy in memory is freed).
    explicit InputStream(std::string body);
    /// Streams `body` (read on a thread other than the loop's).
    explicit InputStream(std::shared_ptr<http::RequestBody> body) : stream_(std::move(body)) {}
    ~InputStream();
    InputStream(const InputStream&) = delete;  // owns the FILE: make it with new, see make_call
    InputStream& operator=(const InputStream&) = delete;

    pybind11::bytes read(const pybind11::object& size);
    pybind11::bytes readline(const pybind11::object& size);
    pybind11::list readlines(const pybind11::object& hint);
    pybind11::object next();  // __next__: a line, or StopIteration

    /// Whether the app read anything (for logs and tests).
    bool touched() const { return touched_; }

  private:
    std::string take(std::size_t n, bool line);
    std::string take_stream(std::size_t n, bool line);

    std::shared_ptr<http::RequestBody> stream_;  // the body when streamed
    bool ended_ = false;                         // stream_ has given all of it
    std::string data_;           // the body when in memory; when streamed, what was read ahead
    std::FILE* file_ = nullptr;  // the body when spilled
    std::size_t size_ = 0;
    std::size_t pos_ = 0;
    bool touched_ = false;
};

class ErrorStream {
  public:
    void write(const std::string& text);
    void writelines(const pybind11::iterable& lines);
    void flush();

  private:
    std::string pending_;
};

/// Registers the two classes in `module` (once, at start-up). GIL held.
void register_streams(pybind11::module_& module);

}  // namespace netius::net::wsgi
