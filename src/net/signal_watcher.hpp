#pragma once
// SignalWatcher — turns signals (SIGINT, SIGTERM, SIGHUP...) into events of one EventLoop via
// signalfd, so a handler is an ordinary loop callback instead of async-signal context.
// Use it through EventLoop::on_signal. Loop thread only.
//
// The watched signals are blocked with pthread_sigmask in the calling thread; threads created
// afterwards inherit the mask. Register signals before starting other threads, otherwise a
// thread that does not block them may receive them with their default action. One loop per
// process should watch a given signal: each process-directed signal is read only once.
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX sigset_t, sigprocmask

#include <map>
#include <memory>

#include "net/callbacks.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {

class Channel;
class EventLoop;

class SignalWatcher {
  public:
    explicit SignalWatcher(EventLoop* loop);
    /// Stops watching, drains pending instances of the watched signals and unblocks those
    /// this watcher blocked (restoring the thread's previous mask for them).
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    /// Runs `cb` on the loop each time `signo` arrives (replacing an earlier callback for it).
    /// Throws netius::Error for an invalid signal or if signalfd fails.
    void watch(int signo, Functor cb);

  private:
    void handle_read();

    EventLoop* loop_;
    sigset_t mask_;     // every watched signal
    sigset_t blocked_;  // the ones we blocked (were not blocked before)
    UniqueFd fd_;
    std::unique_ptr<Channel> channel_;
    std::map<int, Functor> handlers_;
};

}  // namespace netius::net
