#pragma once
// Upload — request content the client sends as it becomes available instead of from a string
// held whole (ClientRequest::upload): a proxy passing a client's upload on while it arrives, a
// file or pipe of any size. The session pulls it on the loop thread while the connection's
// output is under a bounded window, so an upload of any size costs that window, never the
// whole content; a slow server holds the source back, and a slow source only delays the
// request (the session's receive timeout does not count time spent waiting for the source:
// bounding that is the source's business).
//
// Framing (RFC 9112 §6.3): size() known -> Content-Length, and the source must produce
// exactly that many bytes (otherwise the exchange fails: a request is never sent with a
// framing that lies); unknown -> chunked on HTTP/1.1, DATA frames until END_STREAM on HTTP/2.
//
// A source that was read from cannot be replayed unless it can start over (rewindable(): a
// regular file can, a pipe cannot): a request whose upload was touched is sent again (a
// retry, a 307/308 redirect, a stale connection) only when it is, after rewind().
//
// Loop thread only.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "net/http/body_source.hpp"

namespace netius::net::http {

class Upload {
  public:
    virtual ~Upload() = default;

    /// The exact content length when known in advance; nullopt: chunked.
    virtual std::optional<std::uint64_t> size() const = 0;
    /// Appends up to `max` (> 0) bytes of content to `out`. kMore: more may follow (call
    /// again); kWait: nothing now, the ready callback runs when there is; kDone: complete
    /// (this call may have appended the last piece); kFailed: the content cannot be completed
    /// (error() says why) and the exchange fails.
    virtual BodyStatus read(std::string& out, std::size_t max) = 0;
    /// What the source calls (on the loop thread, never inside read()) after kWait once a
    /// read would give something. Set by the session before its first read().
    virtual void set_ready(std::function<void()> ready) = 0;
    /// Why the content failed (after kFailed).
    virtual std::string error() const = 0;
    /// Whether any read() was made: a request whose content was read cannot be sent again.
    virtual bool consumed() const = 0;
    /// Whether rewind() can make the content whole again: true until a read was made, and
    /// after it for a source that can start over (a regular file); false for content that is
    /// gone once read (a pipe, a client's upload). A request is sent again only when true.
    virtual bool rewindable() const { return !consumed(); }
    /// Makes the source produce its whole content again from the start (consumed() false
    /// after it), for the same request sent again. Only when rewindable(), and only between
    /// exchanges: never while a session is reading the source.
    virtual void rewind() {}
};

}  // namespace netius::net::http
