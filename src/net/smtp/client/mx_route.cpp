#include "net/smtp/client/mx_route.hpp"

#include <algorithm>
#include <cctype>

namespace netius::net::smtp {

std::string normalise_host(std::string_view host) {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    std::string out(host);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

MxRoute route_mx(std::string_view domain, std::vector<DnsRecord> records, std::mt19937& rng) {
    MxRoute route;
    if (records.empty()) {
        route.implicit = true;
        route.hosts.push_back(normalise_host(domain));
        return route;
    }
    std::erase_if(records, [](const DnsRecord& r) { return normalise_host(r.value).empty(); });
    if (records.empty()) {
        route.null_mx = true;
        return route;
    }
    // Shuffle first, then a stable sort by preference: equal preferences keep the random order.
    std::shuffle(records.begin(), records.end(), rng);
    std::stable_sort(records.begin(), records.end(), [](const DnsRecord& a, const DnsRecord& b) {
        return a.preference < b.preference;
    });
    for (const DnsRecord& r : records) {
        std::string host = normalise_host(r.value);
        if (std::find(route.hosts.begin(), route.hosts.end(), host) == route.hosts.end())
            route.hosts.push_back(std::move(host));
    }
    return route;
}

}  // namespace netius::net::smtp
