#pragma once
// Every bound the HTTP engine enforces, in one place (architecture rule 7). The defaults
// are nginx-like; the command layer overrides fields from its limits option group. Exceeding
// a size limit is answered with its status (named per field) and then the connection closes.
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace netius::net::http {

struct Limits {
    /// Request line + header fields + the empty line, in bytes (431 past it; 414 first when the
    /// request target alone is over max_target_bytes). Must stay below 4 GiB (the parser
    /// keeps 32-bit offsets).
    std::size_t max_head_bytes = 16 * 1024;
    /// Header field lines per request (431 past it).
    std::size_t max_header_count = 100;
    /// Request-target length (414 past it, RFC 9112 §3).
    std::size_t max_target_bytes = 8 * 1024;
    /// Decoded request content, Content-Length or chunked (413 past it); 0: no limit (a
    /// server that streams content to its handler, HttpServerOptions::stream_request_bodies,
    /// holds only a window of it). Compare against body_limit().
    std::uint64_t max_body_bytes = 16 * 1024 * 1024;
    /// Chunk extensions on one chunk-size line; they are ignored, only bounded (400 past it).
    std::size_t max_chunk_extension_bytes = 1024;
    /// The whole trailer section of a chunked body; trailers are ignored (431 past it).
    std::size_t max_trailer_bytes = 8 * 1024;
    /// Pipelined requests answered per batch on one connection; past it the session stops
    /// reading until those responses are written (back-pressure, not an error).
    std::size_t max_pipelined_requests = 16;

    /// Time allowed to receive a complete request head once its first byte arrived
    /// (slowloris bound; the connection is closed with 408 or silently).
    std::chrono::milliseconds header_read_timeout{10'000};
    /// Idle time allowed between requests on a keep-alive connection.
    std::chrono::milliseconds keep_alive_timeout{15'000};
    /// Maximum time without progress while reading a request body.
    std::chrono::milliseconds body_read_timeout{30'000};
    /// Maximum time without progress while writing a response.
    std::chrono::milliseconds write_timeout{30'000};

    /// max_body_bytes as a bound: UINT64_MAX when it is 0 (no limit).
    constexpr std::uint64_t body_limit() const {
        return max_body_bytes == 0 ? UINT64_MAX : max_body_bytes;
    }
};

/// HTTP/2 (RFC 9113) on the server's connections: the SETTINGS it announces and enforces.
/// Names follow netius' SETTINGS_* environment keys.
struct Http2Options {
    bool enabled = true;  // off: HTTP/1.1 only (no h2 in ALPN, the preface is a bad request)
    std::uint32_t header_table_size = 4096;  // HPACK dynamic table we let the client use
    /// Streams a client may have open at once. netius announces 512; 100 (h2o's and Apache's
    /// figure, RFC 9113 §6.5.2's floor) bounds the work and memory one connection can tie up.
    std::uint32_t max_concurrent_streams = 100;
    /// Bytes of request content a client may send on a stream (and on the whole connection)
    /// before we grant more; granted as the handler takes them, so a slow reader holds back
    /// only its own upload.
    std::uint32_t initial_window_size = 1u << 20;
    std::uint32_t max_frame_size = 128 * 1024;       // largest frame payload we accept
    std::uint32_t max_header_list_size = 16 * 1024;  // request fields, RFC 9113 §6.5.2 (431)
};

/// The HTTP client's bounds on what a server sends (the same struct, read by ResponseParser
/// and ChunkedDecoder): a response head up to 256 KiB (curl allows 300 KiB) with at most 500
/// field lines, chunk extensions and trailers as for requests. Content is unbounded: it
/// streams to the caller's sink (a download may be any size).
inline Limits client_limits() {
    Limits l;
    l.max_head_bytes = 256 * 1024;
    l.max_header_count = 500;
    l.max_body_bytes = 0;  // no limit
    l.max_trailer_bytes = 64 * 1024;
    return l;
}

/// A method longer than this is rejected with 400: no registered method comes close (the
/// longest in the IANA registry has 17 characters) and it bounds the request line scan.
inline constexpr std::size_t kMaxMethodBytes = 32;

}  // namespace netius::net::http
