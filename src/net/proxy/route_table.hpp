#pragma once
// serve proxy's routing (netius proxy_r's hosts/alias/redirect with nginx's matching): which
// upstream pool a request goes to, chosen from its Host and path only — never from an
// absolute-form request-target or userinfo, so a client cannot steer the proxy elsewhere
// (netius-proxy-spec.md §8, the SSRF quirk). Built once per configuration (a SIGHUP reload
// builds a new one); lookups are pure and const. Any thread.
//
// Matching: the Host is lower-cased and its port dropped; aliases are applied first (ALIAS ->
// HOST); then among the routes whose host matches — exactly, or "*.example.com" for any
// subdomain (not example.com itself) — and whose path prefix is a prefix of the path at a
// segment boundary ("/api" matches "/api" and "/api/x", not "/apix"), the longest prefix wins,
// an exact host beating a wildcard one at equal prefix length; with none, the default pool
// (--to) if any. Redirects are looked up by host before routes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/client/url.hpp"

namespace netius::net::proxy {

enum class Strategy { kRobin, kSmart };  // netius' names: round robin; fewest in flight

struct Route {
    std::string host;    // "example.com", "*.example.com"; empty: the default pool (--to)
    std::string prefix;  // "/api" (no trailing slash) or empty
    std::vector<http::Url> upstreams;  // http(s) URLs; a path in the URL is prefixed to the request's
};

struct RouteConfig {
    std::vector<Route> routes;
    std::map<std::string, std::string> aliases;    // alias host -> host
    std::map<std::string, std::string> redirects;  // host -> target ("https://other.example")
    std::map<std::string, std::string> auth;       // host -> `auth generate` file
    std::uint64_t sts = 0;                         // HSTS max-age; 0: none
    Strategy strategy = Strategy::kRobin;
};

/// "URL[,URL...]" -> URLs. Throws netius::UsageError naming the bad URL.
std::vector<http::Url> parse_upstreams(std::string_view list);
/// --route "HOST[/PREFIX]=URL[,URL...]". Throws netius::UsageError saying what is wrong.
Route parse_route(std::string_view spec);
/// "NAME=VALUE" for --alias, --redirect, --auth (`option` names the option in errors).
std::pair<std::string, std::string> parse_assignment(std::string_view spec,
                                                     std::string_view option);
/// "robin" or "smart"; throws netius::UsageError otherwise.
Strategy parse_strategy(std::string_view name);

struct RouteMatch {
    const Route* route = nullptr;  // nullptr: no route (answer 404)
    std::string host;              // the normalised host that matched (after aliases)
};

class RouteTable {
  public:
    explicit RouteTable(RouteConfig config);

    /// The route for a request with Host `host` (may carry a port, may be empty) and
    /// origin-form path `path`.
    RouteMatch find(std::string_view host, std::string_view path) const;
    /// The redirect target for `host` (normalised as find() does), if one is configured.
    std::optional<std::string> redirect(std::string_view host) const;
    /// The auth file for `host`, if one is configured.
    std::optional<std::string> auth_file(std::string_view host) const;

    const RouteConfig& config() const { return config_; }

  private:
    RouteConfig config_;
};

/// Picks an upstream of a route's pool: kRobin rotates; kSmart takes the one with the fewest
/// requests in flight, ties rotated. Upstreams marked down are skipped unless all are.
/// Loop thread only (one per worker).
class Balancer {
  public:
    /// Index into route.upstreams, never past its size; `skip` (optional) names indexes
    /// already tried for this request.
    std::size_t pick(const Route& route, Strategy strategy,
                     const std::vector<std::size_t>& skip = {});
    void started(const Route& route, std::size_t index);
    void finished(const Route& route, std::size_t index);

  private:
    struct State {
        std::size_t next = 0;
        std::vector<std::uint32_t> in_flight;
    };
    std::map<const Route*, State> state_;
};

}  // namespace netius::net::proxy
