#pragma once
// Which hosts receive mail for a domain (RFC 5321 §5.1), as pure functions of the MX answer
// so the order can be tested without DNS: MX records by preference (lower first), records of
// equal preference in random order (load spreading), duplicates once; no MX record means the
// domain itself (the implicit MX); a null MX (RFC 7505: one MX whose exchange is the root
// ".") means the domain accepts no mail. Any thread.
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "net/resolver.hpp"

namespace netius::net::smtp {

struct MxRoute {
    std::vector<std::string> hosts;  // in the order to try them; empty only for a null MX
    bool null_mx = false;            // RFC 7505: deliver nowhere (permanent failure)
    bool implicit = false;           // no MX record: `hosts` is the domain itself
};

/// The route for `domain` given its MX `records` (an empty vector for "no MX record").
/// Null MX entries mixed with real ones are ignored (RFC 7505 §3: a domain must not publish
/// both; delivering to the real ones is the useful reading). `rng` orders equal preferences.
MxRoute route_mx(std::string_view domain, std::vector<DnsRecord> records, std::mt19937& rng);

/// `host` without its trailing dot, lower-cased (DNS names are case-insensitive).
std::string normalise_host(std::string_view host);

}  // namespace netius::net::smtp
