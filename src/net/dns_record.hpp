#pragma once
// DNS resource records (RFC 1035 §3.2.1): the owner, type, TTL and fields of each record of
// an answer, as Resolver::query() delivers them (resolver.hpp), and their text forms.
//
//     resolver.query("example.com", DnsType::kMx, [](DnsQueryResult r) {
//         for (const ResourceRecord& rr : r.records) puts(rdata_text(rr).c_str());
//     });                                  // "mx1.example.com => 10" (netius' MX form)
//
// Names are as c-ares expands them: no trailing dot, special characters escaped (`\.`,
// `\DDD`), the root as "". Pure: no I/O; any thread.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace netius::net {

/// Record types (RFC 1035 §3.2.2; AAAA RFC 3596, SRV RFC 2782, CAA RFC 8659).
enum class DnsType : std::uint16_t {
    kA = 1,
    kNs = 2,
    kCname = 5,
    kSoa = 6,
    kPtr = 12,
    kMx = 15,
    kTxt = 16,
    kAaaa = 28,
    kSrv = 33,
    kCaa = 257,
};

struct DnsAddress {  // A, AAAA: the numeric address ("192.0.2.1", "2001:db8::1")
    std::string address;
};
struct DnsTarget {  // NS, CNAME, PTR: the name the record points to
    std::string target;
};
struct DnsMx {
    std::uint16_t preference = 0;  // RFC 5321 §5.1: lower is preferred
    std::string exchange;
};
struct DnsTxt {
    std::vector<std::string> strings;  // the character-strings, raw bytes, in order
};
struct DnsSoa {
    std::string mname, rname;  // primary server, mailbox of the responsible person
    std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};
struct DnsSrv {
    std::uint16_t priority = 0, weight = 0, port = 0;
    std::string target;
};
struct DnsCaa {
    std::uint8_t flags = 0;  // bit 128: issuer critical (RFC 8659 §4.1)
    std::string tag, value;  // "issue", "letsencrypt.org"
};
using DnsData = std::variant<DnsAddress, DnsTarget, DnsMx, DnsTxt, DnsSoa, DnsSrv, DnsCaa>;

struct ResourceRecord {
    std::string name;  // the owner
    DnsType type = DnsType::kA;
    std::uint32_t ttl = 0;  // seconds
    DnsData data;
};

enum class DnsQueryStatus {
    kOk,             // records of the type asked for (CNAMEs leading to them may come first)
    kNxDomain,       // the name does not exist (RCODE 3)
    kNoData,         // the name exists but has no record of that type
    kNoAnswer,       // no server answered: timed out, or unreachable (ICMP refused)
    kServerFailure,  // a server answered SERVFAIL, REFUSED, FORMERR, NOTIMP or garbage
    kFailed,         // anything else: a bad name, out of memory...
};

struct DnsQueryResult {
    DnsQueryStatus status = DnsQueryStatus::kOk;
    std::string error;  // for anything but kOk: "'x.example' does not exist (NXDOMAIN)"
    std::vector<ResourceRecord> records;  // answer order; empty unless kOk
};

/// "A", "MX", "CAA"...
std::string_view dns_type_name(DnsType type);

/// The type named `name`, case-insensitively ("mx", "AAAA"); nullopt for any other.
std::optional<DnsType> parse_dns_type(std::string_view name);

/// The name a PTR query for `address` asks (RFC 1035 §3.5, RFC 3596 §2.5):
/// "192.0.2.1" -> "1.2.0.192.in-addr.arpa", "2001:db8::1" -> "1.0.0...8.b.d.0.1.0.0.2.ip6.arpa".
/// nullopt when `address` is not a numeric IPv4 or IPv6 address.
std::optional<std::string> reverse_name(std::string_view address);

/// A name for display: the root ("") as ".".
std::string display_name(std::string_view name);

/// The record's data as text, as `--short` prints it: an address; a target name; MX as
/// netius prints it, "exchange => preference"; TXT as quoted strings ("a" "b"); SOA as
/// "mname rname serial refresh retry expire minimum"; SRV as "priority weight port target";
/// CAA as `flags tag "value"`. Quoted strings escape `"` and `\` with `\`, and bytes outside
/// printable ASCII as `\DDD` (RFC 1035 §5.1), so every record stays on one line.
std::string rdata_text(const ResourceRecord& record);

/// One line per record, "NAME  TTL  TYPE  DATA", the columns aligned across `records`
/// (DATA as rdata_text). Empty for no records.
std::string records_text(std::span<const ResourceRecord> records);

}  // namespace netius::net
