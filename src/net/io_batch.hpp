#pragma once
// IoBatch — many connections' socket reads and writes in one io_uring_enter: the io_uring
// half of an EventLoop (the only file that includes <liburing.h>). It is a batching of system
// calls, not a second reactor: epoll still says which sockets are ready, and every operation
// is a recv/send with MSG_DONTWAIT, which io_uring completes at once (data, or -EAGAIN) instead
// of waiting in the kernel. So a run is synchronous: when run() returns every operation it
// submitted has completed, no buffer is held by the kernel across iterations, and the layers
// above keep the readiness model they were written for. What it saves is the system calls
// themselves: with 50 busy connections, a loop iteration costs one epoll_wait and one or two
// io_uring_enter calls instead of a recv and a send per connection (bench/http.sh: on this
// machine a system call costs ~1.5 us under page-table isolation, the bulk of a small
// keep-alive request's server time).
//
// Loop thread only. Clients are queued with a guard (a shared_ptr to their owner) that keeps
// them alive until their completion has been delivered.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace netius::net {

class IoBatchClient;

class IoBatch {
  public:
    enum class Op : std::uint8_t { kRecv, kSend, kEpollDel, kClose };

    /// Where an operation reads into or writes from, filled in by the client just before the
    /// batch is submitted. A zero `len` cancels the operation: nothing more is called for it
    /// (the client forgets it as it answers).
    struct Target {
        int fd = -1;
        char* data = nullptr;
        std::size_t len = 0;
        bool more = false;  // send: MSG_MORE (more output follows at once)
    };

    /// An io_uring instance that can recv and send, or nullptr (with the reason logged at
    /// debug level) where the kernel has none, forbids it (kernel.io_uring_disabled, seccomp)
    /// or lacks the operations: the loop then does every system call itself.
    static std::unique_ptr<IoBatch> create();
    ~IoBatch();
    IoBatch(const IoBatch&) = delete;
    IoBatch& operator=(const IoBatch&) = delete;

    /// Queues `op` (kRecv or kSend) for `client` until the next run().
    void queue(IoBatchClient* client, Op op, std::shared_ptr<void> guard);
    /// Queues epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd) (kernels without IORING_OP_EPOLL_CTL:
    /// can_epoll_del() is false). `guard` must keep `fd` open until the run: closing it first
    /// could let a new socket take its number and lose its registration instead.
    void queue_epoll_del(int epoll_fd, int fd, std::shared_ptr<void> guard);
    bool can_epoll_del() const { return can_epoll_del_; }
    /// Queues close(fd) (kernels without IORING_OP_CLOSE: can_close() is false); the number
    /// stays taken until the run, and clear() closes what is still queued.
    void queue_close(int fd);
    bool can_close() const { return can_close_; }
    bool empty() const { return queued_.empty(); }
    /// Operations submitted to the kernel so far (tests, diagnostics).
    std::uint64_t submitted() const { return submitted_; }

    /// Submits everything queued so far, in io_uring_enter calls of up to the ring's size,
    /// waits for each completion (immediate: MSG_DONTWAIT), then tells the clients: first
    /// batch_commit for every operation, then batch_finish for every operation, in queue
    /// order. Operations queued meanwhile (a finish that sends) wait for the next run().
    void run();

    /// Forgets everything queued without running it, closing the fds of queued closes (the
    /// loop is going away).
    void clear();

  private:
    struct Ring;
    struct Entry {
        IoBatchClient* client;  // nullptr for kEpollDel and kClose
        std::shared_ptr<void> guard;
        Op op;
        bool submitted = false;
        int result = 0;
        int epoll_fd = -1, fd = -1;  // kEpollDel, kClose
    };
    IoBatch(std::unique_ptr<Ring> ring, bool can_epoll_del, bool can_close);
    /// Prepares and submits entries [first, end) until the ring is full; returns the end.
    std::size_t submit_from(std::vector<Entry>& entries, std::size_t first);

    std::unique_ptr<Ring> ring_;
    std::vector<Entry> queued_;
    std::vector<Entry> running_;  // kept for its capacity
    std::uint64_t submitted_ = 0;
    bool can_epoll_del_;
    bool can_close_;
};

/// What an IoBatch calls back (TcpConnection for plain sockets).
class IoBatchClient {
  public:
    /// Just before submission: the operation's fd and buffer (len 0: cancelled, see Target).
    virtual IoBatch::Target batch_target(IoBatch::Op op) = 0;
    /// Bookkeeping only (bytes written into the input buffer, bytes sent off the output
    /// queue), no protocol callbacks: every commit of a run happens before any finish, so a
    /// finish that touches another connection finds that connection's buffers consistent.
    /// `result` is bytes (0: end of stream on a recv) or -errno.
    virtual void batch_commit(IoBatch::Op op, int result) = 0;
    /// The operation's consequences: messages, write-complete, errors.
    virtual void batch_finish(IoBatch::Op op, int result) = 0;

  protected:
    ~IoBatchClient() = default;
};

}  // namespace netius::net
