#pragma once
// DNS lookups through c-ares. This first form is blocking (for the command-line tools); the
// reactor issues will drive the same channel from the EventLoop.
#include <chrono>
#include <string>
#include <vector>

namespace netius::net {

struct ResolverOptions {
    /// "IP" or "IP:PORT" (IPv6 as "[::1]:53"); empty = the system's /etc/resolv.conf.
    std::vector<std::string> nameservers;
    /// Per-attempt timeout; the whole lookup takes at most timeout * tries.
    std::chrono::milliseconds timeout{2000};
    int tries = 2;
};

/// TXT records of `name`, each record's character-strings concatenated (RFC 6376 §3.6.2.2:
/// a DKIM key record may be split into several strings). Returns an empty vector when the
/// name exists but has no TXT record or does not exist (NXDOMAIN/NODATA). Throws
/// netius::Error on timeout, SERVFAIL/refused, or a bad nameserver address. Blocking; any
/// thread (each call uses its own c-ares channel).
std::vector<std::string> resolve_txt(const std::string& name, const ResolverOptions& options);

}  // namespace netius::net
