#pragma once
// Internal to the resolver (resolver.cpp, resolve_txt.cpp): the c-ares pieces both the loop
// Resolver and the blocking resolve_txt() use. The only header besides them that includes
// ares.h (architecture: c-ares in the resolver only).
#include <ares.h>
#include <arpa/nameser.h>

#include <string>
#include <string_view>
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

/// "A", "AAAA", "MX", "TXT"... (dns_type_name).
std::string_view type_name(DnsType type);

/// Reads the records of `type` (A, AAAA, MX or TXT) from a DNS answer into `out` (answer
/// order), for resolve(). Returns ARES_SUCCESS, ARES_ENODATA when it holds none, or c-ares'
/// parse error (ARES_ENOTIMP for another type).
int parse_answer(DnsType type, const unsigned char* abuf, int alen, std::vector<DnsRecord>& out);

/// Reads the answer to a query for `type` into `out`, for query(): the records of `type`
/// with their owner and TTL, and the CNAME records leading to them, in answer order
/// (dns_answer.cpp). Returns ARES_SUCCESS, ARES_ENODATA when it holds no record of `type`
/// (`out` then empty), or ARES_EBADRESP / c-ares' parse error for a malformed answer.
int parse_records(DnsType type, const unsigned char* abuf, int alen,
                  std::vector<ResourceRecord>& out);

/// Maps a lookup's final c-ares `status` to a DnsStatus and, unless kOk, the error text
/// naming `what` ("'example.com' (MX)").
DnsStatus classify(int status, const std::string& what, const ResolverOptions& options,
                   std::string& error);

/// query()'s finer mapping: NXDOMAIN, NODATA, no answer and server failure apart; the error
/// text names `name`, `type` and, for no answer, the servers and tries.
DnsQueryStatus classify_query(int status, const std::string& name, DnsType type,
                              const ResolverOptions& options, std::string& error);

}  // namespace netius::net::detail
