#pragma once
// Scoreboard — what a master process knows about its workers, in one shared anonymous mapping
// made before the first fork (as Apache's scoreboard): each worker writes its own slot, the
// master reads them all. It is how the master sees that a worker has started (kReady), is
// still alive and coming back to its event loop (heartbeat), has served its `--max-requests`
// (kRetiring), and which request it last started (for the log line of a worker killed by
// `--timeout`).
//
// Worker side: WorkerStatus is the process-wide handle of the calling worker's slot; its
// functions are no-ops in a process without one (tests, `--workers` not supervised), so the
// HTTP engine calls them unconditionally.
//
// Thread-safety: slots are written by one worker and read by the master; every field but the
// request text is an atomic, the text is guarded by a sequence counter (a reader retries or
// gives up on a torn read; it is only ever logged).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace netius::net {

enum class WorkerState : std::int32_t {
    kFree = 0,      // no process
    kBooting = 1,   // forked, loading (a WSGI app import can take seconds)
    kReady = 2,     // accepting on its loop
    kRetiring = 3,  // served its max requests: wants a replacement, keeps serving meanwhile
};

struct WorkerSlot {
    std::atomic<std::int32_t> state{0};
    std::atomic<std::int64_t> heartbeat_ms{0};  // steady clock (CLOCK_MONOTONIC), ms
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> max_requests{0};  // 0: unlimited; set by the master before fork
    std::atomic<std::uint32_t> sequence{0};      // odd while last_request is being written
    char last_request[224]{};                    // "GET /path" of the last request started

    WorkerState get_state() const { return static_cast<WorkerState>(state.load()); }
    void set_state(WorkerState s) { state.store(static_cast<std::int32_t>(s)); }
    /// The last request started, or "" when none was or the text was being rewritten.
    std::string last_request_text() const;
};

/// Milliseconds of the steady clock shared by every process (CLOCK_MONOTONIC).
std::int64_t steady_ms();

class Scoreboard {
  public:
    /// Maps `slots` zeroed slots shared with every process forked afterwards. Throws
    /// netius::Error when mmap fails.
    explicit Scoreboard(std::size_t slots);
    ~Scoreboard();
    Scoreboard(const Scoreboard&) = delete;
    Scoreboard& operator=(const Scoreboard&) = delete;

    std::size_t size() const { return size_; }
    WorkerSlot& slot(std::size_t i) { return slots_[i]; }
    /// A kFree slot, reset for a new worker (state kBooting, heartbeat now), or nullptr.
    WorkerSlot* claim(std::uint64_t max_requests);

  private:
    WorkerSlot* slots_;
    std::size_t size_;
};

/// The calling worker process's own slot. Loop thread of the worker (or its only thread).
class WorkerStatus {
  public:
    /// Makes `slot` this process's slot (after fork, before serving); nullptr detaches.
    static void attach(WorkerSlot* slot);
    /// The worker accepts: the master may count it as serving.
    static void ready();
    /// The worker's loop is alive (called from a repeating timer).
    static void beat();
    /// A request is handed to the handler: counts it, remembers "METHOD target" for the
    /// `--timeout` log, and asks for retirement once the slot's max_requests is reached.
    static void request_started(std::string_view method, std::string_view target);
};

}  // namespace netius::net
