#include "net/dns_record.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "util/ascii.hpp"

namespace netius::net {
namespace {

constexpr std::array<std::pair<DnsType, std::string_view>, 10> kTypeNames = {{
    {DnsType::kA, "A"},
    {DnsType::kNs, "NS"},
    {DnsType::kCname, "CNAME"},
    {DnsType::kSoa, "SOA"},
    {DnsType::kPtr, "PTR"},
    {DnsType::kMx, "MX"},
    {DnsType::kTxt, "TXT"},
    {DnsType::kAaaa, "AAAA"},
    {DnsType::kSrv, "SRV"},
    {DnsType::kCaa, "CAA"},
}};

// A <character-string> in master-file form (RFC 1035 §5.1): quoted, `"` and `\` escaped, any
// byte outside printable ASCII as \DDD (so a TXT record can never break the line).
void append_quoted(std::string& out, std::string_view bytes) {
    out += '"';
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u > 0x7e) {
            out += fmt::format("\\{:03d}", u);
        } else {
            out += c;
        }
    }
    out += '"';
}

struct DataText {
    std::string operator()(const DnsAddress& a) const { return a.address; }
    std::string operator()(const DnsTarget& t) const { return display_name(t.target); }
    // netius' `python -m netius.clients.dns` prints an MX as "address => priority".
    std::string operator()(const DnsMx& mx) const {
        return fmt::format("{} => {}", display_name(mx.exchange), mx.preference);
    }
    std::string operator()(const DnsTxt& txt) const {
        std::string out;
        for (const std::string& s : txt.strings) {
            if (!out.empty()) out += ' ';
            append_quoted(out, s);
        }
        return out;
    }
    std::string operator()(const DnsSoa& s) const {
        return fmt::format("{} {} {} {} {} {} {}", display_name(s.mname), display_name(s.rname),
                           s.serial, s.refresh, s.retry, s.expire, s.minimum);
    }
    std::string operator()(const DnsSrv& s) const {
        return fmt::format("{} {} {} {}", s.priority, s.weight, s.port, display_name(s.target));
    }
    std::string operator()(const DnsCaa& c) const {
        std::string out = fmt::format("{} {} ", c.flags, c.tag);
        append_quoted(out, c.value);
        return out;
    }
};

}  // namespace

std::string_view dns_type_name(DnsType type) {
    for (const auto& [t, name] : kTypeNames)
        if (t == type) return name;
    return "?";
}

std::optional<DnsType> parse_dns_type(std::string_view name) {
    for (const auto& [t, n] : kTypeNames)
        if (iequals(n, name)) return t;
    return std::nullopt;
}

std::optional<std::string> reverse_name(std::string_view address) {
    const std::string text(address);
    in_addr v4{};
    in6_addr v6{};
    if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        const auto* b = reinterpret_cast<const unsigned char*>(&v4);
        return fmt::format("{}.{}.{}.{}.in-addr.arpa", b[3], b[2], b[1], b[0]);
    }
    if (::inet_pton(AF_INET6, text.c_str(), &v6) != 1) return std::nullopt;
    // Each nibble a label, least significant first (RFC 3596 §2.5).
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (int i = 15; i >= 0; --i) {
        const unsigned char byte = v6.s6_addr[i];
        out += kHex[byte & 0xf];
        out += '.';
        out += kHex[byte >> 4];
        out += '.';
    }
    return out + "ip6.arpa";
}

std::string display_name(std::string_view name) {
    return name.empty() ? std::string(".") : std::string(name);
}

std::string rdata_text(const ResourceRecord& record) {
    return std::visit(DataText{}, record.data);
}

std::string records_text(std::span<const ResourceRecord> records) {
    std::size_t name_width = 0, ttl_width = 0, type_width = 0;
    for (const ResourceRecord& r : records) {
        name_width = std::max(name_width, display_name(r.name).size());
        ttl_width = std::max(ttl_width, fmt::formatted_size("{}", r.ttl));
        type_width = std::max(type_width, dns_type_name(r.type).size());
    }
    std::string out;
    for (const ResourceRecord& r : records)
        out += fmt::format("{:<{}}  {:>{}}  {:<{}}  {}\n", display_name(r.name), name_width, r.ttl,
                           ttl_width, dns_type_name(r.type), type_width, rdata_text(r));
    return out;
}

}  // namespace netius::net
