#pragma once
// What an HTTP handler sees and fills (HttpServer). Plain data; loop thread only.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/body_source.hpp"
#include "net/http/request_head.hpp"
#include "net/http/status.hpp"
#include "net/inet_address.hpp"

namespace netius::net::http {

/// One complete request. Views are valid only during the handler call.
struct Request {
    const RequestHead& head;
    std::string_view body;    // decoded content (Content-Length or chunked), may be empty
    const InetAddress& peer;  // the client (from the PROXY header when one was given)
};

/// The handler's answer. Reused between requests on a connection (clear() keeps capacity).
struct Response {
    Status status = Status::kOk;
    /// Header fields as views; their bytes must outlive the handler call (static text, or
    /// text kept in `storage`). Server, Date, framing and Connection are added by the server.
    std::vector<Header> headers;
    /// The content: a view of bytes that outlive the call (e.g. a configured message), or of
    /// `storage` when the handler builds it.
    std::string_view body;
    std::string storage;
    /// Content produced piece by piece as the connection drains (a file, a generator) instead
    /// of `body`; its size() becomes Content-Length (see body_source.hpp). Dropped unused for
    /// HEAD and for statuses without content.
    std::unique_ptr<BodySource> stream;
    /// Whether the server's --encoding gzip/deflate may compress this content (when the
    /// client accepts it). Set false for content that is already compressed (images, a
    /// precompressed file with its own Content-Encoding) or partial (206).
    bool compressible = true;

    void clear() {
        status = Status::kOk;
        headers.clear();
        body = {};
        storage.clear();
        stream.reset();
        compressible = true;
    }
};

}  // namespace netius::net::http
