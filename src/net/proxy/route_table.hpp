#pragma once
// serve proxy's routing (netius proxy_r's hosts/alias/redirect with nginx's matching): which
// upstream pool a request goes to, chosen from its Host and path only — never from an
// absolute-form request-target or userinfo, so a client cannot steer the proxy elsewhere
// (netius-proxy-spec.md §8, the SSRF quirk). Built once per configuration (a SIGHUP reload
// builds a new one); lookups are pure and const. Any thread.
//
// Matching: the Host is lower-cased, its port and one trailing dot dropped ("[::1]:8080" ->
// "[::1]"); aliases are applied first (ALIAS -> HOST, one step: a chain is not followed); then
// among the routes whose host matches — exactly, or "*.example.com" for any subdomain (not
// example.com itself) — and whose path prefix is a prefix of the path at a segment boundary
// ("/api" matches "/api" and "/api/x", not "/apix"), the host decides first, as nginx picks
// its server block before a location — an exact host beats a wildcard, a longer wildcard a
// shorter one — and among that host's routes the longest prefix wins; with none, the default
// pool (--to, longest prefix too) if any. Redirects are looked up by host before routes. The path
// is compared as sent: the caller removes dot segments first, or "/api/../admin" goes to /api's
// pool.
#include <chrono>
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
    std::string host;    // "example.com", "*.example.com", "[::1]"; empty: the default pool (--to)
    std::string prefix;  // "/api" (no trailing slash) or empty
    /// http(s) URLs, never empty; a path in the URL is prefixed to the request's. Its target is
    /// "/" (no path) or a path without a trailing slash ("/base"), and never has a query, so
    /// "/base" + "/x" joins to "/base/x" (netius sent "/base//x" for a "/base/" prefix).
    std::vector<http::Url> upstreams;
};

struct RouteConfig {
    std::vector<Route> routes;
    std::map<std::string, std::string> aliases;  // alias host -> host
    /// host -> target "[SCHEME://]HOST[PATH]" ("https://other.example"): without a scheme the
    /// request's; without a path the request's target is appended (netius' redirect forms).
    std::map<std::string, std::string> redirects;
    std::map<std::string, std::string> auth;  // host or *.host -> users file (basic_auth.hpp)
    std::uint64_t sts = 0;                    // HSTS max-age; 0: none
    Strategy strategy = Strategy::kRobin;
};

/// "URL[,URL...]" -> URLs (http or https; a path allowed, a trailing slash of it dropped; or
/// "unix:/absolute/path", HTTP over that socket, with Host "localhost" when the client sent
/// none).
/// Throws netius::UsageError naming the bad URL: another scheme, user:password@ (netius sent
/// it as Authorization to whatever host the URL named), a query, a fragment, an empty item.
std::vector<http::Url> parse_upstreams(std::string_view list);
/// A configured host ("Example.COM.", "*.example.com", "[::1]") in the form find() compares:
/// lower case, one trailing dot dropped, IPv6 canonical in brackets. Throws netius::UsageError
/// saying what is wrong: empty, a port, a '*' other than a leading "*.", another character.
std::string parse_route_host(std::string_view host);
/// --route "HOST[/PREFIX]=URL[,URL...]": the host as parse_route_host, the prefix without its
/// trailing slashes ("HOST/" is no prefix). Throws netius::UsageError quoting `spec` and
/// saying what is wrong.
Route parse_route(std::string_view spec);
/// "NAME=VALUE" for --alias, --redirect, --auth (`option` names the option in errors), split
/// at the first '=' and trimmed of blanks; both must be non-empty. RouteTable normalises the
/// host names as find() does.
std::pair<std::string, std::string> parse_assignment(std::string_view spec,
                                                     std::string_view option);
/// "robin" or "smart" (any case); throws netius::UsageError otherwise.
Strategy parse_strategy(std::string_view name);

struct RouteMatch {
    const Route* route = nullptr;  // nullptr: no route (answer 404)
    std::string host;              // the normalised host that matched (after aliases)
};

class RouteTable {
  public:
    /// Keeps `config` with its hosts (routes, aliases on both sides, redirect and auth keys)
    /// normalised as find() does and route prefixes without trailing slashes. Does not throw
    /// but for memory.
    explicit RouteTable(RouteConfig config);

    /// The route for a request with Host `host` (may carry a port, may be empty) and
    /// origin-form path `path` (still percent-encoded; a "?query" after it is tolerated), as
    /// the comment at the top says; routes with an empty host are the fallback, longest prefix
    /// first. Equal candidates: the first configured wins.
    RouteMatch find(std::string_view host, std::string_view path) const;
    /// The redirect target for `host` (normalised as find() does), if one is configured: for
    /// the host as named, else for its alias target (netius looked up both).
    std::optional<std::string> redirect(std::string_view host) const;
    /// The auth file for `host`, if one is configured: looked up as redirect() is, then
    /// among "*.example.com" keys (the longest that names the host, or its alias target).
    std::optional<std::string> auth_file(std::string_view host) const;

    const RouteConfig& config() const { return config_; }

  private:
    RouteConfig config_;
};

/// Passive health (nginx's max_fails/fail_timeout): an upstream that failed `max_fails`
/// times in a row (refused, reset or silent before its answer) is passed over for
/// `fail_timeout`, then gets requests again; an answer resets its count. 0: never skipped.
struct PassiveHealth {
    unsigned max_fails = 1;
    std::chrono::milliseconds fail_timeout{10'000};
};

/// Picks an upstream of a route's pool: kRobin rotates; kSmart takes the one with the fewest
/// requests in flight (started() minus finished()), ties rotated. Upstreams that are down
/// (PassiveHealth) are passed over while another one is up. State is kept per Route
/// address: use one Balancer per RouteTable (a reload makes a new one of each).
/// Loop thread only (one per worker).
class Balancer {
  public:
    using Clock = std::chrono::steady_clock;

    explicit Balancer(PassiveHealth health = {}) : health_(health) {}

    /// Index into route.upstreams (0 for an empty pool, which the parsers never make);
    /// `skip` (optional) names indexes already tried for this request: they are passed over
    /// unless every upstream is in it, and then the rotation goes on as if none were.
    std::size_t pick(const Route& route, Strategy strategy,
                     const std::vector<std::size_t>& skip = {},
                     Clock::time_point now = Clock::now());
    void started(const Route& route, std::size_t index);
    void finished(const Route& route, std::size_t index);
    /// The upstream failed before answering / answered (PassiveHealth).
    void failed(const Route& route, std::size_t index, Clock::time_point now = Clock::now());
    void answered(const Route& route, std::size_t index);
    /// Active health (health_check.hpp): the upstream's last check failed (`up` false: passed
    /// over until a check succeeds) or succeeded (which also ends a passive pass-over).
    void checked(const Route& route, std::size_t index, bool up);
    /// Whether the upstream is passed over now (passive or active health).
    bool down(const Route& route, std::size_t index, Clock::time_point now = Clock::now()) const;

  private:
    struct State {
        std::size_t next = 0;
        std::vector<std::uint32_t> in_flight;
        std::vector<std::uint32_t> fails;  // in a row
        std::vector<Clock::time_point> down_until;
        std::vector<char> check_failed;  // active health
    };
    State& state(const Route& route);

    PassiveHealth health_;
    std::map<const Route*, State> state_;
};

}  // namespace netius::net::proxy
