// Resolver::query()'s reading of an answer. The data of each record comes from c-ares'
// parsers (ares_parse_*_reply; names through ares_expand_name). c-ares 1.18 has no public
// parser for what those leave out, each record's owner and TTL, so read_answers() walks the
// fixed part of the answer records (RFC 1035 §4.1.3) to pair them with the parsed data, in
// answer order, choosing the records by the same rules the parsers use.
#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <cstdint>
#include <memory>

#include "net/resolver_detail.hpp"
#include "util/ascii.hpp"

namespace netius::net::detail {
namespace {

struct RrHeader {
    std::string owner;
    std::uint16_t type = 0, cls = 0;
    std::uint32_t ttl = 0;
    const unsigned char* rdata = nullptr;
    int rdlength = 0;
};

std::uint16_t u16(const unsigned char* p) {
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

std::uint32_t u32(const unsigned char* p) {
    return static_cast<std::uint32_t>(u16(p)) << 16 | u16(p + 2);
}

bool expand(const unsigned char* at, const unsigned char* abuf, int alen, std::string& name,
            long& len) {
    char* s = nullptr;
    if (ares_expand_name(at, abuf, alen, &s, &len) != ARES_SUCCESS) return false;
    name = s;
    ares_free_string(s);
    return true;
}

// The question's name and every answer record's header. ARES_EBADRESP when truncated.
int read_answers(const unsigned char* abuf, int alen, std::string& qname,
                 std::vector<RrHeader>& out) {
    constexpr int kHeader = 12, kQuestionFixed = 4, kRrFixed = 10;  // RFC 1035 §4.1
    if (alen < kHeader || u16(abuf + 4) != 1) return ARES_EBADRESP;
    const int ancount = u16(abuf + 6);
    const unsigned char* p = abuf + kHeader;
    const unsigned char* end = abuf + alen;
    long len = 0;
    if (!expand(p, abuf, alen, qname, len) || end - p < len + kQuestionFixed) return ARES_EBADRESP;
    p += len + kQuestionFixed;
    for (int i = 0; i < ancount; ++i) {
        RrHeader h;
        if (!expand(p, abuf, alen, h.owner, len) || end - p < len + kRrFixed) return ARES_EBADRESP;
        p += len;
        h.type = u16(p);
        h.cls = u16(p + 2);
        h.ttl = u32(p + 4);
        if (h.ttl > 0x7fffffff) h.ttl = 0;  // RFC 2181 §8
        h.rdlength = u16(p + 8);
        p += kRrFixed;
        if (end - p < h.rdlength) return ARES_EBADRESP;
        h.rdata = p;
        p += h.rdlength;
        out.push_back(std::move(h));
    }
    return ARES_SUCCESS;
}

template <typename T>
struct AresFree {
    void operator()(T* p) const { ares_free_data(p); }
};
template <typename T>
using AresData = std::unique_ptr<T, AresFree<T>>;

struct HostentFree {
    void operator()(hostent* h) const { ares_free_hostent(h); }
};

int parse_addresses(DnsType type, const unsigned char* abuf, int alen, int ancount,
                    std::vector<DnsData>& out) {
    char text[INET6_ADDRSTRLEN];
    int n = ancount;
    if (type == DnsType::kA) {
        std::vector<ares_addrttl> ttls(static_cast<std::size_t>(std::max(n, 1)));
        int status = ares_parse_a_reply(abuf, alen, nullptr, ttls.data(), &n);
        if (status != ARES_SUCCESS && status != ARES_ENODATA) return status;
        for (int i = 0; i < n; ++i)
            out.push_back(DnsAddress{::inet_ntop(AF_INET, &ttls[i].ipaddr, text, sizeof text)});
    } else {
        std::vector<ares_addr6ttl> ttls(static_cast<std::size_t>(std::max(n, 1)));
        int status = ares_parse_aaaa_reply(abuf, alen, nullptr, ttls.data(), &n);
        if (status != ARES_SUCCESS && status != ARES_ENODATA) return status;
        for (int i = 0; i < n; ++i)
            out.push_back(DnsAddress{::inet_ntop(AF_INET6, &ttls[i].ip6addr, text, sizeof text)});
    }
    return ARES_SUCCESS;
}

// NS and PTR: c-ares returns the names as a hostent's aliases.
int parse_hostent_names(DnsType type, const unsigned char* abuf, int alen,
                        std::vector<DnsData>& out) {
    hostent* raw = nullptr;
    in_addr unused{};  // ares_parse_ptr_reply copies an address into the hostent
    int status = type == DnsType::kNs
                     ? ares_parse_ns_reply(abuf, alen, &raw)
                     : ares_parse_ptr_reply(abuf, alen, &unused, sizeof unused, AF_INET, &raw);
    std::unique_ptr<hostent, HostentFree> host(raw);
    if (status != ARES_SUCCESS) return status;
    for (char** a = host->h_aliases; a && *a; ++a) out.push_back(DnsTarget{*a});
    return ARES_SUCCESS;
}

// The data of every record of `type` c-ares finds in the answer, in answer order.
int parse_data(DnsType type, const unsigned char* abuf, int alen, int ancount,
               std::vector<DnsData>& out) {
    int status = ARES_SUCCESS;
    switch (type) {
        case DnsType::kA:
        case DnsType::kAaaa:
            return parse_addresses(type, abuf, alen, ancount, out);
        case DnsType::kNs:
        case DnsType::kPtr:
            return parse_hostent_names(type, abuf, alen, out);
        case DnsType::kCname:
            return ARES_SUCCESS;  // the CNAME records themselves: ares_expand_name below
        case DnsType::kMx: {
            ares_mx_reply* raw = nullptr;
            status = ares_parse_mx_reply(abuf, alen, &raw);
            AresData<ares_mx_reply> list(raw);
            for (auto* m = raw; status == ARES_SUCCESS && m; m = m->next)
                out.push_back(DnsMx{m->priority, m->host});
            return status;
        }
        case DnsType::kTxt: {
            ares_txt_ext* raw = nullptr;
            status = ares_parse_txt_reply_ext(abuf, alen, &raw);
            AresData<ares_txt_ext> list(raw);
            for (auto* t = raw; status == ARES_SUCCESS && t; t = t->next) {
                if (t->record_start || out.empty()) out.push_back(DnsTxt{});
                std::get<DnsTxt>(out.back())
                    .strings.emplace_back(reinterpret_cast<const char*>(t->txt), t->length);
            }
            return status;
        }
        case DnsType::kSoa: {
            ares_soa_reply* raw = nullptr;
            status = ares_parse_soa_reply(abuf, alen, &raw);
            AresData<ares_soa_reply> soa(raw);
            if (status == ARES_SUCCESS)
                out.push_back(DnsSoa{soa->nsname, soa->hostmaster, soa->serial, soa->refresh,
                                     soa->retry, soa->expire, soa->minttl});
            return status;
        }
        case DnsType::kSrv: {
            ares_srv_reply* raw = nullptr;
            status = ares_parse_srv_reply(abuf, alen, &raw);
            AresData<ares_srv_reply> list(raw);
            for (auto* s = raw; status == ARES_SUCCESS && s; s = s->next)
                out.push_back(DnsSrv{s->priority, s->weight, s->port, s->host});
            return status;
        }
        case DnsType::kCaa: {
            ares_caa_reply* raw = nullptr;
            status = ares_parse_caa_reply(abuf, alen, &raw);
            AresData<ares_caa_reply> list(raw);
            for (auto* c = raw; status == ARES_SUCCESS && c; c = c->next)
                out.push_back(DnsCaa{static_cast<std::uint8_t>(c->critical),
                                     {reinterpret_cast<const char*>(c->property), c->plength},
                                     {reinterpret_cast<const char*>(c->value), c->length}});
            return status;
        }
    }
    return ARES_ENOTIMP;
}

}  // namespace

namespace {

// parse_records(), which clears `out` when this fails.
int read_records(DnsType type, const unsigned char* abuf, int alen,
                 std::vector<ResourceRecord>& out) {
    std::string qname;
    std::vector<RrHeader> headers;
    if (int status = read_answers(abuf, alen, qname, headers); status != ARES_SUCCESS)
        return status;
    std::vector<DnsData> data;
    const int ancount = static_cast<int>(headers.size());
    if (int status = parse_data(type, abuf, alen, ancount, data); status != ARES_SUCCESS)
        return status;
    // The parsers' choice of records: class IN and the type; A, AAAA and PTR records only
    // under the name the CNAMEs so far lead to (any CNAME moves it on, as in c-ares), A and
    // AAAA only of their address' size; SOA only the first.
    const auto wanted = static_cast<std::uint16_t>(type);
    const bool follows_cnames =
        type == DnsType::kA || type == DnsType::kAaaa || type == DnsType::kPtr;
    std::string chain = qname;
    std::size_t used = 0, typed = 0;
    for (const RrHeader& h : headers) {
        if (h.cls != ns_c_in) continue;
        if (h.type == ns_t_cname) {
            std::string target;
            long len = 0;
            if (!expand(h.rdata, abuf, alen, target, len)) return ARES_EBADRESP;
            out.push_back({h.owner, DnsType::kCname, h.ttl, DnsTarget{target}});
            chain = std::move(target);
            if (type == DnsType::kCname) ++typed;
            continue;
        }
        if (h.type != wanted || type == DnsType::kCname) continue;
        if (follows_cnames && !iequals(h.owner, chain)) continue;
        if (type == DnsType::kSoa && typed > 0) continue;
        if ((type == DnsType::kA && h.rdlength != 4) ||
            (type == DnsType::kAaaa && h.rdlength != 16))
            continue;
        if (used == data.size()) return ARES_EBADRESP;  // c-ares read fewer: disagreement
        out.push_back({h.owner, type, h.ttl, std::move(data[used++])});
        ++typed;
    }
    if (used != data.size()) return ARES_EBADRESP;
    if (typed == 0) {
        out.clear();
        return ARES_ENODATA;
    }
    return ARES_SUCCESS;
}

}  // namespace

int parse_records(DnsType type, const unsigned char* abuf, int alen,
                  std::vector<ResourceRecord>& out) {
    const int status = read_records(type, abuf, alen, out);
    if (status != ARES_SUCCESS) out.clear();  // nothing half-read is ever handed on
    return status;
}

}  // namespace netius::net::detail
