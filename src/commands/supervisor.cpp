#include "commands/supervisor.hpp"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <random>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

constexpr std::int64_t kRestartDelayMs = 1000;      // a worker that keeps dying: at most 1/s
constexpr std::int64_t kMaxRestartDelayMs = 30000;  // ...backing off to one every 30 s
constexpr std::int64_t kDrainMarginMs = 2000;       // past --shutdown-timeout: SIGKILL
constexpr long kTickNs = 100'000'000;               // 100 ms between scoreboard checks
constexpr std::int64_t kBootMs = 30000;             // --timeout for a starting worker, at least

std::string describe(int status) {
    if (WIFSIGNALED(status)) return strsignal(WTERMSIG(status));
    return fmt::format("exit status {}", WEXITSTATUS(status));
}

}  // namespace

sigset_t server_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGCHLD}) sigaddset(&set, s);
    return set;
}

Supervisor::Supervisor(std::string name, int workers, WorkerPolicy policy,
                       std::chrono::milliseconds shutdown_timeout, Spawn spawn)
    : name_(std::move(name)),
      count_(std::max(1, workers)),
      policy_(policy),
      shutdown_timeout_(shutdown_timeout),
      spawn_(std::move(spawn)),
      // Each worker, its replacement while it drains, and room for slow drains.
      board_(std::make_unique<net::Scoreboard>(static_cast<std::size_t>(count_) * 4 + 4)),
      last_start_ms_(static_cast<std::size_t>(count_), 0),
      boot_failures_(static_cast<std::size_t>(count_), 0) {}

Supervisor::~Supervisor() = default;

int Supervisor::run(const std::vector<InheritedWorker>& inherited,
                    const std::function<void()>& on_ready, const Reload& reload) {
    const sigset_t set = server_signals();
    sigprocmask(SIG_BLOCK, &set, nullptr);
    for (const InheritedWorker& w : inherited) {
        Worker old;
        old.pid = w.pid;
        old.index = w.index;
        old.role = Role::kInherited;
        workers_.push_back(old);
    }
    for (int i = 0; i < count_; ++i) start_worker(i, 0);
    const timespec tick{0, kTickNs};
    for (;;) {
        const int sig = sigtimedwait(&set, nullptr, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            if (!stopping_)
                spdlog::info("stopping {}: {} worker(s) finish", name_, workers_.size());
            stopping_ = true;
            for (Worker& w : workers_) drain(w);  // again: restarts their grace period
        } else if (sig == SIGHUP && !stopping_) {
            spdlog::info("reloading {}", name_);
            std::vector<InheritedWorker> live;
            for (const Worker& w : workers_) live.push_back({w.pid, w.index});
            reload(live);  // returns only when it failed (and said why)
        } else if (sig == SIGUSR1 || sig == SIGUSR2) {
            if (sig == SIGUSR1 && before_reopen) before_reopen();
            signal_all(sig);
        }
        reap();
        if (failed_ && !stopping_) {
            stopping_ = true;
            for (Worker& w : workers_) drain(w);
        }
        if (stopping_ && workers_.empty()) return failed_ ? 1 : 0;
        check();  // while stopping too: drain deadlines apply
        if (stopping_) continue;
        fill_missing();
        if (!ever_ready_ || has_inherited()) {
            bool all = true;
            for (int i = 0; i < count_ && all; ++i) all = serving(i);
            if (all) {
                if (!ever_ready_ && on_ready) on_ready();
                ever_ready_ = true;
                for (Worker& w : workers_)
                    if (w.role == Role::kInherited) drain(w);
            }
        }
    }
}

void Supervisor::start_worker(int index, pid_t replaces) {
    std::uint64_t max = policy_.max_requests;
    if (max && policy_.max_requests_jitter) {
        static std::mt19937_64 random{std::random_device{}()};
        max += random() % (policy_.max_requests_jitter + 1);
    }
    net::WorkerSlot* slot = board_->claim(max);
    if (!slot) return;  // every slot held by draining workers: tried again next tick
    const auto i = static_cast<std::size_t>(index);
    last_start_ms_[i] = net::steady_ms();
    Worker w;
    w.index = index;
    w.slot = slot;
    w.replaces = replaces;
    try {
        w.pid = spawn_(index, slot);
    } catch (const std::exception& e) {
        spdlog::error("worker {}: {}", index, e.what());
        slot->set_state(net::WorkerState::kFree);
        return;
    }
    workers_.push_back(w);
}

void Supervisor::reap() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
        auto it = std::find_if(workers_.begin(), workers_.end(),
                               [pid](const Worker& w) { return w.pid == pid; });
        if (it == workers_.end()) continue;
        const Worker w = *it;
        workers_.erase(it);
        on_exit(w, status);
    }
}

void Supervisor::on_exit(const Worker& w, int status) {
    if (w.slot) w.slot->set_state(net::WorkerState::kFree);
    const auto i = static_cast<std::size_t>(w.index);
    if (stopping_ || w.role == Role::kDraining) return;
    if (w.role == Role::kBooting) {
        if (Worker* old = find(w.replaces)) old->replacement_started = false;  // retried later
        if (!ever_ready_ && !has_inherited()) {
            spdlog::debug("worker {} (pid {}) could not start ({})", w.index, w.pid,
                          describe(status));
            failed_ = true;
            return;
        }
        if (!ever_ready_) {
            spdlog::error(
                "reload failed: a new worker could not start ({}); the previous "
                "workers keep serving",
                describe(status));
            for (Worker& other : workers_)
                if (other.role != Role::kInherited) drain(other);
            return;
        }
        ++boot_failures_[i];
        spdlog::error("worker {} (pid {}) could not start ({}); retrying", w.index, w.pid,
                      describe(status));
        return;
    }
    spdlog::warn("worker {} (pid {}) died ({}); restarting it", w.index, w.pid, describe(status));
}

void Supervisor::check() {
    const std::int64_t now = net::steady_ms();
    const auto timeout_ms = static_cast<std::int64_t>(policy_.timeout * 1000);
    std::vector<std::pair<int, pid_t>> replacements;
    for (Worker& w : workers_) {
        if (w.role == Role::kDraining) {
            if (w.drain_deadline_ms && now > w.drain_deadline_ms) {
                spdlog::warn("worker {} (pid {}) still running {} ms after its stop: killing it",
                             w.index, w.pid, kDrainMarginMs);
                ::kill(w.pid, SIGKILL);
                w.drain_deadline_ms = 0;
            }
            continue;
        }
        if (!w.slot) continue;
        const net::WorkerState state = w.slot->get_state();
        if (w.role == Role::kBooting && state != net::WorkerState::kBooting) {
            w.role = Role::kServing;
            boot_failures_[static_cast<std::size_t>(w.index)] = 0;
            if (Worker* old = find(w.replaces)) drain(*old);
            w.replaces = 0;
        }
        // Importing an app may take longer than serving a request should: at least kBootMs.
        const std::int64_t limit =
            w.role == Role::kBooting ? std::max(timeout_ms, kBootMs) : timeout_ms;
        if (timeout_ms > 0 && now - w.slot->heartbeat_ms.load() > limit) {
            kill_stuck(w, now);
            continue;
        }
        if (w.role == Role::kServing && state == net::WorkerState::kRetiring &&
            !w.replacement_started && !stopping_) {
            spdlog::info(
                "worker {} (pid {}) served its {} requests (--max-requests): "
                "replacing it",
                w.index, w.pid, w.slot->max_requests.load());
            w.replacement_started = true;
            replacements.emplace_back(w.index, w.pid);
        }
    }
    for (const auto& [index, pid] : replacements) start_worker(index, pid);
}

void Supervisor::kill_stuck(Worker& w, std::int64_t now) {
    const std::string request = w.slot->last_request_text();
    const double silent = static_cast<double>(now - w.slot->heartbeat_ms.load()) / 1000;
    if (w.role == Role::kBooting) {
        spdlog::error("worker {} (pid {}) did not start within {:.0f} s: killing it", w.index,
                      w.pid, std::max(policy_.timeout, kBootMs / 1000.0));
    } else {
        spdlog::error(
            "worker {} (pid {}) timed out{}: its loop has not come back for {:.1f} s "
            "(--timeout {}); killing it",
            w.index, w.pid, request.empty() ? "" : " serving \"" + request + "\"", silent,
            policy_.timeout);
    }
    ::kill(w.pid, SIGKILL);
    w.role = Role::kDraining;
    w.drain_deadline_ms = 0;
    last_start_ms_[static_cast<std::size_t>(w.index)] = 0;  // its replacement starts at once
}

void Supervisor::fill_missing() {
    const std::int64_t now = net::steady_ms();
    for (int i = 0; i < count_; ++i) {
        if (covered(i)) continue;
        const auto n = static_cast<std::size_t>(i);
        const int failures = std::min(boot_failures_[n], 5);
        const std::int64_t delay =
            std::min(kRestartDelayMs << std::max(0, failures - 1), kMaxRestartDelayMs);
        if (last_start_ms_[n] == 0 || now - last_start_ms_[n] >= delay) start_worker(i, 0);
    }
}

void Supervisor::drain(Worker& w) {
    ::kill(w.pid, SIGTERM);
    w.role = Role::kDraining;
    w.drain_deadline_ms = net::steady_ms() + shutdown_timeout_.count() + kDrainMarginMs;
}

void Supervisor::signal_all(int signo) {
    for (const Worker& w : workers_) ::kill(w.pid, signo);
}

Supervisor::Worker* Supervisor::find(pid_t pid) {
    if (pid == 0) return nullptr;
    for (Worker& w : workers_)
        if (w.pid == pid) return &w;
    return nullptr;
}

bool Supervisor::covered(int index) const {
    return std::any_of(workers_.begin(), workers_.end(), [index](const Worker& w) {
        return w.index == index && w.role != Role::kDraining;
    });
}

bool Supervisor::serving(int index) const {
    return std::any_of(workers_.begin(), workers_.end(), [index](const Worker& w) {
        return w.index == index && w.role == Role::kServing;
    });
}

bool Supervisor::has_inherited() const {
    return std::any_of(workers_.begin(), workers_.end(),
                       [](const Worker& w) { return w.role == Role::kInherited; });
}

}  // namespace netius::cmd
