#include "net/channel.hpp"

#include <exception>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"

namespace netius::net {

Channel::~Channel() {
    // After remove() a channel may die on any thread (a connection's last reference dropped
    // elsewhere): the loop is only touched while the channel is registered or on its thread.
    if (registered_ || loop_->is_in_loop_thread()) loop_->remove_channel(this);
}

Channel::Functions& Channel::functions() {
    if (!functions_) {
        functions_ = std::make_unique<Functions>();
        handler_ = functions_.get();
    }
    return *functions_;
}

void Channel::set_interest(bool read, bool write) {
    unsigned interest = (read ? kReadInterest : 0) | (write ? kWriteInterest : 0);
    if (interest == interest_) return;
    interest_ = interest;
    loop_->update_channel(this);
}

void Channel::remove() {
    interest_ = 0;
    loop_->remove_channel(this);
}

void Channel::retire(std::shared_ptr<void> owner) {
    interest_ = 0;
    loop_->retire_channel(this, std::move(owner));
}

void Channel::run_guarded(const std::function<void()>& f) {
    std::shared_ptr<void> guard;
    if (handler_ && !handler_->channel_guard(guard)) return;
    run_held(f);
}

void Channel::run_held(const std::function<void()>& f) {
    const char* what = nullptr;
    try {
        f();
        return;
    } catch (const std::exception& e) {
        spdlog::error("bug: exception escaped an event handler of fd {}: {}", fd_, e.what());
        what = "exception";
    } catch (...) {
        spdlog::error("bug: unknown exception escaped an event handler of fd {}", fd_);
        what = "unknown exception";
    }
    // Close this one connection (if the channel is a connection) and keep the loop serving.
    if (!handler_) return;
    try {
        handler_->channel_closed();
    } catch (...) {
        spdlog::critical("bug: close handler of fd {} threw after an {}", fd_, what);
    }
}

void Channel::dispatch() {
    unsigned ready = revents_;
    revents_ = 0;
    // Interest may have changed since epoll_wait (an earlier handler in this batch): honour
    // the current one, so a disabled or closed channel sees no stale event.
    if (interest_ == 0 || !handler_) return;
    if ((ready & kHangup) && !(ready & kReadable)) {
        handler_->channel_closed();
        return;
    }
    if (ready & kError) handler_->channel_error();
    if ((ready & (kReadable | kHangup)) && is_reading()) handler_->channel_readable();
    if ((ready & kWritable) && is_writing()) handler_->channel_writable();
}

}  // namespace netius::net
