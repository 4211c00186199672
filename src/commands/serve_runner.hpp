#pragma once
// Runs any `netius serve` server from the shared ServerOptions, whatever its protocol: the
// listening socket (or systemd's LISTEN_FDS, or the one a reload handed over), one clear error
// line when binding fails, worker processes under a master (supervisor.hpp: SIGINT/SIGTERM
// stop gracefully, SIGHUP reloads, SIGUSR1 reopens logs, --timeout, --max-requests), the
// start-up line once the workers accept, and the removal of a unix socket file. HTTP
// (http_serve.cpp) and SMTP (serve_smtp.cpp) plug in a Service. Main thread only; blocks
// until the server stops.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/server_options.hpp"
#include "commands/supervisor.hpp"
#include "util/landlock.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::cmd {

/// A protocol server on one worker's loop, as the runner drives it.
class Service {
  public:
    virtual ~Service() = default;
    virtual void start() = 0;
    /// Graceful stop; `done` runs on the loop once every connection is gone (or `grace` is up).
    virtual void shutdown(std::chrono::milliseconds grace, std::function<void()> done) = 0;
    virtual std::size_t connection_count() const = 0;
    /// SIGUSR1 (logrotate): reopen log files, if the service has any.
    virtual void reopen_logs() {}
};

/// Makes a worker's Service on `loop`, serving the already-listening `listener`. Runs in
/// each worker process after the fork (in the only process for an unsupervised service); may
/// throw netius::Error, which the worker prints before exiting 1 (the first start-up then
/// fails with exit status 1).
using ServiceFactory =
    std::function<std::unique_ptr<Service>(net::EventLoop& loop, UniqueFd listener)>;

struct ServiceInfo {
    std::string name;                 // "hello", "smtp": in the start-up and stop lines
    std::string scheme;               // "http", "https", "smtp", "smtps": in the start-up URL
    std::uint16_t unprivileged_port;  // suggested when binding a port < 1024 is denied
    /// A master forks the workers, reloads on SIGHUP and applies `policy`. false: one
    /// process serves (serve relay: it alone owns its queue; SIGHUP reopens its logs).
    bool supervised = true;
    WorkerPolicy policy = {};
    /// Runs in a worker once its service has stopped, before the process exits (serve wsgi:
    /// finalize Python, so the app's atexit handlers run). May be empty.
    std::function<void()> worker_exit = {};
    /// The files a worker may touch once it serves (Landlock, util/landlock.hpp), applied
    /// after its service is made and root is given up, unless --no-sandbox. nullopt: not
    /// confined.
    std::optional<sandbox::FsPolicy> sandbox = std::nullopt;
    /// Confine before the service is made instead (serve wsgi: the app may start threads
    /// while it is imported, and Landlock covers only threads started after it).
    bool sandbox_before_make = false;
    /// Started as root without --user: true, workers run as nobody (servers that only read:
    /// hello, file, proxy, as nginx's workers); false, they keep root and a warning says so
    /// (smtp, relay, wsgi: their storage or the app may need files only root can write).
    bool drops_root_by_default = false;
    /// Directories the service writes (Maildir, queue). One the command has just created is
    /// handed to --user (chown -R) before anything forks; after the drop each must be
    /// writable, or the worker stops naming the fix.
    struct Storage {
        std::string path;
        bool created = false;
    };
    std::vector<Storage> storage = {};
    /// Log files the workers open by name (the access log). Under --user the master creates
    /// each and hands it to the user at start and before every SIGUSR1, so a worker can
    /// reopen it after rotation in a directory it may not write (nginx's way).
    std::vector<std::string> log_files = {};
};

/// A storage directory made ready by `prepare` (which creates it when missing), remembering
/// whether it is new (see ServiceInfo::storage).
ServiceInfo::Storage storage_root(const std::string& path, const std::function<void()>& prepare);

/// The policy of a server that reads what it likes and writes only beneath its storage
/// (serve smtp, serve relay).
sandbox::FsPolicy writes_only_beneath(const std::vector<ServiceInfo::Storage>& storage);

/// In a worker process, its index (0 .. workers-1; a replacement takes its predecessor's).
int current_worker_index();

/// Serves until SIGINT/SIGTERM, then stops gracefully (options.shutdown_timeout) and returns
/// 0. Throws netius::Error when the address cannot be bound, ExitStatus{1} when the first
/// workers could not start (each printed why). Under NETIUS_CHECK_CONFIG=1 (reexec.hpp)
/// returns 0 at once.
int run_service(const ServiceInfo& info, const ServerOptions& options, const ServiceFactory& make);

}  // namespace netius::cmd
