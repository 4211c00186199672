#pragma once
// serve proxy's "Upstreams" option group: timeouts, the connection pool per upstream (its cap,
// idle connections kept, the wait queue), passive and active health, and the CA store for
// https upstreams; and how they set up the proxy's HttpClient and Balancer. Main thread.
#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

#include "net/proxy/proxy_handler.hpp"

namespace netius::cmd {

struct UpstreamOptions {
    double connect_timeout = 10;
    double upstream_timeout = 60;
    std::size_t max_conns = 256;
    std::size_t keepalive = 32;
    std::size_t queue = 1024;
    std::string cacert;
    unsigned max_fails = 1;
    double fail_timeout = 10;
    std::string health_path;
    double health_interval = 5;

    /// Adds --connect-timeout ... --upstream-cacert to `command`, in the group "Upstreams".
    void add_to(CLI::App& command);
    /// Sets `p.client` (pool, timeouts, TLS for https upstreams), `p.health` and
    /// `p.active_health`. Throws netius::UsageError for a --health-path that is not a path.
    void apply(net::proxy::ProxyOptions& p) const;
};

}  // namespace netius::cmd
