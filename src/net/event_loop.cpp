#include "net/event_loop.hpp"

#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX sigset_t, sigprocmask
#include <sys/eventfd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <string_view>

#include <spdlog/spdlog.h>

#include "net/channel.hpp"
#include "net/io_batch.hpp"
#include "net/poller.hpp"
#include "net/signal_watcher.hpp"
#include "net/timer_queue.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

thread_local EventLoop* t_loop = nullptr;

std::atomic<int> g_io_uring{-1};  // -1: not set, read NETIUS_IO_URING

void ignore_sigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace

EventLoop::EventLoop()
    : thread_id_(std::this_thread::get_id()),
      poller_(std::make_unique<Poller>()),
      wakeup_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (t_loop) throw Error("this thread already has an EventLoop");
    if (!wakeup_fd_) throw Error(errno_message("eventfd(EFD_NONBLOCK)", errno));
    ignore_sigpipe();
    wakeup_channel_ = std::make_unique<Channel>(this, wakeup_fd_.get());
    wakeup_channel_->set_read_callback([this] { handle_wakeup(); });
    wakeup_channel_->enable_reading();
    timers_ = std::make_unique<TimerQueue>(this);
    if (io_uring()) batch_ = IoBatch::create();
    t_loop = this;
}

bool EventLoop::io_uring() {
    int on = g_io_uring.load(std::memory_order_relaxed);
    if (on < 0) {
        const char* env = std::getenv("NETIUS_IO_URING");
        on = !(env && std::string_view(env) == "0");
    }
    return on != 0;
}

void EventLoop::set_io_uring(bool on) {
    g_io_uring.store(on ? 1 : 0, std::memory_order_relaxed);
}

EventLoop::~EventLoop() {
    if (looping_) spdlog::critical("bug: EventLoop destroyed while loop() is running");
    std::vector<Task> pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(pending_);
    }
    pending.clear();  // their captures (connections...) die while the poller still exists
    if (batch_) batch_->clear();
    signals_.reset();
    timers_.reset();
    wakeup_channel_.reset();
    t_loop = nullptr;
}

void EventLoop::set_wait_hooks(Functor before, Functor after) {
    assert_in_loop_thread();
    before_wait_ = std::move(before);
    after_wait_ = std::move(after);
}

EventLoop* EventLoop::current() {
    return t_loop;
}

void EventLoop::assert_in_loop_thread() const {
    if (is_in_loop_thread()) return;
    spdlog::critical("bug: EventLoop used from a thread that does not own it");
    std::abort();
}

void EventLoop::loop() {
    assert_in_loop_thread();
    looping_ = true;
    bool busy = drain();  // what was queued before the loop started
    while (!quit_.load(std::memory_order_acquire)) {
        active_.clear();
        if (before_wait_) before_wait_();
        poller_->poll(busy ? 0 : -1, &active_);
        if (after_wait_) after_wait_();
        ++iterations_;
        handling_events_ = true;
        for (active_index_ = 0; active_index_ < active_.size(); ++active_index_) {
            // remove_channel() nulls the entry of a channel that went away in this batch.
            if (Channel* channel = active_[active_index_]) channel->handle_event();
        }
        handling_events_ = false;
        busy = drain();
    }
    quit_.store(false, std::memory_order_relaxed);  // the loop may be run again
    looping_ = false;
}

void EventLoop::quit() {
    quit_.store(true, std::memory_order_release);
    if (!is_in_loop_thread()) wakeup();
}

void EventLoop::run_in_loop(Functor f) {
    if (is_in_loop_thread())
        f();
    else
        queue_in_loop(std::move(f));
}

void EventLoop::queue_in_loop(Functor f) {
    enqueue(Task{std::move(f), {}, nullptr});
}

void EventLoop::queue_call(std::weak_ptr<void> target, void (*call)(void*)) {
    enqueue(Task{nullptr, std::move(target), call});
}

void EventLoop::Task::run() {
    if (!call) {
        functor();
    } else if (std::shared_ptr<void> alive = target.lock()) {
        call(alive.get());
    }
}

void EventLoop::enqueue(Task task) {
    {
        std::lock_guard lock(mutex_);
        pending_.push_back(std::move(task));
    }
    // Queued on the loop thread by an event handler or a running functor, it runs in this
    // iteration anyway (run_pending_functors drains in rounds and wakes up for what is left);
    // from anywhere else (another thread, before loop()) it needs a wakeup or it would wait
    // for an unrelated event.
    if (!is_in_loop_thread() || (!handling_events_ && !draining_ && !batching_)) wakeup();
}

TimerId EventLoop::run_at(Clock::time_point when, TimerCallback cb) {
    TimerId id = timers_->next_id();
    run_in_loop([this, id, when, cb = std::move(cb)]() mutable {
        timers_->add(id, when, Clock::duration::zero(), std::move(cb));
    });
    return id;
}

TimerId EventLoop::run_after(Clock::duration delay, TimerCallback cb) {
    return run_at(Clock::now() + delay, std::move(cb));
}

TimerId EventLoop::run_every(Clock::duration interval, TimerCallback cb) {
    // A zero interval would make a one-shot timer; keep the contract with the smallest period.
    interval = std::max<Clock::duration>(interval, std::chrono::milliseconds(1));
    TimerId id = timers_->next_id();
    Clock::time_point when = Clock::now() + interval;
    run_in_loop([this, id, when, interval, cb = std::move(cb)]() mutable {
        timers_->add(id, when, interval, std::move(cb));
    });
    return id;
}

void EventLoop::cancel(TimerId id) {
    if (!id) return;
    run_in_loop([this, id] { timers_->cancel(id); });
}

void EventLoop::on_signal(int signo, Functor cb) {
    assert_in_loop_thread();
    if (!signals_) signals_ = std::make_unique<SignalWatcher>(this);
    signals_->watch(signo, std::move(cb));
}

std::uint64_t EventLoop::epoll_controls() const {
    return poller_->controls();
}

void EventLoop::update_channel(Channel* channel) {
    assert_in_loop_thread();
    poller_->update_channel(channel);
}

void EventLoop::retire_channel(Channel* channel, std::shared_ptr<void> guard) {
    assert_in_loop_thread();
    if (!batch_ || !batch_->can_epoll_del() || !channel->registered()) {
        remove_channel(channel);
        return;
    }
    poller_->forget_channel(channel);
    batch_->queue_epoll_del(poller_->fd(), channel->fd(), std::move(guard));
    skip_pending_events(channel);
}

void EventLoop::remove_channel(Channel* channel) {
    assert_in_loop_thread();
    poller_->remove_channel(channel);
    skip_pending_events(channel);
}

void EventLoop::skip_pending_events(Channel* channel) {
    if (!handling_events_) return;
    // Its event may still be ahead in this batch: the Channel may be gone by then.
    for (std::size_t i = active_index_ + 1; i < active_.size(); ++i)
        if (active_[i] == channel) active_[i] = nullptr;
}

void EventLoop::wakeup() {
    std::uint64_t one = 1;
    if (::write(wakeup_fd_.get(), &one, sizeof one) < 0 && errno != EAGAIN)
        spdlog::error(errno_message(fmt::format("write(eventfd {})", wakeup_fd_.get()), errno));
}

void EventLoop::handle_wakeup() {
    std::uint64_t count = 0;
    if (::read(wakeup_fd_.get(), &count, sizeof count) < 0 && errno != EAGAIN)
        spdlog::error(errno_message(fmt::format("read(eventfd {})", wakeup_fd_.get()), errno));
}

bool EventLoop::drain() {
    constexpr int kRounds = 4;  // then the poller gets its turn (with a zero timeout)
    if (!batch_) {
        run_pending_functors();
        return false;
    }
    for (int round = 0; round < kRounds; ++round) {
        // Batch first: the responses handlers wrote leave before a deferred close runs.
        batching_ = true;  // what its completions queue runs just below: no wakeup
        if (!batch_->empty()) batch_->run();
        if (!batch_->empty()) batch_->run();  // what the completions sent
        batching_ = false;
        run_pending_functors();
        if (batch_->empty()) return false;
    }
    return true;
}

void EventLoop::run_pending_functors() {
    // Functors queued by functors (a deferred close queues the connection's destruction) run
    // in the same iteration, a few rounds deep, without an eventfd write and wake-up each; a
    // longer chain gets a wake-up so it cannot starve the poller.
    constexpr int kRounds = 4;
    std::vector<Task> functors;
    draining_ = true;
    for (int round = 0; round < kRounds; ++round) {
        {
            std::lock_guard lock(mutex_);
            if (pending_.empty()) break;
            functors.swap(pending_);
        }
        for (Task& task : functors) {
            // The second catch boundary (the first is Channel::handle_event): a queued functor
            // has no connection to close, so it is only reported.
            try {
                task.run();
            } catch (const std::exception& e) {
                spdlog::error("bug: exception escaped a queued functor: {}", e.what());
            } catch (...) {
                spdlog::error("bug: unknown exception escaped a queued functor");
            }
        }
        // Destroy the functors (and the connections they may hold last) before the next wait.
        functors.clear();
    }
    draining_ = false;
    bool left;
    {
        std::lock_guard lock(mutex_);
        left = !pending_.empty();
    }
    if (left) wakeup();
}

}  // namespace netius::net
