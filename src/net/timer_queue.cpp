#include "net/timer_queue.hpp"

#include <sys/timerfd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

itimerspec to_itimerspec(Clock::duration delay) {
    using namespace std::chrono;
    // it_value zero would disarm the timer: an overdue timer fires after 1 µs instead.
    auto ns = std::max<nanoseconds::rep>(duration_cast<nanoseconds>(delay).count(), 1000);
    itimerspec spec{};
    spec.it_value.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(ns % 1'000'000'000);
    return spec;
}

}  // namespace

TimerQueue::TimerQueue(EventLoop* loop)
    : loop_(loop),
      timer_fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)),
      channel_(loop, timer_fd_.get()) {
    if (!timer_fd_) throw Error(errno_message("timerfd_create(CLOCK_MONOTONIC)", errno));
    channel_.set_read_callback([this] { handle_read(); });
    channel_.enable_reading();
}

TimerQueue::~TimerQueue() {
    channel_.remove();
}

void TimerQueue::add(TimerId id, Clock::time_point when, Clock::duration interval,
                     TimerCallback cb) {
    timers_.emplace(id.id, Timer{std::move(cb), when, interval});
    queue_.emplace(when, id.id);
    rearm();
}

void TimerQueue::cancel(TimerId id) {
    auto it = timers_.find(id.id);
    if (it == timers_.end()) return;
    queue_.erase({it->second.when, id.id});  // absent while its callback runs: nothing to do
    timers_.erase(it);
    rearm();
}

void TimerQueue::handle_read() {
    std::uint64_t expirations = 0;
    if (::read(timer_fd_.get(), &expirations, sizeof expirations) < 0 && errno != EAGAIN)
        spdlog::error(errno_message(fmt::format("read(timerfd {})", timer_fd_.get()), errno));
    // The timerfd is one-shot: having fired, it is disarmed. A timer added for the very
    // instant it was armed for (a deadline computed again from the same time point) must
    // arm it anew, not be taken as armed already.
    armed_ = false;
    run_expired(Clock::now());
}

void TimerQueue::run_expired(Clock::time_point now) {
    // Take the due entries first: timers added by a callback (even already due) wait for the
    // next round, so a callback re-adding itself with no delay cannot starve the loop.
    std::vector<std::uint64_t> due;
    while (!queue_.empty() && queue_.begin()->first <= now) {
        due.push_back(queue_.begin()->second);
        queue_.erase(queue_.begin());
    }
    // Restores the queue even if a callback throws (Channel::handle_event catches it): the
    // throwing timer is dropped, the ones not yet run stay due, and the timerfd is re-armed.
    struct Finish {
        TimerQueue* q;
        std::vector<std::uint64_t>& due;
        std::size_t next = 0;
        std::uint64_t running = 0;
        ~Finish() {
            if (running != 0) q->timers_.erase(running);
            for (std::size_t i = next; i < due.size(); ++i) {
                auto it = q->timers_.find(due[i]);
                if (it != q->timers_.end()) q->queue_.emplace(it->second.when, due[i]);
            }
            q->rearm();
        }
    } finish{this, due};

    while (finish.next < due.size()) {
        std::uint64_t id = due[finish.next++];
        auto it = timers_.find(id);
        if (it == timers_.end()) continue;  // cancelled by an earlier callback of this round
        // Move the callback out: cancel() from inside it must not destroy a running function.
        TimerCallback cb = std::move(it->second.callback);
        const Clock::duration interval = it->second.interval;
        if (interval > Clock::duration::zero())
            it->second.when = now + interval;  // stays known, so cancel(id) from inside works
        else
            timers_.erase(it);
        finish.running = id;
        cb();
        finish.running = 0;
        if (interval <= Clock::duration::zero()) continue;
        auto again = timers_.find(id);
        if (again == timers_.end()) continue;  // cancelled from inside its own callback
        again->second.callback = std::move(cb);
        queue_.emplace(again->second.when, id);
    }
}

void TimerQueue::rearm() {
    if (queue_.empty()) {
        if (!armed_) return;
        itimerspec off{};
        ::timerfd_settime(timer_fd_.get(), 0, &off, nullptr);
        armed_ = false;
        return;
    }
    Clock::time_point earliest = queue_.begin()->first;
    if (armed_ && earliest == armed_for_) return;
    itimerspec spec = to_itimerspec(earliest - Clock::now());
    if (::timerfd_settime(timer_fd_.get(), 0, &spec, nullptr) < 0) {
        spdlog::error(errno_message(fmt::format("timerfd_settime(fd {})", timer_fd_.get()), errno));
        return;
    }
    armed_ = true;
    armed_for_ = earliest;
}

}  // namespace netius::net
