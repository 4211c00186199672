// libFuzzer target for key and certificate loading: what `netius rsa read|convert`, `dkim sign`
// and `--key-file/--cer-file` read from a file (PEM or DER; PKCS#1, PKCS#8, encrypted, SPKI;
// X.509 chains). OpenSSL does the decoding; this checks our wrapping of it.
//
// Input: byte 0 bit 0 says whether a passphrase ("correct horse", as in tests/data) is on
// offer; the rest is the file. Invariants: loading fails only with netius::Error (with a
// message); a loaded key round-trips through public_key_pem / public_key_der and, when
// private, private_key_pem; RSA keys list their components; a certificate chain is never
// empty when it loads.
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/keys.hpp"
#include "fuzz_util.hpp"
#include "net/tls_certificate.hpp"
#include "util/error.hpp"

using namespace netius::crypto;
using netius::fuzz::check;
using netius::fuzz::copy_of;

namespace {

bool is_private(const EVP_PKEY* key) {
    // A private RSA key has d; a private Ed25519 key its 32-byte seed.
    BIGNUM* d = nullptr;
    if (EVP_PKEY_get_bn_param(key, "d", &d) == 1) {
        BN_free(d);
        return true;
    }
    std::size_t len = 0;
    return EVP_PKEY_get_raw_private_key(key, nullptr, &len) == 1 && len > 0;
}

void check_round_trips(const EVP_PKEY* key) {
    check(!key_type_name(key).empty(), "key without a type name");
    PKeyPtr pub = load_public_key(public_key_pem(key), "pem");
    check(EVP_PKEY_eq(pub.get(), key) == 1, "public_key_pem does not round-trip");
    check(EVP_PKEY_eq(public_key_from_spki_der(public_key_der(key)).get(), key) == 1,
          "public_key_der does not round-trip");
    if (key_type(key) == KeyType::Rsa) check(!rsa_components(key, true).empty(), "no RSA parts");
    if (key_type(key) == KeyType::Ed25519)
        check(public_key_ed25519_raw(key).size() == 32, "Ed25519 raw key not 32 bytes");
    if (is_private(key)) {
        PKeyPtr again = load_private_key(private_key_pem(key), "pem");
        check(EVP_PKEY_eq(again.get(), key) == 1, "private_key_pem does not round-trip");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1 || size > 16384) return 0;
    const bool offer = data[0] & 1;
    auto buf = copy_of(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    const std::string_view file(buf.get(), size - 1);
    PassphraseFn passphrase = [offer]() -> std::string {
        if (!offer) throw netius::Error("key is encrypted");
        return "correct horse";
    };
    try {
        PKeyPtr key = load_key(file, "fuzz", passphrase);
        check(key != nullptr, "load_key returned no key");
        check_round_trips(key.get());
    } catch (const netius::Error& e) {
        check(*e.what() != '\0', "an error without a message");
    }
    try {
        (void)load_private_key(file, "fuzz", passphrase);
    } catch (const netius::Error&) {
    }
    try {
        check(!netius::net::load_certificate_chain(file, "fuzz").empty(), "empty chain loaded");
    } catch (const netius::Error&) {
    }
    if (file.size() == 32) (void)public_key_from_ed25519_raw(file);
    return 0;
}
