#include "net/signal_watcher.hpp"

#include <pthread.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "net/channel.hpp"
#include "net/event_loop.hpp"
#include "util/error.hpp"

namespace netius::net {

SignalWatcher::SignalWatcher(EventLoop* loop) : loop_(loop) {
    sigemptyset(&mask_);
    sigemptyset(&blocked_);
}

SignalWatcher::~SignalWatcher() {
    if (channel_) channel_->remove();
    if (!fd_) return;
    // Swallow what is pending, so unblocking does not deliver it with the default action.
    signalfd_siginfo info;
    while (::read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
    pthread_sigmask(SIG_UNBLOCK, &blocked_, nullptr);
}

void SignalWatcher::watch(int signo, Functor cb) {
    if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP)
        throw Error("cannot watch signal {}", signo);
    sigset_t old;
    sigemptyset(&old);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, signo);
    if (int err = pthread_sigmask(SIG_BLOCK, &one, &old); err != 0)
        throw Error(errno_message(fmt::format("pthread_sigmask(SIG_BLOCK, {})", signo), err));
    if (!sigismember(&old, signo)) sigaddset(&blocked_, signo);
    sigaddset(&mask_, signo);
    int fd = ::signalfd(fd_ ? fd_.get() : -1, &mask_, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) throw Error(errno_message(fmt::format("signalfd({})", signo), errno));
    if (!fd_) {
        fd_.reset(fd);
        channel_ = std::make_unique<Channel>(loop_, fd_.get());
        channel_->set_read_callback([this] { handle_read(); });
        channel_->enable_reading();
    }
    handlers_[signo] = std::move(cb);
}

void SignalWatcher::handle_read() {
    for (;;) {
        signalfd_siginfo info;
        ssize_t n = ::read(fd_.get(), &info, sizeof info);
        if (n != static_cast<ssize_t>(sizeof info)) {
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                spdlog::error(errno_message(fmt::format("read(signalfd {})", fd_.get()), errno));
            return;
        }
        auto it = handlers_.find(static_cast<int>(info.ssi_signo));
        if (it == handlers_.end()) continue;
        Functor cb = it->second;  // a copy: the callback may replace its own handler
        spdlog::debug("signal {} ({})", info.ssi_signo,
                      ::strsignal(static_cast<int>(info.ssi_signo)));
        cb();
    }
}

}  // namespace netius::net
