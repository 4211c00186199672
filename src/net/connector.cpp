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

std::vector<InetAddress> interleave_families(std::vector<InetAddress> addresses) {
    if (addresses.empty()) return addresses;
    const int first = addresses.front().family();
    std::vector<InetAddress> preferred, other, out;
    for (InetAddress& a : addresses) (a.family() == first ? preferred : other).push_back(a);
    for (std::size_t i = 0; i < preferred.size() || i < other.size(); ++i) {
        if (i < preferred.size()) out.push_back(preferred[i]);
        if (i < other.size()) out.push_back(other[i]);
    }
    return out;
}

Connector::Connector(EventLoop* loop, std::vector<InetAddress> addresses, Clock::duration timeout,
                     Clock::duration attempt_delay)
    : loop_(loop),
      addresses_(interleave_families(std::move(addresses))),
      timeout_(timeout),
      attempt_delay_(attempt_delay),
      attempts_(addresses_.size()) {}

Connector::~Connector() {
    loop_->cancel(delay_timer_);
    loop_->cancel(deadline_timer_);
    for (Attempt& a : attempts_)
        if (a.channel) a.channel->remove();
}

void Connector::start() {
    loop_->assert_in_loop_thread();
    // Queued, so the callbacks never run inside start() even when connect() answers at once.
    loop_->queue_in_loop([weak = weak_from_this(), deadline = Clock::now() + timeout_] {
        auto self = weak.lock();
        if (!self || self->stopped_) return;
        self->deadline_timer_ = self->loop_->run_at(deadline, [weak] {
            if (auto s = weak.lock(); s && !s->stopped_) s->deadline_expired();
        });
        self->begin();
    });
}

void Connector::begin() {
    if (timeout_ <= Clock::duration::zero()) {
        deadline_expired();
        return;
    }
    start_next();
}

void Connector::stop() {
    stopped_ = true;
    loop_->cancel(delay_timer_);
    loop_->cancel(deadline_timer_);
    close_all();
}

// Starts the next address, and the ones after it while they fail at once; then arms the
// delay before the one after. Fails when nothing is left to try or in flight.
void Connector::start_next() {
    loop_->cancel(delay_timer_);
    delay_timer_ = {};
    while (next_ < addresses_.size()) {
        if (!start_attempt(next_++)) continue;
        if (next_ < addresses_.size())
            delay_timer_ = loop_->run_after(attempt_delay_, [weak = weak_from_this()] {
                auto self = weak.lock();
                if (!self || self->stopped_) return;
                self->delay_timer_ = {};
                self->start_next();
            });
        return;
    }
    if (in_flight_ == 0) fail(false);
}

// True if the attempt is in flight; false if it failed at once (its reason recorded).
bool Connector::start_attempt(std::size_t i) {
    const InetAddress& address = addresses_[i];
    Attempt& a = attempts_[i];
    current_ = i;
    a.fd.reset(::socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    int err = a.fd ? 0 : errno;
    if (a.fd) {
        int rc = ::connect(a.fd.get(), address.get(), address.length());
        err = rc == 0 ? 0 : errno;
        if (err == EINPROGRESS || err == EINTR) err = 0;  // EINTR: it goes on in background
    }
    if (err != 0) {
        a.fd.reset();
        attempt_failed(i, err);
        return false;
    }
    spdlog::debug("connect({}): trying", address.to_string());
    // Both outcomes are reported by writability (SO_ERROR tells which), so that even an
    // immediate success reaches the callbacks from the loop, not from inside start_next().
    a.channel = std::make_unique<Channel>(loop_, a.fd.get());
    a.channel->tie(shared_from_this());
    a.channel->set_write_callback([this, i] { handle_write(i); });
    a.channel->set_error_callback([this, i] { handle_write(i); });
    a.channel->set_close_callback([this, i] { handle_write(i); });
    a.channel->enable_writing();
    ++in_flight_;
    return true;
}

void Connector::handle_write(std::size_t i) {
    Attempt& a = attempts_[i];
    if (!a.channel || stopped_) return;
    int err = sockets::socket_error(a.fd.get());
    if (err == 0) {
        // A self-connect: the kernel picked the destination port as our ephemeral port.
        try {
            if (sockets::local_address(a.fd.get()) == sockets::peer_address(a.fd.get()))
                err = ECONNREFUSED;
        } catch (const Error&) {
            err = ENOTCONN;
        }
    }
    if (err != 0) {
        close_attempt(i);
        attempt_failed(i, err);
        start_next();  // RFC 8305 §5: a failed attempt starts the next one at once
        return;
    }
    // The winner: keep its socket, close every other one still connecting (§6).
    stopped_ = true;  // done: exactly one outcome
    loop_->cancel(delay_timer_);
    loop_->cancel(deadline_timer_);
    UniqueFd fd = std::move(a.fd);
    close_all();
    current_ = i;
    if (connected_) connected_(std::move(fd), addresses_[i]);
}

void Connector::attempt_failed(std::size_t i, int err) {
    last_error_ = err;
    const std::string address = addresses_[i].to_string();
    spdlog::debug("connect({}): {}", address, std::strerror(err));
    attempts_[i].reason = std::strerror(err);
}

void Connector::close_attempt(std::size_t i) {
    Attempt& a = attempts_[i];
    if (a.channel) {
        a.channel->remove();
        --in_flight_;
        // We may be inside the channel's own callback: it dies from the loop's queue.
        loop_->queue_in_loop([dead = std::shared_ptr<Channel>(std::move(a.channel))] {});
    }
    a.fd.reset();
}

void Connector::close_all() {
    for (std::size_t i = 0; i < attempts_.size(); ++i) close_attempt(i);
}

void Connector::deadline_expired() {
    deadline_timer_ = {};
    loop_->cancel(delay_timer_);
    for (std::size_t i = 0; i < attempts_.size(); ++i) {
        if (!attempts_[i].channel) continue;
        close_attempt(i);
        attempt_failed(i, ETIMEDOUT);
    }
    fail(true);
}

void Connector::fail(bool timed_out) {
    if (stopped_) return;
    stopped_ = true;
    loop_->cancel(delay_timer_);
    loop_->cancel(deadline_timer_);
    ConnectFailure f;
    f.timed_out = timed_out;
    f.error = timed_out ? ETIMEDOUT : last_error_;
    std::vector<std::string> reasons;  // in the order tried
    for (std::size_t i = 0; i < addresses_.size(); ++i)
        reasons.push_back(
            fmt::format("{}: {}", addresses_[i].to_string(),
                        attempts_[i].reason.empty() ? "not tried" : attempts_[i].reason));
    if (next_ == 0)
        f.message = "connect: timed out before the first attempt";
    else if (addresses_.size() == 1)
        f.message =
            fmt::format("connect({}): {}", addresses_.front().to_string(), std::strerror(f.error));
    else
        f.message = fmt::format("connect failed{}: {}", timed_out ? " (timed out)" : "",
                                fmt::join(reasons, "; "));
    if (failed_) failed_(f);
}

}  // namespace netius::net
