#pragma once
// Internal to the resolver (resolver.cpp, resolve_txt.cpp): the c-ares pieces both the loop
// Resolver and the blocking resolve_txt() use. The only header besides them that includes
// ares.h (architecture: c-ares in the resolver only).
#include <ares.h>
#include <arpa/nameser.h>

#include <string>
#include <vector>

#include "net/resolver.hpp"

namespace netius::net::detail {

/// Initialises c-ares once per process. Throws netius::Error on failure.
void init_ares();

/// A channel with `options`' timeout, tries and nameservers, plus `extra` options selected
/// by `extra_mask` (e.g. ARES_OPT_SOCK_STATE_CB). Throws netius::Error naming a bad
/// nameserver. The caller ares_destroy()s it.
ares_channel make_channel(const ResolverOptions& options, const ares_options* extra = nullptr,
                          int extra_mask = 0);

/// "A", "AAAA", "MX", "TXT".
const char* type_name(DnsType type);

/// Reads the records of `type` from a DNS answer into `out` (answer order). Returns
/// ARES_SUCCESS, ARES_ENODATA when it holds none, or c-ares' parse error.
int parse_answer(DnsType type, const unsigned char* abuf, int alen, std::vector<DnsRecord>& out);

/// Maps a lookup's final c-ares `status` to a DnsStatus and, unless kOk, the error text
/// naming `what` ("'example.com' (MX)").
DnsStatus classify(int status, const std::string& what, const ResolverOptions& options,
                   std::string& error);

}  // namespace netius::net::detail
