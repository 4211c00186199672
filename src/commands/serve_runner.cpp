#include "commands/serve_runner.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <vector>

#include "commands/reexec.hpp"
#include "commands/supervisor.hpp"
#include "net/event_loop.hpp"
#include "net/scoreboard.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"
#include "util/privileges.hpp"

namespace netius::cmd {
namespace {

// A server frees and allocates the same large buffers request after request (a proxied body's
// 256 KiB read buffer, 64 KiB spills). glibc's defaults give memory back as soon as 128 KiB
// (adapting up to twice the largest buffer) is free at the top of the heap, and map bigger
// ones apart: each next request then page-faults the same memory in again, which measured at
// up to 3 times a 1 MiB proxied response's CPU. A worker keeps up to 16 MiB free for reuse
// and maps apart only buffers over 1 MiB (4 MiB was not enough at 50 bodies in flight). The
// cost: RSS after a burst stays up to 16 MiB higher. No fast bins either: every buffer over
// tcache's 1 KiB (a connection's first 2 KiB read) made malloc consolidate them first; without
// them a proxied request measured 7% less user time. (glibc; others ignore mallopt.)
void keep_freed_memory() {
    ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 16 << 20);
    ::mallopt(M_MXFAST, 0);
}

constexpr std::chrono::milliseconds kHeartbeat{250};  // a worker's loop tells it is alive

std::string url_of(const net::InetAddress& a, const std::string& scheme) {
    return a.is_unix() ? scheme + "+" + a.to_string() : scheme + "://" + a.to_string();
}

int g_worker_index = 0;
pid_t g_master = 0;  // in a supervised worker: its master

std::chrono::milliseconds grace_of(const ServerOptions& o) {
    return std::chrono::milliseconds(static_cast<long>(o.shutdown_timeout * 1000));
}

// Landlock for a worker whose service is made (one log line says what it got).
void confine_worker(const ServiceInfo& info, const ServerOptions& o) {
    if (o.no_sandbox) {
        spdlog::info("{}: sandbox off (--no-sandbox)", info.name);
        return;
    }
    ::tzset();  // the local time zone is read now: /etc/localtime is outside every policy
    sandbox::FsPolicy policy = *info.sandbox;
#if defined(__SANITIZE_ADDRESS__)
    // LeakSanitizer reads /proc/self (threads, maps) for its check at exit.
    policy.read.push_back("/proc");
    // A sanitized build writes its reports to log_path when they happen: keep them visible.
    for (const char* var : {"ASAN_OPTIONS", "UBSAN_OPTIONS"}) {
        const std::string opts = std::getenv(var) ? std::getenv(var) : "";
        const std::size_t at = opts.find("log_path=");
        if (at == std::string::npos) continue;
        const std::string path = opts.substr(at + 9, opts.find(':', at) - at - 9);
        const std::size_t slash = path.rfind('/');
        if (slash != std::string::npos && slash > 0) policy.write.push_back(path.substr(0, slash));
    }
#endif
    const sandbox::Confinement c = sandbox::confine(policy);
    if (!c.active) {
        spdlog::info("{}: this kernel has no Landlock: file access is not confined", info.name);
        return;
    }
    std::string what;
    for (const std::string& p : info.sandbox->read) what += (what.empty() ? "" : ", ") + p;
    for (const std::string& p : info.sandbox->write)
        what += (what.empty() ? "" : ", ") + p + " (write)";
    spdlog::info("{}: Landlock (ABI {}) confines file access to {}", info.name, c.abi,
                 what.empty() ? std::string("nothing") : what);
}

// Who the workers run as: --user; started as root without it, nobody for a service that
// drops root by default, else root with a warning. nullopt: stay as started.
std::optional<Identity> serving_identity(const ServiceInfo& info, const ServerOptions& o) {
    if (!o.user.empty()) {
        Identity id = resolve_identity(o.user);
        if (id.uid == 0)
            spdlog::warn(
                "{}: --user {}: the workers keep root, on purpose; a flaw in a parser "
                "would be root's",
                info.name, o.user);
        return id;
    }
    if (::geteuid() != 0) return std::nullopt;
    if (!info.drops_root_by_default) {
        spdlog::warn(
            "{}: the workers keep root: pass --user USER to run them unprivileged "
            "(docs/reliability.md, \"Privileges\")",
            info.name);
        return std::nullopt;
    }
    try {
        return resolve_identity("nobody");
    } catch (const UsageError&) {
        return resolve_identity("65534");  // no passwd entry: the number every distribution uses
    }
}

// After the drop: a storage directory the worker cannot write would fail every message.
void check_storage(const ServiceInfo& info, const Identity& id) {
    for (const ServiceInfo::Storage& s : info.storage)
        if (::access(s.path.c_str(), W_OK | X_OK) != 0)
            throw Error(
                "{} is not writable by {} (uid {}): chown -R {} {}, or choose another "
                "--user",
                s.path, id.name, id.uid, id.uid, s.path);
}

// The master, as root, makes the log files exist (mode 0644, as AccessLog creates them) and
// belong to the workers' user.
void hand_over_logs(const ServiceInfo& info, const Identity& id) {
    for (const std::string& path : info.log_files) {
        UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
        if (!fd || ::fchown(fd.get(), id.uid, id.gid) != 0)
            spdlog::error("{}: {}", info.name,
                          errno_message("handing " + path + " to " + id.name, errno));
    }
}

// One worker: a loop, the service on `listener`, signals. Returns when the service stopped.
// `supervised`: a master watches it (heartbeat, readiness) and owns SIGHUP; otherwise (serve
// relay, one process) SIGHUP reopens the logs as SIGUSR1 does.
int serve(const ServiceInfo& info, const ServerOptions& o, const ServiceFactory& make,
          UniqueFd listener, bool supervised, const std::optional<Identity>& identity) {
    net::EventLoop::set_io_uring(o.io_uring);
    keep_freed_memory();
    net::EventLoop loop;
    std::unique_ptr<Service> service;
    auto stop = [&] {
        spdlog::info("stopping {}: finishing {} connection(s)", info.name,
                     service->connection_count());
        service->shutdown(grace_of(o), [&loop] { loop.quit(); });
    };
    // Signals are blocked before the service starts threads of its own (worker pools), so
    // they inherit the mask and only the loop's signalfd sees them.
    loop.on_signal(SIGINT, stop);
    loop.on_signal(SIGTERM, stop);
    loop.on_signal(SIGUSR1, [&] { service->reopen_logs(); });
    if (!supervised) loop.on_signal(SIGHUP, [&] { service->reopen_logs(); });
    if (info.sandbox && info.sandbox_before_make) confine_worker(info, o);
    service = make(loop, std::move(listener));
    if (identity) {  // bound, keys read, logs and stores open: root is no longer needed
        drop_to(*identity);
        // The kernel forgets the parent-death signal when the credentials change: set again.
        if (supervised) ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (supervised && ::getppid() != g_master) return 1;  // the master died in between
        check_storage(info, *identity);
        spdlog::info("{}: running as {} (uid {}, gid {})", info.name, identity->name, identity->uid,
                     identity->gid);
    }
    if (info.sandbox && !info.sandbox_before_make) confine_worker(info, o);
    service->start();
    if (supervised) {
        net::WorkerStatus::ready();
        loop.run_every(kHeartbeat, [] { net::WorkerStatus::beat(); });
    }
    loop.loop();
    return 0;
}

// systemd socket activation (sd_listen_fds(3)): LISTEN_PID is us and LISTEN_FDS >= 1, the
// listening socket is fd 3. The variables are cleared so worker processes don't reuse them.
UniqueFd activated_socket() {
    const char* pid = std::getenv("LISTEN_PID");
    const char* fds = std::getenv("LISTEN_FDS");
    if (!pid || !fds || std::atol(pid) != static_cast<long>(::getpid()) || std::atoi(fds) < 1)
        return UniqueFd();
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    constexpr int kFirstFd = 3;  // SD_LISTEN_FDS_START
    if (!net::sockets::is_listening(kFirstFd))
        throw Error("LISTEN_FDS: fd 3 is not a listening stream socket");
    ::fcntl(kFirstFd, F_SETFD, FD_CLOEXEC);
    return UniqueFd(kFirstFd);
}

}  // namespace

ServiceInfo::Storage storage_root(const std::string& path, const std::function<void()>& prepare) {
    const bool existed = std::filesystem::exists(path);
    prepare();
    return {std::filesystem::absolute(path).string(), !existed};
}

sandbox::FsPolicy writes_only_beneath(const std::vector<ServiceInfo::Storage>& storage) {
    sandbox::FsPolicy policy{{"/"}, {}, {}};
    for (const ServiceInfo::Storage& s : storage) policy.write.push_back(s.path);
    return policy;
}

int current_worker_index() {
    return g_worker_index;
}

int run_service(const ServiceInfo& info, const ServerOptions& o, const ServiceFactory& make) {
    if (checking_configuration()) return 0;  // a reload's check: the options loaded
    const int workers = std::max(1, o.workers);
    // The signals a service handles stay pending until its loop's signalfd (or the master)
    // reads them: one that arrives while it starts (logrotate's SIGUSR1, SIGUSR2 to a relay)
    // must not end the process with the default action.
    const sigset_t handled = server_signals();
    sigprocmask(SIG_BLOCK, &handled, nullptr);
    // --user is checked before anything is bound: a name that does not exist fails now.
    const std::optional<Identity> identity = serving_identity(info, o);
    if (identity && identity->uid != 0)
        for (const ServiceInfo::Storage& s : info.storage)
            if (s.created) give_tree(s.path, *identity);
    const bool hand_logs = identity && identity->uid != 0 && !info.log_files.empty();
    if (hand_logs) hand_over_logs(info, *identity);
    std::optional<Handover> handover = take_handover();
    UniqueFd listener = handover ? std::move(handover->listener) : activated_socket();
    if (!listener) {
        net::InetAddress requested = o.listen_address();
        net::sockets::ListenOptions lo;
        lo.backlog = o.backlog;
        try {
            listener = net::sockets::listen_on(requested, lo);
        } catch (const Error& e) {
            bool denied = errno == EACCES && requested.port() < 1024;
            throw Error("{}{}", e.what(),
                        denied ? fmt::format(" (try --port {})", info.unprivileged_port) : "");
        }
    }
    const net::InetAddress bound = net::sockets::local_address(listener.get());
    if (handover) {
        const net::InetAddress requested = o.listen_address();
        if (requested.to_string() != bound.to_string() && (requested.is_unix() || requested.port()))
            spdlog::warn("the listen address changed: a reload keeps {}; restart to move it",
                         bound.to_string());
    }
    const std::string serving =
        fmt::format("{}serving {} on {} ({} worker{})", handover ? "reloaded: " : "", info.name,
                    url_of(bound, info.scheme), workers, workers == 1 ? "" : "s");
    // A unix socket file is ours to remove once every worker has stopped (not on a reload:
    // execve skips destructors, and the new image keeps serving on it).
    struct RemoveSocket {
        std::string path;
        ~RemoveSocket() {
            if (!path.empty()) ::unlink(path.c_str());
        }
    } remove_socket{bound.is_unix() ? bound.host() : std::string()};
    if (!info.supervised) {
        spdlog::info("{}", serving);
        return serve(info, o, make, std::move(listener), false, identity);
    }

    // Every worker accepts on this one socket (nginx's default, gunicorn's): a worker that
    // stops or is replaced closes only its own descriptor, so no queued client is lost.
    const int shared_fd = listener.get();
    const pid_t master = ::getpid();
    auto spawn = [&](int index, net::WorkerSlot* slot) -> pid_t {
        std::fflush(nullptr);
        pid_t pid = ::fork();
        if (pid < 0) throw Error(errno_message("fork()", errno));
        if (pid > 0) return pid;
        sigprocmask(SIG_SETMASK, &handled, nullptr);
        // A worker ends with its master even when the master cannot stop it (SIGKILL, a
        // crash): orphaned workers would keep the port and serve an old configuration.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != master) ::_exit(1);  // the master died before prctl()
        g_worker_index = index;
        g_master = master;
        net::WorkerStatus::attach(slot);
        int rc = 1;
        try {
            rc = serve(info, o, make, UniqueFd(::dup(shared_fd)), true, identity);
            if (info.worker_exit) info.worker_exit();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "netius: serve %s: %s\n", info.name.c_str(), e.what());
        }
        std::fflush(nullptr);
#if defined(__SANITIZE_ADDRESS__)
        // _exit skips LeakSanitizer's exit check: a worker's leaks are checked here.
        if (rc == 0) __lsan_do_leak_check();
#endif
        ::_exit(rc);
    };
    Supervisor supervisor(info.name, workers, info.policy, grace_of(o), spawn);
    if (hand_logs) supervisor.before_reopen = [&] { hand_over_logs(info, *identity); };
    const int rc = supervisor.run(
        handover ? handover->workers : std::vector<InheritedWorker>{},
        [&] { spdlog::info("{}", serving); },
        [&](const std::vector<InheritedWorker>& live) { reexec(shared_fd, live); });
    if (rc != 0) throw ExitStatus{rc};  // the worker said why
    return 0;
}

}  // namespace netius::cmd
