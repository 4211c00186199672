#pragma once
// RelayPolicy — who may send what through `serve relay` (never an open relay, RFC 5321 §7.1,
// RFC 2505): recipients in the local domains are accepted from anyone; other recipients only
// from authenticated users or from clients inside --relay-networks, everyone else gets
// 550 5.7.1. An authenticated user whose auth-file line has allowed_from= may use only those
// MAIL FROM addresses (550 5.7.1 otherwise). Immutable after construction: any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/allow_list.hpp"
#include "net/auth_file.hpp"
#include "net/smtp/message_sink.hpp"
#include "net/smtp/reply.hpp"

namespace netius::net::relay {

inline constexpr smtp::Reply kRelayDenied{550, "5.7.1", "relaying denied"};
inline constexpr smtp::Reply kSenderDenied{550, "5.7.1",
                                           "Sender address not allowed for this user"};

class RelayPolicy {
  public:
    /// `domains`: local domains (lower case); `networks`: clients that may relay without AUTH
    /// (an empty list allows none); `users`: may be null (no allowed_from restrictions).
    RelayPolicy(std::vector<std::string> domains, AllowList networks, const AuthFile* users)
        : domains_(std::move(domains)), networks_(std::move(networks)), users_(users) {}

    /// True when `address` is delivered here (its domain is local, or it is "postmaster").
    bool is_local(std::string_view address) const;
    /// May this client relay to remote domains (authenticated, or in --relay-networks)?
    bool may_relay(const smtp::Envelope& envelope) const;
    /// nullopt, or kSenderDenied.
    std::optional<smtp::Reply> check_sender(const smtp::Envelope& envelope,
                                            std::string_view sender) const;
    /// For a remote `address`: nullopt when may_relay(), else kRelayDenied.
    std::optional<smtp::Reply> check_remote(const smtp::Envelope& envelope) const;

    const std::vector<std::string>& domains() const { return domains_; }

  private:
    std::vector<std::string> domains_;
    AllowList networks_;
    const AuthFile* users_;
};

}  // namespace netius::net::relay
