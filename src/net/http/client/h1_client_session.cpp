#include "net/http/client/h1_client_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "net/event_loop.hpp"
#include "net/http/client/client_connection.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::http {
namespace {

// Bodies are read in pieces of up to this much (see TcpConnection::set_input_reserve): one
// buffer kept for the whole body, and far fewer reads than 64 KiB at a time.
constexpr std::size_t kReadReserve = 256 * 1024;
// An upload is read from its source in pieces of up to this much.
constexpr std::size_t kUploadPiece = 64 * 1024;
// While a request is still going out, how often the peer's progress taking it is looked at.
constexpr std::chrono::milliseconds kUploadCheck{250};
// A request head up to this size, without content, goes out whole into any socket's buffer.
constexpr std::size_t kUnwatchedHead = 16 * 1024;

}  // namespace

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

// Whether the request is still going out: content from its source not all sent yet (a source
// is pumped only once the output drains: the server may be holding it back), or bytes the
// server has not taken.
bool H1ClientSession::still_uploading(const Exchange& x, TcpConnection& conn) {
    return x.upload != nullptr || conn.has_pending_output() ||
           conn.bytes_delivered() < conn.bytes_written();
}

H1ClientSession::H1ClientSession(ClientConnection& owner)
    : owner_(owner), parser_(owner.options().limits), chunked_(owner.options().limits) {}

H1ClientSession::~H1ClientSession() {
    owner_.loop()->cancel(timer_);
}

void H1ClientSession::start() {
    last_activity_ = Clock::now();
    arm_timer(owner_.options().idle_timeout);
}

void H1ClientSession::send(std::uint64_t, const ClientRequest& request,
                           ExchangeCallbacks callbacks) {
    exchange_ = std::make_unique<Exchange>();
    Exchange& x = *exchange_;
    x.head_request = request.is_head();
    x.callbacks = std::move(callbacks);
    parser_.reset();
    std::string bytes;
    append_request(bytes, request);
    owner_.announce(x.callbacks);
    if (x.callbacks.request) {
        std::string_view view = bytes;
        x.callbacks.request(view.substr(0, view.find("\r\n\r\n") + 4));
    }
    last_activity_ = Clock::now();
    arm_timer(owner_.options().receive_timeout);
    x.upgrade = request.upgrade;
    x.upload = request.upload;
    if (x.upload) {
        x.upload_chunked = !x.upload->size() && !x.upgrade;
        x.upload_left = x.upload->size().value_or(0);
        // The first write-complete event follows the head's send below; a tunnel's upload
        // starts with the 101.
        if (!x.upgrade) start_upload();
    }
    const TcpConnectionPtr& conn = owner_.tcp();
    const bool head_only = !x.upload && bytes.size() <= kUnwatchedHead;
    conn->send(bytes);
    // A large request to a slow reader: the wait for the response counts from its end, and
    // until then each bit of it the server takes restarts the wait (check_upload). A small
    // head alone is not watched (that costs a system call): it fits the socket's buffer.
    if (head_only) return;
    x.delivered = conn->bytes_delivered();
    x.uploading = still_uploading(x, *conn);
    if (x.uploading) arm_at(last_activity_ + kUploadCheck);
}

void H1ClientSession::start_upload() {
    // Pumped from the connection's write-complete events and from the source's ready
    // callback; never from inside send(), whose caller does not expect the exchange to end
    // there.
    auto pump = [weak = weak_from_this(), up = exchange_->upload.get()] {
        if (auto self = weak.lock())
            if (self->exchange_ && self->exchange_->upload.get() == up) self->send_upload();
    };
    exchange_->upload->set_ready(pump);
    owner_.tcp()->set_write_complete_callback([pump](const TcpConnectionPtr&) { pump(); });
}

void H1ClientSession::send_upload() {
    Exchange& x = *exchange_;
    const TcpConnectionPtr& conn = owner_.tcp();
    if (!conn) return;
    std::string piece, frame;
    while (conn->queued_bytes() < kUploadWindow) {
        piece.clear();
        const BodyStatus status = x.upload->read(piece, kUploadPiece);
        x.upload_waiting = status == BodyStatus::kWait;
        if (!piece.empty() && x.tunnel) {  // as it is
            last_activity_ = Clock::now();
            conn->send(piece);
        } else if (!piece.empty()) {
            if (!x.upload_chunked && piece.size() > x.upload_left) {
                fail(ExchangeError::Kind::kUpload,
                     "the request content is longer than its Content-Length");
                return;
            }
            x.upload_left -= x.upload_chunked ? 0 : piece.size();
            last_activity_ = Clock::now();
            if (x.upload_chunked) {
                frame.clear();
                fmt::format_to(std::back_inserter(frame), "{:x}\r\n", piece.size());
                frame.append(piece).append("\r\n");
                conn->send(frame);
            } else {
                conn->send(piece);
            }
        }
        if (status == BodyStatus::kMore) continue;
        if (status == BodyStatus::kWait) return;
        if (status == BodyStatus::kFailed) {
            fail(ExchangeError::Kind::kUpload, "the request content failed: " + x.upload->error());
            return;
        }
        if (x.tunnel) {  // the client is done sending: so are we (the answer may go on)
            x.upload.reset();
            conn->set_write_complete_callback(nullptr);
            conn->shutdown();
            return;
        }
        if (x.upload_left != 0) {
            fail(ExchangeError::Kind::kUpload,
                 fmt::format("the request content ended {} bytes short of its Content-Length",
                             x.upload_left));
            return;
        }
        if (x.upload_chunked) conn->send(std::string_view("0\r\n\r\n"));
        x.upload.reset();
        conn->set_write_complete_callback(nullptr);
        last_activity_ = Clock::now();  // the server's time starts now
        arm_timer(owner_.options().receive_timeout);
        return;
    }
}

void H1ClientSession::pause(std::uint64_t) {
    paused_ = true;
    if (const auto& conn = owner_.tcp()) conn->stop_reading();
}

void H1ClientSession::resume(std::uint64_t) {
    if (!paused_) return;
    paused_ = false;
    last_activity_ = Clock::now();  // the time spent paused was ours, not the server's
    if (exchange_) arm_timer(wait_);
    if (const auto& conn = owner_.tcp()) conn->start_reading();
}

void H1ClientSession::cancel(std::uint64_t) {
    owner_.close();  // a response half read leaves the connection unusable
}

void H1ClientSession::drop() {
    dropped_ = true;
    owner_.loop()->cancel(timer_);
    timer_ = {};
    // We may be inside one of the exchange's callbacks: it dies from the loop's queue.
    if (exchange_)
        owner_.loop()->queue_in_loop([dead = std::shared_ptr<Exchange>(std::move(exchange_))] {});
}

// ---- connection events ----

void H1ClientSession::on_down(const std::string& why) {
    if (!exchange_) return;
    const bool body = exchange_->phase == Phase::kBody;
    fail(body ? ExchangeError::Kind::kTruncated : ExchangeError::Kind::kClosed,
         why.empty() ? "the connection closed" : "the connection failed: " + why,
         !body && exchange_->bytes_in == 0 && owner_.requests() > 1);
}

void H1ClientSession::on_peer_shutdown() {
    if (!exchange_) {  // the server closed an idle connection
        owner_.close();
        owner_.changed();
        return;
    }
    Exchange& x = *exchange_;
    if (x.phase == Phase::kBody && x.framing == BodyFraming::kUntilClose) {
        // The end of the content is the end of the stream; over TLS a FIN without
        // close_notify could be a truncation by a third party (RFC 8446 §6.1).
        if (owner_.tls() && owner_.tls()->truncated())
            spdlog::debug("{}: TLS closed without close_notify after a close-delimited body",
                          owner_.host());
        complete(false);
        return;
    }
    if (x.phase == Phase::kBody) {
        fail(ExchangeError::Kind::kTruncated,
             x.framing == BodyFraming::kLength
                 ? fmt::format("the connection closed after {} of {} content bytes",
                               x.length - x.remaining, x.length)
                 : std::string("the connection closed in the middle of the chunked content"));
        return;
    }
    const bool nothing = x.bytes_in == 0;
    fail(ExchangeError::Kind::kClosed,
         nothing ? "the connection closed before the response"
                 : "the connection closed in the middle of the response head",
         nothing && owner_.requests() > 1);
}

void H1ClientSession::on_message(Buffer& in) {
    last_activity_ = Clock::now();
    if (!exchange_) {  // bytes nobody asked for: the connection cannot be trusted any more
        spdlog::debug("{}: {} unexpected bytes on an idle connection", owner_.host(),
                      in.readable_bytes());
        in.retrieve_all();
        owner_.close();
        owner_.changed();
        return;
    }
    exchange_->bytes_in += in.readable_bytes() - std::min(unread_, in.readable_bytes());
    while (exchange_ && !in.empty()) {
        if (exchange_->phase == Phase::kHead && !read_head(in)) break;
        if (!exchange_ || exchange_->phase != Phase::kBody) continue;
        read_body(in);
        if (exchange_) break;  // the body took what there was and needs more
    }
    unread_ = exchange_ ? in.readable_bytes() : 0;
}

bool H1ClientSession::read_head(Buffer& in) {
    ClientResponseHead head;
    ParseResult r = parser_.parse(in.view(), head);
    if (std::holds_alternative<Incomplete>(r)) return false;
    if (auto* e = std::get_if<ParseError>(&r)) {
        fail(ExchangeError::Kind::kProtocol, fmt::format("malformed response: {}", e->reason));
        return false;
    }
    const std::size_t n = std::get<Complete>(r).consumed;
    if (exchange_->callbacks.head) exchange_->callbacks.head(in.view().substr(0, n), head);
    if (!exchange_) return false;  // the callback gave up on it
    Exchange& x = *exchange_;
    if (head.status == 101) {
        if (!x.upgrade || !x.upload) {
            fail(ExchangeError::Kind::kProtocol, "unexpected 101 Switching Protocols");
            return false;
        }
        // A tunnel from here: the rest of the connection, both ways, is the new protocol's.
        x.phase = Phase::kBody;
        x.framing = BodyFraming::kUntilClose;
        x.keep_alive = false;
        x.tunnel = true;
        in.retrieve(n);
        parser_.reset();
        start_upload();
        send_upload();
        return exchange_ != nullptr;
    }
    if (head.status >= 200) {  // 1xx: interim, the final response follows (RFC 9110 §15.2)
        x.phase = Phase::kBody;
        x.framing = body_framing(head, x.head_request);
        x.keep_alive = head.keep_alive;
        x.length = x.remaining = head.content_length.value_or(0);
        chunked_.reset();
        // A body may be large: read it in big pieces into one kept buffer.
        if (x.framing != BodyFraming::kNone) owner_.tcp()->set_input_reserve(kReadReserve);
    }
    in.retrieve(n);
    parser_.reset();
    if (x.phase == Phase::kBody &&
        (x.framing == BodyFraming::kNone || (x.framing == BodyFraming::kLength && x.length == 0))) {
        complete(x.keep_alive && in.empty());
        return false;
    }
    return true;
}

void H1ClientSession::read_body(Buffer& in) {
    Exchange& x = *exchange_;
    switch (x.framing) {
        case BodyFraming::kLength: {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(in.readable_bytes(), x.remaining));
            x.remaining -= n;
            x.callbacks.data(in.view().substr(0, n));
            in.retrieve(n);
            if (exchange_ && x.remaining == 0) complete(x.keep_alive && in.empty());
            return;
        }
        case BodyFraming::kChunked:
            while (exchange_ && !in.empty()) {
                ChunkedStep step = chunked_.decode(in.view());
                if (!step.data.empty()) x.callbacks.data(step.data);
                in.retrieve(step.consumed);
                if (!exchange_) return;
                if (step.error) {
                    fail(ExchangeError::Kind::kProtocol,
                         fmt::format("malformed chunked content: {}", step.error->reason));
                    return;
                }
                if (step.done) {
                    complete(x.keep_alive && in.empty());
                    return;
                }
                if (step.consumed == 0) return;  // needs more bytes
            }
            return;
        case BodyFraming::kUntilClose:
            x.callbacks.data(in.view());
            in.retrieve_all();
            return;
        case BodyFraming::kNone:
            return;
    }
}

void H1ClientSession::complete(bool reusable) {
    std::unique_ptr<Exchange> x = std::move(exchange_);
    // Answered before all of the content was sent: the rest cannot follow on this connection.
    if (x->upload) {
        reusable = false;
        if (const auto& conn = owner_.tcp()) conn->set_write_complete_callback(nullptr);
    }
    // Idle, the connection gives its input storage back (freed once the input is consumed).
    if (const auto& conn = owner_.tcp()) conn->set_input_reserve(0);
    if (reusable) {
        last_activity_ = Clock::now();
        arm_timer(owner_.options().idle_timeout);
        // A pause belonged to the exchange that ended: the next one must read (and an idle
        // connection must see the server close it).
        if (paused_) {
            paused_ = false;
            if (const auto& conn = owner_.tcp()) conn->start_reading();
        }
    } else {
        owner_.close();
    }
    x->callbacks.done(std::nullopt);
    owner_.changed();
}

void H1ClientSession::fail(ExchangeError::Kind kind, std::string message, bool stale) {
    std::unique_ptr<Exchange> x = std::move(exchange_);
    owner_.close();
    if (x) x->callbacks.done(ExchangeError{kind, std::move(message), stale});
    owner_.changed();
}

// ---- timeouts ----

void H1ClientSession::arm_timer(std::chrono::milliseconds timeout) {
    wait_ = timeout;
    arm_at(last_activity_ + wait_);
}

void H1ClientSession::arm_at(Clock::time_point when) {
    if (dropped_) return;
    // A later deadline waits for the armed timer, which re-arms itself when it fires.
    if (timer_ && armed_for_ <= when) return;
    owner_.loop()->cancel(timer_);
    armed_for_ = when;
    timer_ = owner_.loop()->run_at(armed_for_, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_timer();
    });
}

void H1ClientSession::check_upload(Clock::time_point now) {
    Exchange& x = *exchange_;
    const TcpConnectionPtr& conn = owner_.tcp();
    if (!conn) return;
    const std::uint64_t delivered = conn->bytes_delivered();
    if (delivered != x.delivered) {  // the server took more of it: the wait restarts
        x.delivered = delivered;
        last_activity_ = now;
    }
    x.uploading = still_uploading(x, *conn);
    if (x.uploading) arm_at(std::min(now + kUploadCheck, last_activity_ + wait_));
}

void H1ClientSession::on_timer() {
    timer_ = {};
    if (dropped_) return;
    const auto now = Clock::now();
    if (exchange_ && exchange_->uploading && !paused_) check_upload(now);
    if (paused_) return;  // resume() arms it again
    // Waiting for the upload's source is not the server's slowness.
    const bool sourcing =
        exchange_ && exchange_->upload && exchange_->upload_waiting && !exchange_->tunnel;
    if (sourcing || now < last_activity_ + wait_) {  // progress since: wait for the rest
        if (sourcing) last_activity_ = now;
        arm_timer(wait_);
        return;
    }
    if (!exchange_) {  // idle for too long in the pool
        owner_.close();
        owner_.changed();
        return;
    }
    const auto seconds = std::chrono::duration<double>(wait_).count();
    if (exchange_->uploading) {
        fail(ExchangeError::Kind::kTimeout,
             fmt::format("Timeout on send (the server took none of the request for {:g} s)",
                         seconds));
        return;
    }
    fail(ExchangeError::Kind::kTimeout,
         fmt::format("Timeout on receive (nothing for {:g} s, {} bytes received)", seconds,
                     exchange_->bytes_in));
}

}  // namespace netius::net::http
