#pragma once
// HTTP/1.1 response serialisation (RFC 9112 §4, §6, §7; RFC 9110 §6.2, §15). Appends to a
// caller-owned std::string: no iostreams, no formatting library, one allocation at most when
// the string must grow. Pure functions, any thread.
//
// Every response is "HTTP/1.1": RFC 9110 §6.2 has a server answer with the highest minor
// version it conforms to, also to HTTP/1.0 clients. Field order (nginx's): Server, Date, the
// caller's fields, Content-Length or Transfer-Encoding, Connection.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "net/http/request_head.hpp"
#include "net/http/status.hpp"

namespace netius::net::http {

/// How the content of a response is delimited (RFC 9112 §6.3).
enum class Framing : std::uint8_t {
    kLength,   // Content-Length: content_length
    kChunked,  // Transfer-Encoding: chunked, then append_chunk()... append_last_chunk().
               // HTTP/1.1 clients only (an HTTP/1.0 client cannot decode it, §7).
    kClose,    // no length: content ends when the connection closes (streaming to HTTP/1.0);
               // implies Connection: close
    kNone,     // no content and no framing field; forced for 1xx and 204 (RFC 9110 §8.6)
};

struct ResponseHead {
    Status status = Status::kOk;
    std::string_view reason;  // instead of reason_phrase(status) when set (checked by the caller)
    /// Fields written as given, in order (Content-Type, Content-Encoding, ETag...). Names
    /// and values must be valid field syntax; the writer does not check or escape them.
    std::span<const Header> headers;
    Framing framing = Framing::kLength;
    std::uint64_t content_length = 0;  // for kLength (also sent for HEAD, RFC 9110 §9.3.2)
    bool keep_alive = true;  // false: "Connection: close", the server closes after the response
    bool http10 = false;     // request was HTTP/1.0: a kept connection is announced (§9.3)
};

/// Appends the status line, Server, Date (`date` from DateCache), head.headers, the framing
/// field and the Connection field, then the empty line.
void append_head(std::string& out, const ResponseHead& head, std::string_view date);

/// append_head with Framing::kLength = content.size() (none for 304: its length would have to
/// be the 200's), then `content` unless the request was HEAD (`head_request`) or the status
/// has no content.
void append_response(std::string& out, ResponseHead head, std::string_view content,
                     bool head_request, std::string_view date);

/// "HTTP/1.1 100 Continue" and the empty line (RFC 9110 §15.2.1), sent before reading the
/// content of an `Expect: 100-continue` request.
void append_continue(std::string& out);

/// One chunk: hex size, CRLF, data, CRLF (RFC 9112 §7.1). Empty data appends nothing (an
/// empty chunk would end the body).
void append_chunk(std::string& out, std::string_view data);

/// The last chunk and an empty trailer section: "0\r\n\r\n".
void append_last_chunk(std::string& out);

/// A complete error response for a rejected request: `status`, a short text body
/// ("400 Bad Request\n", never internal detail), Content-Type text/plain, and
/// Connection: close (the caller closes after writing it). `head_request` omits the body.
void append_error(std::string& out, Status status, std::string_view date,
                  bool head_request = false);

}  // namespace netius::net::http
