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
/// or Ed25519). `name` (usually the path) is used in error messages. A wrong passphrase is
/// reported as such.
PKeyPtr load_private_key(std::string_view data, const std::string& name,
                         const PassphraseFn& passphrase = {});

/// Parses a public key from `data`: PEM or DER SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey.
/// A private key is accepted too (its public half is returned).
PKeyPtr load_public_key(std::string_view data, const std::string& name,
                        const PassphraseFn& passphrase = {});

/// Public key from the DER SubjectPublicKeyInfo bytes (DKIM `p=` for k=rsa, RFC 6376 §3.6.1).
PKeyPtr public_key_from_spki_der(std::string_view der);

/// Ed25519 public key from its raw 32 bytes (DKIM `p=` for k=ed25519, RFC 8463 §4).
PKeyPtr public_key_from_ed25519_raw(std::string_view raw);

KeyType key_type(const EVP_PKEY* key);
/// "RSA", "ED25519", or OpenSSL's type name for anything else.
std::string key_type_name(const EVP_PKEY* key);
int key_bits(const EVP_PKEY* key);

/// SubjectPublicKeyInfo PEM, byte-identical to `openssl pkey -pubout`.
std::string public_key_pem(const EVP_PKEY* key);
/// SubjectPublicKeyInfo DER.
std::string public_key_der(const EVP_PKEY* key);
/// Raw 32-byte Ed25519 public key. Throws for other key types.
std::string public_key_ed25519_raw(const EVP_PKEY* key);

/// Private key PEM, unencrypted: RSA keys as PKCS#1 ("BEGIN RSA PRIVATE KEY", what netius,
/// opendkim and dkimpy read), other types as PKCS#8 ("BEGIN PRIVATE KEY").
std::string private_key_pem(const EVP_PKEY* key);

/// Fresh keys. RSA: `bits` in [1024, 16384], e = 65537.
PKeyPtr generate_rsa_key(int bits);
PKeyPtr generate_ed25519_key();

/// RSA key components as (netius name, decimal value), sorted by name: bits, modulus,
/// public_exponent and, with `include_private` and a private key, coefficient, exponent_1,
/// exponent_2, prime_1, prime_2, private_exponent, version. Throws for non-RSA keys.
std::vector<std::pair<std::string, std::string>> rsa_components(const EVP_PKEY* key,
                                                                 bool include_private);

}  // namespace netius::crypto
