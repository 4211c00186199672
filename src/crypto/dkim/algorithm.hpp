#pragma once
// The DKIM signing algorithms (a= tag): rsa-sha256 (RFC 6376 §3.3.1) and ed25519-sha256
// (RFC 8463 §3). rsa-sha1 is recognised only to be refused (RFC 8301 §3.1). Thread-safe;
// OpenSSL EVP only.
#include <optional>
#include <string>
#include <string_view>

#include "crypto/ossl.hpp"

namespace netius::crypto::dkim {

enum class Algorithm { RsaSha256, Ed25519Sha256 };

/// "rsa-sha256" or "ed25519-sha256".
std::string_view algorithm_name(Algorithm a);

/// The a= value's algorithm, or nullopt for anything else (including rsa-sha1).
std::optional<Algorithm> parse_algorithm(std::string_view name);

/// Smallest RSA modulus a signer may use or a verifier may accept (RFC 8301 §3.2).
inline constexpr int kMinRsaBits = 1024;

/// The algorithm a key signs with: RSA → rsa-sha256, Ed25519 → ed25519-sha256. Throws
/// netius::Error for other key types, and for RSA keys under kMinRsaBits.
Algorithm algorithm_for_key(const EVP_PKEY* key);

/// SHA-256 of `data`.
std::string sha256(std::string_view data);

/// Signs the header hash input `data` (§3.7): RSASSA-PKCS1-v1_5 with SHA-256, or Ed25519
/// (PureEdDSA) over SHA-256(data) as RFC 8463 §3 specifies. Returns the raw signature.
/// Throws netius::Error when the key does not fit `a` or OpenSSL fails.
std::string sign_data(Algorithm a, EVP_PKEY* key, std::string_view data);

/// Checks `signature` over `data` as sign_data() makes it. false on any mismatch.
bool verify_data(Algorithm a, EVP_PKEY* key, std::string_view data, std::string_view signature);

/// Length in bytes of the signatures `key` makes (for laying out b= before signing).
std::size_t signature_size(const EVP_PKEY* key);

}  // namespace netius::crypto::dkim
