#pragma once
// DNS through c-ares (RFC 1035), in two forms:
//
//  - Resolver: asynchronous, on an EventLoop. c-ares' sockets become Channels of the loop and
//    its retransmission deadlines one loop timer, so a lookup never blocks the loop. Record
//    queries go through resolve(name, type, callback) (A, AAAA, MX, TXT values: what the HTTP
//    client and the SMTP relay need) or query(name, type, callback) (every type of
//    dns_record.hpp as whole records: owner, TTL, fields; NXDOMAIN and NODATA apart: what
//    `netius dns query` prints); resolve_host() is the lookup for connecting (the hosts
//    file, then A and AAAA, ordered by RFC 6724 destination preference).
//  - resolve_txt(): blocking, for command-line tools that run no loop (`dkim verify`).
//
//     Resolver resolver(&loop, {});
//     resolver.resolve("example.com", DnsType::kMx, [](DnsResult r) {
//         for (const DnsRecord& mx : r.records) use(mx.preference, mx.value);
//     });
//
// Every lookup is bounded by ResolverOptions (timeout per try, tries per server).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/callbacks.hpp"
#include "net/dns_record.hpp"
#include "net/inet_address.hpp"

struct ares_channeldata;  // c-ares' channel; ares.h stays in resolver.cpp
struct ares_addrinfo;

namespace netius::net {

class Channel;
class EventLoop;

struct ResolverOptions {
    /// "IP" or "IP:PORT" (IPv6 as "[::1]:53"); empty = the system's /etc/resolv.conf.
    std::vector<std::string> nameservers;
    /// Per-attempt timeout. c-ares doubles it after each round over the servers, so with one
    /// server a lookup takes at most timeout * (2^tries - 1).
    std::chrono::milliseconds timeout{2000};
    int tries = 2;
    /// A server's SERVFAIL, REFUSED or NOTIMP answer is final (query(): kServerFailure), as
    /// with dig. Otherwise (c-ares' default) the next server is tried, and when none is left
    /// the lookup fails as if no server had answered.
    bool report_server_errors = false;
};

struct DnsRecord {
    /// A/AAAA: the numeric address; MX: the exchange host name; TXT: the record's
    /// character-strings concatenated (RFC 6376 §3.6.2.2 splits long DKIM keys).
    std::string value;
    std::uint16_t preference = 0;  // MX only (RFC 5321 §5.1: lower is preferred)
};

enum class DnsStatus {
    kOk,
    kNotFound,  // NXDOMAIN, or the name has no record of the type (NODATA)
    kTimeout,   // no server answered within timeout * tries
    kFailed,    // SERVFAIL, refused, malformed answer, bad name...
};

struct DnsResult {
    DnsStatus status = DnsStatus::kOk;
    std::string error;               // for anything but kOk: "DNS lookup of 'x' (MX) timed out ..."
    std::vector<DnsRecord> records;  // in answer order
};

struct HostResult {
    DnsStatus status = DnsStatus::kOk;
    std::string error;
    std::vector<InetAddress> addresses;  // with the port asked for, most preferred first
    /// How long the answer may be used (the smallest TTL of its records; 0 from the hosts
    /// file); nullopt for a numeric host, which never changes.
    std::optional<std::chrono::seconds> ttl;
};

class Resolver {
  public:
    using Callback = std::function<void(DnsResult)>;
    using HostCallback = std::function<void(HostResult)>;
    using QueryCallback = std::function<void(DnsQueryResult)>;

    /// Throws netius::Error if c-ares cannot start or a nameserver address is invalid.
    /// Loop thread only, as every method.
    Resolver(EventLoop* loop, const ResolverOptions& options = {});
    /// Cancels pending lookups: their callbacks are not called.
    ~Resolver();
    Resolver(const Resolver&) = delete;
    Resolver& operator=(const Resolver&) = delete;

    /// Queries `name` for records of `type` (A, AAAA, MX or TXT; another type answers
    /// kFailed). `cb` runs exactly once, from the loop's queue (never inside resolve(), so
    /// it may start another lookup), unless the resolver is destroyed first.
    void resolve(const std::string& name, DnsType type, Callback cb);

    /// Queries `name` as given (no search domains) for records of any `type`; delivers the
    /// records with the CNAMEs leading to them, or which of NXDOMAIN, NODATA, no answer or
    /// server failure it was. Same callback rules as resolve().
    void query(const std::string& name, DnsType type, QueryCallback cb);

    /// The addresses to connect to for `host`: a numeric address as is, else the hosts file,
    /// then DNS. `family` is AF_INET (A only), AF_INET6 (AAAA only) or AF_UNSPEC (both, IPv6
    /// first when RFC 6724 prefers it). Same callback rules as resolve().
    void resolve_host(const std::string& host, std::uint16_t port, int family, HostCallback cb);

    /// Lookups started and not yet answered.
    std::size_t pending() const { return pending_; }

  private:
    struct Query;
    struct HostQuery;
    struct RecordQuery;
    static void on_socket_state(void* data, int fd, int readable, int writable);
    static void on_answer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
    static void on_records(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
    static void on_addrinfo(void* arg, int status, int timeouts, ::ares_addrinfo* result);
    void socket_state(int fd, bool readable, bool writable);
    void process(int read_fd, int write_fd);
    void schedule_timer();
    /// Queues `f` to run on the loop if the resolver still exists then.
    void deliver(Functor f);

    EventLoop* loop_;
    ResolverOptions options_;
    ares_channeldata* channel_ = nullptr;
    std::unordered_map<int, std::unique_ptr<Channel>> sockets_;
    TimerId timer_;
    std::size_t pending_ = 0;
    bool destroying_ = false;
    std::shared_ptr<Resolver*> alive_;  // expires with the resolver: queued answers check it
};

/// TXT records of `name`, each record's character-strings concatenated. Returns an empty
/// vector when the name exists but has no TXT record or does not exist (NXDOMAIN/NODATA).
/// Throws netius::Error on timeout, SERVFAIL/refused, or a bad nameserver address. Blocking;
/// any thread (each call uses its own c-ares channel).
std::vector<std::string> resolve_txt(const std::string& name, const ResolverOptions& options);

}  // namespace netius::net
