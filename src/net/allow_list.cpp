#include "net/allow_list.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "util/error.hpp"

namespace netius::net {
namespace {

constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::array<std::uint8_t, 16> mapped(const in_addr& a) {
    std::array<std::uint8_t, 16> out{};
    std::memcpy(out.data(), kMappedPrefix.data(), kMappedPrefix.size());
    std::memcpy(out.data() + 12, &a, 4);
    return out;
}

bool matches(const std::array<std::uint8_t, 16>& addr, const std::array<std::uint8_t, 16>& net,
             int prefix) {
    int full = prefix / 8, rest = prefix % 8;
    if (std::memcmp(addr.data(), net.data(), static_cast<std::size_t>(full)) != 0) return false;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (addr[full] & mask) == (net[full] & mask);
}

}  // namespace

AllowList AllowList::parse(std::string_view text) {
    AllowList list;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find_first_of(";, ", pos);
        if (end == std::string_view::npos) end = text.size();
        std::string entry(text.substr(pos, end - pos));
        pos = end + 1;
        if (entry.empty()) continue;

        std::string address = entry;
        int prefix = -1;
        if (auto slash = entry.find('/'); slash != std::string::npos) {
            address = entry.substr(0, slash);
            auto digits = std::string_view(entry).substr(slash + 1);
            auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
            if (ec != std::errc() || p != digits.data() + digits.size() || digits.empty())
                throw Error("bad allowed address '{}': prefix length is not a number", entry);
        }
        Range r;
        in_addr v4{};
        in6_addr v6{};
        if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) {
            if (prefix > 32) throw Error("bad allowed address '{}': IPv4 prefix over 32", entry);
            r.bytes = mapped(v4);
            r.prefix = prefix < 0 ? 128 : 96 + prefix;
        } else if (::inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
            if (prefix > 128) throw Error("bad allowed address '{}': IPv6 prefix over 128", entry);
            std::memcpy(r.bytes.data(), &v6, 16);
            r.prefix = prefix < 0 ? 128 : prefix;
        } else {
            throw Error("bad allowed address '{}': not an IPv4 or IPv6 address", entry);
        }
        list.ranges_.push_back(r);
    }
    return list;
}

bool AllowList::allows(const sockaddr* addr) const {
    if (ranges_.empty() || addr->sa_family == AF_UNIX) return true;
    std::array<std::uint8_t, 16> bytes{};
    if (addr->sa_family == AF_INET) {
        bytes = mapped(reinterpret_cast<const sockaddr_in*>(addr)->sin_addr);
    } else if (addr->sa_family == AF_INET6) {
        std::memcpy(bytes.data(), &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, 16);
    } else {
        return false;
    }
    for (const Range& r : ranges_)
        if (matches(bytes, r.bytes, r.prefix)) return true;
    return false;
}

}  // namespace netius::net
