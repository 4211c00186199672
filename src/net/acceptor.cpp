#include "net/acceptor.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include <spdlog/spdlog.h>

#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

UniqueFd open_spare() {
    return UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

}  // namespace

Acceptor::Acceptor(EventLoop* loop, UniqueFd listening_fd)
    : loop_(loop), fd_(std::move(listening_fd)), channel_(loop, fd_.get()), spare_(open_spare()) {
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
            return;  // one per event: the listener stays ready while more wait
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
            case EMFILE:
            case ENFILE:
                switch (refuse_one(err)) {
                    case Refusal::kRefused:
                        continue;
                    case Refusal::kNoneWaiting:
                        return;
                    case Refusal::kNoSpare:
                        break;
                }
                pause(err);
                return;
            default:  // ENOBUFS, ENOMEM, or a bug: do not spin on it
                pause(err);
                return;
        }
    }
}

Acceptor::Refusal Acceptor::refuse_one(int err) {
    if (!spare_) return Refusal::kNoSpare;
    spare_.reset();
    UniqueFd conn(::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    const bool accepted = static_cast<bool>(conn);
    if (accepted) {
        warn_once(err, "refusing new clients until descriptors are free");
        // Read what the client sent already, so that close() sends FIN, not an RST that could
        // overtake the reply; bounded, a client cannot keep us here.
        char scratch[4096];
        for (int i = 0; i < 4; ++i)
            if (::recv(conn.get(), scratch, sizeof scratch, MSG_DONTWAIT) <= 0) break;
        if (!overload_reply_.empty())
            (void)::send(conn.get(), overload_reply_.data(), overload_reply_.size(),
                         MSG_DONTWAIT | MSG_NOSIGNAL);
        conn.reset();
    }
    spare_ = open_spare();
    if (!spare_) return Refusal::kNoSpare;
    return accepted ? Refusal::kRefused : Refusal::kNoneWaiting;
}

void Acceptor::warn_once(int err, std::string_view action) {
    std::string message =
        errno_message(fmt::format("accept4(fd {})", fd_.get()), err) + "; " + std::string(action);
    if (!warned_)
        spdlog::warn(message);
    else
        spdlog::debug(message);
    warned_ = true;
}

void Acceptor::pause(int err) {
    warn_once(err, fmt::format("pausing accept for {} ms", kRetryDelay.count()));
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
