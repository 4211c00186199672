#include "net/proxy/route_table.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <utility>

#include "util/ascii.hpp"
#include "util/error.hpp"

namespace netius::net::proxy {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// "[0:0::1]" -> "[::1]" (RFC 5952), so equal addresses compare equal; anything else as given.
std::string bracketed_v6(std::string_view inner) {
    std::string text(inner);
    in6_addr a6{};
    char canonical[INET6_ADDRSTRLEN];
    if (::inet_pton(AF_INET6, text.c_str(), &a6) == 1 &&
        ::inet_ntop(AF_INET6, &a6, canonical, sizeof canonical) != nullptr)
        text = canonical;
    std::string out(1, '[');  // appended, not "[" + s: GCC 12 warns (-Wrestrict) on that
    out.append(to_lower(text)).append(1, ']');
    return out;
}

// The form find() compares: lower case, without ":port" and without one trailing dot; an
// IPv6 literal keeps its brackets ("[::1]:8080" -> "[::1]"). Lenient: a request's Host was
// validated by the parser, and a configured host by parse_route_host().
std::string normalise_host(std::string_view host) {
    if (!host.empty() && host.front() == '[') {
        const std::size_t close = host.find(']');
        if (close != std::string_view::npos) return bracketed_v6(host.substr(1, close - 1));
        return to_lower(host);
    }
    const std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(':') == colon) host = host.substr(0, colon);
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    return to_lower(host);
}

}  // namespace

std::string parse_route_host(std::string_view host) {
    if (host.empty()) throw UsageError("no host (the default pool is given by --to)");
    if (host.front() == '[') {
        const std::size_t close = host.find(']');
        in6_addr a6{};
        const std::string inner(host.substr(1, close == std::string_view::npos ? 0 : close - 1));
        if (close == std::string_view::npos || ::inet_pton(AF_INET6, inner.c_str(), &a6) != 1)
            throw UsageError("'{}' is not a bracketed IPv6 address", host);
        if (close + 1 != host.size())
            throw UsageError("host '{}' has a port (routes match the host without it)", host);
        return bracketed_v6(inner);
    }
    std::string_view name = host;
    if (name.substr(0, 2) == "*.") name.remove_prefix(2);
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.empty() || name.front() == '.') throw UsageError("'{}' is not a host name", host);
    for (char c : name) {
        if (c == ':')
            throw UsageError("host '{}' has a port (routes match the host without it)", host);
        if (c == '*')
            throw UsageError("'{}': a wildcard is only allowed as a leading \"*.\"", host);
        const char l = ascii_lower(c);
        if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-' || l == '.' || l == '_'))
            throw UsageError("invalid character '{}' in host '{}'", c, host);
    }
    return normalise_host(host);
}

namespace {

std::string_view strip_trailing_slashes(std::string_view prefix) {
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    return prefix;
}

// Whether `prefix` covers `path` at a segment boundary: "/api" covers "/api", "/api/x" and
// "/api?q", not "/apix". An empty prefix covers every path.
bool prefix_matches(std::string_view prefix, std::string_view path) {
    if (prefix.empty()) return true;
    if (path.substr(0, prefix.size()) != prefix) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?';
}

// How specifically `pattern` names `host`: 0 not at all; for "*.example.com", the length of
// ".example.com" (a subdomain only, so not "example.com" itself); for an exact name, more
// than any wildcard can reach.
std::size_t host_rank(std::string_view pattern, std::string_view host) {
    if (pattern.substr(0, 2) == "*.") {
        const std::string_view suffix = pattern.substr(1);
        const bool sub =
            host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix;
        return sub ? suffix.size() : 0;
    }
    return pattern == host ? std::string_view::npos : 0;
}

template <typename Map, typename F>
Map rekey(const Map& in, F&& key) {
    Map out;
    for (const auto& [k, v] : in) out.emplace(key(k), v);
    return out;
}

}  // namespace

namespace {

http::Url unix_upstream(std::string_view path) {
    http::Url url;
    url.scheme.assign("http");
    url.host.assign("localhost");
    url.port = 80;
    url.target.assign(1, '/');
    url.socket_path.assign(path);
    return url;
}

}  // namespace

std::vector<http::Url> parse_upstreams(std::string_view list) {
    std::vector<http::Url> urls;
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view text = trim(list.substr(0, comma));
        if (text.empty()) throw UsageError("an empty upstream URL in the list");
        http::Url url;
        if (text.starts_with("unix:")) {  // HTTP over a unix socket (gunicorn --bind unix:)
            if (!text.substr(5).starts_with('/'))
                throw UsageError("upstream '{}': a unix socket needs an absolute path", text);
            urls.push_back(unix_upstream(text.substr(5)));
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
            continue;
        }
        std::string error;
        if (!http::parse_url(text, url, error)) throw UsageError("upstream '{}': {}", text, error);
        // Credentials would be sent to whoever the URL names (netius-proxy-spec.md §8 item 1);
        // a query or fragment cannot be joined with the request's path.
        if (url.has_userinfo)
            throw UsageError("upstream '{}': user:password@ is not supported", text);
        if (url.target.find('?') != std::string::npos)
            throw UsageError("upstream '{}': a query is not allowed", text);
        if (text.find('#') != std::string_view::npos)
            throw UsageError("upstream '{}': a fragment is not allowed", text);
        const std::string_view path = strip_trailing_slashes(url.target);
        url.target = path.empty() ? "/" : std::string(path);
        urls.push_back(std::move(url));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return urls;
}

Route parse_route(std::string_view spec) {
    const std::size_t eq = spec.find('=');
    if (eq == std::string_view::npos)
        throw UsageError("--route '{}': expected HOST[/PREFIX]=URL[,URL...]", spec);
    const std::string_view left = trim(spec.substr(0, eq));
    const std::size_t slash = left.find('/');
    Route route;
    try {
        route.host = parse_route_host(left.substr(0, slash));
        if (slash != std::string_view::npos) {
            const std::string_view prefix = left.substr(slash);
            for (char c : prefix)
                if (c == '?' || c == '#' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
                    throw UsageError("prefix '{}': no '?', '#', space or control character",
                                     prefix);
            route.prefix = strip_trailing_slashes(prefix);
        }
        route.upstreams = parse_upstreams(spec.substr(eq + 1));
    } catch (const UsageError& e) {
        throw UsageError("--route '{}': {}", spec, e.what());
    }
    return route;
}

std::pair<std::string, std::string> parse_assignment(std::string_view spec,
                                                     std::string_view option) {
    const std::size_t eq = spec.find('=');
    const std::string_view name = trim(spec.substr(0, eq));
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : trim(spec.substr(eq + 1));
    if (name.empty() || value.empty())
        throw UsageError("{} '{}': expected NAME=VALUE", option, spec);
    return {std::string(name), std::string(value)};
}

Strategy parse_strategy(std::string_view name) {
    if (iequals(name, "robin")) return Strategy::kRobin;
    if (iequals(name, "smart")) return Strategy::kSmart;
    throw UsageError("unknown strategy '{}' (robin or smart)", name);
}

RouteTable::RouteTable(RouteConfig config) : config_(std::move(config)) {
    for (Route& r : config_.routes) {
        r.host = normalise_host(r.host);
        r.prefix = std::string(strip_trailing_slashes(r.prefix));
    }
    std::map<std::string, std::string> aliases;
    for (const auto& [from, to] : config_.aliases)
        aliases.emplace(normalise_host(from), normalise_host(to));
    config_.aliases = std::move(aliases);
    config_.redirects = rekey(config_.redirects, normalise_host);
    config_.auth = rekey(config_.auth, normalise_host);
}

RouteMatch RouteTable::find(std::string_view host, std::string_view path) const {
    RouteMatch match;
    match.host = normalise_host(host);
    // One step only: an alias names a host, never another alias (netius took two).
    if (auto it = config_.aliases.find(match.host); it != config_.aliases.end())
        match.host = it->second;
    // Best (host rank, prefix length); equal scores keep the first configured.
    std::pair<std::size_t, std::size_t> best{0, 0};
    const Route* fallback = nullptr;
    std::size_t fallback_prefix = 0;
    for (const Route& r : config_.routes) {
        if (!prefix_matches(r.prefix, path)) continue;
        if (r.host.empty()) {
            if (!fallback || r.prefix.size() > fallback_prefix) {
                fallback = &r;
                fallback_prefix = r.prefix.size();
            }
            continue;
        }
        const std::size_t rank = host_rank(r.host, match.host);
        if (rank == 0) continue;
        const std::pair<std::size_t, std::size_t> score{rank, r.prefix.size()};
        if (!match.route || score > best) {
            match.route = &r;
            best = score;
        }
    }
    if (!match.route) match.route = fallback;
    return match;
}

std::optional<std::string> RouteTable::redirect(std::string_view host) const {
    const std::string h = normalise_host(host);
    auto it = config_.redirects.find(h);
    if (it == config_.redirects.end()) {  // the host as named first, then its alias target
        auto alias = config_.aliases.find(h);
        if (alias != config_.aliases.end()) it = config_.redirects.find(alias->second);
    }
    if (it == config_.redirects.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> RouteTable::auth_file(std::string_view host) const {
    std::string h = normalise_host(host);
    auto it = config_.auth.find(h);
    if (it == config_.auth.end()) {
        auto alias = config_.aliases.find(h);
        if (alias != config_.aliases.end()) {
            h = alias->second;
            it = config_.auth.find(h);
        }
    }
    if (it != config_.auth.end()) return it->second;
    // "*.example.com": the longest wildcard that names the host (after its alias).
    const std::string* best = nullptr;
    std::size_t best_rank = 0;
    for (const auto& [pattern, file] : config_.auth) {
        if (!pattern.starts_with("*.")) continue;
        const std::size_t rank = host_rank(pattern, h);
        if (rank > best_rank) {
            best = &file;
            best_rank = rank;
        }
    }
    if (!best) return std::nullopt;
    return *best;
}

Balancer::State& Balancer::state(const Route& route) {
    State& s = state_[&route];
    const std::size_t n = route.upstreams.size();
    if (s.in_flight.size() < n) {
        s.in_flight.resize(n);
        s.fails.resize(n);
        s.down_until.resize(n);
        s.check_failed.resize(n);
    }
    return s;
}

std::size_t Balancer::pick(const Route& route, Strategy strategy,
                           const std::vector<std::size_t>& skip, Clock::time_point now) {
    const std::size_t n = route.upstreams.size();
    if (n <= 1) return 0;
    State& s = state(route);
    auto skipped = [&skip](std::size_t i) {
        return std::find(skip.begin(), skip.end(), i) != skip.end();
    };
    bool all_skipped = true;
    for (std::size_t i = 0; i < n && all_skipped; ++i) all_skipped = skipped(i);
    auto candidate = [&](std::size_t i) { return all_skipped || !skipped(i); };
    // Down upstreams are passed over while a candidate is up (all down: try them anyway, so a
    // recovered one is found).
    bool any_up = false;
    for (std::size_t i = 0; i < n && !any_up; ++i) any_up = candidate(i) && !down(route, i, now);
    // Candidates in rotation order from the cursor; robin takes the first, smart the first
    // with the fewest in flight (so ties rotate too).
    std::size_t chosen = n;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (s.next + k) % n;
        if (!candidate(i) || (any_up && down(route, i, now))) continue;
        if (chosen == n) chosen = i;
        if (strategy == Strategy::kRobin) break;
        if (s.in_flight[i] < s.in_flight[chosen]) chosen = i;
    }
    s.next = (chosen + 1) % n;
    return chosen;
}

void Balancer::started(const Route& route, std::size_t index) {
    State& s = state(route);
    if (index < s.in_flight.size()) ++s.in_flight[index];
}

void Balancer::finished(const Route& route, std::size_t index) {
    auto it = state_.find(&route);
    if (it == state_.end() || index >= it->second.in_flight.size()) return;
    if (it->second.in_flight[index] > 0) --it->second.in_flight[index];
}

void Balancer::failed(const Route& route, std::size_t index, Clock::time_point now) {
    State& s = state(route);
    if (index >= s.fails.size() || health_.max_fails == 0) return;
    if (++s.fails[index] >= health_.max_fails) {
        s.down_until[index] = now + health_.fail_timeout;
        s.fails[index] = 0;  // after the timeout it gets a fresh count
    }
}

void Balancer::answered(const Route& route, std::size_t index) {
    State& s = state(route);
    if (index < s.fails.size()) s.fails[index] = 0;
}

void Balancer::checked(const Route& route, std::size_t index, bool up) {
    State& s = state(route);
    if (index >= s.check_failed.size()) return;
    s.check_failed[index] = !up;
    if (up) {
        s.down_until[index] = {};
        s.fails[index] = 0;
    }
}

bool Balancer::down(const Route& route, std::size_t index, Clock::time_point now) const {
    auto it = state_.find(&route);
    if (it == state_.end() || index >= it->second.down_until.size()) return false;
    return it->second.check_failed[index] || now < it->second.down_until[index];
}

}  // namespace netius::net::proxy
