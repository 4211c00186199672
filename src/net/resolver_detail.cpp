#include "net/resolver_detail.hpp"

#include <arpa/inet.h>

#include <mutex>

#include "util/error.hpp"

namespace netius::net::detail {

void init_ares() {
    static std::once_flag once;
    static int status = ARES_SUCCESS;
    std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
    if (status != ARES_SUCCESS) throw Error("c-ares: {}", ares_strerror(status));
}

ares_channel make_channel(const ResolverOptions& o, const ares_options* extra, int extra_mask) {
    init_ares();
    ares_options opts{};
    if (extra) opts = *extra;
    opts.timeout = static_cast<int>(o.timeout.count());
    opts.tries = o.tries;
    int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | extra_mask;
    if (o.report_server_errors) {
        opts.flags |= ARES_FLAG_NOCHECKRESP;
        mask |= ARES_OPT_FLAGS;
    }
    ares_channel channel = nullptr;
    int status = ares_init_options(&channel, &opts, mask);
    if (status != ARES_SUCCESS) throw Error("c-ares: {}", ares_strerror(status));
    if (o.nameservers.empty()) return channel;
    std::string csv;
    for (const auto& ns : o.nameservers) csv += (csv.empty() ? "" : ",") + ns;
    status = ares_set_servers_ports_csv(channel, csv.c_str());
    if (status != ARES_SUCCESS) {
        ares_destroy(channel);
        throw Error("bad nameserver '{}': {}", csv, ares_strerror(status));
    }
    return channel;
}

std::string_view type_name(DnsType type) {
    return dns_type_name(type);
}

namespace {

int parse_addresses(DnsType type, const unsigned char* abuf, int alen,
                    std::vector<DnsRecord>& out) {
    constexpr int kMaxAddresses = 64;
    char text[INET6_ADDRSTRLEN];
    int n = kMaxAddresses;
    if (type == DnsType::kA) {
        ares_addrttl ttls[kMaxAddresses];
        int status = ares_parse_a_reply(abuf, alen, nullptr, ttls, &n);
        if (status != ARES_SUCCESS) return status;
        for (int i = 0; i < n; ++i)
            out.push_back({::inet_ntop(AF_INET, &ttls[i].ipaddr, text, sizeof text), 0});
    } else {
        ares_addr6ttl ttls[kMaxAddresses];
        int status = ares_parse_aaaa_reply(abuf, alen, nullptr, ttls, &n);
        if (status != ARES_SUCCESS) return status;
        for (int i = 0; i < n; ++i)
            out.push_back({::inet_ntop(AF_INET6, &ttls[i].ip6addr, text, sizeof text), 0});
    }
    return n == 0 ? ARES_ENODATA : ARES_SUCCESS;
}

int parse_mx(const unsigned char* abuf, int alen, std::vector<DnsRecord>& out) {
    ares_mx_reply* mx = nullptr;
    int status = ares_parse_mx_reply(abuf, alen, &mx);
    for (ares_mx_reply* m = mx; m; m = m->next) out.push_back({m->host, m->priority});
    if (mx) ares_free_data(mx);
    return status;
}

int parse_txt(const unsigned char* abuf, int alen, std::vector<DnsRecord>& out) {
    ares_txt_ext* txt = nullptr;
    int status = ares_parse_txt_reply_ext(abuf, alen, &txt);
    // Strings of one record arrive in order; record_start marks the first of each record.
    const std::size_t first = out.size();
    for (ares_txt_ext* t = txt; t; t = t->next) {
        if (t->record_start || out.size() == first) out.emplace_back();
        out.back().value.append(reinterpret_cast<const char*>(t->txt), t->length);
    }
    if (txt) ares_free_data(txt);
    return status;
}

}  // namespace

int parse_answer(DnsType type, const unsigned char* abuf, int alen, std::vector<DnsRecord>& out) {
    switch (type) {
        case DnsType::kA:
        case DnsType::kAaaa:
            return parse_addresses(type, abuf, alen, out);
        case DnsType::kMx:
            return parse_mx(abuf, alen, out);
        case DnsType::kTxt:
            return parse_txt(abuf, alen, out);
        default:
            return ARES_ENOTIMP;  // query() reads the other types (parse_records)
    }
}

DnsStatus classify(int status, const std::string& what, const ResolverOptions& options,
                   std::string& error) {
    switch (status) {
        case ARES_SUCCESS:
            return DnsStatus::kOk;
        case ARES_ENODATA:
        case ARES_ENOTFOUND:
            error = fmt::format("DNS lookup of {} found nothing", what);
            return DnsStatus::kNotFound;
        case ARES_ETIMEOUT:
            error = fmt::format("DNS lookup of {} timed out after {} x {} ms", what, options.tries,
                                options.timeout.count());
            return DnsStatus::kTimeout;
        default:
            error = fmt::format("DNS lookup of {} failed: {}", what, ares_strerror(status));
            return DnsStatus::kFailed;
    }
}

DnsQueryStatus classify_query(int status, const std::string& name, DnsType type,
                              const ResolverOptions& options, std::string& error) {
    const std::string what = fmt::format("'{}' ({})", name, type_name(type));
    std::string servers;
    for (const auto& ns : options.nameservers) servers += (servers.empty() ? "" : ", ") + ns;
    if (servers.empty()) servers = "the system's nameservers";
    const char* rcode = nullptr;
    switch (status) {
        case ARES_SUCCESS:
            return DnsQueryStatus::kOk;
        case ARES_ENOTFOUND:
            error = fmt::format("'{}' does not exist (NXDOMAIN)", name);
            return DnsQueryStatus::kNxDomain;
        case ARES_ENODATA:
            error = fmt::format("'{}' has no {} record (NODATA)", name, type_name(type));
            return DnsQueryStatus::kNoData;
        case ARES_ETIMEOUT:
            // c-ares doubles the timeout at each round of tries over the servers.
            error =
                fmt::format("no answer to {} from {}: timed out after {} tries ({} ms, doubling)",
                            what, servers, options.tries, options.timeout.count());
            return DnsQueryStatus::kNoAnswer;
        case ARES_ECONNREFUSED:  // also every server answering SERVFAIL, REFUSED or NOTIMP
            error = fmt::format("no answer to {} from {}: {}", what, servers,
                                options.report_server_errors
                                    ? "connection refused"
                                    : "connection refused, or the servers refused to answer");
            return DnsQueryStatus::kNoAnswer;
        case ARES_ESERVFAIL:
            rcode = "SERVFAIL";
            break;
        case ARES_EREFUSED:
            rcode = "REFUSED";
            break;
        case ARES_EFORMERR:
            rcode = "FORMERR";
            break;
        case ARES_ENOTIMP:
            rcode = "NOTIMP";
            break;
        case ARES_EBADRESP:
            error = fmt::format("malformed answer to {} from {}", what, servers);
            return DnsQueryStatus::kServerFailure;
        default:
            error = fmt::format("DNS query of {} failed: {}", what, ares_strerror(status));
            return DnsQueryStatus::kFailed;
    }
    error = fmt::format("the server answered {} to {}", rcode, what);
    return DnsQueryStatus::kServerFailure;
}

}  // namespace netius::net::detail
