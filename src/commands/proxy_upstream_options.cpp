#include "commands/proxy_upstream_options.hpp"

#include "net/tls_context.hpp"

namespace netius::cmd {
namespace {

std::chrono::milliseconds millis(double seconds) {
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
}

}  // namespace

void UpstreamOptions::add_to(CLI::App& c) {
    c.add_option("--connect-timeout", connect_timeout,
                 "Seconds to connect to an upstream (then 504)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--upstream-timeout", upstream_timeout,
                 "Seconds an upstream may take to start its answer, or pause within it (then "
                 "504, or the connection is closed)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--upstream-max-conns", max_conns,
                 "Connections per upstream at most, per worker (more requests wait, see "
                 "--upstream-queue)")
        ->check(CLI::Range(1, 65536))
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--upstream-keepalive", keepalive,
                 "Idle connections kept open per upstream, per worker, for later requests; "
                 "more are closed (nginx's keepalive; 0: none kept)")
        ->check(CLI::Range(0, 65536))
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--upstream-queue", queue,
                 "Requests per upstream, per worker, that may wait for one of its "
                 "--upstream-max-conns connections, each for at most --connect-timeout; past "
                 "either, the next upstream or 503")
        ->check(CLI::Range(0, 1 << 20))
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--max-fails", max_fails,
                 "Failures in a row (refused, reset, silent) after which an upstream is passed "
                 "over for --fail-timeout while another is up (nginx's max_fails; 0: never)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--fail-timeout", fail_timeout,
                 "Seconds an upstream that reached --max-fails is passed over")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--health-path", health_path,
                 "Active health checks: each worker GETs PATH from every upstream each "
                 "--health-interval; an answer other than 2xx/3xx, or none, passes the "
                 "upstream over until a check succeeds again (off without a path)")
        ->type_name("PATH")
        ->group("Upstreams");
    c.add_option("--health-interval", health_interval,
                 "Seconds between active health checks (each must answer within it)")
        ->check(CLI::Range(0.1, 86400.0))
        ->capture_default_str()
        ->group("Upstreams");
    c.add_option("--upstream-cacert", cacert,
                 "CA certificates (PEM) for https upstreams (default: the system store)")
        ->type_name("FILE")
        ->group("Upstreams");
}

void UpstreamOptions::apply(net::proxy::ProxyOptions& p) const {
    p.client.max_connections_per_origin = max_conns;
    p.client.max_idle_per_origin = keepalive;
    p.client.max_waiting_per_origin = queue;
    p.client.max_wait = millis(connect_timeout);  // a free connection, as for a new one
    p.client.connection.connect_timeout = millis(connect_timeout);
    p.client.connection.receive_timeout = millis(upstream_timeout);
    p.health = {max_fails, millis(fail_timeout)};
    if (!health_path.empty())
        p.active_health = {net::proxy::parse_health_path(health_path), millis(health_interval)};
    p.client.make_tls = [cacert = cacert] {
        return net::TlsContext::client(true, cacert, net::kHttp11Alpn);
    };
}

}  // namespace netius::cmd
