#pragma once
// Output of `netius dns query`: the records as the --json array, and the exit status of a
// query's outcome. Pure; any thread.
#include <span>
#include <string>

#include "net/dns_record.hpp"

namespace netius::cmd {

/// Exit statuses beyond main()'s 0 (records found), 1 (other failure) and 2 (usage).
inline constexpr int kExitNxDomain = 3;       // the name does not exist
inline constexpr int kExitNoData = 4;         // the name exists, without a record of the type
inline constexpr int kExitNoAnswer = 5;       // timed out, or no server reachable
inline constexpr int kExitServerFailure = 6;  // SERVFAIL, REFUSED, FORMERR, NOTIMP, garbage

/// The exit status for one query's `status`.
int exit_status(net::DnsQueryStatus status);

/// One JSON array (RFC 8259), one object per record: "name", "type", "ttl", then the type's
/// fields: "address" (A, AAAA); "target" (NS, CNAME, PTR); "preference", "exchange" (MX);
/// "strings", "text" (TXT: its character-strings and their concatenation); "mname", "rname",
/// "serial", "refresh", "retry", "expire", "minimum" (SOA); "priority", "weight", "port",
/// "target" (SRV); "flags", "tag", "value" (CAA). Names as in the text output (the root as
/// "."); bytes that are not UTF-8 become U+FFFD. Ends with a newline.
std::string records_json(std::span<const net::ResourceRecord> records);

}  // namespace netius::cmd
