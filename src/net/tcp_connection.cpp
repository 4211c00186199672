#include "net/tcp_connection.hpp"

#include <algorithm>
#include <cerrno>

#include <spdlog/spdlog.h>

#include "net/coarse_clock.hpp"
#include "net/event_loop.hpp"
#include "net/socket.hpp"

namespace netius::net {
namespace {

// Failures caused by the peer going away or misbehaving: not our bug, logged at debug only.
bool is_peer_error(int err) {
    return err == EPIPE || err == ECONNRESET || err == ECONNABORTED || err == ETIMEDOUT ||
           err == EPROTO || err == ENOTCONN;
}

}  // namespace

TcpConnection::TcpConnection(EventLoop* loop, std::uint64_t id, UniqueFd socket,
                             const InetAddress& peer, std::unique_ptr<Transport> transport)
    : loop_(loop),
      id_(id),
      socket_(std::move(socket)),
      channel_(loop, socket_.get()),
      transport_(std::move(transport)),
      peer_(peer),
      created_(coarse_now()),
      callbacks_(std::make_shared<const ConnectionCallbacks>()) {
    // Raw `this` is safe here: the channel is a member, and tie() drops events once the
    // connection has expired.
    channel_.set_handler(this);
}

TcpConnection::~TcpConnection() {
    // The socket's close() goes in the loop's io_uring batch, with its neighbours' I/O (the
    // number stays taken until then); the channel is out of epoll by now (retired or removed).
    if (!loop_->is_in_loop_thread()) return;
    if (IoBatch* b = loop_->io_batch(); b && b->can_close() && socket_)
        b->queue_close(socket_.release());
}

void TcpConnection::set_callbacks(std::shared_ptr<const ConnectionCallbacks> callbacks) {
    callbacks_ = std::move(callbacks);
}

ConnectionCallbacks& TcpConnection::edit() {
    // Always a fresh copy: a callback being run keeps its own set alive (see the callers).
    auto copy = callbacks_ ? std::make_shared<ConnectionCallbacks>(*callbacks_)
                           : std::make_shared<ConnectionCallbacks>();
    ConnectionCallbacks& ref = *copy;
    callbacks_ = std::move(copy);
    return ref;
}

const std::string& TcpConnection::error() const {
    static const std::string none;
    return error_ ? *error_ : none;
}

InetAddress TcpConnection::local_address() const {
    return sockets::local_address(fd());
}

void TcpConnection::queue_call(void (*call)(void*)) {
    loop_->queue_call(weak_from_this(), call);
}

// ---- establishment and handshake ----

std::uint64_t TcpConnection::bytes_delivered() const {
    return bytes_written_ - std::min<std::uint64_t>(bytes_written_, sockets::unsent_bytes(fd()));
}

void TcpConnection::connect_established() {
    loop_->assert_in_loop_thread();
    begin_handshake();
}

void TcpConnection::begin_handshake() {
    handshaking_ = true;
    continue_handshake();
}

void TcpConnection::continue_handshake() {
    IoResult r = transport_->handshake();
    switch (r.status) {
        case IoStatus::Ok:
            handshaking_ = false;
            handshake_done();
            return;
        case IoStatus::WantRead:
            handshake_wants_write_ = false;
            break;
        case IoStatus::WantWrite:
            handshake_wants_write_ = true;
            break;
        case IoStatus::Eof:
        case IoStatus::Error:
            io_failed("handshake", r);
            return;
    }
    update_interest();
}

void TcpConnection::handshake_done() {
    update_interest();
    if (state_ == State::Connecting) {
        state_ = State::Connected;
        up_reported_ = true;
        if (auto cbs = callbacks_; cbs->connection) cbs->connection(shared_from_this());
    } else if (upgrade_) {
        std::unique_ptr<Upgrade> done = std::move(upgrade_);
        if (done->ready) done->ready(shared_from_this());
    }
    if (closing()) return;
    if (!output_.empty()) flush_output();  // queued while handshaking
    if (transport_->has_buffered_input() && !read_queued_) {
        read_queued_ = true;
        defer<&TcpConnection::read_again>();
    }
}

void TcpConnection::upgrade_transport(std::unique_ptr<Transport> next, ConnectionCallback ready) {
    loop_->assert_in_loop_thread();
    upgrade_ = std::make_unique<Upgrade>(Upgrade{std::move(next), std::move(ready)});
    if (output_.empty()) {
        transport_ = std::move(upgrade_->next);
        begin_handshake();
    }  // else output_drained() swaps it in
}

// ---- input ----

void TcpConnection::handle_read() {
    if (closing()) return;
    if (handshaking_) {
        continue_handshake();
        return;
    }
    if (write_wants_read_) {
        write_wants_read_ = false;
        flush_output();
        if (closing()) return;
        if (!reading_ || peer_closed_) {
            read_kept_ = false;
            update_interest();
            return;
        }
    }
    if (!reading_) {  // stop_reading() left the interest registered: drop it now
        read_kept_ = false;
        update_interest();
        return;
    }
    read_once();
}

void TcpConnection::read_once() {
    if (batch()) {
        queue_batched(IoBatch::Op::kRecv);
        return;
    }
    if (input_reserve_) input_.ensure_writable(input_reserve_);
    IoResult r = transport_->read(input_);
    switch (r.status) {
        case IoStatus::Ok:
            call_message();
            after_message();
            break;
        case IoStatus::WantRead:
            break;
        case IoStatus::WantWrite:
            read_wants_write_ = true;
            update_interest();
            break;
        case IoStatus::Eof:
            handle_eof();
            break;
        case IoStatus::Error:
            io_failed("read", r);
            break;
    }
}

void TcpConnection::call_message() {
    auto cbs = callbacks_;  // the callback may replace the callbacks
    if (cbs->message)
        cbs->message(shared_from_this(), input_);
    else
        input_.retrieve_all();
}

void TcpConnection::release_idle_input() {
    if (input_.empty() && !input_reserve_) input_.release();
}

void TcpConnection::after_message() {
    if (closing()) return;
    if (input_.empty()) {
        release_idle_input();
    } else if (input_.exceeds_max_size()) {
        spdlog::warn("{}: {} bytes of unconsumed input exceed the limit of {}; closing",
                     peer_.to_string(), input_.readable_bytes(), input_.max_size());
        close_soon();
        return;
    }
    // Decrypted bytes held inside the transport raise no epoll event: read them from the queue.
    if (reading_ && transport_->has_buffered_input() && !read_queued_) {
        read_queued_ = true;
        defer<&TcpConnection::read_again>();
    }
}

void TcpConnection::read_again() {
    read_queued_ = false;
    if (reading_ && !peer_closed_) handle_read();
}

void TcpConnection::handle_eof() {
    peer_closed_ = true;
    update_interest();  // end of stream stays readable: stop asking
    if (write_shut_) {  // both directions are finished
        handle_close();
        return;
    }
    if (auto cbs = callbacks_; cbs->peer_shutdown)
        cbs->peer_shutdown(shared_from_this());
    else
        shutdown_in_loop();
}

void TcpConnection::stop_reading() {
    loop_->assert_in_loop_thread();
    // Lazily: the read interest stays registered until bytes actually arrive (handle_read
    // drops it then; epoll is level-triggered, so none is missed). A pause that ends before
    // the peer sends more — a deferred answer, one response's stream — costs no epoll_ctl,
    // nor do other interest changes meanwhile (update_interest keeps it while read_kept_).
    if (reading_) read_kept_ = channel_.is_reading();
    reading_ = false;
}

void TcpConnection::start_reading() {
    loop_->assert_in_loop_thread();
    reading_ = true;
    read_kept_ = false;
    update_interest();
    if (!input_.empty() && !replay_queued_) {
        replay_queued_ = true;
        defer<&TcpConnection::deliver_input>();
    }
    // Bytes the transport decrypted while we were not reading raise no epoll event either.
    if (transport_->has_buffered_input() && !read_queued_) {
        read_queued_ = true;
        defer<&TcpConnection::read_again>();
    }
}

void TcpConnection::deliver_input() {
    replay_queued_ = false;
    if (!reading_ || closing() || input_.empty()) return;
    call_message();
    after_message();
}

// ---- closing ----

void TcpConnection::shutdown() {
    loop_->run_in_loop([self = shared_from_this()] { self->shutdown_in_loop(); });
}

void TcpConnection::shutdown_in_loop() {
    if (state_ != State::Connected) return;
    state_ = State::Disconnecting;
    shutdown_requested_ = true;
    if (output_.empty() && !handshaking_) shutdown_write_now();
}

void TcpConnection::shutdown_write_now() {
    write_shut_ = true;
    IoResult r = transport_->shutdown_write();
    if (r.status == IoStatus::Error) {
        io_failed("shutdown", r);
        return;
    }
    if (peer_closed_) close_soon();
}

void TcpConnection::force_close() {
    loop_->run_in_loop([self = shared_from_this()] { self->close_soon(); });
}

void TcpConnection::close_after_output() {
    loop_->assert_in_loop_thread();
    if (output_.empty())
        close_soon();
    else
        close_when_drained_ = true;  // output_drained() closes
}

void TcpConnection::close_soon() {
    if (closing()) return;
    state_ = State::Disconnecting;
    close_pending_ = true;
    update_interest();
    loop_->queue_in_loop([self = shared_from_this()] { self->handle_close(); });
}

void TcpConnection::handle_close() {
    if (state_ == State::Disconnected) return;
    state_ = State::Disconnected;
    TcpConnectionPtr self = shared_from_this();  // the owner's map may drop the last one
    channel_.retire(self);                       // for good: the fd stays open until then
    output_.clear();                             // closes queued files
    auto cbs = callbacks_;
    if (up_reported_ && cbs->connection) cbs->connection(self);
    if (cbs->close) cbs->close(self);
}

void TcpConnection::handle_error() {
    int err = sockets::socket_error(fd());
    if (err != 0) {
        error_ = std::make_unique<std::string>(std::strerror(err));
        auto message = fmt::format("socket error ({}, fd {}): {}", peer_.to_string(), fd(),
                                   std::strerror(err));
        if (is_peer_error(err))
            spdlog::debug(message);
        else
            spdlog::error(message);
    }
    handle_close();
}

void TcpConnection::io_failed(const char* call, const IoResult& result) {
    IoResult r = result;
    if (r.status == IoStatus::Eof) r = {IoStatus::Error, 0, ECONNRESET};
    error_ = std::make_unique<std::string>(transport_->error_string(r));
    auto message = fmt::format("{}({}, fd {}): {}", call, peer_.to_string(), fd(), *error_);
    if (is_peer_error(r.error))
        spdlog::debug(message);
    else
        spdlog::error(message);
    close_soon();
}

void TcpConnection::connect_destroyed() {
    loop_->assert_in_loop_thread();
    if (state_ != State::Disconnected) {  // the owner is going away with us still open
        state_ = State::Disconnected;
        channel_.disable_all();
        output_.clear();
        if (auto cbs = callbacks_; up_reported_ && cbs->connection)
            cbs->connection(shared_from_this());
    }
    channel_.remove();
}

void TcpConnection::set_tcp_nodelay(bool on) {
    if (peer_.is_unix()) return;
    if (int err = sockets::set_tcp_nodelay(fd(), on))
        spdlog::debug("setsockopt({}, TCP_NODELAY): {}", peer_.to_string(), std::strerror(err));
}

void TcpConnection::update_interest() {
    if (closing()) {
        // A close already queued (close_soon) retires the channel in a moment, through the
        // io_uring batch where there is one: no epoll_ctl of its own now (events meanwhile
        // find the connection closing and do nothing).
        if (!close_pending_ || !loop_->io_batch()) channel_.disable_all();
        return;
    }
    if (handshaking_) {
        channel_.set_interest(!handshake_wants_write_, handshake_wants_write_);
        return;
    }
    // A send waiting in the io_uring batch needs no EPOLLOUT: the batch runs before the wait.
    channel_.set_interest(((reading_ || read_kept_) && !peer_closed_) || write_wants_read_,
                          (!output_.empty() && !send_batched_) || read_wants_write_);
}

}  // namespace netius::net
