#pragma once
// Poller — the epoll instance behind one EventLoop; the only file that includes <sys/epoll.h>.
//
// Level-triggered, on purpose. A ready fd is reported on every epoll_wait until it is drained,
// so a handler may do one bounded read (Buffer::read_fd: up to its free space plus a 64 KiB
// spill) and return: the loop stays fair across connections, and no byte is ever stranded in
// a kernel buffer waiting for an edge that already happened. This is what makes the "no data
// stall" guarantee simple: interest is always exactly "what would make progress" (EPOLLOUT only
// while output is queued or TLS wants to write, EPOLLIN only while reading is wanted), and a
// Channel with no interest is removed from epoll so EPOLLHUP/EPOLLERR cannot spin. The cost is
// an epoll_ctl when interest changes, which happens only on back-pressure edges.
#include <cstdint>
#include <vector>

#include "util/unique_fd.hpp"

struct epoll_event;

namespace netius::net {

class Channel;

class Poller {
  public:
    using ChannelList = std::vector<Channel*>;

    /// Throws netius::Error if epoll_create1 fails.
    Poller();
    ~Poller();
    Poller(const Poller&) = delete;
    Poller& operator=(const Poller&) = delete;

    /// Waits up to `timeout_ms` (-1: forever) and appends the ready channels to `active`,
    /// each with its revents set. EINTR returns no channels; other errors are logged.
    void poll(int timeout_ms, ChannelList* active);
    /// Adds, modifies or (when the channel has no interest) removes the channel's epoll entry.
    void update_channel(Channel* channel);
    /// Removes the channel's epoll entry if it has one.
    void remove_channel(Channel* channel);
    /// Marks the channel unregistered without touching epoll: the caller removes the entry
    /// itself (EventLoop::retire_channel, through the io_uring batch).
    void forget_channel(Channel* channel);
    int fd() const { return epoll_fd_.get(); }
    /// Number of epoll_ctl calls made so far (tests count the cost of interest changes).
    std::uint64_t controls() const { return controls_; }

  private:
    void control(int op, Channel* channel);

    UniqueFd epoll_fd_;
    std::vector<epoll_event> events_;
    std::uint64_t controls_ = 0;
};

}  // namespace netius::net
