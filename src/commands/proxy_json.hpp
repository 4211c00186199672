#pragma once
// netius' proxy.json for `netius serve proxy --config-json FILE`: a netius user's file works
// unchanged (netius-proxy-spec.md §1.3).
#include <string>

#include "net/proxy/route_table.hpp"

namespace netius::cmd {

/// Adds what a netius proxy.json holds to `config`: "hosts" {host: URL or [URLs]} ("default"
/// is the default pool), "alias" {alias: host}, "redirect" {host: target, [target],
/// [target, proto] or [target, proto, path]}, "forward" (a URL or [URLs]: the default pool
/// when "hosts" has no "default"), "sts" (seconds), "strategy" ("robin" or "smart"); other
/// keys, and null values, are ignored, as netius ignores what it does not use. Hosts are
/// checked as parse_route_host does (so a "host:port" key is refused: routes match without
/// the port), URLs as parse_upstreams does. Routes are appended after those in `config` (the
/// default pool last); an alias or redirect `config` already holds is kept; "sts" and
/// "strategy" replace its values. Throws netius::Error naming the file and the key that is
/// wrong ("proxy.json: hosts.example.com: upstream 'ftp://x': unsupported scheme 'ftp'"),
/// or the file and the system error when it cannot be read. Blocks; any thread.
void load_netius_json(const std::string& path, net::proxy::RouteConfig& config);

}  // namespace netius::cmd
