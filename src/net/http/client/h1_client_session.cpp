#include "net/http/client/h1_client_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "net/event_loop.hpp"
#include "net/http/client/client_connection.hpp"
#include "net/http/client/h1_client_exchange.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::http {
namespace {

// An upload is read from its source in pieces of up to this much.
constexpr std::size_t kUploadPiece = 64 * 1024;
// While a request is still going out, how often the peer's progress taking it is looked at.
constexpr std::chrono::milliseconds kUploadCheck{250};
// A request head up to this size, without content, goes out whole into any socket's buffer.
constexpr std::size_t kUnwatchedHead = 16 * 1024;

}  // namespace

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
