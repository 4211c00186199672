#pragma once
// What an HTTP handler sees and fills (HttpServer). Plain data; loop thread only.
#include <string>
#include <string_view>
#include <vector>

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

    void clear() {
        status = Status::kOk;
        headers.clear();
        body = {};
        storage.clear();
    }
};

}  // namespace netius::net::http
