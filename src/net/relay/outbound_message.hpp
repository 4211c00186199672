#pragma once
// Preparing a message for the queue: the header fields RFC 5322 §3.6 requires and a relay
// adds when the client left them out (Date, Message-ID; RFC 6409 §8.2-8.3 lets a submission
// server do so), and DKIM signatures (RFC 6376) for the domains we hold keys for.
//
// Signing happens once, at enqueue time, so the queued file is exactly what goes out: a retry
// resends the same bytes, a restart needs no keys to resume, and the signature's t= is the
// time we accepted the message. Pure except DkimSigner::load (reads key files); any thread.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ossl.hpp"

namespace netius::net::relay {

/// RFC 5322 date-time of `unix_seconds`, UTC: "Sat, 28 Nov 2026 21:30:00 +0000".
std::string rfc5322_date(std::int64_t unix_seconds);

/// The header fields to put in front of `content` (already CRLF-terminated): "Date: ..." when
/// the header section has no Date, "Message-ID: <id@hostname>" when it has no Message-ID.
/// Empty when both are present. A message whose header section cannot be parsed gets both.
std::string missing_fields(std::string_view content, std::string_view id, std::string_view hostname,
                           std::int64_t now);

/// The domain of the (first) address in the From field of `content`, lower case; empty when
/// there is no From field or no '@' in it.
std::string from_domain(std::string_view content);

class DkimSigner {
  public:
    /// Parses and loads one "DOMAIN:SELECTOR:KEYFILE" (--dkim). Throws netius::UsageError for
    /// a malformed spec or name, netius::Error naming the file for an unusable key.
    void load(std::string_view spec);

    bool empty() const { return keys_.empty(); }

    /// The DKIM-Signature field (CRLF-terminated) for `message` when its From domain has a
    /// key, else empty. Throws netius::Error when the message cannot be signed (no From,
    /// malformed header section).
    std::string sign(std::string_view message) const;

  private:
    struct Key {
        std::string selector;
        crypto::PKeyPtr key;
    };
    std::map<std::string, Key> keys_;  // by lower-case domain
};

}  // namespace netius::net::relay
