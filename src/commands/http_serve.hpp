#pragma once
// Runs an HTTP server command (`netius serve hello|file|wsgi`) from the shared ServerOptions:
// bind (one clear error line on failure), worker processes under a master (reload, --timeout,
// --max-requests: serve_runner.hpp), signals, start-up line, graceful shutdown. Main thread
// only; blocks until the server stops.
#include <functional>
#include <string>

#include "commands/server_options.hpp"
#include "commands/supervisor.hpp"
#include "net/http/server/http_server.hpp"

namespace netius::cmd {

/// Serves `name` ("hello") until SIGINT/SIGTERM, then stops gracefully and returns 0.
/// `make_handler` runs once per worker process, after the fork. Throws netius::Error when the
/// address cannot be bound or an option is unusable (e.g. the access log cannot be opened).
/// `stream_request_bodies`: see HttpServerOptions (the handler reads content as it arrives).
/// `policy`: the master's worker operations (serve wsgi's --timeout, --max-requests);
/// `worker_exit`: see ServiceInfo.
int run_http_server(const std::string& name, const ServerOptions& options,
                    const std::function<net::http::Handler()>& make_handler,
                    bool stream_request_bodies = false, const WorkerPolicy& policy = {},
                    std::function<void()> worker_exit = {});

}  // namespace netius::cmd
