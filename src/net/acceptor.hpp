#pragma once
// Acceptor — accepts connections on one listening socket for an EventLoop.
//
// Each readable event accepts one client, as nginx does (multi_accept off): epoll is
// level-triggered, so the next wait reports the listener again while clients are queued, and
// no accept4 is spent only to hear EAGAIN (with clients arriving one at a time, that probe was
// a third of the listener's system calls). Failures that concern one client (ECONNABORTED...)
// go on to the next, at most kMaxAcceptsPerEvent times.
// Out of descriptors (EMFILE/ENFILE), the listener stays readable but accept4 keeps failing:
// a level-triggered loop would spin, and waiting clients would hang in the kernel's backlog
// until some connection closes. Instead the acceptor refuses them at once with the spare
// descriptor it keeps for this (/dev/null): it closes the spare, accepts the oldest client,
// sends it the overload reply (best effort, e.g. HTTP 503 or SMTP 421) and closes it, then
// reopens the spare; new clients are accepted as soon as descriptors are free again. Without a
// spare (it could not be reopened), or out of memory (ENOBUFS/ENOMEM), the acceptor pauses
// instead: it drops read interest and retries after kRetryDelay on a timer, the waiting
// clients staying in the backlog.
// Thread-safety: loop thread only (constructor included).
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "net/callbacks.hpp"
#include "net/channel.hpp"
#include "net/inet_address.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class EventLoop;

class Acceptor {
  public:
    using NewConnectionCallback = std::function<void(UniqueFd fd, const InetAddress& peer)>;

    static constexpr int kMaxAcceptsPerEvent = 1024;
    static constexpr std::chrono::milliseconds kRetryDelay{100};

    /// Takes ownership of a listening socket (sockets::listen_on, or an adopted one) and makes
    /// it non-blocking. Does not accept until start().
    Acceptor(EventLoop* loop, UniqueFd listening_fd);
    /// Stops accepting and closes the listening socket (cancels a pending retry).
    ~Acceptor();
    Acceptor(const Acceptor&) = delete;
    Acceptor& operator=(const Acceptor&) = delete;

    /// Receives each accepted socket; must not throw (it owns the fd from here on).
    void set_new_connection_callback(NewConnectionCallback cb) { callback_ = std::move(cb); }
    /// Bytes sent (best effort, never blocking) to each client refused for want of
    /// descriptors, before it is closed; empty (the default): closed without a word.
    void set_overload_reply(std::string reply) { overload_reply_ = std::move(reply); }
    void start();
    /// Stops accepting; the socket stays open (new clients queue in the backlog).
    void stop();
    /// Stops accepting and closes the listening socket now (new clients are refused). Safe
    /// inside the new-connection callback; the object itself stays valid until destroyed.
    void close();
    bool accepting() const { return accepting_; }
    /// True while paused after EMFILE/ENFILE without a spare, or ENOBUFS/ENOMEM.
    bool paused() const { return retry_timer_.id != 0; }
    int fd() const { return fd_.get(); }

  private:
    enum class Refusal { kRefused, kNoneWaiting, kNoSpare };
    void handle_read();
    Refusal refuse_one(int err);
    void warn_once(int err, std::string_view action);
    void pause(int err);
    void resume();

    EventLoop* loop_;
    UniqueFd fd_;
    Channel channel_;
    NewConnectionCallback callback_;
    bool accepting_ = false;
    bool warned_ = false;  // one warning per episode, not one per retry or refusal
    UniqueFd spare_;       // given up to accept a client that is then refused
    std::string overload_reply_;
    TimerId retry_timer_;
};

}  // namespace netius::net
