#pragma once
// Acceptor — accepts connections on one listening socket for an EventLoop.
//
// Each readable event runs accept4(SOCK_NONBLOCK | SOCK_CLOEXEC) until EAGAIN (at most
// kMaxAcceptsPerEvent, so a flood on one listener cannot starve the loop's other fds).
// Out of descriptors (EMFILE/ENFILE) or memory (ENOBUFS/ENOMEM), the listener stays readable
// but accept4 keeps failing: a level-triggered loop would spin. Instead the acceptor pauses:
// it drops read interest and retries after kRetryDelay on a timer. Waiting clients stay in the
// kernel's backlog and are accepted once descriptors are free again.
// Thread-safety: loop thread only (constructor included).
#include <chrono>
#include <functional>

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
    void start();
    /// Stops accepting; the socket stays open (new clients queue in the backlog).
    void stop();
    /// Stops accepting and closes the listening socket now (new clients are refused). Safe
    /// inside the new-connection callback; the object itself stays valid until destroyed.
    void close();
    bool accepting() const { return accepting_; }
    /// True while paused after EMFILE/ENFILE/ENOBUFS/ENOMEM.
    bool paused() const { return retry_timer_.id != 0; }
    int fd() const { return fd_.get(); }

  private:
    void handle_read();
    void pause(int err);
    void resume();

    EventLoop* loop_;
    UniqueFd fd_;
    Channel channel_;
    NewConnectionCallback callback_;
    bool accepting_ = false;
    bool warned_ = false;  // one warning per pause episode, not one per retry
    TimerId retry_timer_;
};

}  // namespace netius::net
