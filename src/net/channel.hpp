#pragma once
// Channel — one fd's interest (read/write) and its event callbacks, on one EventLoop.
// It does not own the fd (UniqueFd does) and never closes it. handle_event is the reactor's
// catch boundary: an exception escaping a callback is logged as a bug, the channel's close
// callback runs (closing that one connection) and the loop keeps serving.
// Thread-safety: every method, loop thread only (see the destructor).
#include <functional>
#include <memory>

namespace netius::net {

class EventLoop;

class Channel {
  public:
    using EventCallback = std::function<void()>;

    // Interest bits (what we ask for) and ready bits (what the Poller reports).
    static constexpr unsigned kReadInterest = 1;
    static constexpr unsigned kWriteInterest = 2;
    static constexpr unsigned kReadable = 1;
    static constexpr unsigned kWritable = 2;
    static constexpr unsigned kHangup = 4;
    static constexpr unsigned kError = 8;

    Channel(EventLoop* loop, int fd) : loop_(loop), fd_(fd) {}
    /// Deregisters from the loop if still registered (loop thread; the loop must exist).
    /// Once removed, a Channel may be destroyed on any thread.
    ~Channel();
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;

    void set_read_callback(EventCallback cb) { read_callback_ = std::move(cb); }
    void set_write_callback(EventCallback cb) { write_callback_ = std::move(cb); }
    /// Runs on hang-up without pending input, and after an exception escaped a callback.
    void set_close_callback(EventCallback cb) { close_callback_ = std::move(cb); }
    void set_error_callback(EventCallback cb) { error_callback_ = std::move(cb); }

    /// Ties the channel to its owner: events are ignored once `owner` has expired, and the
    /// owner is kept alive (a locked shared_ptr) for the whole of handle_event.
    void tie(const std::shared_ptr<void>& owner);

    /// Dispatches the ready bits set by the Poller. Called by EventLoop only.
    void handle_event() {
        run_guarded([this] { dispatch(); });
    }
    /// Runs `f` inside the catch boundary (with the tie held), as handle_event does: used by
    /// the owner for work it deferred to the loop's queue (a TLS re-read, a write-complete).
    void run_guarded(const std::function<void()>& f);

    int fd() const { return fd_; }
    EventLoop* owner_loop() const { return loop_; }

    /// Sets the interest; an epoll_ctl happens only when it changes.
    void set_interest(bool read, bool write);
    void enable_reading() { set_interest(true, is_writing()); }
    void disable_reading() { set_interest(false, is_writing()); }
    void enable_writing() { set_interest(is_reading(), true); }
    void disable_writing() { set_interest(is_reading(), false); }
    void disable_all() { set_interest(false, false); }
    bool is_reading() const { return interest_ & kReadInterest; }
    bool is_writing() const { return interest_ & kWriteInterest; }
    /// Disables all interest and forgets the channel in the loop (also skips a pending event).
    void remove();

    // For the Poller.
    unsigned interest() const { return interest_; }
    void set_revents(unsigned revents) { revents_ = revents; }
    bool registered() const { return registered_; }
    void set_registered(bool r) { registered_ = r; }

  private:
    void dispatch();

    EventLoop* loop_;
    int fd_;
    unsigned interest_ = 0;
    unsigned revents_ = 0;
    bool registered_ = false;
    bool tied_ = false;
    std::weak_ptr<void> tie_;
    EventCallback read_callback_;
    EventCallback write_callback_;
    EventCallback close_callback_;
    EventCallback error_callback_;
};

}  // namespace netius::net
