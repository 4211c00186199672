#pragma once
// Internal to H1ClientSession (h1_client_session.cpp, the request side and timeouts;
// h1_client_response.cpp, the response side): the exchange in progress on the connection.
#include <cstdint>
#include <memory>

#include "net/http/client/h1_client_session.hpp"

namespace netius::net::http {

struct H1ClientSession::Exchange {
    bool head_request = false;
    ExchangeCallbacks callbacks;
    Phase phase = Phase::kHead;
    BodyFraming framing = BodyFraming::kNone;
    bool keep_alive = true;
    std::uint64_t length = 0;        // Content-Length
    std::uint64_t remaining = 0;     // of it
    std::uint64_t bytes_in = 0;      // response bytes seen
    std::shared_ptr<Upload> upload;  // being sent (reset once complete)
    bool upload_chunked = false;
    bool upload_waiting = false;    // for the source (not the server's time)
    bool upgrade = false;           // asked to switch protocols
    bool tunnel = false;            // ... and the server did (101)
    std::uint64_t upload_left = 0;  // of its Content-Length
    bool uploading = false;         // the server has not taken the whole request yet
    std::uint64_t delivered = 0;    // the connection's bytes_delivered() when last looked at
};

}  // namespace netius::net::http
