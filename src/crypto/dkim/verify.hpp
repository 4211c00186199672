#pragma once
// DKIM verification (RFC 6376 §6) of every DKIM-Signature in a message, with RFC 8301's
// algorithm and key-size rules and RFC 8463 Ed25519 keys. The library does no DNS: the
// caller supplies the key lookup (a resolver, a file, a table in a test). Thread-safe as long
// as the lookup is.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netius::crypto::dkim {

/// Returns the key records (TXT strings joined) at `<selector>._domainkey.<domain>`; empty
/// when there is none. May throw netius::Error for a failed lookup (timeout, SERVFAIL): that
/// signature then fails with "key lookup failed: <what>".
using KeyLookup =
    std::function<std::vector<std::string>(std::string_view selector, std::string_view domain)>;

struct VerifyOptions {
    std::optional<std::int64_t> now;  // for x= (signature expiry); default: the clock
};

struct VerifyResult {
    std::string domain;    // d= ("?" when it cannot be read)
    std::string selector;  // s=
    bool pass = false;
    /// Empty on pass; otherwise e.g. "body hash mismatch", "signature mismatch", "no key",
    /// "key revoked", "rsa-sha1 not accepted (RFC 8301)", "key too short (RFC 8301)",
    /// "signature expired", "From not signed", "i= not in d=", "bad tag list: ...".
    std::string reason;
};

/// Verifies each DKIM-Signature field of `message`, top to bottom; one result per field (an
/// empty vector when there is none). Throws netius::Error only when the message's header
/// section cannot be parsed (message.hpp); every per-signature problem is a failed result.
std::vector<VerifyResult> verify_message(std::string_view message, const KeyLookup& lookup,
                                         const VerifyOptions& options = {});

}  // namespace netius::crypto::dkim
