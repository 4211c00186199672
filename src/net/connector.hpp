#pragma once
// Connector — the connecting half of a TcpClient (muduo's vocabulary): Happy Eyeballs v2
// (RFC 8305) over a list of addresses (the A/AAAA answers for a host, most preferred first),
// bounded by one overall timeout.
//
//  - §4: the list is interleaved by family (the first address's family, then the other, and
//    so on; each family keeps its own order), so that a broken IPv6 path costs one attempt
//    delay, not one attempt per IPv6 address.
//  - §5: the first attempt starts at once; each next one when the "Connection Attempt Delay"
//    (250 ms by default) has passed since the last start, or at once when an attempt fails.
//    Attempts already started are kept going: several may be in flight.
//  - §6: the first to connect wins; every other socket still connecting is closed then.
//  - The overall timeout closes whatever is still in flight and reports a failure.
//  - §3 (starting on the first of the AAAA/A answers) is not done here: the Resolver hands
//    over both answers together.
//
// The outcome is reported once: the connected socket (ownership passes to the callback; the
// connector no longer watches it), or a Failure once every address failed or the time ran out,
// naming each address and its reason. A connection to ourselves (an ephemeral local port
// picked as the destination with nothing listening, "TCP simultaneous open") counts as
// refused.
//
// Lifetime: a shared_ptr (timers and the channels hold weak references); stop() or
// destruction closes every attempt without a callback. Loop thread only.
#include <chrono>
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
    /// "connect(127.0.0.1:9): Connection refused", or one "ADDRESS: reason" per address.
    std::string message;
};

/// RFC 8305 §4 with a "First Address Family Count" of 1: the first address, then the first
/// one of another family, alternating while both last; each family keeps its order. Pure.
std::vector<InetAddress> interleave_families(std::vector<InetAddress> addresses);

class Connector : public std::enable_shared_from_this<Connector> {
  public:
    using ConnectedCallback = std::function<void(UniqueFd fd, const InetAddress& peer)>;
    using FailedCallback = std::function<void(const ConnectFailure& failure)>;

    /// RFC 8305 §8's recommended Connection Attempt Delay.
    static constexpr Clock::duration kDefaultAttemptDelay = std::chrono::milliseconds(250);

    /// `addresses` must not be empty (they are tried interleaved, see above); `timeout`
    /// bounds all attempts together; `attempt_delay` is the wait before the next attempt.
    Connector(EventLoop* loop, std::vector<InetAddress> addresses, Clock::duration timeout,
              Clock::duration attempt_delay = kDefaultAttemptDelay);
    ~Connector();
    Connector(const Connector&) = delete;
    Connector& operator=(const Connector&) = delete;

    void set_connected_callback(ConnectedCallback cb) { connected_ = std::move(cb); }
    void set_failed_callback(FailedCallback cb) { failed_ = std::move(cb); }

    /// Starts the first attempt. Callbacks never run inside start(). Once only.
    void start();
    /// Abandons every attempt in progress (their sockets closed); no callback runs afterwards.
    void stop();
    /// The addresses in the order they are tried.
    const std::vector<InetAddress>& addresses() const { return addresses_; }
    /// The address that connected, else the last one tried (the first before start()).
    const InetAddress& current() const { return addresses_[current_]; }
    /// Sockets still connecting.
    std::size_t in_flight() const { return in_flight_; }

  private:
    struct Attempt {
        UniqueFd fd;
        std::unique_ptr<Channel> channel;
        std::string reason;  // why it failed; empty while in flight or never tried
    };

    void begin();
    void start_next();
    bool start_attempt(std::size_t i);
    void handle_write(std::size_t i);
    void attempt_failed(std::size_t i, int err);
    void close_attempt(std::size_t i);
    void close_all();
    void deadline_expired();
    void fail(bool timed_out);

    EventLoop* loop_;
    std::vector<InetAddress> addresses_;
    Clock::duration timeout_;
    Clock::duration attempt_delay_;
    std::vector<Attempt> attempts_;  // one per address, same index
    std::size_t next_ = 0;           // the next address to try
    std::size_t current_ = 0;
    std::size_t in_flight_ = 0;
    TimerId delay_timer_;
    TimerId deadline_timer_;
    bool stopped_ = false;
    int last_error_ = 0;
    ConnectedCallback connected_;
    FailedCallback failed_;
};

}  // namespace netius::net
