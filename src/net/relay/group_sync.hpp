#pragma once
// GroupSync — group commit for one durability barrier (the queue directory's fsync): callers
// that need "everything I did before this call is durable" share one run of the barrier.
// A caller joins the open batch; when no run is in progress, one member of the batch (the
// leader) closes it and runs the barrier once for all of its members, who all get its result.
// Callers arriving during a run form the next batch, so under load N concurrent commits cost
// about 2 barriers instead of N, and a lone caller still costs exactly one.
// Thread-safety: sync() and pending() from any thread; blocks the caller for at most the
// current run plus its own batch's run (the barrier itself must return).
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace netius::net::relay {

class GroupSync {
  public:
    /// `barrier` returns 0 or an errno and sets its `error` argument on failure.
    explicit GroupSync(std::function<int(std::string*)> barrier) : barrier_(std::move(barrier)) {}

    /// Returns once a run of the barrier that started after this call has finished: 0 or its
    /// errno (with `error` set when given).
    int sync(std::string* error);

    /// Callers waiting in the open batch (not yet covered by a run). For tests and logs.
    std::size_t pending() const;

  private:
    struct Batch {
        std::size_t members = 0;
        bool done = false;
        int err = 0;
        std::string error;
    };

    std::function<int(std::string*)> barrier_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::shared_ptr<Batch> open_;  // the batch the next run covers; null when nobody waits
    bool running_ = false;
};

}  // namespace netius::net::relay
