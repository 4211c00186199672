#pragma once
// X.509 helpers behind TlsContext: PEM certificate chains and the ephemeral self-signed
// certificate. Internal to the TLS transport (it includes OpenSSL; HTTP/SMTP code must not,
// house rule 10). Thread-safe; blocking; failures throw netius::Error naming the input.
#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ossl.hpp"

namespace netius::net {

using X509Ptr = std::unique_ptr<X509, crypto::OsslDeleter<X509_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, crypto::OsslDeleter<X509_EXTENSION_free>>;

/// Every PEM CERTIFICATE block of `data`, in order (other blocks, e.g. a private key, are
/// skipped). `name` (the path) is used in errors: "'c.pem' holds no PEM certificate",
/// "'c.pem' holds a damaged certificate (<OpenSSL reason>)".
std::vector<X509Ptr> load_certificate_chain(std::string_view data, const std::string& name);

struct SelfSigned {
    crypto::PKeyPtr key;
    X509Ptr certificate;
};

/// A fresh EC P-256 key and a self-signed X.509 v3 certificate for it: subject and issuer
/// CN=`common_name`, subjectAltName `alt_names` in OpenSSL's syntax ("DNS:localhost,
/// IP:127.0.0.1"), basicConstraints CA:FALSE (a leaf: browsers refuse a CA certificate as a
/// server's), extendedKeyUsage serverAuth, a random 127-bit serial, valid from one hour ago
/// (clock skew) until `lifetime` from now, signed with SHA-256.
SelfSigned make_self_signed(const std::string& common_name, const std::string& alt_names,
                            std::chrono::seconds lifetime);

/// The certificate as PEM.
std::string certificate_pem(const X509* cert);
/// SHA-256 of the DER certificate, upper-case hex pairs joined by ':'.
std::string certificate_fingerprint(const X509* cert);

}  // namespace netius::net
