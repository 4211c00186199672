#include "net/tls_certificate.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <climits>

#include "crypto/encoding.hpp"
#include "util/error.hpp"

namespace netius::net {

using crypto::ossl_last_error;

std::vector<X509Ptr> load_certificate_chain(std::string_view data, const std::string& name) {
    if (data.size() > INT_MAX) throw Error("'{}' is too large for a certificate chain", name);
    crypto::BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (!bio) throw Error("cannot read '{}': {}", name, ossl_last_error());
    std::vector<X509Ptr> chain;
    ERR_clear_error();
    // PEM_read_bio_X509 skips blocks of other types; it stops at the end of the input (with
    // PEM_R_NO_START_LINE queued) or at a block it cannot decode.
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        chain.emplace_back(cert);
    const unsigned long err = ERR_peek_last_error();
    if (err != 0 &&
        !(ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE))
        throw Error("'{}' holds a damaged certificate ({})", name, ossl_last_error());
    ERR_clear_error();
    if (chain.empty()) throw Error("'{}' holds no PEM certificate", name);
    return chain;
}

namespace {

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
    X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        throw Error("cannot add the certificate extension '{}': {}", value, ossl_last_error());
}

}  // namespace

SelfSigned make_self_signed(const std::string& common_name, const std::string& alt_names,
                            std::chrono::seconds lifetime) {
    SelfSigned out;
    out.key.reset(EVP_EC_gen("P-256"));
    if (!out.key) throw Error("cannot generate an EC P-256 key: {}", ossl_last_error());
    out.certificate.reset(X509_new());
    crypto::BnPtr serial(BN_new());
    X509* cert = out.certificate.get();
    X509_NAME* name = cert ? X509_get_subject_name(cert) : nullptr;
    const bool ok =
        cert && serial && X509_set_version(cert, X509_VERSION_3) == 1 &&
        BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr &&
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr &&
        X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(lifetime.count())) != nullptr &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) == 1 &&
        X509_set_issuer_name(cert, name) == 1 && X509_set_pubkey(cert, out.key.get()) == 1;
    if (!ok) throw Error("cannot build a self-signed certificate: {}", ossl_last_error());
    add_extension(cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert, NID_ext_key_usage, "serverAuth");
    add_extension(cert, NID_subject_key_identifier, "hash");
    add_extension(cert, NID_subject_alt_name, alt_names);
    if (X509_sign(cert, out.key.get(), EVP_sha256()) <= 0)
        throw Error("cannot sign the self-signed certificate: {}", ossl_last_error());
    return out;
}

std::string certificate_pem(const X509* cert) {
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
        throw Error("cannot write the certificate: {}", ossl_last_error());
    return crypto::bio_to_string(bio.get());
}

std::string certificate_fingerprint(const X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (X509_digest(cert, EVP_sha256(), md, &len) != 1)
        throw Error("cannot hash the certificate: {}", ossl_last_error());
    const std::string hex =
        crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(md), len));
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        if (i) out += ':';
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i + 1])));
    }
    return out;
}

}  // namespace netius::net
