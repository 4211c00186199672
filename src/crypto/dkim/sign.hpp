#pragma once
// DKIM signing (RFC 6376 §5) with rsa-sha256 or ed25519-sha256 (RFC 8463), chosen by the key.
// Thread-safe; no I/O. Failures throw netius::Error with a one-line reason.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/dkim/canonicalization.hpp"
#include "crypto/dkim/message.hpp"
#include "crypto/dkim/signature.hpp"
#include "crypto/ossl.hpp"

namespace netius::crypto::dkim {

/// A signature spelled out in full: no defaults and no policy except RFC 8301's key size.
/// sign_field() fills one from SignOptions; tests use it to reproduce netius' vectors.
struct SignatureSpec {
    std::string domain;                     // d=
    std::string selector;                   // s=
    Canonicalization canon;                 // c=
    std::vector<std::string> headers;       // h=, exactly as listed
    std::optional<std::string> identity;    // i=
    bool body_length = false;               // l= with the canonical body length
    bool query_tag = false;                 // q=dns/txt (the default anyway, §3.5)
    std::optional<std::int64_t> timestamp;  // t=
    std::optional<std::int64_t> expiry;     // x=
    FoldOptions fold;
};

/// The DKIM-Signature field for `message`, tags in the order v a c d i l q s t x h bh b,
/// folded per `spec.fold` with the message's own line ending style, ending with it. The
/// signed copy of the field is exactly this text with the b= value removed (§3.7).
std::string make_signature_field(const Message& message, EVP_PKEY* key, const SignatureSpec& spec);

struct SignOptions {
    std::string domain;
    std::string selector;
    std::optional<std::string> identity;    // i=: "[local-part]@domain", within `domain`
    std::vector<std::string> headers;       // h=; empty: default_signed_headers()
    Canonicalization canon;                 // default relaxed/relaxed
    bool body_length = false;               // l= (lets anyone append to the body; off)
    std::optional<std::int64_t> timestamp;  // t=; default: now
    std::optional<std::int64_t> expiry;     // x=; default: none
};

/// The header fields signed by default (§5.4.1 recommended, plus Message-ID, MIME-Version and
/// the Content-* fields as dkimpy and OpenDKIM sign them): each name once per instance
/// present, in message order, and From once more than present so that a From added later
/// breaks the signature.
std::vector<std::string> default_signed_headers(const HeaderSection& headers);

/// Throws netius::Error "the message has no From header field ..." unless `message` has one
/// (RFC 5322 §3.6.2 requires it; RFC 6376 §5.4 requires signing it).
void require_from(const Message& message);

/// Signs `message` (CRLF or LF line endings): returns the DKIM-Signature field to put in
/// front of it. Checks the policy: the message parses and has a From field, From is signed,
/// d=/s= are DNS names, i= is within d=, RSA keys have at least 1024 bits.
std::string sign_field(std::string_view message, EVP_PKEY* key, const SignOptions& options);
/// The same for a message parsed already (its views must still be valid).
std::string sign_field(const Message& message, EVP_PKEY* key, const SignOptions& options);

/// sign_field() followed by the unchanged message bytes.
std::string sign_message(std::string_view message, EVP_PKEY* key, const SignOptions& options);

}  // namespace netius::crypto::dkim
