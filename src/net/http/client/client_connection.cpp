#include "net/http/client/client_connection.hpp"

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/tls_transport.hpp"

namespace netius::net::http {
namespace {

// Bodies are read in pieces of up to this much (see TcpConnection::set_input_reserve): one
// buffer kept for the whole body, and far fewer reads than 64 KiB at a time.
constexpr std::size_t kReadReserve = 256 * 1024;

}  // namespace

struct ClientConnection::Exchange {
    std::string request;
    bool head_request = false;
    ExchangeCallbacks callbacks;
    Phase phase = Phase::kHead;
    BodyFraming framing = BodyFraming::kNone;
    bool keep_alive = true;
    std::uint64_t length = 0;     // Content-Length
    std::uint64_t remaining = 0;  // of it
    std::uint64_t bytes_in = 0;   // response bytes seen
};

ClientConnection::ClientConnection(EventLoop* loop, std::uint64_t id, const Url& origin,
                                   std::vector<InetAddress> addresses,
                                   const ClientConnectionOptions& options)
    : loop_(loop),
      id_(id),
      host_(origin.host),
      options_(options),
      client_(std::make_unique<TcpClient>(
          loop, std::move(addresses),
          TcpClientOptions{.connect_timeout = options.connect_timeout})),
      parser_(options_.limits),
      chunked_(options_.limits) {
    // Raw `this` throughout: the TcpClient is ours and dies first (see the destructor).
    client_->set_connection_callback([this](const TcpConnectionPtr& c) { on_connection(c); });
    client_->set_message_callback(
        [this](const TcpConnectionPtr& c, Buffer& in) { on_message(c, in); });
    client_->set_peer_shutdown_callback([this](const TcpConnectionPtr& c) { on_peer_shutdown(c); });
    client_->set_connect_failed_callback(
        [this](const ClientConnectFailure& f) { on_connect_failed(f); });
    if (origin.tls()) {
        client_->set_transport_factory([this](int fd) -> std::unique_ptr<Transport> {
            auto t = TlsTransport::connect(options_.tls, fd, host_);
            tls_ = t.get();
            return t;
        });
    }
}

ClientConnection::~ClientConnection() {
    closed_ = true;  // the TcpClient's last "down" callback must find nothing to do
    loop_->cancel(timer_);
    client_.reset();
}

void ClientConnection::connect() {
    client_->connect();
}

void ClientConnection::send(std::string request, bool head_request, ExchangeCallbacks callbacks) {
    exchange_ = std::make_unique<Exchange>();
    exchange_->request = std::move(request);
    exchange_->head_request = head_request;
    exchange_->callbacks = std::move(callbacks);
    parser_.reset();
    if (up_) write_request();
}

void ClientConnection::write_request() {
    ++requests_;
    Exchange& x = *exchange_;
    const TcpConnectionPtr& conn = client_->connection();
    if (x.callbacks.info)
        x.callbacks.info(requests_ == 1 ? fmt::format("Connected to {} ({}) as #{}", host_,
                                                      conn->peer_address().to_string(), id_)
                                        : fmt::format("Re-using connection #{} with {} ({})", id_,
                                                      host_, conn->peer_address().to_string()));
    if (x.callbacks.request) {
        std::string_view bytes = x.request;
        x.callbacks.request(bytes.substr(0, bytes.find("\r\n\r\n") + 4));
    }
    last_activity_ = Clock::now();
    arm_timer(options_.receive_timeout);
    conn->send(x.request);
    exchange_->request.clear();
    exchange_->request.shrink_to_fit();
}

void ClientConnection::pause() {
    paused_ = true;
    if (const auto& conn = client_->connection()) conn->stop_reading();
}

void ClientConnection::resume() {
    if (!paused_) return;
    paused_ = false;
    last_activity_ = Clock::now();  // the time spent paused was ours, not the server's
    if (exchange_) arm_timer(wait_);
    if (const auto& conn = client_->connection()) conn->start_reading();
}

void ClientConnection::close() {
    if (closed_) return;
    closed_ = true;
    loop_->cancel(timer_);
    timer_ = {};
    // We may be inside one of the exchange's callbacks: it dies from the loop's queue.
    if (exchange_)
        loop_->queue_in_loop([dead = std::shared_ptr<Exchange>(std::move(exchange_))] {});
    client_->stop();
}

void ClientConnection::mark_closed() {
    if (closed_) return;
    close();
    if (state_cb_) state_cb_(*this);
}

// ---- TcpClient events ----

void ClientConnection::on_connection(const TcpConnectionPtr& conn) {
    if (conn->connected()) {
        up_ = true;
        if (exchange_)
            write_request();
        else
            arm_timer(options_.idle_timeout);
        return;
    }
    if (closed_) return;
    if (exchange_) {  // reset, or a read/write error
        const std::string& why = conn->error();
        const bool body = exchange_->phase == Phase::kBody;
        fail(body ? ExchangeError::Kind::kTruncated : ExchangeError::Kind::kClosed,
             why.empty() ? "the connection closed" : "the connection failed: " + why,
             !body && exchange_->bytes_in == 0 && requests_ > 1);
        return;
    }
    mark_closed();
}

void ClientConnection::on_connect_failed(const ClientConnectFailure& f) {
    using Kind = ExchangeError::Kind;
    Kind kind = Kind::kConnect;
    std::string message = f.message;
    if (f.timed_out) {
        kind = Kind::kTimeout;
        message = "Timeout on connect: " + f.message;
    } else if (f.handshake) {
        kind = tls_ && tls_->verify_failed() ? Kind::kTlsVerify : Kind::kTls;
        message = fmt::format("TLS handshake with {} failed: {}", client_->address().to_string(),
                              f.message);
    }
    if (exchange_)
        fail(kind, std::move(message));
    else
        mark_closed();
}

void ClientConnection::on_peer_shutdown(const TcpConnectionPtr&) {
    if (!exchange_) {  // the server closed an idle connection
        mark_closed();
        return;
    }
    Exchange& x = *exchange_;
    if (x.phase == Phase::kBody && x.framing == BodyFraming::kUntilClose) {
        // The end of the content is the end of the stream; over TLS a FIN without
        // close_notify could be a truncation by a third party (RFC 8446 §6.1).
        if (tls_ && tls_->truncated())
            spdlog::debug("{}: TLS closed without close_notify after a close-delimited body",
                          host_);
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
         nothing && requests_ > 1);
}

void ClientConnection::on_message(const TcpConnectionPtr&, Buffer& in) {
    last_activity_ = Clock::now();
    if (!exchange_) {  // bytes nobody asked for: the connection cannot be trusted any more
        spdlog::debug("{}: {} unexpected bytes on an idle connection", host_, in.readable_bytes());
        in.retrieve_all();
        mark_closed();
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

bool ClientConnection::read_head(Buffer& in) {
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
    if (head.status == 101) {
        fail(ExchangeError::Kind::kProtocol, "unexpected 101 Switching Protocols");
        return false;
    }
    Exchange& x = *exchange_;
    if (head.status >= 200) {  // 1xx: interim, the final response follows (RFC 9110 §15.2)
        x.phase = Phase::kBody;
        x.framing = body_framing(head, x.head_request);
        x.keep_alive = head.keep_alive;
        x.length = x.remaining = head.content_length.value_or(0);
        chunked_.reset();
        // A body may be large: read it in big pieces into one kept buffer.
        if (x.framing != BodyFraming::kNone) client_->connection()->set_input_reserve(kReadReserve);
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

void ClientConnection::read_body(Buffer& in) {
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

void ClientConnection::complete(bool reusable) {
    std::unique_ptr<Exchange> x = std::move(exchange_);
    // Idle, the connection gives its input storage back (freed once the input is consumed).
    if (const auto& conn = client_->connection()) conn->set_input_reserve(0);
    if (reusable) {
        last_activity_ = Clock::now();
        arm_timer(options_.idle_timeout);
    } else {
        close();
    }
    x->callbacks.done(std::nullopt);
    if (state_cb_) state_cb_(*this);
}

void ClientConnection::fail(ExchangeError::Kind kind, std::string message, bool stale) {
    std::unique_ptr<Exchange> x = std::move(exchange_);
    close();
    if (x) x->callbacks.done(ExchangeError{kind, std::move(message), stale});
    if (state_cb_) state_cb_(*this);
}

// ---- timeouts ----

void ClientConnection::arm_timer(std::chrono::milliseconds timeout) {
    wait_ = timeout;
    if (timer_) return;  // it re-arms itself for the new deadline when it fires
    timer_ = loop_->run_at(last_activity_ + wait_, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->on_timer();
    });
}

void ClientConnection::on_timer() {
    timer_ = {};
    if (closed_) return;
    const auto now = Clock::now();
    if (paused_ || now < last_activity_ + wait_) {  // progress since: wait for the rest
        if (!paused_) arm_timer(wait_);
        return;
    }
    if (!exchange_) {  // idle for too long in the pool
        mark_closed();
        return;
    }
    const auto seconds = std::chrono::duration<double>(wait_).count();
    fail(ExchangeError::Kind::kTimeout,
         fmt::format("Timeout on receive (nothing for {:g} s, {} bytes received)", seconds,
                     exchange_->bytes_in));
}

}  // namespace netius::net::http
