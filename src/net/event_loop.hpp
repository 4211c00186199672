#pragma once
// EventLoop — the reactor of one thread: epoll (Poller), timers (timerfd), cross-thread calls
// (eventfd) and signals (signalfd), all as Channel events. One loop per thread; everything
// registered on a loop (channels, connections, servers) is used on that thread only and must
// be destroyed before the loop. Other threads talk to a loop only through the methods marked
// "any thread" (house rule 5). Constructing the first loop ignores SIGPIPE process-wide: a
// write to a closed socket must return EPIPE, not kill the process.
//
//     netius::net::EventLoop loop;
//     loop.on_signal(SIGTERM, [&] { loop.quit(); });
//     loop.run_every(std::chrono::seconds(1), [] { spdlog::info("tick"); });
//     loop.loop();  // until quit()
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "net/callbacks.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class Channel;
class IoBatch;
class Poller;
class SignalWatcher;
class TimerQueue;

class EventLoop {
  public:
    /// Throws netius::Error if epoll/eventfd/timerfd cannot be created, or if the calling
    /// thread already has a loop.
    EventLoop();
    /// Loop thread, after loop() returned. Pending functors are discarded, not run.
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Runs until quit(): waits for events with no timeout (timers and wakeups are fds), runs
    /// their callbacks, then the queued functors. Loop thread only.
    void loop();
    /// Makes loop() return after the current iteration. Any thread.
    void quit();
    /// Brackets every wait for events: `before` runs just before the loop blocks in
    /// epoll_wait, `after` as soon as it returns, before any callback. `serve wsgi` uses them
    /// to hold Python's GIL only while the loop works, so threads an app starts run while the
    /// loop is idle. Either may be empty (the default). Loop thread only.
    void set_wait_hooks(Functor before, Functor after);

    /// Runs `f` now if called on the loop thread, else queues it. Any thread.
    void run_in_loop(Functor f);
    /// Queues `f` to run after the current batch of events, in FIFO order. Any thread.
    /// A functor that throws is logged as a bug and the loop carries on.
    void queue_in_loop(Functor f);
    /// queue_in_loop() of `call(target)`, made only if `target` is still alive then (with a
    /// reference held for the call). Unlike a Functor capturing a weak_ptr it allocates
    /// nothing: a connection's deferred steps, one or two per request. Any thread.
    void queue_call(std::weak_ptr<void> target, void (*call)(void* target));

    /// Runs `cb` once at `when` / after `delay`; returns its id for cancel(). Any thread.
    TimerId run_at(Clock::time_point when, TimerCallback cb);
    TimerId run_after(Clock::duration delay, TimerCallback cb);
    /// Runs `cb` every `interval` (> 0), the first time one interval from now. Any thread.
    TimerId run_every(Clock::duration interval, TimerCallback cb);
    /// Cancels a timer; a fired, cancelled or unknown id is ignored. Callable from inside the
    /// timer's own callback (stops a repeating timer). Any thread.
    void cancel(TimerId id);

    /// Runs `cb` on this loop whenever `signo` (e.g. SIGINT, SIGTERM, SIGHUP) arrives; blocks
    /// the signal in the calling thread (see signal_watcher.hpp: call before starting other
    /// threads). Throws netius::Error on failure. Loop thread only.
    void on_signal(int signo, Functor cb);

    /// True on the thread that created the loop. Any thread.
    bool is_in_loop_thread() const { return thread_id_ == std::this_thread::get_id(); }
    /// Logs and aborts when called on another thread (a bug, not a runtime error).
    void assert_in_loop_thread() const;
    /// Number of completed epoll_wait calls; lets tests prove the loop does not spin.
    std::uint64_t iterations() const { return iterations_; }
    /// Number of epoll_ctl calls made by this loop's poller (not those in the io_uring batch);
    /// lets tests prove an interest change costs none.
    std::uint64_t epoll_controls() const;
    /// The calling thread's loop, or nullptr.
    static EventLoop* current();

    /// Whether loops created from now on batch their sockets' system calls through io_uring
    /// (IoBatch; servers' --io-uring/--no-io-uring). Default: on, unless the environment has
    /// NETIUS_IO_URING=0. Where the kernel has no usable io_uring a loop works without it.
    static void set_io_uring(bool on);
    static bool io_uring();
    /// This loop's io_uring batch, or nullptr (off or unavailable): each system call alone.
    IoBatch* io_batch() const { return batch_.get(); }

    // For Channel (loop thread only).
    void update_channel(Channel* channel);
    void remove_channel(Channel* channel);
    /// remove_channel() for a channel whose fd `guard` keeps open: with an io_uring batch the
    /// epoll entry goes in the batch's next run (before the next wait) instead of a system
    /// call now; meanwhile its events are ignored (the channel has no interest).
    void retire_channel(Channel* channel, std::shared_ptr<void> guard);

  private:
    /// After the events: the batched system calls and the queued functors, each of which may
    /// add to the other, for a few rounds. Returns true when operations are still queued (the
    /// next wait must not block).
    bool drain();
    /// Nulls the channel's entries still ahead in the batch of events being dispatched.
    void skip_pending_events(Channel* channel);
    void wakeup();
    void handle_wakeup();
    void run_pending_functors();

    const std::thread::id thread_id_;
    std::atomic<bool> quit_{false};
    bool looping_ = false;
    std::uint64_t iterations_ = 0;
    Functor before_wait_, after_wait_;
    std::unique_ptr<Poller> poller_;
    std::unique_ptr<IoBatch> batch_;
    std::vector<Channel*> active_;
    std::size_t active_index_ = 0;
    bool handling_events_ = false;
    bool draining_ = false;  // run_pending_functors() is running
    bool batching_ = false;  // drain() is running the io_uring batch
    /// A queued functor, or a queue_call (`call` set).
    struct Task {
        Functor functor;
        std::weak_ptr<void> target;
        void (*call)(void*) = nullptr;
        void run();
    };
    void enqueue(Task task);

    std::mutex mutex_;
    std::vector<Task> pending_;  // guarded by mutex_
    UniqueFd wakeup_fd_;
    std::unique_ptr<Channel> wakeup_channel_;
    std::unique_ptr<TimerQueue> timers_;
    std::unique_ptr<SignalWatcher> signals_;
};

}  // namespace netius::net
