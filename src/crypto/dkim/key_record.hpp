#pragma once
// DKIM public key records (RFC 6376 §3.6.1, RFC 8463 §4) and their DNS TXT form
// (§3.6.2.2). Parsing is pure; thread-safe.
#include <string>
#include <string_view>
#include <variant>

#include "crypto/keys.hpp"

namespace netius::crypto::dkim {

struct KeyRecord {
    KeyType type = KeyType::Rsa;  // k= (default rsa)
    PKeyPtr key;                  // null when revoked
    bool revoked = false;         // p= is empty (§3.6.1)
    bool testing = false;         // t=y
    bool strict = false;          // t=s: the i= domain must equal d= exactly
};

struct KeyRecordError {
    std::string reason;  // e.g. "unknown key type k=dsa"
};

/// Parses a key record: v= (if present, first and "DKIM1"), k= rsa|ed25519, p= (base64 of
/// an RSA SubjectPublicKeyInfo — a bare RSAPublicKey is accepted too — or the raw 32-byte
/// Ed25519 key), h= (must allow sha256 if present), s= (must allow email), t= flags.
/// Unknown tags are ignored (§3.2). Never throws.
std::variant<KeyRecord, KeyRecordError> parse_key_record(std::string_view text);

/// The record publishing `key`: "v=DKIM1; k=rsa; p=<SPKI>" or "v=DKIM1; k=ed25519; p=<raw>".
/// Throws netius::Error for other key types.
std::string key_record_text(const EVP_PKEY* key);

/// True for a name usable as d= or s=: dot-separated non-empty labels of letters, digits,
/// '-' and '_' (and UTF-8 bytes, RFC 8616), no final dot.
bool valid_dns_name(std::string_view name);

/// The DNS name of a key: "<selector>._domainkey.<domain>" (§3.6.2.1), no final dot.
std::string key_record_name(std::string_view selector, std::string_view domain);

/// A zone-file line: `<selector>._domainkey.<domain>. IN TXT "..." "..."`, the record split
/// into character-strings of at most 255 bytes (RFC 1035 §3.3.14), all on one line.
std::string txt_record_line(std::string_view selector, std::string_view domain,
                            std::string_view record);

/// The key record in a file's text: either a bare tag list ("v=DKIM1; k=rsa; p=...") or a
/// zone-file line or several, whose quoted strings are joined (as a resolver joins them).
/// Throws netius::Error for an unterminated quoted string.
std::string key_record_from_text(std::string_view text);

}  // namespace netius::crypto::dkim
