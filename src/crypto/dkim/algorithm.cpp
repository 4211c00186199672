#include "crypto/dkim/algorithm.hpp"

#include <openssl/rsa.h>

#include "crypto/keys.hpp"
#include "util/error.hpp"

namespace netius::crypto::dkim {

namespace {

// The message EVP_DigestSign/Verify see: the header data itself for RSA (OpenSSL hashes it
// with SHA-256), its SHA-256 digest for Ed25519 (RFC 8463 signs the hash, not the data).
std::string signed_message(Algorithm a, std::string_view data) {
    return a == Algorithm::Ed25519Sha256 ? sha256(data) : std::string(data);
}

const EVP_MD* digest_for(Algorithm a) {
    return a == Algorithm::RsaSha256 ? EVP_sha256() : nullptr;
}

bool key_fits(Algorithm a, const EVP_PKEY* key) {
    KeyType t = key_type(key);
    return a == Algorithm::RsaSha256 ? t == KeyType::Rsa : t == KeyType::Ed25519;
}

MdCtxPtr init_ctx(Algorithm a, EVP_PKEY* key, bool sign) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    int ok = ctx ? (sign ? EVP_DigestSignInit(ctx.get(), &pctx, digest_for(a), nullptr, key)
                         : EVP_DigestVerifyInit(ctx.get(), &pctx, digest_for(a), nullptr, key))
                 : 0;
    if (ok == 1 && a == Algorithm::RsaSha256)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING);
    if (ok != 1) return nullptr;
    return ctx;
}

}  // namespace

std::string_view algorithm_name(Algorithm a) {
    return a == Algorithm::RsaSha256 ? "rsa-sha256" : "ed25519-sha256";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
    if (name == "rsa-sha256") return Algorithm::RsaSha256;
    if (name == "ed25519-sha256") return Algorithm::Ed25519Sha256;
    return std::nullopt;
}

Algorithm algorithm_for_key(const EVP_PKEY* key) {
    switch (key_type(key)) {
        case KeyType::Rsa:
            if (int bits = key_bits(key); bits < kMinRsaBits)
                throw Error("a {}-bit RSA key is too short for DKIM (RFC 8301: at least {})", bits,
                            kMinRsaBits);
            return Algorithm::RsaSha256;
        case KeyType::Ed25519:
            return Algorithm::Ed25519Sha256;
        default:
            throw Error("{} keys cannot sign DKIM (use RSA or Ed25519)", key_type_name(key));
    }
}

std::string sha256(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw Error("SHA-256: {}", ossl_last_error());
    return std::string(reinterpret_cast<char*>(md), len);
}

std::string sign_data(Algorithm a, EVP_PKEY* key, std::string_view data) {
    if (!key_fits(a, key))
        throw Error("a {} key cannot make {} signatures", key_type_name(key), algorithm_name(a));
    MdCtxPtr ctx = init_ctx(a, key, true);
    if (!ctx) throw Error("cannot sign: {}", ossl_last_error());
    const std::string msg = signed_message(a, data);
    const auto* in = reinterpret_cast<const unsigned char*>(msg.data());
    std::size_t len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &len, in, msg.size()) != 1)
        throw Error("cannot sign: {}", ossl_last_error());
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                       msg.size()) != 1)
        throw Error("cannot sign: {}", ossl_last_error());
    sig.resize(len);
    return sig;
}

bool verify_data(Algorithm a, EVP_PKEY* key, std::string_view data, std::string_view signature) {
    if (!key_fits(a, key)) return false;
    MdCtxPtr ctx = init_ctx(a, key, false);
    if (!ctx) {
        ossl_last_error();  // clear the queue
        return false;
    }
    const std::string msg = signed_message(a, data);
    int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                              signature.size(), reinterpret_cast<const unsigned char*>(msg.data()),
                              msg.size());
    if (ok != 1) ossl_last_error();
    return ok == 1;
}

std::size_t signature_size(const EVP_PKEY* key) {
    int n = EVP_PKEY_get_size(key);
    if (n <= 0) throw Error("cannot tell the signature size of a {} key", key_type_name(key));
    return static_cast<std::size_t>(n);
}

}  // namespace netius::crypto::dkim
