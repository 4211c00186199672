#pragma once
// TimerQueue — the timers of one EventLoop on a single timerfd (CLOCK_MONOTONIC, the clock of
// std::chrono::steady_clock). Use it through EventLoop::run_after/run_every/cancel, which may
// be called from any thread; the methods here are loop thread only except next_id().
#include <atomic>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <utility>

#include "net/callbacks.hpp"
#include "net/channel.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class EventLoop;

class TimerQueue {
  public:
    /// Throws netius::Error if timerfd_create fails.
    explicit TimerQueue(EventLoop* loop);
    ~TimerQueue();
    TimerQueue(const TimerQueue&) = delete;
    TimerQueue& operator=(const TimerQueue&) = delete;

    /// A fresh timer id. Any thread.
    TimerId next_id() { return TimerId{next_id_.fetch_add(1, std::memory_order_relaxed)}; }

    /// Schedules `cb` at `when`, then every `interval` after it ran if interval > 0.
    /// Timers due at the same instant run in the order they were added. Loop thread only.
    void add(TimerId id, Clock::time_point when, Clock::duration interval, TimerCallback cb);
    /// Cancels a pending timer, or stops a repeating one from inside its own callback.
    /// Unknown, fired or already cancelled ids are ignored. Loop thread only.
    void cancel(TimerId id);
    /// Number of pending timers. Loop thread only.
    std::size_t size() const { return timers_.size(); }

  private:
    struct Timer {
        TimerCallback callback;
        Clock::time_point when;
        Clock::duration interval;
    };
    using Entry = std::pair<Clock::time_point, std::uint64_t>;

    void handle_read();
    void run_expired(Clock::time_point now);
    void rearm();

    EventLoop* loop_;
    std::atomic<std::uint64_t> next_id_{1};
    UniqueFd timer_fd_;
    Channel channel_;
    std::set<Entry> queue_;  // (when, id): ordered by time, then by creation
    std::unordered_map<std::uint64_t, Timer> timers_;
    Clock::time_point armed_for_{};
    bool armed_ = false;
};

}  // namespace netius::net
