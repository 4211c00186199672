#include "net/connector.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "net/channel.hpp"
#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::net {

Connector::Connector(EventLoop* loop, std::vector<InetAddress> addresses, Clock::duration timeout)
    : loop_(loop), addresses_(std::move(addresses)), timeout_(timeout) {}

Connector::~Connector() {
    loop_->cancel(attempt_timer_);
    if (channel_) channel_->remove();
}

void Connector::start() {
    loop_->assert_in_loop_thread();
    deadline_ = Clock::now() + timeout_;
    // Queued, so the callbacks never run inside start() even when connect() answers at once.
    loop_->queue_in_loop([weak = weak_from_this()] {
        if (auto self = weak.lock(); self && !self->stopped_) self->try_next();
    });
}

void Connector::stop() {
    stopped_ = true;
    loop_->cancel(attempt_timer_);
    detach_channel();
    fd_.reset();
}

void Connector::try_next() {
    if (next_ >= addresses_.size() || Clock::now() >= deadline_) {
        fail();
        return;
    }
    const InetAddress& address = addresses_[next_++];
    fd_.reset(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd_) {
        attempt_failed(errno);
        return;
    }
    int rc = ::connect(fd_.get(), address.get(), address.length());
    int err = rc == 0 ? 0 : errno;
    if (err != 0 && err != EINPROGRESS && err != EINTR) {  // EINTR: it goes on in background
        attempt_failed(err);
        return;
    }
    // Both outcomes are reported by writability (SO_ERROR tells which), so that even an
    // immediate success reaches the callbacks from the loop, not from inside try_next().
    channel_ = std::make_unique<Channel>(loop_, fd_.get());
    channel_->tie(shared_from_this());
    channel_->set_write_callback([this] { handle_write(); });
    channel_->set_error_callback([this] { handle_write(); });
    channel_->set_close_callback([this] { handle_write(); });
    channel_->enable_writing();
    const auto left = deadline_ - Clock::now();
    const auto remaining = static_cast<long>(addresses_.size() - next_ + 1);
    attempt_timer_ = loop_->run_after(left / remaining, [weak = weak_from_this()] {
        auto self = weak.lock();
        if (!self || self->stopped_) return;
        self->attempt_timer_ = {};
        self->detach_channel();
        self->fd_.reset();
        self->attempt_failed(ETIMEDOUT);
    });
}

void Connector::handle_write() {
    if (!channel_) return;
    loop_->cancel(attempt_timer_);
    attempt_timer_ = {};
    detach_channel();
    int err = sockets::socket_error(fd_.get());
    if (err == 0) {
        // A self-connect: the kernel picked the destination port as our ephemeral port.
        try {
            if (sockets::local_address(fd_.get()) == sockets::peer_address(fd_.get()))
                err = ECONNREFUSED;
        } catch (const Error&) {
            err = ENOTCONN;
        }
    }
    if (err != 0) {
        fd_.reset();
        attempt_failed(err);
        return;
    }
    if (stopped_) return;
    stopped_ = true;  // done: exactly one outcome
    if (connected_) connected_(std::move(fd_), current());
}

void Connector::attempt_failed(int err) {
    last_error_ = err;
    const InetAddress& address = current();
    spdlog::debug("connect({}): {}", address.to_string(), std::strerror(err));
    reasons_.push_back(fmt::format("{}: {}", address.to_string(), std::strerror(err)));
    if (!stopped_) try_next();
}

void Connector::detach_channel() {
    if (!channel_) return;
    channel_->remove();
    // We may be inside the channel's own callback: it dies from the loop's queue.
    loop_->queue_in_loop([dead = std::shared_ptr<Channel>(std::move(channel_))] {});
}

void Connector::fail() {
    if (stopped_) return;
    stopped_ = true;
    ConnectFailure f;
    f.timed_out = Clock::now() >= deadline_;
    f.error = f.timed_out ? ETIMEDOUT : last_error_;
    if (reasons_.size() == 1)
        f.message =
            fmt::format("connect({}): {}", addresses_.front().to_string(), std::strerror(f.error));
    else if (reasons_.empty())
        f.message = "connect: timed out before the first attempt";
    else
        f.message = fmt::format("connect failed{}: {}", f.timed_out ? " (timed out)" : "",
                                fmt::join(reasons_, "; "));
    if (failed_) failed_(f);
}

}  // namespace netius::net
