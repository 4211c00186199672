#pragma once
// Channel — one fd's interest (read/write) and its event handler, on one EventLoop.
// It does not own the fd (UniqueFd does) and never closes it. handle_event is the reactor's
// catch boundary: an exception escaping a handler is logged as a bug, the handler's close
// event runs (closing that one connection) and the loop keeps serving.
//
// The handler is either an object implementing ChannelHandler (set_handler: what a
// TcpConnection is, so each of the many connections carries one pointer instead of four
// std::function objects — bench/http.sh's memory per idle connection), or the four
// set_*_callback functions, kept out of line for the few long-lived channels that use them.
// Thread-safety: every method, loop thread only (see the destructor).
#include <functional>
#include <memory>

namespace netius::net {

class EventLoop;

/// What a channel's events call (see Channel::dispatch for the order).
class ChannelHandler {
  public:
    /// Readable, or a hang-up with input still to read.
    virtual void channel_readable() = 0;
    virtual void channel_writable() = 0;
    /// A hang-up without pending input, and after an exception escaped a handler.
    virtual void channel_closed() = 0;
    virtual void channel_error() = 0;
    /// Called before each event: false drops it (the owner is gone); otherwise `guard` may
    /// be set to a reference that keeps the owner alive until the handler returns.
    virtual bool channel_guard(std::shared_ptr<void>& guard) {
        (void)guard;
        return true;
    }

  protected:
    ~ChannelHandler() = default;
};

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

    /// The object the events go to; it must outlive the channel's registration (a member
    /// owner, or tie()). Replaces any callbacks set before.
    void set_handler(ChannelHandler* handler) {
        handler_ = handler;
        functions_.reset();
    }
    // Or one function per event (an empty one ignores its event).
    void set_read_callback(EventCallback cb) { functions().read = std::move(cb); }
    void set_write_callback(EventCallback cb) { functions().write = std::move(cb); }
    /// Runs on hang-up without pending input, and after an exception escaped a callback.
    void set_close_callback(EventCallback cb) { functions().close = std::move(cb); }
    void set_error_callback(EventCallback cb) { functions().error = std::move(cb); }

    /// Ties the callbacks to their owner: events are ignored once `owner` has expired, and
    /// the owner is kept alive (a locked shared_ptr) for the whole of handle_event. (A
    /// ChannelHandler does the same through channel_guard.)
    void tie(const std::shared_ptr<void>& owner) {
        Functions& f = functions();
        f.tie = owner;
        f.tied = true;
    }

    /// Dispatches the ready bits set by the Poller. Called by EventLoop only.
    void handle_event() {
        run_guarded([this] { dispatch(); });
    }
    /// Runs `f` inside the catch boundary (with the tie held), as handle_event does: used by
    /// the owner for work it deferred to the loop's queue (a TLS re-read, a write-complete).
    void run_guarded(const std::function<void()>& f);
    /// run_guarded() for a caller that already keeps the owner alive (a batched operation's
    /// guard, a reference it locked): only the catch boundary, no second lock of the tie.
    void run_held(const std::function<void()>& f);

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
    /// disable_all() for good (a closing connection): `owner` keeps the fd open until the loop
    /// has removed its epoll entry, which an io_uring batch does without a system call of its
    /// own (EventLoop::retire_channel).
    void retire(std::shared_ptr<void> owner);

    // For the Poller.
    unsigned interest() const { return interest_; }
    void set_revents(unsigned revents) { revents_ = revents; }
    bool registered() const { return registered_; }
    void set_registered(bool r) { registered_ = r; }

  private:
    struct Functions final : ChannelHandler {
        EventCallback read, write, close, error;
        std::weak_ptr<void> tie;
        bool tied = false;
        bool channel_guard(std::shared_ptr<void>& guard) override {
            if (!tied) return true;
            guard = tie.lock();
            return guard != nullptr;
        }
        void channel_readable() override {
            if (read) read();
        }
        void channel_writable() override {
            if (write) write();
        }
        void channel_closed() override {
            if (close) close();
        }
        void channel_error() override {
            if (error) error();
        }
    };
    Functions& functions();
    void dispatch();

    EventLoop* loop_;
    int fd_;
    unsigned char interest_ = 0;
    unsigned char revents_ = 0;
    bool registered_ = false;
    ChannelHandler* handler_ = nullptr;
    std::unique_ptr<Functions> functions_;  // set_*_callback's handler
};

}  // namespace netius::net
