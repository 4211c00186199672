// TcpConnection's output side: write-direct, the queue, sendfile, back-pressure callbacks.
// The rest of the class (input, handshake, closing) is in tcp_connection.cpp.
#include <algorithm>
#include <cerrno>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/tcp_connection.hpp"

namespace netius::net {

void TcpConnection::send(std::string_view data) {
    if (loop_->is_in_loop_thread()) {
        send_in_loop(data.data(), data.size());
    } else {
        loop_->run_in_loop([self = shared_from_this(), copy = std::string(data)] {
            self->send_in_loop(copy.data(), copy.size());
        });
    }
}

void TcpConnection::send(Buffer& data) {
    loop_->assert_in_loop_thread();
    send_in_loop(data.peek(), data.readable_bytes());
    data.retrieve_all();
}

void TcpConnection::send_in_loop(const char* data, std::size_t len) {
    if ((state_ != State::Connecting && state_ != State::Connected) || len == 0) {
        if (len) spdlog::debug("{}: closing, {} bytes not sent", peer_.to_string(), len);
        return;
    }
    std::size_t written = 0;
    // Small writes wait for the batch (their system call is most of their cost); a large one
    // goes at once, as without a batch: copying it into the queue would cost more than the
    // call it saves (a proxied download through the batch copied every byte once more).
    constexpr std::size_t kBatchedMax = 16 * 1024;
    IoBatch* const batched = handshaking_ || len > kBatchedMax ? nullptr : batch();
    if (!batched && !handshaking_ && output_.empty() && !write_wants_read_) {
        IoResult r = transport_->write(data, len);
        switch (r.status) {
            case IoStatus::Ok:
                written = r.bytes;
                break;
            case IoStatus::WantWrite:
                break;
            case IoStatus::WantRead:
                write_wants_read_ = true;
                break;
            case IoStatus::Eof:
            case IoStatus::Error:
                io_failed("write", r);
                return;
        }
        bytes_written_ += written;
        if (written == len) {
            if (callbacks_->write_complete) defer<&TcpConnection::fire_write_complete>();
            return;
        }
    }
    const std::size_t old = output_.memory_bytes();
    const std::size_t remaining = len - written;
    const std::size_t mark = callbacks_->high_water_mark;
    if (callbacks_->high_water && old < mark && old + remaining >= mark)
        defer<&TcpConnection::fire_high_water>();
    output_.append(data + written, remaining);
    if (batched)
        queue_batched(IoBatch::Op::kSend);
    else
        update_interest();
}

void TcpConnection::send_file(UniqueFd file, off_t offset, std::size_t length) {
    loop_->assert_in_loop_thread();
    if (state_ != State::Connecting && state_ != State::Connected) return;  // closes `file`
    const bool was_empty = output_.empty() || held_;
    held_ = false;
    output_.append_file(std::move(file), offset, length);
    if (was_empty && !handshaking_ && !write_wants_read_)
        flush_output();
    else
        update_interest();
}

void TcpConnection::hold(std::string_view data) {
    loop_->assert_in_loop_thread();
    if ((state_ != State::Connecting && state_ != State::Connected) || data.empty()) return;
    held_ = held_ || output_.empty();  // behind earlier output it waits for that anyway
    output_.append(data.data(), data.size());
}

void TcpConnection::flush() {
    loop_->assert_in_loop_thread();
    if (!held_) return;
    held_ = false;
    if (!handshaking_ && !write_wants_read_)
        flush_output();
    else
        update_interest();
}

void TcpConnection::handle_write() {
    if (closing()) return;
    if (handshaking_) {
        continue_handshake();
        return;
    }
    if (read_wants_write_) {
        read_wants_write_ = false;
        read_once();
        if (closing()) return;
    }
    flush_output();
}

void TcpConnection::flush_output() {
    if (output_.empty()) {
        update_interest();
        return;
    }
    if (batch() && !output_.front_bytes().empty()) {  // a file range goes by sendfile below
        queue_batched(IoBatch::Op::kSend);
        return;
    }
    IoResult r = output_.flush(*transport_);
    bytes_written_ += r.bytes;
    switch (r.status) {
        case IoStatus::Ok:
            output_drained();
            return;
        case IoStatus::WantWrite:
            break;
        case IoStatus::WantRead:
            write_wants_read_ = true;
            break;
        case IoStatus::Eof:
        case IoStatus::Error:
            io_failed("write", r);
            return;
    }
    update_interest();
}

void TcpConnection::output_drained() {
    if (close_when_drained_) {
        close_soon();
        return;
    }
    update_interest();
    if (callbacks_->write_complete) defer<&TcpConnection::fire_write_complete>();
    if (upgrade_ && upgrade_->next) {  // STARTTLS: the clear-text reply is out, switch now
        transport_ = std::move(upgrade_->next);
        begin_handshake();
        return;
    }
    if (shutdown_requested_ && !write_shut_) shutdown_write_now();
}

// ---- the io_uring batch (io_batch.hpp) ----

IoBatch* TcpConnection::batch() const {
    IoBatch* b = loop_->io_batch();
    return b && transport_->batch_fd() >= 0 ? b : nullptr;
}

void TcpConnection::queue_batched(IoBatch::Op op) {
    const bool recv = op == IoBatch::Op::kRecv;
    if (recv ? recv_batched_ : send_batched_) return;  // one of each at a time
    (recv ? recv_batched_ : send_batched_) = true;
    loop_->io_batch()->queue(this, op, shared_from_this());
    if (!recv) update_interest();  // no EPOLLOUT while the batch holds the send
}

IoBatch::Target TcpConnection::batch_target(IoBatch::Op op) {
    if (op == IoBatch::Op::kRecv) {
        if (closing() || !reading_ || peer_closed_) {
            recv_batched_ = false;
            return {};
        }
        // Small first (an idle connection's buffer was released); more after a recv that
        // filled its space, as Buffer::read_fd's 64 KiB spill does.
        constexpr std::size_t kFirst = 2048 - Buffer::kCheapPrepend;  // a 2 KiB block
        const std::size_t want =
            std::max<std::size_t>(input_reserve_, recv_grow_ ? Buffer::kSpillSize : kFirst);
        if (input_.writable_bytes() < want) input_.ensure_writable(want);
        return {transport_->batch_fd(), input_.begin_write(), input_.writable_bytes(), false};
    }
    // A response written just before a deferred close still leaves (the batch runs first);
    // only a connection already down drops its output.
    const std::string_view front = output_.front_bytes();
    if (state_ == State::Disconnected || front.empty()) {
        send_batched_ = false;
        return {};
    }
    return {transport_->batch_fd(), const_cast<char*>(front.data()), front.size(),
            output_.more_after_front()};
}

void TcpConnection::batch_commit(IoBatch::Op op, int result) {
    if (result <= 0) return;
    const auto n = static_cast<std::size_t>(result);
    if (op == IoBatch::Op::kRecv) {
        recv_grow_ = n == input_.writable_bytes();
        input_.has_written(n);
    } else {
        output_.consume_front(n);
        bytes_written_ += n;
    }
}

void TcpConnection::batch_finish(IoBatch::Op op, int result) {
    if (op == IoBatch::Op::kRecv) {
        recv_batched_ = false;
        channel_.run_held([this, result] { recv_done(result); });  // the batch holds a guard
    } else {
        send_batched_ = false;
        channel_.run_held([this, result] { send_done(result); });
    }
}

void TcpConnection::recv_done(int result) {
    if (closing()) return;
    if (result > 0) {
        if (!reading_) {  // stopped meanwhile: the bytes wait in input_ for start_reading()
            update_interest();
            return;
        }
        call_message();
        after_message();
        // A recv that filled its space may have left more in the socket: read on in this
        // iteration (with 64 KiB, as read_fd's spill) instead of after the next epoll_wait.
        if (recv_grow_ && reading_ && !closing() && !peer_closed_)
            queue_batched(IoBatch::Op::kRecv);
    } else if (result == -EAGAIN) {
        release_idle_input();  // nothing came: not even the 64 KiB a read on asked for
    } else if (result == 0) {
        handle_eof();
    } else {
        io_failed("recv", {IoStatus::Error, 0, -result});
    }
}

void TcpConnection::send_done(int result) {
    if (state_ == State::Disconnected) return;
    if (result < 0) {
        if (result == -EAGAIN)
            update_interest();  // the socket is full: EPOLLOUT says when to go on
        else
            io_failed("write", {IoStatus::Error, 0, -result});
        return;
    }
    if (output_.empty())
        output_drained();
    else
        flush_output();  // more was queued meanwhile, or a partial send: the next batch
}

void TcpConnection::fire_write_complete() {
    auto cbs = callbacks_;
    if (cbs->write_complete && !disconnected()) cbs->write_complete(shared_from_this());
}

void TcpConnection::fire_high_water() {
    auto cbs = callbacks_;
    if (cbs->high_water && !disconnected()) cbs->high_water(shared_from_this(), queued_bytes());
}

}  // namespace netius::net
