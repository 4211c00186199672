#pragma once
// WorkerPool — a few threads for blocking work a loop must not do itself (argon2 password
// checks, fsync): jobs go in from the loop thread, run on a worker, and hand their result back
// with EventLoop::queue_in_loop (house rule 5), e.g.
//
//     pool.submit([loop, weak = conn->weak_from_this(), hash, password] {
//         bool ok = crypto::verify_password(hash, password);       // worker thread
//         loop->queue_in_loop([weak, ok] { if (auto c = weak.lock()) ...; });
//     });
//
// The queue is bounded: submit() refuses work past `max_queued` (answer "try later" rather
// than pile up). The pool must be destroyed before any loop its jobs post to: the destructor
// drops jobs not yet started and waits for the running ones, so none posts afterwards.
// The threads start with the first submit(), not at construction: a server makes its pools
// before it confines itself (util/landlock.hpp), and Landlock covers only threads started
// after it is applied.
// Thread-safety: submit() and the destructor from any one thread (the owner's loop).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace netius::net {

class WorkerPool {
  public:
    using Job = std::function<void()>;

    /// A pool of `threads` (>= 1) workers, started by the first submit().
    WorkerPool(std::string name, std::size_t threads, std::size_t max_queued);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues `job`; false (and `job` dropped) when `max_queued` jobs are already waiting, or
    /// when the threads cannot be started (logged). A job that throws is logged as a bug; the
    /// worker carries on.
    bool submit(Job job);

    /// Jobs waiting or running.
    std::size_t pending() const;

  private:
    void run();
    bool start_threads();  // false: none could be started

    std::string name_;
    std::size_t thread_count_;
    std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;     // guarded by mutex_
    std::size_t running_ = 0;  // guarded by mutex_
    bool stopping_ = false;    // guarded by mutex_
    std::vector<std::thread> threads_;
};

}  // namespace netius::net
