#include "commands/serve_runner.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

std::string url_of(const net::InetAddress& a, const std::string& scheme) {
    return a.is_unix() ? scheme + "+" + a.to_string() : scheme + "://" + a.to_string();
}

// The signals serve() and the services watch (SIGUSR1: serve relay's "retry now").
sigset_t service_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGUSR1}) sigaddset(&set, s);
    return set;
}

// One worker: a loop, the service on `listener`, signals. Returns when the service stopped.
int serve(const ServiceInfo& info, const ServerOptions& o, const ServiceFactory& make,
          UniqueFd listener) {
    net::EventLoop loop;
    std::unique_ptr<Service> service;
    auto stop = [&] {
        spdlog::info("stopping {}: finishing {} connection(s)", info.name,
                     service->connection_count());
        service->shutdown(std::chrono::milliseconds(static_cast<long>(o.shutdown_timeout * 1000)),
                          [&loop] { loop.quit(); });
    };
    // Signals are blocked before the service starts threads of its own (worker pools), so
    // they inherit the mask and only the loop's signalfd sees them.
    loop.on_signal(SIGINT, stop);
    loop.on_signal(SIGTERM, stop);
    loop.on_signal(SIGHUP, [&] { service->reopen_logs(); });
    service = make(loop, std::move(listener));
    service->start();
    loop.loop();
    return 0;
}

// The master of several workers: forwards SIGINT/SIGTERM/SIGHUP, restarts a worker that dies
// unexpectedly (at most once a second), returns when all have exited after a stop.
int supervise(const std::function<pid_t(int)>& spawn, int workers) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&set, s);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    std::vector<pid_t> pids;
    pids.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) pids.push_back(spawn(i));
    bool stopping = false;
    int alive = workers;
    while (alive > 0) {
        int sig = sigwaitinfo(&set, nullptr);
        if (sig < 0) continue;  // EINTR
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            stopping = stopping || sig != SIGHUP;
            for (pid_t p : pids)
                if (p > 0) ::kill(p, sig == SIGHUP ? SIGHUP : SIGTERM);
            continue;
        }
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            for (std::size_t i = 0; i < pids.size(); ++i) {
                if (pids[i] != pid) continue;
                if (stopping || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
                    pids[i] = 0;
                    --alive;
                } else {
                    spdlog::warn("worker {} (pid {}) died ({}); restarting it", i, pid,
                                 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exit");
                    ::sleep(1);
                    pids[i] = spawn(static_cast<int>(i));
                }
            }
        }
    }
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

int run_service(const ServiceInfo& info, const ServerOptions& o, const ServiceFactory& make) {
    const int workers = std::max(1, o.workers);
    // The signals a service handles stay pending until its loop's signalfd reads them: one
    // that arrives while it starts (logrotate's SIGHUP, SIGUSR1 to a relay) must not end the
    // process with the default action.
    const sigset_t handled = service_signals();
    sigprocmask(SIG_BLOCK, &handled, nullptr);
    UniqueFd listener = activated_socket();
    if (!listener) {
        net::InetAddress requested = o.listen_address();
        net::sockets::ListenOptions lo;
        lo.reuse_port = workers > 1 && !requested.is_unix();
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
    spdlog::info("serving {} on {} ({} worker{})", info.name, url_of(bound, info.scheme), workers,
                 workers == 1 ? "" : "s");
    // A unix socket file is ours to remove once every worker has stopped.
    struct RemoveSocket {
        std::string path;
        ~RemoveSocket() {
            if (!path.empty()) ::unlink(path.c_str());
        }
    } remove_socket{bound.is_unix() ? bound.host() : std::string()};
    if (workers == 1) return serve(info, o, make, std::move(listener));

    const int shared_fd = listener.get();
    const pid_t master = ::getpid();
    auto spawn = [&](int index) -> pid_t {
        pid_t pid = ::fork();
        if (pid < 0) throw Error(errno_message("fork()", errno));
        if (pid > 0) return pid;
        sigprocmask(SIG_SETMASK, &handled, nullptr);  // not the master's SIGCHLD
        // A worker ends with its master even when the master cannot stop it (SIGKILL, a
        // crash): orphaned workers would keep the port and serve an old configuration.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != master) ::_exit(1);  // the master died before prctl()
        int rc = 1;
        try {
            // Worker 0 accepts on the master's socket, the others on their own SO_REUSEPORT
            // listeners of the same port (unix sockets: all share the one socket).
            UniqueFd fd;
            if (index == 0 || bound.is_unix()) {
                fd.reset(::dup(shared_fd));
            } else {
                net::sockets::ListenOptions lo;
                lo.reuse_port = true;
                lo.backlog = o.backlog;
                fd = net::sockets::listen_on(bound, lo);
            }
            rc = serve(info, o, make, std::move(fd));
        } catch (const std::exception& e) {
            spdlog::critical("worker {}: {}", index, e.what());
        }
        std::fflush(nullptr);
        ::_exit(rc);
    };
    return supervise(spawn, workers);
}

}  // namespace netius::cmd
