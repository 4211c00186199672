#pragma once
// Key loading, writing and generation over OpenSSL 3 (EVP_PKEY, OSSL_DECODER/ENCODER); no
// hand-written ASN.1 or bignum code. Thread-safe; blocking. Failures throw netius::Error with
// a one-line reason that names the input (e.g. "'k.pem' is not a private key").
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/ossl.hpp"

namespace netius::crypto {

enum class KeyType { Rsa, Ed25519, Other };

/// Supplies the passphrase of an encrypted key. Called at most once, and only when the key
/// is encrypted; may throw netius::Error (e.g. "key is encrypted; use --passphrase-file").
using PassphraseFn = std::function<std::string()>;

/// Parses a private key from `data`: PEM or DER; PKCS#1 RSA, PKCS#8 (plain or encrypted, RSA
/// or Ed25519), encrypted traditional PEM (Proc-Type/DEK-Info). `name` (usually the path) is
/// used in error messages, which say what is wrong: empty, a public key, wrong passphrase
/// ("cannot decrypt 'k.pem': wrong passphrase"), no passphrase, truncated PEM, a PEM block of
/// another kind ("'c.pem' holds a CERTIFICATE, not a private key"), or not a key at all.
/// DER must end with the key; PEM may carry text and non-key blocks around it (RFC 7468 §2),
/// but not a second key. An exception thrown by `passphrase` propagates unchanged.
/// Non-canonical DER that OpenSSL 3 tolerates (netius' zero-length version INTEGER and
/// moduli without a sign byte, netius-vectors §K.7) is accepted.
PKeyPtr load_private_key(std::string_view data, const std::string& name,
                         const PassphraseFn& passphrase = {});

/// Parses a public key from `data`: PEM or DER SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey.
/// A private key is accepted too (its public half is returned). Fails like load_private_key.
PKeyPtr load_public_key(std::string_view data, const std::string& name,
                        const PassphraseFn& passphrase = {});

/// Parses whichever key `data` holds: a private key as load_private_key (returned whole), or
/// else a public key as load_public_key. Fails like load_private_key.
PKeyPtr load_key(std::string_view data, const std::string& name,
                 const PassphraseFn& passphrase = {});

/// Checks that `key` is mathematically sound with OpenSSL's own validation: a private key by
/// EVP_PKEY_pairwise_check (RSA: n = p·q, matching exponents, prime factors), a public key by
/// EVP_PKEY_public_check. Loading alone does not catch a damaged but well-formed file. Costs
/// about 25 ms for RSA-2048 and 200 ms for RSA-4096, so signing paths may skip it. Throws
/// netius::Error "'<name>' is a damaged RSA key (<OpenSSL reason>)".
void check_key(const EVP_PKEY* key, const std::string& name);

/// Public key from the DER SubjectPublicKeyInfo bytes (DKIM `p=` for k=rsa, RFC 6376 §3.6.1).
/// Throws netius::Error "invalid SubjectPublicKeyInfo: ..." on bad or trailing bytes.
PKeyPtr public_key_from_spki_der(std::string_view der);

/// Ed25519 public key from its raw 32 bytes (DKIM `p=` for k=ed25519, RFC 8463 §4).
/// Throws netius::Error for any other length.
PKeyPtr public_key_from_ed25519_raw(std::string_view raw);

KeyType key_type(const EVP_PKEY* key);
/// "RSA", "ED25519", or OpenSSL's type name for anything else.
std::string key_type_name(const EVP_PKEY* key);
/// The key size in bits: for RSA the modulus' real bit length (not rounded to a byte).
int key_bits(const EVP_PKEY* key);

/// SubjectPublicKeyInfo PEM, byte-identical to `openssl pkey -pubout`.
std::string public_key_pem(const EVP_PKEY* key);
/// SubjectPublicKeyInfo DER.
std::string public_key_der(const EVP_PKEY* key);
/// Raw 32-byte Ed25519 public key. Throws for other key types.
std::string public_key_ed25519_raw(const EVP_PKEY* key);

/// Private key PEM, unencrypted: RSA keys as PKCS#1 ("BEGIN RSA PRIVATE KEY", what netius,
/// opendkim and dkimpy read), other types as PKCS#8 ("BEGIN PRIVATE KEY"). Throws for a
/// public key.
std::string private_key_pem(const EVP_PKEY* key);

/// Fresh keys. RSA: `bits` in [1024, 16384] (else netius::Error), e = 65537.
PKeyPtr generate_rsa_key(int bits);
PKeyPtr generate_ed25519_key();

/// RSA key components as (netius name, decimal value), sorted by name: bits, modulus,
/// public_exponent and, with `include_private` and a private key, coefficient, exponent_1,
/// exponent_2, prime_1, prime_2, private_exponent, version (0; 1 for a multi-prime key, whose
/// further primes are not listed: RFC 8017 §A.1.2). `bits` is key_bits(). Throws for non-RSA
/// keys.
std::vector<std::pair<std::string, std::string>> rsa_components(const EVP_PKEY* key,
                                                                bool include_private);

}  // namespace netius::crypto
