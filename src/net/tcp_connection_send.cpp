// TcpConnection's output side: write-direct, the queue, sendfile, back-pressure callbacks.
// The rest of the class (input, handshake, closing) is in tcp_connection.cpp.
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
    if (!handshaking_ && output_.empty() && !write_wants_read_) {
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
            if (callbacks_->write_complete) defer(&TcpConnection::fire_write_complete);
            return;
        }
    }
    const std::size_t old = output_.memory_bytes();
    const std::size_t remaining = len - written;
    const std::size_t mark = callbacks_->high_water_mark;
    if (callbacks_->high_water && old < mark && old + remaining >= mark)
        defer(&TcpConnection::fire_high_water);
    output_.append(data + written, remaining);
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
    update_interest();
    if (callbacks_->write_complete) defer(&TcpConnection::fire_write_complete);
    if (upgrade_ && upgrade_->next) {  // STARTTLS: the clear-text reply is out, switch now
        transport_ = std::move(upgrade_->next);
        begin_handshake();
        return;
    }
    if (shutdown_requested_ && !write_shut_) shutdown_write_now();
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
