#pragma once
// ClientSession — the wire protocol of one client connection, the client counterpart of the
// server's HttpSession / Http2Session: ClientConnection connects (TCP, TLS, ALPN) and then
// hands its connection's events to the session ALPN (or --http2-prior-knowledge) chose:
// H1ClientSession (one exchange at a time, RFC 9112) or H2ClientSession (concurrent streams,
// RFC 9113). Exchanges are named by the HttpClient's request ids. Loop thread only.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/buffer.hpp"
#include "net/http/client/client_request.hpp"
#include "net/http/h1/response_parser.hpp"

namespace netius::net::http {

/// Why an exchange failed.
struct ExchangeError {
    enum class Kind {
        kConnect,    // no address accepted the connection
        kTimeout,    // connect, handshake or receive timeout
        kTls,        // the TLS handshake failed
        kTlsVerify,  // ... because the server's certificate was refused
        kClosed,     // closed or reset before the response was complete (not mid-body)
        kProtocol,   // a malformed response
        kTruncated,  // closed in the middle of the body
        kDns,        // the host name did not resolve (HttpClient)
        kUpload,     // the request's Upload failed (its error()); the server is not to blame
        kBusy,       // no connection free in time, or too many waiting for one (HttpClient);
                     // nothing was sent
    };
    Kind kind;
    std::string message;
    /// The request was not processed and can be sent again on a new connection: HTTP/1.1, the
    /// server closed a reused connection before any response byte (RFC 9112 §9.3.1); HTTP/2,
    /// the stream was refused or above a GOAWAY's last stream id (RFC 9113 §8.7).
    bool stale_connection = false;
};

struct ExchangeCallbacks {
    /// Progress lines for a verbose log: "Connected to 127.0.0.1:80 (#1)", "Re-using #1".
    std::function<void(std::string_view line)> info;
    /// The request head as it is written (body excluded; HTTP/2: as text, h2_message.hpp).
    std::function<void(std::string_view raw)> request;
    /// Every response head, 1xx included; `raw` is the head's bytes as received (HTTP/2: the
    /// decoded fields as text, "HTTP/2 200" first).
    std::function<void(std::string_view raw, const ClientResponseHead& head)> head;
    /// Content of the final response as it arrives.
    std::function<void(std::string_view data)> data;
    /// Once, last: nullopt when the response was complete.
    std::function<void(const std::optional<ExchangeError>& error)> done;
};

class ClientSession {
  public:
    /// Response content is read in pieces of up to this much (TcpConnection::
    /// set_input_reserve): one buffer kept for the whole body, and far fewer reads than 64 KiB
    /// at a time.
    static constexpr std::size_t kBodyReadReserve = 256 * 1024;

    virtual ~ClientSession() = default;

    /// The connection is up (called once, right after construction): HTTP/2 sends its
    /// preface; an unused session closes the connection after idle_timeout.
    virtual void start() = 0;
    /// Whether another request may be sent now (HTTP/1.1: none in progress; HTTP/2: a stream
    /// is free under the server's SETTINGS_MAX_CONCURRENT_STREAMS and no GOAWAY came).
    virtual bool available() const = 0;
    /// Whether it may take requests now or later (HTTP/2: false once GOAWAY came or went).
    virtual bool accepting() const = 0;
    /// Sends `request` as exchange `id` and reads its response into `callbacks`; only when
    /// available(). The callbacks run later, from the connection's events.
    virtual void send(std::uint64_t id, const ClientRequest& request,
                      ExchangeCallbacks callbacks) = 0;
    /// Back-pressure from exchange `id`'s sink: stop/resume taking its content (HTTP/1.1 stops
    /// reading the socket; HTTP/2 stops opening the stream's flow-control window). A paused
    /// exchange's receive timeout is suspended. Unknown ids are ignored.
    virtual void pause(std::uint64_t id) = 0;
    virtual void resume(std::uint64_t id) = 0;
    /// Abandons exchange `id` without its done callback: HTTP/1.1 closes the connection,
    /// HTTP/2 resets the stream (RST_STREAM CANCEL) and keeps the connection.
    virtual void cancel(std::uint64_t id) = 0;

    // Events of the connection (ClientConnection forwards them).
    virtual void on_message(Buffer& in) = 0;
    virtual void on_peer_shutdown() = 0;
    /// The connection went down on its own (reset, read or write error: `error`, possibly
    /// empty): every exchange fails (done callbacks). The connection closes itself after.
    virtual void on_down(const std::string& error) = 0;
    /// The connection is being closed by its owner: drop every exchange without its done
    /// callback and stop the timers. The session may be inside one of its callbacks.
    virtual void drop() = 0;
};

}  // namespace netius::net::http
