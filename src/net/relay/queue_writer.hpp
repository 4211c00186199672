#pragma once
// QueueWriter — where the relay's blocking queue work runs: QueueStore writes (each ends in an
// fsync) go to worker threads, the way MaildirSink stores mail for `serve smtp`, and their
// outcome comes back on the loop thread. The accept path (RelaySink) and the delivery
// bookkeeping (RelayQueue: envelope updates, removals, bounces) each own one, so no fsync
// ever blocks the loop; jobs of one writer run in parallel, so concurrent messages' fsyncs
// are committed together by the file system.
//
//     writer.submit([store, entry](std::string* error) { return store->update(entry, error); },
//                   [](int err) { ... on the loop ... });
//
// Thread-safety: submit() and the destructor on the loop thread; jobs on the workers.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "net/worker_pool.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::relay {

class QueueWriter {
  public:
    /// A job returns 0 or an errno (and then may set `*error`); it logs what it needs to.
    using Job = std::function<int(std::string* error)>;
    using Done = std::function<void(int err)>;

    /// `max_queued`: jobs waiting beyond this are refused (the caller answers "try later").
    QueueWriter(EventLoop* loop, const char* name, std::size_t threads, std::size_t max_queued);
    /// Drops jobs not started, waits for the running ones; no `done` runs afterwards.
    ~QueueWriter();
    QueueWriter(const QueueWriter&) = delete;
    QueueWriter& operator=(const QueueWriter&) = delete;

    /// Runs `job` on a worker, then `done(its result)` on the loop thread, never inside
    /// submit(). False, and neither runs, when `max_queued` jobs are waiting already.
    bool submit(Job job, Done done);

    /// Jobs waiting or running.
    std::size_t pending() const { return pool_.pending(); }

  private:
    EventLoop* loop_;
    std::shared_ptr<char> alive_ = std::make_shared<char>();  // outcomes posted check it
    WorkerPool pool_;                                         // last: joined before the rest goes
};

}  // namespace netius::net::relay
