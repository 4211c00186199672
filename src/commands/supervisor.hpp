#pragma once
// Supervisor — the master process of a `netius serve` server (as nginx's and gunicorn's):
// it forks the workers, watches them through the Scoreboard and its signals, and never serves
// a request itself.
//
//   SIGINT/SIGTERM  every worker stops gracefully; run() returns 0 once all have exited
//   SIGHUP          graceful reload: a new master image (same pid, configuration read again)
//                   starts new workers, and the old ones drain once the new ones accept
//                   (reexec.hpp); a configuration that does not parse keeps the old workers
//   SIGUSR1/SIGUSR2 forwarded to every worker (reopen logs / the relay's retry-now); before
//                   SIGUSR1, the before_reopen hook (log files made ready for the workers)
//   a worker exits  replaced (at most once a second per worker); one that never started
//                   during the first start-up stops the server (exit status 1)
//   --timeout       a worker whose loop has not come back for that long is killed
//                   (SIGKILL) and replaced; the log names the request it last started
//   --max-requests  a worker that served that many (plus jitter) gets a replacement; once
//                   the replacement accepts, the old one finishes what it holds and exits
//
// Main thread only; the signals above must be blocked before the first fork.
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/scoreboard.hpp"

namespace netius::cmd {

/// The signals a server's processes handle: the workers' (SIGINT/SIGTERM stop, SIGUSR1 reopens
/// logs, SIGUSR2 is serve relay's retry-now) and the master's (SIGHUP reloads, SIGCHLD). They
/// stay blocked from start-up, read only by a loop's signalfd or the master's sigtimedwait.
sigset_t server_signals();

/// gunicorn's worker operations (`serve wsgi`); zero turns each off.
struct WorkerPolicy {
    double timeout = 0;  // seconds without a heartbeat before a worker is killed
    std::uint64_t max_requests = 0;
    std::uint64_t max_requests_jitter = 0;  // each worker's limit is max + rand[0, jitter]
};

/// A worker the master inherited from its previous image across a reload (reexec.hpp).
struct InheritedWorker {
    pid_t pid = 0;
    int index = 0;
};

class Supervisor {
  public:
    /// Forks worker `index` that reports through `slot`; returns its pid in the master.
    /// Throws netius::Error when fork fails.
    using Spawn = std::function<pid_t(int index, net::WorkerSlot* slot)>;
    /// Replaces this process's image to reload (reexec.hpp); returns only when that failed.
    using Reload = std::function<void(const std::vector<InheritedWorker>& workers)>;

    Supervisor(std::string name, int workers, WorkerPolicy policy,
               std::chrono::milliseconds shutdown_timeout, Spawn spawn);
    ~Supervisor();

    /// Runs until the workers have stopped after SIGINT/SIGTERM (returns 0), or the first
    /// workers could not start (returns 1). `inherited` workers (a reload) serve until the new
    /// ones accept, then are stopped. `on_ready` runs once, when every worker first accepts.
    int run(const std::vector<InheritedWorker>& inherited, const std::function<void()>& on_ready,
            const Reload& reload);

    /// Runs in the master on SIGUSR1, before the workers get it. Empty: nothing.
    std::function<void()> before_reopen;

  private:
    enum class Role { kBooting, kServing, kDraining, kInherited };
    struct Worker {
        pid_t pid = 0;
        int index = 0;
        Role role = Role::kBooting;
        net::WorkerSlot* slot = nullptr;   // none for inherited workers
        pid_t replaces = 0;                // a booting replacement: who drains once it accepts
        bool replacement_started = false;  // a retiring worker already has its successor
        std::int64_t drain_deadline_ms = 0;
    };

    void start_worker(int index, pid_t replaces);
    void reap();
    void on_exit(const Worker& w, int status);
    void check();
    void kill_stuck(Worker& w, std::int64_t now);
    void fill_missing();
    void drain(Worker& w);
    void signal_all(int signo);
    Worker* find(pid_t pid);
    bool covered(int index) const;  // a worker for `index` that is not draining
    bool serving(int index) const;  // a new worker for `index` that accepts
    bool has_inherited() const;

    std::string name_;
    int count_;
    WorkerPolicy policy_;
    std::chrono::milliseconds shutdown_timeout_;
    Spawn spawn_;
    std::unique_ptr<net::Scoreboard> board_;
    std::vector<Worker> workers_;
    std::vector<std::int64_t> last_start_ms_;  // per index: restarts at most once a second
    std::vector<int> boot_failures_;           // per index, in a row: the restart back-off
    bool stopping_ = false;
    bool ever_ready_ = false;
    bool failed_ = false;  // the first start-up failed
};

}  // namespace netius::cmd
