#pragma once
// serve proxy's active health checks (--health-path, --health-interval): every interval, each
// worker sends `GET PATH` to each distinct upstream (its scheme, host and port; the URL's own
// path is not used) on a connection of its own, opened for the check. A 2xx or 3xx answer
// within the interval says the upstream is up; any other status, a refused or reset
// connection, or no answer in time says it is down, and the Balancer passes it over (as it
// does after passive failures, route_table.hpp: while another upstream of the pool is up).
// A success brings it back at once (ending a passive pass-over too). Each change is logged
// once: "proxy: upstream URL is down: WHY" / "proxy: upstream URL is up again".
//
// The first round starts as soon as the loop runs; until an upstream's first answer it counts
// as up. A check still running when the next round comes is not started twice.
// Loop thread only; one per worker.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/callbacks.hpp"
#include "net/http/client/http_client.hpp"
#include "net/proxy/route_table.hpp"

namespace netius::net {
class EventLoop;
}

namespace netius::net::proxy {

struct HealthOptions {
    std::string path;  // "/health" (origin-form, a query allowed); empty: no active checks
    std::chrono::milliseconds interval{5'000};
};

/// "/PATH[?QUERY]" as --health-path takes it; throws netius::UsageError saying what is wrong
/// (not starting with '/', a space, a control character or '#').
std::string parse_health_path(std::string_view path);

class HealthCheck {
  public:
    /// Checks every upstream of `routes` and reports to `balancer`, which must outlive this
    /// object (as `routes` must). `client` gives the connection settings (timeouts, TLS); the
    /// checks use a client of their own, with each timeout at most the interval.
    HealthCheck(EventLoop* loop, const RouteTable& routes, Balancer& balancer,
                const http::HttpClientOptions& client, HealthOptions options);
    ~HealthCheck();
    HealthCheck(const HealthCheck&) = delete;
    HealthCheck& operator=(const HealthCheck&) = delete;

    /// Whether `origin`'s last check failed (for tests).
    bool down(const std::string& origin) const;

  private:
    struct Upstream {
        http::Url url;  // the first URL met with this origin
        std::vector<std::pair<const Route*, std::size_t>> uses;
        bool down = false;
        bool checking = false;
    };

    void round();
    void check(Upstream& upstream);
    void report(Upstream& upstream, bool up, const std::string& why);

    EventLoop* loop_;
    Balancer& balancer_;
    HealthOptions options_;
    std::map<std::string, Upstream> upstreams_;  // by origin
    std::unique_ptr<http::HttpClient> client_;
    TimerId timer_;
    std::shared_ptr<HealthCheck*> alive_;  // queued work checks that this still exists
};

}  // namespace netius::net::proxy
