#include "crypto/password.hpp"

#include <openssl/crypto.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "crypto/encoding.hpp"
#include "crypto/ossl.hpp"
#include "crypto/random.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"

namespace netius::crypto {
namespace {

struct DigestName {
    std::string_view netius;   // hashlib spelling, used in the stored format
    std::string_view openssl;  // EVP_MD_fetch name
};

constexpr std::array<DigestName, 12> kDigests{{
    {"md5", "MD5"},
    {"sha1", "SHA1"},
    {"sha224", "SHA224"},
    {"sha256", "SHA256"},
    {"sha384", "SHA384"},
    {"sha512", "SHA512"},
    {"sha3_224", "SHA3-224"},
    {"sha3_256", "SHA3-256"},
    {"sha3_384", "SHA3-384"},
    {"sha3_512", "SHA3-512"},
    {"blake2b", "BLAKE2B-512"},
    {"blake2s", "BLAKE2S-256"},
}};

constexpr std::string_view kArgon2id = "argon2id";
constexpr std::string_view kPlain = "plain";
constexpr std::size_t kSaltLength = 16;
// The most an argon2 string may ask of verify_password: libsodium's SENSITIVE limits (1 GiB,
// 4 passes) with room to spare; ours (MODERATE) are 256 MiB and 3 passes.
constexpr std::uint64_t kMaxArgon2MemoryKiB = 1u << 20;
constexpr std::uint64_t kMaxArgon2Passes = 16;

MdPtr fetch_digest(std::string_view type) {
    std::string name = to_lower(type);
    for (const auto& d : kDigests)
        if (d.netius == name)
            return MdPtr(EVP_MD_fetch(nullptr, std::string(d.openssl).c_str(), nullptr));
    return nullptr;
}

std::string digest(const EVP_MD* md, std::string_view a, std::string_view b) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out, &len) != 1)
        throw Error("digest failed: {}", ossl_last_error());
    return std::string(reinterpret_cast<char*>(out), len);
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// netius hashed text as Latin-1; the same password as Latin-1 bytes, when it has that form.
std::optional<std::string> utf8_to_latin1(std::string_view utf8) {
    std::string out;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if ((c == 0xc2 || c == 0xc3) && i + 1 < utf8.size() &&
                   (static_cast<unsigned char>(utf8[i + 1]) & 0xc0) == 0x80) {
            out.push_back(static_cast<char>(((c & 0x03) << 6) | (utf8[++i] & 0x3f)));
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::string argon2id(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_argon2id_str(out, password.data(), password.size(),
                                   crypto_pwhash_argon2id_OPSLIMIT_MODERATE,
                                   crypto_pwhash_argon2id_MEMLIMIT_MODERATE) != 0)
        throw Error("argon2id needs {} MiB of memory and could not get it",
                    crypto_pwhash_argon2id_MEMLIMIT_MODERATE >> 20);
    return out;
}

// Whether the cost an argon2 string names ("...$m=<KiB>,t=<passes>,p=<lanes>$...") is within
// kMaxArgon2: libsodium runs whatever the string says (t=4294967295 takes hours).
bool affordable_argon2(std::string_view encoded) {
    std::optional<std::uint64_t> memory, passes;
    for (std::string_view rest = encoded; !rest.empty();) {
        const auto end = rest.find_first_of("$,");
        const std::string_view item = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (item.size() < 3 || item[1] != '=' || (item[0] != 'm' && item[0] != 't')) continue;
        std::uint64_t value = 0;
        const char* last = item.data() + item.size();
        if (std::from_chars(item.data() + 2, last, value).ptr != last) return false;
        (item[0] == 'm' ? memory : passes) = value;
    }
    return memory && passes && *memory <= kMaxArgon2MemoryKiB && *passes <= kMaxArgon2Passes;
}

bool verify_argon2(std::string_view encoded, std::string_view password) {
    if (encoded.size() >= crypto_pwhash_STRBYTES || !affordable_argon2(encoded)) return false;
    char str[crypto_pwhash_STRBYTES] = {};
    std::copy(encoded.begin(), encoded.end(), str);
    if (encoded.starts_with("$argon2id$"))
        return crypto_pwhash_argon2id_str_verify(str, password.data(), password.size()) == 0;
    return crypto_pwhash_argon2i_str_verify(str, password.data(), password.size()) == 0;
}

// "<type>:<hex salt>:<hex digest>" or "<type>:<hex digest>" with a known type and a digest of
// the right length; nullopt otherwise (the string is then a plain password).
struct DigestHash {
    MdPtr md;
    std::string salt, digest;
};

std::optional<DigestHash> parse_digest_hash(std::string_view encoded) {
    auto first = encoded.find(':');
    if (first == std::string_view::npos) return std::nullopt;
    auto last = encoded.rfind(':');
    auto second = encoded.find(':', first + 1);
    if (second != std::string_view::npos && second != last) return std::nullopt;  // >2 colons
    DigestHash h;
    h.md = fetch_digest(encoded.substr(0, first));
    if (!h.md) return std::nullopt;
    std::optional<std::string> salt = std::string();
    if (second != std::string_view::npos)
        salt = hex_decode(encoded.substr(first + 1, second - first - 1));
    auto digest = hex_decode(encoded.substr(last + 1));
    if (!salt || !digest || digest->size() != static_cast<std::size_t>(EVP_MD_get_size(h.md.get())))
        return std::nullopt;
    h.salt = std::move(*salt);
    h.digest = std::move(*digest);
    return h;
}

}  // namespace

std::vector<std::string> password_types() {
    std::vector<std::string> types{std::string(kArgon2id)};
    for (const auto& d : kDigests) types.emplace_back(d.netius);
    types.emplace_back(kPlain);
    return types;
}

std::string generate_password(std::string_view password, std::string_view type,
                              std::optional<std::string_view> salt) {
    if (sodium_init() < 0) throw Error("libsodium failed to initialise");
    std::string name = to_lower(type);
    if (name == kArgon2id) {
        if (salt) throw Error("argon2id makes its own random salt; give no SALT");
        return argon2id(password);
    }
    if (name == kPlain) return std::string(password);
    MdPtr md = fetch_digest(name);
    if (!md) {
        std::string known;
        for (const auto& t : password_types()) known += (known.empty() ? "" : ", ") + t;
        throw Error("unsupported hash type '{}' (supported: {})", type, known);
    }
    std::string s = salt ? std::string(*salt) : random_alnum(kSaltLength);
    std::string hex = hex_encode(digest(md.get(), password, s));
    if (s.empty()) return fmt::format("{}:{}", type, hex);
    return fmt::format("{}:{}:{}", type, hex_encode(s), hex);
}

bool verify_password_or_decoy(const std::string* encoded, std::string_view password,
                              std::string& decoy) {
    if (encoded) return verify_password(*encoded, password);
    if (decoy.empty()) decoy = generate_password("decoy", "argon2id");
    verify_password(decoy, password);
    return false;
}

bool verify_password(std::string_view encoded, std::string_view password) {
    if (sodium_init() < 0) return false;
    if (encoded.starts_with("$argon2")) return verify_argon2(encoded, password);
    if (auto h = parse_digest_hash(encoded)) {
        if (equal_constant_time(digest(h->md.get(), password, h->salt), h->digest)) return true;
        // Hashes written by the Python netius encode non-ASCII passwords as Latin-1.
        auto latin1 = utf8_to_latin1(password);
        return latin1 && *latin1 != password &&
               equal_constant_time(digest(h->md.get(), *latin1, h->salt), h->digest);
    }
    // Plain: compare fixed-size hashes so the time does not depend on where they differ.
    MdPtr sha(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    return equal_constant_time(digest(sha.get(), encoded, ""), digest(sha.get(), password, ""));
}

std::string credential_digest(std::string_view scope, std::string_view user,
                              std::string_view password) {
    static const std::array<unsigned char, crypto_generichash_KEYBYTES> key = [] {
        std::array<unsigned char, crypto_generichash_KEYBYTES> k{};
        if (sodium_init() < 0) throw Error("libsodium failed to initialise");
        randombytes_buf(k.data(), k.size());
        return k;
    }();
    crypto_generichash_state state;
    crypto_generichash_init(&state, key.data(), key.size(), crypto_generichash_BYTES);
    for (std::string_view part : {scope, user, password}) {
        const std::uint64_t size = part.size();
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&size),
                                  sizeof size);
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                                  part.size());
    }
    std::string out(crypto_generichash_BYTES, '\0');
    crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()), out.size());
    return out;
}

}  // namespace netius::crypto
