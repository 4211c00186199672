#pragma once
// Connector — the connecting half of a TcpClient (muduo's vocabulary): a non-blocking
// connect(2) to each of a list of addresses in turn (the A/AAAA answers for a host, most
// preferred first) until one accepts, bounded by one overall timeout. Each attempt gets an
// equal share of the time left (curl's rule), so an address that never answers cannot use up
// the budget of the ones after it; the last attempt gets whatever remains.
//
// The outcome is reported once: the connected socket (ownership passes to the callback; the
// connector no longer watches it), or a Failure after the last address failed. A connection
// to ourselves (an ephemeral local port picked as the destination with nothing listening,
// "TCP simultaneous open") counts as refused.
//
// Lifetime: a shared_ptr (timers and the channel hold weak references); stop() or destruction
// cancels an attempt without a callback. Loop thread only.
#include <memory>
#include <string>
#include <vector>

#include "net/callbacks.hpp"
#include "net/inet_address.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class Channel;
class EventLoop;

/// Why no connection was made.
struct ConnectFailure {
    int error = 0;           // errno of the last attempt (ETIMEDOUT when it ran out of time)
    bool timed_out = false;  // the overall timeout expired
    /// "connect(127.0.0.1:9): Connection refused", or one "ADDRESS: reason" per attempt.
    std::string message;
};

class Connector : public std::enable_shared_from_this<Connector> {
  public:
    using ConnectedCallback = std::function<void(UniqueFd fd, const InetAddress& peer)>;
    using FailedCallback = std::function<void(const ConnectFailure& failure)>;

    /// `addresses` must not be empty; `timeout` bounds all attempts together.
    Connector(EventLoop* loop, std::vector<InetAddress> addresses, Clock::duration timeout);
    ~Connector();
    Connector(const Connector&) = delete;
    Connector& operator=(const Connector&) = delete;

    void set_connected_callback(ConnectedCallback cb) { connected_ = std::move(cb); }
    void set_failed_callback(FailedCallback cb) { failed_ = std::move(cb); }

    /// Starts the first attempt. Callbacks never run inside start(). Once only.
    void start();
    /// Abandons the attempt in progress; no callback runs afterwards.
    void stop();
    /// The address being tried (or the one that connected).
    const InetAddress& current() const { return addresses_[next_ > 0 ? next_ - 1 : 0]; }

  private:
    void try_next();
    void handle_write();
    void attempt_failed(int err);
    void detach_channel();
    void fail();

    EventLoop* loop_;
    std::vector<InetAddress> addresses_;
    Clock::duration timeout_;
    Clock::time_point deadline_{};
    std::size_t next_ = 0;
    UniqueFd fd_;
    std::unique_ptr<Channel> channel_;
    TimerId attempt_timer_;
    bool stopped_ = false;
    std::vector<std::string> reasons_;  // one per failed attempt
    int last_error_ = 0;
    ConnectedCallback connected_;
    FailedCallback failed_;
};

}  // namespace netius::net
