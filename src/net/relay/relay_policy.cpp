#include "net/relay/relay_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "net/smtp/command_parser.hpp"
#include "util/ascii.hpp"

namespace netius::net::relay {
namespace {

// The numeric address `client` ("127.0.0.1", "::1") as a sockaddr; false when not numeric.
bool to_sockaddr(const std::string& client, sockaddr_storage& out) {
    out = {};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    if (::inet_pton(AF_INET, client.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        return true;
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (::inet_pton(AF_INET6, client.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

}  // namespace

bool RelayPolicy::is_local(std::string_view address) const {
    const std::string_view domain = smtp::domain_of(address);
    if (domain.empty()) return iequals(address, "postmaster");  // RFC 5321 §4.5.1
    const std::string d = to_lower(domain);
    for (const auto& local : domains_)
        if (local == d) return true;
    return false;
}

bool RelayPolicy::may_relay(const smtp::Envelope& envelope) const {
    if (!envelope.auth_user.empty()) return true;
    if (networks_.empty()) return false;  // an empty AllowList would allow everyone
    sockaddr_storage addr;
    return to_sockaddr(envelope.client, addr) &&
           networks_.allows(reinterpret_cast<const sockaddr*>(&addr));
}

std::optional<smtp::Reply> RelayPolicy::check_sender(const smtp::Envelope& envelope,
                                                     std::string_view sender) const {
    if (!users_ || envelope.auth_user.empty()) return std::nullopt;
    const auto* allowed = users_->allowed_from(envelope.auth_user);
    if (!allowed) return std::nullopt;
    for (const auto& a : *allowed)
        if (iequals(a, sender)) return std::nullopt;
    return kSenderDenied;
}

std::optional<smtp::Reply> RelayPolicy::check_remote(const smtp::Envelope& envelope) const {
    if (may_relay(envelope)) return std::nullopt;
    return kRelayDenied;
}

}  // namespace netius::net::relay
