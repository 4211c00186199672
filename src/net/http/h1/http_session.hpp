#pragma once
// HttpSession — the per-connection HTTP/1.1 state machine between a TcpConnection and the
// server's Handler: parses pipelined requests in order (RFC 9112 §9.3.2), reads bodies
// (Content-Length or chunked, with `Expect: 100-continue`), answers each with one batched
// write per read event, rejects bad input with its status and closes, and enforces the
// header, body, idle and write timeouts when the server's sweep calls check_timeouts().
// A response with a streamed body (Response::stream) is pulled through a BodyStream as the
// output drains; reading stops meanwhile and resumes, with any pipelined requests already
// buffered, once it has ended. A deferred response (Response::defer) holds the request (its
// bytes stay in the input buffer) until Resume::finish runs on the loop. Responding is in
// http_session_respond.cpp.
// With HttpServerOptions::stream_request_bodies, a request whose content is not all in with
// its head is handed to the handler at once with a RequestBody (net/http/request_body.hpp) that the
// session fills as the content arrives, reading the socket only while its window has room;
// `100 Continue` goes out when the reader first asks. An answer made before the whole content
// arrived closes the connection after it (RFC 9112 §9.6, lingering so the client reads it).
// That side is in http_session_body.cpp, with HttpServerOptions::tunnel_upgrades: a request
// to switch protocols answered 101 turns the connection into a tunnel (raw bytes both ways).
//
// Lifetime: one session per request burst, not per connection. Once a keep-alive response is
// out and nothing is pending (can_rest()), HttpServer drops the session; the connection rests
// with no session (like nginx's between requests) until its next bytes arrive, and then gets
// a new one made `continued`: no PROXY header and no HTTP/2 preface is accepted any more. The
// idle timeout of a resting connection is the server's (TcpConnection::created() is restamped
// when it rests); deferral ids are server-wide, so a stale Resume never answers a later
// request. A session that learnt the client from a PROXY header keeps it, and never rests.
// Loop thread only.
#include <memory>
#include <optional>
#include <string>

#include "net/http/h1/body_stream.hpp"
#include "net/http/h1/chunked_decoder.hpp"
#include "net/http/h1/request_parser.hpp"
#include "net/http/http_types.hpp"
#include "net/http/server/access_log.hpp"
#include "net/http/server/server_session.hpp"
#include "net/tcp_connection.hpp"

namespace netius::net::http {

class HttpServer;

/// The state of the request being read on a connection. Idle connections hold none: the
/// server lends one from its pool when bytes arrive and takes it back when they are handled.
struct Exchange {
    explicit Exchange(const Limits& limits) : parser(limits), chunked(limits) {}
    /// Ready for a new request (keeps capacities).
    void reset() {
        parser.reset();
        chunked.reset();
        head.clear();
        body.clear();
        base = nullptr;
        head_len = body_scan = seen = 0;
        head_done = continue_sent = owned_head = false;
    }

    RequestParser parser;
    ChunkedDecoder chunked;
    RequestHead head;
    std::string body;            // decoded chunked content
    const char* base = nullptr;  // where head's views point (the buffer may move)
    std::size_t head_len = 0;
    std::size_t body_scan = 0;  // chunked: input consumed so far, from the request start
    std::size_t seen = 0;       // bytes of the current request seen (progress for timeouts)
    bool head_done = false;
    bool continue_sent = false;
    bool owned_head = false;  // head's views point into head_copy, not the input buffer
    std::string head_copy;    // a streamed request's head (its bytes left the input)
};

class HttpSession final : public ServerSession {
  public:
    /// `continued`: made for a connection that rested after serving requests (see above).
    explicit HttpSession(HttpServer& server, bool continued = false);

    void on_message(const TcpConnectionPtr& conn, Buffer& in) override;
    void on_high_water(const TcpConnectionPtr& conn) override;
    void on_write_complete(const TcpConnectionPtr& conn) override;
    void check_timeouts(const TcpConnectionPtr& conn, Clock::time_point now) override;
    /// Closes after the current response (an idle connection: now).
    void close_when_idle(const TcpConnectionPtr& conn) override;
    void on_disconnect() override;
    /// Between keep-alive requests with nothing pending: no request, response, deferral,
    /// tunnel, input or output; reading; no PROXY client to remember.
    bool can_rest(const TcpConnectionPtr& conn) const override;
    Resume defer(const TcpConnectionPtr& conn) override;
    void finish_deferred(const TcpConnectionPtr& conn, std::uint64_t id,
                         const Resume::Fill& fill) override;
    void wake_stream(const TcpConnectionPtr& conn, std::uint64_t id) override;
    /// The reader of `body` asked for content (first read, or room made in a full window):
    /// sends 100 Continue once when expected, resumes reading. Loop thread.
    void on_body_demand(const TcpConnectionPtr& conn, const RequestBody* body);

  private:
    /// The window of a streamed request's content (RequestBody): read ahead of the app.
    static constexpr std::size_t kBodyWindow = 512 * 1024;

    /// Between requests with nothing buffered.
    bool idle(const TcpConnectionPtr& conn) const;
    enum class Phase : std::uint8_t { kProxy, kIdle, kHead, kBody, kClosing };

    /// Reads the PROXY header; false while it is incomplete or after it was refused.
    bool read_proxy(const TcpConnectionPtr& conn, Buffer& in);
    /// On a fresh connection with HTTP/2 enabled: whether the input is (or may still become)
    /// the HTTP/2 connection preface; sets wants_http2_ once it is whole.
    bool preface_pending(Buffer& in);

    bool read_body(std::string_view data, std::size_t& total, std::string_view& body);
    /// stream_request_bodies: hands the request whose head was just read to the handler with a
    /// RequestBody (the head is copied: its bytes leave the input), then feeds it.
    void start_body_stream(const TcpConnectionPtr& conn, Buffer& in);
    /// Copies the request head out of `in` (its views follow), which may then drop it.
    void own_head(Buffer& in);
    /// Moves content from `in` into body_in_ while its window has room; stops reading when
    /// it is full or complete. Bad chunked framing (or content over max_body_bytes) is
    /// answered here (400/413, then close) and fails the reader.
    void feed_body(const TcpConnectionPtr& conn, Buffer& in);
    /// The body_in_ of a streamed request, whose reader's demand resumes this session.
    void make_body_in(const TcpConnectionPtr& conn);
    /// tunnel_upgrades: whether the request just read asks to switch protocols.
    bool asks_to_switch() const;
    /// Hands it to the handler with an empty, open body_in_ (its bytes leave the input).
    void start_switch_request(const TcpConnectionPtr& conn, Buffer& in);
    /// The handler answered it 101 with a stream: the head, then a tunnel.
    void switch_to_tunnel(const TcpConnectionPtr& conn, Response& response);
    /// A tunnel's input: pushed to body_in_ as it is while its window has room.
    void feed_tunnel(const TcpConnectionPtr& conn, Buffer& in);
    /// Runs the handler and appends its response to out_ (a streamed one also sets stream_).
    void respond(const TcpConnectionPtr& conn, std::string_view body);
    /// Frames `response` for the current request and appends it to out_ (or sets stream_).
    void send_response(const TcpConnectionPtr& conn, Response& response);
    /// After a response that ended outside on_message: close, or read the next request.
    void after_response(const TcpConnectionPtr& conn);
    void respond_stream(const TcpConnectionPtr& conn, Response& response, ResponseHead& rh,
                        std::optional<ContentCoding> coding);
    /// Sends out_ and starts stream_. True when it ended at once (the next pipelined request
    /// may be answered now); false while it waits for the output to drain, or after a failure.
    bool run_stream(const TcpConnectionPtr& conn);
    /// On write-complete: pulls more; once the stream ends, closes or reads on.
    void continue_stream(const TcpConnectionPtr& conn);
    /// The stream ended (sent, failed or cut off): logs its request with the bytes sent.
    void finish_stream();
    void reject(const TcpConnectionPtr& conn, Status status, std::string_view reason);
    /// Sends this event's responses; when closing, `unread` (the client sent more than we
    /// answered) chooses a lingering half-close over an immediate close.
    void flush(const TcpConnectionPtr& conn, bool unread);
    void close_after_output(const TcpConnectionPtr& conn, bool unread);
    /// The response being made is the connection's last: close once it is out.
    void close_after_response();
    void wait_for(Phase phase, std::chrono::milliseconds timeout);

    std::unique_ptr<Exchange> x_;           // the request being read; none while idle
    std::string& out_;                      // the server's scratch: this read event's responses
    std::unique_ptr<BodyStream> stream_;    // the streamed response being sent, if any
    std::shared_ptr<RequestBody> body_in_;  // the streamed request content being read
    std::uint64_t body_left_ = 0;           // its Content-Length bytes not yet fed
    bool unread_body_ = false;              // answered before the content arrived: linger on close
    bool switch_pending_ = false;           // a request to switch protocols awaits its answer
    bool tunnel_ = false;                   // switched: raw bytes both ways until the end
    Phase phase_ = Phase::kIdle;
    bool fresh_ = true;               // no request byte read yet (the h2 preface may come)
    std::uint64_t defer_seq_ = 0;     // the last deferral id given (server-wide, never 0)
    std::uint64_t deferred_id_ = 0;   // the one awaiting Resume::finish, 0 when none
    std::size_t deferred_total_ = 0;  // its size in the input buffer
    Clock::time_point deadline_;
    std::unique_ptr<AccessEntry> stream_entry_;  // stream_'s access log line, for its end
};

}  // namespace netius::net::http
