#include "net/poller.hpp"

#include <sys/epoll.h>

#include <cerrno>

#include <spdlog/spdlog.h>

#include "net/channel.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

constexpr std::size_t kInitialEvents = 64;

unsigned to_epoll(unsigned interest) {
    unsigned e = 0;
    if (interest & Channel::kReadInterest)
        e |= EPOLLIN;  // not EPOLLPRI: urgent data would keep it ready (a spin)
    if (interest & Channel::kWriteInterest) e |= EPOLLOUT;
    return e;
}

unsigned from_epoll(unsigned e) {
    unsigned r = 0;
    if (e & EPOLLIN) r |= Channel::kReadable;
    if (e & EPOLLOUT) r |= Channel::kWritable;
    if (e & EPOLLHUP) r |= Channel::kHangup;
    if (e & EPOLLERR) r |= Channel::kError;
    return r;
}

}  // namespace

Poller::Poller() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), events_(kInitialEvents) {
    if (!epoll_fd_) throw Error(errno_message("epoll_create1(EPOLL_CLOEXEC)", errno));
}

Poller::~Poller() = default;

void Poller::poll(int timeout_ms, ChannelList* active) {
    int n =
        ::epoll_wait(epoll_fd_.get(), events_.data(), static_cast<int>(events_.size()), timeout_ms);
    if (n < 0) {
        int err = errno;
        if (err != EINTR)
            spdlog::error(errno_message(fmt::format("epoll_wait(fd {})", epoll_fd_.get()), err));
        return;
    }
    for (int i = 0; i < n; ++i) {
        auto* channel = static_cast<Channel*>(events_[i].data.ptr);
        channel->set_revents(from_epoll(events_[i].events));
        active->push_back(channel);
    }
    // A full array means more fds may be ready: give the next wait room for them.
    if (static_cast<std::size_t>(n) == events_.size()) events_.resize(events_.size() * 2);
}

void Poller::update_channel(Channel* channel) {
    if (channel->interest() == 0) {
        remove_channel(channel);
    } else {
        control(channel->registered() ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, channel);
        channel->set_registered(true);
    }
}

void Poller::remove_channel(Channel* channel) {
    if (!channel->registered()) return;
    control(EPOLL_CTL_DEL, channel);
    channel->set_registered(false);
}

void Poller::forget_channel(Channel* channel) {
    channel->set_registered(false);
}

void Poller::control(int op, Channel* channel) {
    epoll_event ev{};
    ev.events = to_epoll(channel->interest());
    ev.data.ptr = channel;
    ++controls_;
    if (::epoll_ctl(epoll_fd_.get(), op, channel->fd(), &ev) < 0) {
        // Only a bug gets here (bad fd, fd closed before its channel was removed).
        const char* name = op == EPOLL_CTL_ADD ? "ADD" : op == EPOLL_CTL_MOD ? "MOD" : "DEL";
        spdlog::error(
            errno_message(fmt::format("epoll_ctl({}, fd {})", name, channel->fd()), errno));
    }
}

}  // namespace netius::net
