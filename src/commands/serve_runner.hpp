#pragma once
// Runs any `netius serve` server from the shared ServerOptions, whatever its protocol: the
// listening socket (or systemd's LISTEN_FDS), one clear error line when binding fails, worker
// processes with a supervising master, signals (SIGINT/SIGTERM stop gracefully, SIGHUP reopens
// logs), the start-up line and the removal of a unix socket file. HTTP (http_serve.cpp) and
// SMTP (serve_smtp.cpp) plug in a Service. Main thread only; blocks until the server stops.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "commands/server_options.hpp"
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
    /// SIGHUP (logrotate): reopen log files, if the service has any.
    virtual void reopen_logs() {}
};

/// Makes a worker's Service on `loop`, serving the already-listening `listener`. Runs in
/// each worker process after the fork (on the main thread when there is one worker); may
/// throw netius::Error.
using ServiceFactory =
    std::function<std::unique_ptr<Service>(net::EventLoop& loop, UniqueFd listener)>;

struct ServiceInfo {
    std::string name;                 // "hello", "smtp": in the start-up and stop lines
    std::string scheme;               // "http", "https", "smtp", "smtps": in the start-up URL
    std::uint16_t unprivileged_port;  // suggested when binding a port < 1024 is denied
};

/// Serves until SIGINT/SIGTERM, then stops gracefully (options.shutdown_timeout) and returns
/// 0. Throws netius::Error when the address cannot be bound.
int run_service(const ServiceInfo& info, const ServerOptions& options, const ServiceFactory& make);

}  // namespace netius::cmd
