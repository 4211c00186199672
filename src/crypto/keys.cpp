#include "crypto/keys.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <exception>
#include <optional>

#include "util/error.hpp"

namespace netius::crypto {
namespace {

using ClearBnPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_clear_free>>;

constexpr std::size_t kEd25519RawSize = 32;
constexpr int kMinRsaBits = 1024;
constexpr int kMaxRsaBits = 16384;

// One decode's view of the caller's PassphraseFn: asks it at most once (OpenSSL may call back
// once per candidate decoder) and parks any exception, which must not cross OpenSSL's C frames.
struct PassphraseState {
    explicit PassphraseState(const PassphraseFn* f = nullptr) : fn(f) {}
    PassphraseState(const PassphraseState&) = delete;
    PassphraseState& operator=(const PassphraseState&) = delete;

    const PassphraseFn* fn;
    bool asked = false;
    std::optional<std::string> value;
    std::exception_ptr error;

    ~PassphraseState() {
        if (value && !value->empty()) OPENSSL_cleanse(value->data(), value->size());
    }
};

int passphrase_callback(char* buf, std::size_t size, std::size_t* len, const OSSL_PARAM*,
                        void* arg) {
    auto* state = static_cast<PassphraseState*>(arg);
    if (!state->asked) {
        state->asked = true;
        try {
            if (state->fn && *state->fn) state->value = (*state->fn)();
        } catch (...) {
            state->error = std::current_exception();
        }
    }
    if (!state->value || state->value->size() > size) return 0;
    // NOLINTNEXTLINE(bugprone-not-null-terminated-result): OpenSSL takes the length in *len
    std::memcpy(buf, state->value->data(), state->value->size());
    *len = state->value->size();
    return 1;
}

struct Decoded {
    PKeyPtr key;
    std::size_t consumed = 0;  // bytes of `data` the decoder read
};

// The label of the first PEM block ("RSA PRIVATE KEY"), if `data` has one.
std::optional<std::string> pem_label(std::string_view data, std::size_t from = 0) {
    constexpr std::string_view kBegin = "-----BEGIN ";
    auto start = data.find(kBegin, from);
    if (start == std::string_view::npos) return std::nullopt;
    start += kBegin.size();
    auto end = data.find("-----", start);
    if (end == std::string_view::npos || data.find('\n', start) < end) return std::nullopt;
    return std::string(data.substr(start, end - start));
}

// The key type a PEM label names ("RSA PRIVATE KEY": PKCS#1), or nullptr (PKCS#8, SPKI, DER:
// the type is inside). Naming it spares OpenSSL building decoders for every other key type,
// a quarter of a `dkim sign`'s instructions.
const char* pem_key_type(std::string_view data) {
    auto label = pem_label(data);
    return label && label->starts_with("RSA ") ? "RSA" : nullptr;
}

// Runs OpenSSL's decoder chain (PEM or DER; PKCS#1, PKCS#8, SPKI, encrypted PEM/PKCS#8) for
// keys matching `selection`: EVP_PKEY_KEYPAIR = private keys only, EVP_PKEY_PUBLIC_KEY =
// public keys only, 0 = either. Returns a null key when nothing matched.
Decoded decode(std::string_view data, int selection, PassphraseState* passphrase,
               const char* key_type) {
    EVP_PKEY* raw = nullptr;
    DecoderCtxPtr ctx(OSSL_DECODER_CTX_new_for_pkey(&raw, nullptr, nullptr, key_type, selection,
                                                    nullptr, nullptr));
    if (!ctx) throw Error("cannot create a key decoder: {}", ossl_last_error());
    if (passphrase &&
        OSSL_DECODER_CTX_set_passphrase_cb(ctx.get(), passphrase_callback, passphrase) != 1)
        throw Error("cannot set the key decoder's passphrase: {}", ossl_last_error());
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t left = data.size();
    int ok = OSSL_DECODER_from_data(ctx.get(), &p, &left);
    ERR_clear_error();
    if (!ok || !raw) return {};
    return {PKeyPtr(raw), data.size() - left};
}

Decoded decode(std::string_view data, int selection, PassphraseState* passphrase) {
    if (const char* type = pem_key_type(data)) {
        if (auto got = decode(data, selection, passphrase, type); got.key) return got;
        if (passphrase && passphrase->error) return {};  // the prompt failed: no second ask
    }
    return decode(data, selection, passphrase, nullptr);  // what the label did not tell
}

bool is_key_label(const std::string& label) {
    return label.find("KEY") != std::string::npos;
}

// DER must end where the key ends. PEM may carry explanatory text and other blocks
// (RFC 7468 §2, e.g. key + certificate bundles), but a second key would be ambiguous.
void check_rest(std::string_view data, std::size_t consumed, const std::string& name) {
    std::string_view done = data.substr(0, consumed);
    if (done.find("-----END ") == std::string_view::npos) {
        if (consumed < data.size())
            throw Error("'{}' has {} bytes of unexpected data after the key", name,
                        data.size() - consumed);
        return;
    }
    for (auto at = consumed; auto label = pem_label(data, at);) {
        if (is_key_label(*label)) throw Error("'{}' holds more than one key", name);
        at = data.find("-----BEGIN ", at) + 1;
    }
}

bool blank(std::string_view data) {
    return data.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Why `data` is not a key of the kind `what` ("private key"), as precisely as can be told.
[[noreturn]] void throw_unreadable(std::string_view data, const std::string& name,
                                   std::string_view what, std::string_view formats) {
    if (blank(data)) throw Error("'{}' is empty", name);
    if (auto label = pem_label(data)) {
        if (data.find("-----END " + *label + "-----") == std::string_view::npos)
            throw Error("'{}' holds a truncated PEM block ('{}' without its END line)", name,
                        *label);
        if (!is_key_label(*label)) throw Error("'{}' holds a {}, not a {}", name, *label, what);
        throw Error("'{}' holds a damaged or unsupported PEM '{}' block", name, *label);
    }
    throw Error("'{}' is not a {} (expected PEM or DER {})", name, what, formats);
}

// Shared failure analysis after a decode with a passphrase found nothing.
void throw_if_passphrase_failed(const PassphraseState& state, const std::string& name) {
    if (state.error) std::rethrow_exception(state.error);
    if (!state.asked) return;
    if (!state.value) throw Error("'{}' is encrypted and no passphrase was given", name);
    throw Error("cannot decrypt '{}': wrong passphrase", name);
}

constexpr std::string_view kPrivateFormats = "PKCS#1 or PKCS#8";
constexpr std::string_view kPublicFormats = "SubjectPublicKeyInfo or PKCS#1";

PKeyPtr load_private_or_null(std::string_view data, const std::string& name,
                             const PassphraseFn& passphrase) {
    PassphraseState state(&passphrase);
    auto got = decode(data, EVP_PKEY_KEYPAIR, &state);
    if (got.key) {
        check_rest(data, got.consumed, name);
        return std::move(got.key);
    }
    throw_if_passphrase_failed(state, name);
    return nullptr;
}

PKeyPtr load_public_or_null(std::string_view data, const std::string& name) {
    PassphraseState none;  // a public key is never encrypted; this callback just refuses
    auto got = decode(data, EVP_PKEY_PUBLIC_KEY, &none);
    if (got.key) check_rest(data, got.consumed, name);
    return std::move(got.key);
}

std::string bn_param_decimal(const EVP_PKEY* key, const char* param) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, param, &raw) != 1) {
        ERR_clear_error();
        return {};
    }
    ClearBnPtr bn(raw);
    std::unique_ptr<char, decltype([](char* s) { OPENSSL_free(s); })> text(BN_bn2dec(bn.get()));
    if (!text) throw Error("cannot format an RSA component: {}", ossl_last_error());
    return text.get();
}

bool has_private_key(const EVP_PKEY* key) {
    bool found = false;
    if (key_type(key) == KeyType::Ed25519) {
        std::size_t len = 0;
        found = EVP_PKEY_get_raw_private_key(key, nullptr, &len) == 1;
    } else {
        BIGNUM* raw = nullptr;  // RSA's "d", or "priv" for EC, DSA, DH
        found = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &raw) == 1 ||
                EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &raw) == 1;
        ClearBnPtr free_it(raw);
    }
    ERR_clear_error();
    return found;
}

template <typename Write>
std::string write_to_string(Write write, std::string_view what) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1)
        throw Error("cannot write the {}: {}", what, ossl_last_error());
    return bio_to_string(bio.get());
}

}  // namespace

PKeyPtr load_private_key(std::string_view data, const std::string& name,
                         const PassphraseFn& passphrase) {
    if (auto key = load_private_or_null(data, name, passphrase)) return key;
    if (load_public_or_null(data, name))
        throw Error("'{}' is a public key, not a private key", name);
    throw_unreadable(data, name, "private key", kPrivateFormats);
}

PKeyPtr load_public_key(std::string_view data, const std::string& name,
                        const PassphraseFn& passphrase) {
    if (auto key = load_public_or_null(data, name)) return key;
    if (auto key = load_private_or_null(data, name, passphrase))
        return public_key_from_spki_der(public_key_der(key.get()));  // drop the private half
    throw_unreadable(data, name, "public key", kPublicFormats);
}

PKeyPtr load_key(std::string_view data, const std::string& name, const PassphraseFn& passphrase) {
    if (auto key = load_private_or_null(data, name, passphrase)) return key;
    if (auto key = load_public_or_null(data, name)) return key;
    throw_unreadable(data, name, "key", "PKCS#1, PKCS#8 or SubjectPublicKeyInfo");
}

void check_key(const EVP_PKEY* key, const std::string& name) {
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, const_cast<EVP_PKEY*>(key), nullptr));
    if (!ctx) throw Error("cannot check '{}': {}", name, ossl_last_error());
    int ok = has_private_key(key) ? EVP_PKEY_pairwise_check(ctx.get())
                                  : EVP_PKEY_public_check(ctx.get());
    if (ok != 1)
        throw Error("'{}' is a damaged {} key ({})", name, key_type_name(key),
                    ossl_last_error("consistency check failed"));
}

PKeyPtr public_key_from_spki_der(std::string_view der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    PKeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    if (!key) throw Error("invalid SubjectPublicKeyInfo: {}", ossl_last_error("not a public key"));
    if (p != reinterpret_cast<const unsigned char*>(der.data() + der.size()))
        throw Error("invalid SubjectPublicKeyInfo: unexpected data after the key");
    return key;
}

PKeyPtr public_key_from_ed25519_raw(std::string_view raw) {
    if (raw.size() != kEd25519RawSize)
        throw Error("an Ed25519 public key is {} bytes, not {}", kEd25519RawSize, raw.size());
    PKeyPtr key(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
    if (!key) throw Error("invalid Ed25519 public key: {}", ossl_last_error());
    return key;
}

KeyType key_type(const EVP_PKEY* key) {
    switch (EVP_PKEY_get_base_id(key)) {
        case EVP_PKEY_RSA:
            return KeyType::Rsa;
        case EVP_PKEY_ED25519:
            return KeyType::Ed25519;
        default:
            return KeyType::Other;
    }
}

std::string key_type_name(const EVP_PKEY* key) {
    switch (key_type(key)) {
        case KeyType::Rsa:
            return "RSA";
        case KeyType::Ed25519:
            return "ED25519";
        case KeyType::Other:
            break;
    }
    const char* name = EVP_PKEY_get0_type_name(key);
    return name ? name : "unknown";
}

int key_bits(const EVP_PKEY* key) {
    return EVP_PKEY_get_bits(key);
}

std::string public_key_pem(const EVP_PKEY* key) {
    return write_to_string(
        [key](BIO* bio) { return PEM_write_bio_PUBKEY(bio, const_cast<EVP_PKEY*>(key)); },
        "public key");
}

std::string public_key_der(const EVP_PKEY* key) {
    unsigned char* raw = nullptr;
    int len = i2d_PUBKEY(const_cast<EVP_PKEY*>(key), &raw);
    if (len <= 0) throw Error("cannot encode the public key: {}", ossl_last_error());
    std::string der(reinterpret_cast<char*>(raw), static_cast<std::size_t>(len));
    OPENSSL_free(raw);
    return der;
}

std::string public_key_ed25519_raw(const EVP_PKEY* key) {
    if (key_type(key) != KeyType::Ed25519)
        throw Error("an {} key has no raw Ed25519 form", key_type_name(key));
    std::string raw(kEd25519RawSize, '\0');
    std::size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 ||
        len != kEd25519RawSize)
        throw Error("cannot read the Ed25519 public key: {}", ossl_last_error());
    return raw;
}

std::string private_key_pem(const EVP_PKEY* key) {
    auto* k = const_cast<EVP_PKEY*>(key);
    if (key_type(key) == KeyType::Rsa)
        return write_to_string(
            [k](BIO* bio) {
                return PEM_write_bio_PrivateKey_traditional(bio, k, nullptr, nullptr, 0, nullptr,
                                                            nullptr);
            },
            "private key");
    return write_to_string(
        [k](BIO* bio) {
            return PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
        },
        "private key");
}

PKeyPtr generate_rsa_key(int bits) {
    if (bits < kMinRsaBits || bits > kMaxRsaBits)
        throw Error("RSA key size {} is outside {}..{} bits", bits, kMinRsaBits, kMaxRsaBits);
    PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits)));
    if (!key) throw Error("cannot generate an RSA key: {}", ossl_last_error());
    return key;
}

PKeyPtr generate_ed25519_key() {
    PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key) throw Error("cannot generate an Ed25519 key: {}", ossl_last_error());
    return key;
}

std::vector<std::pair<std::string, std::string>> rsa_components(const EVP_PKEY* key,
                                                                bool include_private) {
    if (key_type(key) != KeyType::Rsa)
        throw Error("an {} key has no RSA components", key_type_name(key));
    std::vector<std::pair<std::string, std::string>> out;
    out.emplace_back("bits", std::to_string(key_bits(key)));
    std::string d = include_private ? bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_D) : "";
    const bool with_private = !d.empty();  // a public key has no d
    if (with_private) {
        out.emplace_back("coefficient", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
        out.emplace_back("exponent_1", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_EXPONENT1));
        out.emplace_back("exponent_2", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_EXPONENT2));
    }
    out.emplace_back("modulus", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_N));
    if (with_private) {
        out.emplace_back("prime_1", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_FACTOR1));
        out.emplace_back("prime_2", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_FACTOR2));
        out.emplace_back("private_exponent", std::move(d));
    }
    out.emplace_back("public_exponent", bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_E));
    if (with_private) {
        // RFC 8017 §A.1.2: version 1 only for multi-prime keys.
        bool multi = !bn_param_decimal(key, OSSL_PKEY_PARAM_RSA_FACTOR3).empty();
        out.emplace_back("version", multi ? "1" : "0");
    }
    for (const auto& [name, value] : out)
        if (value.empty()) throw Error("the RSA key has no {} component", name);
    return out;
}

}  // namespace netius::crypto
