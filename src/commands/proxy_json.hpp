#pragma once
// netius' proxy.json for `netius serve proxy --config-json FILE`: a netius user's file works
// unchanged (netius-proxy-spec.md §1.3).
#include <string>

#include "net/proxy/route_table.hpp"

namespace netius::cmd {

/// Adds what a netius proxy.json holds to `config`: "hosts" {host: URL or [URLs]} ("default"
/// is the default pool), "alias" {alias: host}, "redirect" {host: target}, "forward" (a URL:
/// the default pool when "hosts" has no "default"), "sts" (seconds), "strategy" ("robin" or
/// "smart"); other keys are ignored, as netius ignores what it does not use. Throws
/// netius::Error naming the file and the key that is wrong.
void load_netius_json(const std::string& path, net::proxy::RouteConfig& config);

}  // namespace netius::cmd
