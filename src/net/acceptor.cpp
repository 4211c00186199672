#include "net/acceptor.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::net {

Acceptor::Acceptor(EventLoop* loop, UniqueFd listening_fd)
    : loop_(loop), fd_(std::move(listening_fd)), channel_(loop, fd_.get()) {
    loop_->assert_in_loop_thread();
    if (int err = sockets::set_nonblocking(fd_.get(), true))
        throw Error(errno_message(fmt::format("fcntl(fd {}, O_NONBLOCK)", fd_.get()), err));
    channel_.set_read_callback([this] { handle_read(); });
}

Acceptor::~Acceptor() {
    // The retry timer captures `this`: cancelled here, it can never fire on a dead acceptor.
    loop_->cancel(retry_timer_);
    channel_.remove();
}

void Acceptor::start() {
    if (!fd_) return;  // closed
    accepting_ = true;
    if (!paused()) channel_.enable_reading();
}

void Acceptor::stop() {
    accepting_ = false;
    loop_->cancel(retry_timer_);
    retry_timer_ = {};
    channel_.disable_reading();
}

void Acceptor::close() {
    stop();
    channel_.remove();  // out of epoll (and out of this batch) before the fd number is reused
    fd_.reset();
}

void Acceptor::handle_read() {
    for (int i = 0; i < kMaxAcceptsPerEvent && accepting_ && fd_; ++i) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        UniqueFd conn(::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len,
                                SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (conn) {
            warned_ = false;
            InetAddress peer = InetAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
            if (callback_) callback_(std::move(conn), peer);
            continue;
        }
        int err = errno;
        switch (err) {
            case EAGAIN:
                return;
            case EINTR:
            case ECONNABORTED:  // the client gave up while queued: next one
            case EPROTO:
            case EPERM:  // refused by a firewall rule
            case ENETDOWN:
            case ENOPROTOOPT:
            case EHOSTDOWN:
            case ENONET:
            case EHOSTUNREACH:
            case ENETUNREACH:
                continue;
            default:  // EMFILE, ENFILE, ENOBUFS, ENOMEM, or a bug: do not spin on it
                pause(err);
                return;
        }
    }
}

void Acceptor::pause(int err) {
    std::string message = errno_message(fmt::format("accept4(fd {})", fd_.get()), err) +
                          fmt::format("; pausing accept for {} ms", kRetryDelay.count());
    if (!warned_)
        spdlog::warn(message);
    else
        spdlog::debug(message);
    warned_ = true;
    channel_.disable_reading();
    retry_timer_ = loop_->run_after(kRetryDelay, [this] { resume(); });
}

void Acceptor::resume() {
    retry_timer_ = {};
    if (!accepting_) return;
    channel_.enable_reading();
    // No need to accept here: the level-triggered listener reports what is still queued.
}

}  // namespace netius::net
