#pragma once
// Runs an HTTP server command (`netius serve hello|file|wsgi`) from the shared ServerOptions:
// bind (one clear error line on failure), worker processes under a master (reload, --timeout,
// --max-requests: serve_runner.hpp), signals, start-up line, graceful shutdown. Main thread
// only; blocks until the server stops.
#include <functional>
#include <optional>
#include <string>

#include "commands/server_options.hpp"
#include "commands/supervisor.hpp"
#include "net/http/server/http_server.hpp"
#include "util/landlock.hpp"

namespace netius::cmd {

/// What a command adds to the shared options.
struct HttpServeSetup {
    /// See HttpServerOptions (the handler reads content as it arrives).
    bool stream_request_bodies = false;
    bool tunnel_upgrades = false;  // see HttpServerOptions
    WorkerPolicy policy = {};      // the master's worker operations (--timeout, --max-requests)
    std::function<void()> worker_exit = {};                   // see ServiceInfo
    std::optional<sandbox::FsPolicy> sandbox = std::nullopt;  // see ServiceInfo; the access
                                                              // log's directory is added
    bool sandbox_before_make = false;                         // see ServiceInfo
    bool drops_root_by_default = false;                       // see ServiceInfo
};

/// Serves `name` ("hello") until SIGINT/SIGTERM, then stops gracefully and returns 0.
/// `make_handler` runs once per worker process, after the fork. Throws netius::Error when the
/// address cannot be bound or an option is unusable (e.g. the access log cannot be opened).
int run_http_server(const std::string& name, const ServerOptions& options,
                    const std::function<net::http::Handler()>& make_handler,
                    HttpServeSetup setup = {});
/// The same, for a handler that needs the worker's loop (serve proxy: its upstream client).
int run_http_server(const std::string& name, const ServerOptions& options,
                    const std::function<net::http::Handler(net::EventLoop& loop)>& make_handler,
                    HttpServeSetup setup = {});

}  // namespace netius::cmd
