#include "net/io_batch.hpp"

#include <liburing.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <spdlog/spdlog.h>

namespace netius::net {
namespace {

// One submission queue's worth of operations per io_uring_enter; a run with more uses more
// calls. 256 covers a loop iteration of 128 connections that each read and write.
constexpr unsigned kEntries = 256;

}  // namespace

struct IoBatch::Ring {
    io_uring ring{};
    bool ready = false;
    ~Ring() {
        if (ready) io_uring_queue_exit(&ring);
    }
};

std::unique_ptr<IoBatch> IoBatch::create() {
    auto ring = std::make_unique<Ring>();
    io_uring_params params{};
#ifdef IORING_SETUP_SINGLE_ISSUER
    // One thread submits (the loop's), and completions are reaped at once: the kernel may skip
    // the locking and inter-processor signalling that serve other patterns (Linux 6.0+).
    params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN;
#endif
    int err = io_uring_queue_init_params(kEntries, &ring->ring, &params);
    if (err == -EINVAL && params.flags) {  // an older kernel: without the hints
        params = {};
        err = io_uring_queue_init_params(kEntries, &ring->ring, &params);
    }
    if (err < 0) {
        spdlog::debug("io_uring unavailable ({}): system calls one by one", std::strerror(-err));
        return nullptr;
    }
    ring->ready = true;
    io_uring_probe* probe = io_uring_get_probe_ring(&ring->ring);
    const bool ok = probe && io_uring_opcode_supported(probe, IORING_OP_SEND) &&
                    io_uring_opcode_supported(probe, IORING_OP_RECV);
    const bool epoll_del = probe && io_uring_opcode_supported(probe, IORING_OP_EPOLL_CTL);
    const bool close = probe && io_uring_opcode_supported(probe, IORING_OP_CLOSE);
    if (probe) io_uring_free_probe(probe);
    if (!ok) {
        spdlog::debug("io_uring lacks send/recv: system calls one by one");
        return nullptr;
    }
    return std::unique_ptr<IoBatch>(new IoBatch(std::move(ring), epoll_del, close));
}

IoBatch::IoBatch(std::unique_ptr<Ring> ring, bool can_epoll_del, bool can_close)
    : ring_(std::move(ring)), can_epoll_del_(can_epoll_del), can_close_(can_close) {}

void IoBatch::clear() {
    while (!queued_.empty()) {  // a dropped guard may destroy a connection that queues a close
        std::vector<Entry> dropped;
        dropped.swap(queued_);
        for (const Entry& e : dropped)
            if (e.op == Op::kClose) ::close(e.fd);
    }
}

void IoBatch::queue_close(int fd) {
    Entry e{nullptr, nullptr, Op::kClose};
    e.fd = fd;
    queued_.push_back(std::move(e));
}

IoBatch::~IoBatch() = default;

void IoBatch::queue(IoBatchClient* client, Op op, std::shared_ptr<void> guard) {
    queued_.push_back(Entry{client, std::move(guard), op});
}

void IoBatch::queue_epoll_del(int epoll_fd, int fd, std::shared_ptr<void> guard) {
    Entry e{nullptr, std::move(guard), Op::kEpollDel};
    e.epoll_fd = epoll_fd;
    e.fd = fd;
    queued_.push_back(std::move(e));
}

std::size_t IoBatch::submit_from(std::vector<Entry>& entries, std::size_t first) {
    io_uring* ring = &ring_->ring;
    unsigned count = 0;
    std::size_t i = first;
    for (; i < entries.size() && count < kEntries; ++i) {
        Entry& e = entries[i];
        const Target t = e.client ? e.client->batch_target(e.op) : Target{e.fd, nullptr, 1};
        if (t.len == 0) continue;  // cancelled
        io_uring_sqe* sqe = io_uring_get_sqe(ring);
        if (!sqe) break;  // cannot happen: at most kEntries per submission
        // MSG_DONTWAIT: io_uring answers -EAGAIN at once instead of arming a poll, so every
        // operation has completed when the enter below returns.
        if (e.op == Op::kEpollDel) {
            io_uring_prep_epoll_ctl(sqe, e.epoll_fd, e.fd, EPOLL_CTL_DEL, nullptr);
        } else if (e.op == Op::kClose) {
            io_uring_prep_close(sqe, e.fd);
        } else if (e.op == Op::kRecv) {
            io_uring_prep_recv(sqe, t.fd, t.data, t.len, MSG_DONTWAIT);
        } else {
            const int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (t.more ? MSG_MORE : 0);
            io_uring_prep_send(sqe, t.fd, t.data, t.len, flags);
        }
        io_uring_sqe_set_data64(sqe, i);
        e.submitted = true;
        ++count;
    }
    if (count == 0) return i;
    submitted_ += count;
    int submitted;
    // Transient failures (EINTR, EAGAIN: no memory for the requests yet) are retried; the
    // prepared entries stay in the ring, so they must be submitted before anything else runs.
    for (int attempt = 0;; ++attempt) {
        submitted = io_uring_submit_and_wait(ring, count);
        if (submitted >= 0 || (submitted != -EINTR && submitted != -EAGAIN) || attempt == 1000)
            break;
    }
    if (submitted < 0) {
        spdlog::critical("bug: io_uring_enter failed: {}", std::strerror(-submitted));
        std::abort();  // prepared operations point into buffers the loop is about to change
    }
    for (unsigned reaped = 0; reaped < count;) {
        io_uring_cqe* cqe = nullptr;
        const int err = io_uring_wait_cqe(ring, &cqe);
        if (err == -EINTR) continue;
        if (err < 0) {
            spdlog::critical("bug: io_uring_wait_cqe failed: {}", std::strerror(-err));
            std::abort();
        }
        entries[io_uring_cqe_get_data64(cqe)].result = cqe->res;
        io_uring_cqe_seen(ring, cqe);
        ++reaped;
    }
    return i;
}

void IoBatch::run() {
    running_.swap(queued_);
    for (std::size_t i = 0; i < running_.size();) i = submit_from(running_, i);
    for (Entry& e : running_) {
        if (!e.submitted) continue;
        if (e.client) {
            e.client->batch_commit(e.op, e.result);
        } else if (e.result < 0) {  // only a bug gets here (as Poller::control's)
            spdlog::error("{}(fd {}) in io_uring: {}",
                          e.op == Op::kClose ? "close" : "epoll_ctl(DEL)", e.fd,
                          std::strerror(-e.result));
        }
    }
    for (Entry& e : running_)
        if (e.submitted && e.client) e.client->batch_finish(e.op, e.result);
    running_.clear();  // the guards: a connection may die here, after its finish
}

}  // namespace netius::net
