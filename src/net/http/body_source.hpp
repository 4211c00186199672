#pragma once
// Streamed response content. A handler that cannot (or should not) hold its whole content in
// memory sets Response::stream to a BodySource instead of Response::body; the session then
// sends the head and *pulls* the content piece by piece, each time the connection's output
// queue has drained. A slow client therefore holds the producer back (back-pressure) and a
// response of any size costs a bounded amount of memory: one piece, plus what the kernel
// buffers. Pipelined requests wait until the stream has ended (RFC 9112 §9.3.2), and the write
// timeout still closes a connection whose client stops reading.
//
// Framing (RFC 9112 §6.3) follows size(): known -> Content-Length; unknown -> chunked for an
// HTTP/1.1 client, or the content ends when the connection closes for an HTTP/1.0 client.
//
// A generator of unknown length (the shape a WSGI iterable takes):
//
//     class Countdown final : public BodySource {
//       public:
//         BodyStatus pull(BodySink& out) override {
//             if (n_ == 0) return BodyStatus::kDone;
//             out.write(std::to_string(n_--) + "\n");
//             return BodyStatus::kMore;
//         }
//       private:
//         int n_ = 3;
//     };
//     res.stream = std::make_unique<Countdown>();   // HTTP/1.1: "2\r\n3\n\r\n" ... "0\r\n\r\n"
//
// Files: FileBody (file_body.hpp) sends ranges of an open file with sendfile(2) on plain TCP.
// Loop thread only, like the handler that made the source.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "util/unique_fd.hpp"

namespace netius::net::http {

/// Where a BodySource puts content; implemented by the session. Valid only during pull().
class BodySink {
  public:
    /// Appends `data` (copied before returning).
    virtual void write(std::string_view data) = 0;
    /// Whether write_file() may be used. False when the session transforms the content (e.g.
    /// compresses it): the source must then read the file itself and write() the bytes.
    virtual bool accepts_files() const = 0;
    /// Appends `length` bytes of `file` from `offset` without copying them through user
    /// space where the transport allows it (sendfile on plain TCP; 64 KiB reads under TLS).
    /// `file` is closed once its bytes are sent or the connection closes. A file that turns
    /// out shorter than `length` closes the connection (the length was promised). Only when
    /// accepts_files().
    virtual void write_file(UniqueFd file, off_t offset, std::uint64_t length) = 0;

  protected:
    ~BodySink() = default;
};

enum class BodyStatus : std::uint8_t {
    kMore,    // call pull() again once the output has drained
    kDone,    // the content is complete (this call may have written its last piece)
    kFailed,  // the content cannot be completed (e.g. a read error): the connection is
              // closed, so the client sees a truncated response, never a wrong one
    kWait,    // nothing to give yet (content is being made on another thread): pull() is
              // called again after the source's Resume::wake() (http_types.hpp), or earlier
};

class BodySource {
  public:
    /// Runs on the loop thread once the content is complete, the request was HEAD, or the
    /// connection closed mid-way (release resources here: a WSGI iterable's close()).
    virtual ~BodySource() = default;

    /// The exact number of content bytes pull() will produce, when known in advance (sent as
    /// Content-Length); nullopt when not. A source that produces a different amount than it
    /// announced has its connection closed.
    virtual std::optional<std::uint64_t> size() const { return std::nullopt; }

    /// Puts the next piece of content into `out`: a bounded amount of memory (tens to hundreds
    /// of KiB) or file ranges. A kMore call should write something: pulls are synchronous (a
    /// source cannot wait for data), and 64 kMore calls in a row that write nothing close the
    /// connection. Must not throw; the session treats an exception as kFailed.
    virtual BodyStatus pull(BodySink& out) = 0;
};

/// source.pull(out) for a session: an exception (the source's bug) is logged and becomes
/// kFailed, as the contract above says.
BodyStatus pull_guarded(BodySource& source, BodySink& out) noexcept;

}  // namespace netius::net::http
