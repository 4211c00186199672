#include "crypto/keys.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

#include <map>

#include "crypto/encoding.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

// Fixtures in tests/data/keys were made once with OpenSSL 3.0: one 1024-bit RSA key in every
// format (`openssl genpkey`, `openssl rsa -traditional`, `-outform DER`, `openssl pkcs8
// -topk8`, `-RSAPublicKey_out`, `-aes256 -passout pass:'correct horse'`), an Ed25519 key and a
// self-signed certificate; plus the netius key of netius-vectors §D.1 / §K.4.

namespace netius::crypto {
namespace {

const std::string kData = std::string(NETIUS_TEST_DATA) + "/keys/";
const std::string kPassphrase = "correct horse";

std::string fixture(const std::string& name) {
    return read_input(kData + name);
}

// `openssl rsa -in rsa_pkcs1.pem -noout -modulus` and the primes from `openssl rsa -text`.
constexpr const char* kFixtureModulusHex =
    "DED58A736BC92BC51A673886642BF0AC5D128441EEB7C9A68124CCC70F9B0C4ACFAA6EC82374DB6F9A44BB948D"
    "06E015B8689BEC08029F3D0462B6088D1AA1AF45401AA0674FFA37F276AB61CC67927A3B5ED97A20F7033A2DDE"
    "3CCE0C3970D6A58D273A5B10B101C38A94B95638AE9CD64106CD9C51D0DBA1A2F0C3AD0FC9F5";
constexpr const char* kFixturePrime1 =
    "13238168901091549211381689120541825126671687209067108321635117260186585828302615048972888597"
    "537785496950903809849614075002512866631848526895580176147400237";
constexpr const char* kFixturePrime2 =
    "11820324882860794115282395107427649110187729040948609409613770645902873347976145719241073619"
    "711704089822487651406665170724808052332602058097380553409296361";

std::string modulus_hex(const EVP_PKEY* key) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &raw) != 1) return {};
    BnPtr n(raw);
    char* hex = BN_bn2hex(n.get());
    std::string out(hex);
    OPENSSL_free(hex);
    return out;
}

std::map<std::string, std::string> as_map(
    const std::vector<std::pair<std::string, std::string>>& v) {
    return {v.begin(), v.end()};
}

PassphraseFn fixed(const std::string& value, int* calls = nullptr) {
    return [value, calls] {
        if (calls) ++*calls;
        return value;
    };
}

// Runs `f` and returns the netius::Error message it throws ("" when it does not throw).
template <typename F>
std::string error_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

struct FormatCase {
    const char* file;
    bool encrypted;
};

const FormatCase kPrivateFormats[] = {
    {"rsa_pkcs1.pem", false}, {"rsa_pkcs8.pem", false},    {"rsa_pkcs8.der", false},
    {"rsa_pkcs1.der", false}, {"rsa_pkcs8_enc.pem", true}, {"rsa_pkcs1_enc.pem", true},
};

const char* const kPublicFormats[] = {"rsa_spki.pem", "rsa_spki.der", "rsa_pkcs1_pub.pem"};

TEST(LoadPrivateKey, ReadsEveryFormatToTheSameKey) {
    for (const auto& c : kPrivateFormats) {
        int calls = 0;
        auto key = load_private_key(fixture(c.file), c.file, fixed(kPassphrase, &calls));
        EXPECT_EQ(calls, c.encrypted ? 1 : 0) << c.file;
        EXPECT_EQ(key_type(key.get()), KeyType::Rsa) << c.file;
        EXPECT_EQ(key_type_name(key.get()), "RSA") << c.file;
        EXPECT_EQ(key_bits(key.get()), 1024) << c.file;
        EXPECT_EQ(modulus_hex(key.get()), kFixtureModulusHex) << c.file;
        auto parts = as_map(rsa_components(key.get(), true));
        EXPECT_EQ(parts["prime_1"], kFixturePrime1) << c.file;
        EXPECT_EQ(parts["prime_2"], kFixturePrime2) << c.file;
        EXPECT_EQ(public_key_pem(key.get()), fixture("rsa_spki.pem")) << c.file;
    }
}

TEST(LoadPrivateKey, WrongOrMissingPassphraseIsNamed) {
    for (const char* file : {"rsa_pkcs8_enc.pem", "rsa_pkcs1_enc.pem"}) {
        int calls = 0;
        EXPECT_EQ(error_of([&] { load_private_key(fixture(file), file, fixed("wrong", &calls)); }),
                  std::string("cannot decrypt '") + file + "': wrong passphrase");
        EXPECT_EQ(calls, 1) << file;
        EXPECT_EQ(error_of([&] { load_private_key(fixture(file), file); }),
                  std::string("'") + file + "' is encrypted and no passphrase was given");
    }
}

TEST(LoadPrivateKey, PassphraseFnErrorPropagates) {
    auto refuse = []() -> std::string { throw Error("key is encrypted; use --passphrase-file"); };
    for (const char* file : {"rsa_pkcs8_enc.pem", "rsa_pkcs1_enc.pem"})  // PKCS#1: typed decode
        EXPECT_EQ(error_of([&] { load_private_key(fixture(file), "k", refuse); }),
                  "key is encrypted; use --passphrase-file")
            << file;
    // Not encrypted: never asked.
    EXPECT_NO_THROW(load_private_key(fixture("rsa_pkcs8.pem"), "k", refuse));
}

TEST(LoadPrivateKey, ReadsEd25519Pkcs8) {
    auto key = load_private_key(fixture("ed25519_pkcs8.pem"), "ed");
    EXPECT_EQ(key_type(key.get()), KeyType::Ed25519);
    EXPECT_EQ(key_type_name(key.get()), "ED25519");
    EXPECT_EQ(public_key_pem(key.get()), fixture("ed25519_spki.pem"));
    EXPECT_THROW(rsa_components(key.get(), true), Error);
}

TEST(LoadPrivateKey, AcceptsTextAroundPemAndCertificateBundles) {
    auto pem =
        "comment before the block\n" + fixture("rsa_pkcs1.pem") + fixture("ed25519_cert.pem");
    EXPECT_EQ(modulus_hex(load_private_key(pem, "bundle").get()), kFixtureModulusHex);
}

struct BadCase {
    const char* label;
    std::string data;
    const char* message;  // the whole expected message for name "x"
};

TEST(LoadPrivateKey, BadInputFailsWithAClearMessage) {
    const std::string pkcs1 = fixture("rsa_pkcs1.pem");
    std::string corrupt = pkcs1;
    corrupt.replace(corrupt.find("MIIC"), 4, "MIID");  // outer SEQUENCE length no longer fits
    const BadCase cases[] = {
        {"empty", "", "'x' is empty"},
        {"blank", " \n\r\n", "'x' is empty"},
        {"garbage", "this is not a key\n",
         "'x' is not a private key (expected PEM or DER PKCS#1 or PKCS#8)"},
        {"truncated PEM", pkcs1.substr(0, 500),
         "'x' holds a truncated PEM block ('RSA PRIVATE KEY' without its END line)"},
        {"truncated DER", fixture("rsa_pkcs8.der").substr(0, 300),
         "'x' is not a private key (expected PEM or DER PKCS#1 or PKCS#8)"},
        {"corrupt PEM", corrupt, "'x' holds a damaged or unsupported PEM 'RSA PRIVATE KEY' block"},
        {"certificate", fixture("ed25519_cert.pem"), "'x' holds a CERTIFICATE, not a private key"},
        {"public key", fixture("rsa_spki.pem"), "'x' is a public key, not a private key"},
        {"DER + junk", fixture("rsa_pkcs1.der") + "junk",
         "'x' has 4 bytes of unexpected data after the key"},
        {"two keys", pkcs1 + fixture("rsa_pkcs8.pem"), "'x' holds more than one key"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(error_of([&] { load_private_key(c.data, "x"); }), c.message) << c.label;
}

TEST(LoadPublicKey, ReadsEveryPublicFormatAndPrivateKeys) {
    for (const char* file : kPublicFormats) {
        auto key = load_public_key(fixture(file), file);
        EXPECT_EQ(modulus_hex(key.get()), kFixtureModulusHex) << file;
        EXPECT_EQ(public_key_pem(key.get()), fixture("rsa_spki.pem")) << file;
        EXPECT_EQ(as_map(rsa_components(key.get(), true)).count("private_exponent"), 0u) << file;
    }
    for (const auto& c : kPrivateFormats) {
        auto key = load_public_key(fixture(c.file), c.file, fixed(kPassphrase));
        EXPECT_EQ(public_key_pem(key.get()), fixture("rsa_spki.pem")) << c.file;
        // Only the public half comes back.
        EXPECT_EQ(rsa_components(key.get(), true).size(), 3u) << c.file;
        EXPECT_THROW(private_key_pem(key.get()), Error) << c.file;
    }
}

TEST(LoadPublicKey, BadInputFailsWithAClearMessage) {
    EXPECT_EQ(error_of([] { load_public_key("", "p"); }), "'p' is empty");
    EXPECT_EQ(error_of([] { load_public_key("\x30\x03\x02\x01", "p"); }),
              "'p' is not a public key (expected PEM or DER SubjectPublicKeyInfo or PKCS#1)");
    EXPECT_EQ(error_of([] { load_public_key(fixture("ed25519_cert.pem"), "p"); }),
              "'p' holds a CERTIFICATE, not a public key");
}

TEST(LoadKey, KeepsPrivateKeysWhole) {
    auto priv = load_key(fixture("rsa_pkcs8_enc.pem"), "k", fixed(kPassphrase));
    EXPECT_EQ(rsa_components(priv.get(), true).size(), 10u);
    auto pub = load_key(fixture("rsa_pkcs1_pub.pem"), "k");
    EXPECT_EQ(rsa_components(pub.get(), true).size(), 3u);
    EXPECT_EQ(error_of([] { load_key("junk", "k"); }),
              "'k' is not a key (expected PEM or DER PKCS#1, PKCS#8 or SubjectPublicKeyInfo)");
}

// netius-vectors §K.3: `rsa read_private` of the §D.1 key, whose DER is non-canonical (version
// INTEGER of length 0, modulus without a sign byte). OpenSSL 3 accepts it.
TEST(RsaComponents, NetiusVectorKey) {
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"bits", "1024"},
        {"coefficient",
         "69785044558904670955234576287725411247652432525233060198534476572062103805721246085777363"
         "27427032148595941173746128065161737920431016894890735568717981954"},
        {"exponent_1",
         "45517779660327112914958642161979761760916375369391802214075061244535244683518686862626710"
         "80952502050144627894086076492019846734765244935808007710904371193"},
        {"exponent_2",
         "34058989569130743734785234696074801496468326098050050962061798608194874251595168508529151"
         "09481524296497187303102317616431377459248193147252980509251864505"},
        {"modulus",
         "90646053318394293702865199741468643562842914684587865828742324071148180504963671240240765"
         "24254631089758354666914853835358633467504701428102784524752220581090917116479295950295190"
         "28261693733054997120753363367211931194498810209453745304694633851187813646745670477951078"
         "37353131217609532067835295644099420716709"},
        {"prime_1",
         "12228821536438706235581063094899022901226434748642414289185198363462762690923030994982236"
         "395522838684116113728569287327109317678786171081333500096316298061"},
        {"prime_2",
         "74124929412284446987899575807015384241823952694447786334826954982408510405034123419900872"
         "55673319092071071108272725720720724754981198628217666244971920569"},
        {"private_exponent",
         "38327857294444730042572860369498719528967453634200746906026802300007434425943334204164240"
         "74394923205644044832306598022973634618887388517542094724589297411663371189796516900749110"
         "92249326693132169374961995670201707817915678796909488600718442987065055414248593066883822"
         "00242980314407061897092672920993570191713"},
        {"public_exponent", "65537"},
        {"version", "0"},
    };
    auto key = load_private_key(fixture("netius_d1.pem"), "netius_d1.pem");
    EXPECT_EQ(rsa_components(key.get(), true), expected);
    EXPECT_EQ(rsa_components(key.get(), false), (std::vector<std::pair<std::string, std::string>>{
                                                    expected[0], expected[4], expected[8]}));
    // netius' own public PEM (§K.4, also non-canonical) has the same key.
    auto pub = load_public_key(fixture("netius_d1.pub"), "netius_d1.pub");
    EXPECT_EQ(rsa_components(pub.get(), true), (std::vector<std::pair<std::string, std::string>>{
                                                   expected[0], expected[4], expected[8]}));
}

TEST(PublicKeyPem, NetiusVectorKeyGetsOpenSslCanonicalDer) {
    // `openssl pkey -in netius_d1.pem -pubout`: the modulus regains its 0x00 sign byte, unlike
    // netius' own §K.4 output (`MIGeMA0...`).
    const std::string openssl =
        "-----BEGIN PUBLIC KEY-----\n"
        "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCBFZJfTssHRXOkPLXi1po7Vv6O\n"
        "5BWFCnIrL9/Fou6miHLhQM7EclQjPuPNHoHyX3cpdarEblRkrYJ24vpMokZBn6Ma\n"
        "ROTRhTd3evmTA805fWj6qEgIkXy1xZlzDUxRXzXqzEneGLpFPPt9pG8m2P0nZIzZ\n"
        "xjd6rTFBIz928PV+pQIDAQAB\n"
        "-----END PUBLIC KEY-----\n";
    auto key = load_private_key(fixture("netius_d1.pem"), "netius_d1.pem");
    EXPECT_EQ(public_key_pem(key.get()), openssl);
    EXPECT_EQ(public_key_pem(load_public_key(fixture("netius_d1.pub"), "p").get()), openssl);
    EXPECT_NE(openssl, fixture("netius_d1.pub"));
}

TEST(CheckKey, PassesSoundKeysAndCatchesADamagedModulus) {
    for (const auto& c : kPrivateFormats)
        EXPECT_NO_THROW(
            check_key(load_key(fixture(c.file), c.file, fixed(kPassphrase)).get(), c.file));
    for (const char* file : kPublicFormats)
        EXPECT_NO_THROW(check_key(load_key(fixture(file), file).get(), file));
    EXPECT_NO_THROW(check_key(load_key(fixture("netius_d1.pem"), "n").get(), "n"));
    EXPECT_NO_THROW(check_key(load_key(fixture("ed25519_pkcs8.pem"), "e").get(), "e"));

    // 48 bytes of the modulus zeroed: still well-formed DER, so it loads, but n != p*q.
    std::string pem = fixture("rsa_pkcs1.pem");
    auto line = pem.find('\n', pem.find('\n') + 1) + 1;
    pem.replace(line, 64, std::string(64, 'A'));
    auto damaged = load_private_key(pem, "x");
    std::string message = error_of([&] { check_key(damaged.get(), "x"); });
    EXPECT_EQ(message.rfind("'x' is a damaged RSA key (", 0), 0u) << message;
}

TEST(PublicKeyFromSpkiDer, RoundTripsAndRejectsBadBytes) {
    auto key = load_private_key(fixture("rsa_pkcs1.pem"), "k");
    std::string der = public_key_der(key.get());
    EXPECT_EQ(der, fixture("rsa_spki.der"));
    auto pub = public_key_from_spki_der(der);
    EXPECT_EQ(EVP_PKEY_eq(pub.get(), key.get()), 1);
    EXPECT_THROW(public_key_from_spki_der(der + "x"), Error);
    EXPECT_THROW(public_key_from_spki_der(der.substr(0, der.size() - 1)), Error);
    EXPECT_THROW(public_key_from_spki_der(""), Error);
    EXPECT_THROW(public_key_from_spki_der(fixture("rsa_pkcs1.der")), Error);
}

TEST(PublicKeyFromSpkiDer, AcceptsNetiusDkimRecordKey) {
    // netius-vectors §D.1 PUBLIC_KEY, a DKIM `p=` value as netius writes it (no sign byte).
    auto der = base64_decode(
        "MIGeMA0GCSqGSIb3DQEBAQUAA4GMADCBiAKBgIEVkl9OywdFc6Q8teLWmjtW/o7kFYUKcisv38Wi7qaIcuFAzsRy"
        "VCM+480egfJfdyl1qsRuVGStgnbi+kyiRkGfoxpE5NGFN3d6+ZMDzTl9aPqoSAiRfLXFmXMNTFFfNerMSd4YukU8"
        "+32kbybY/SdkjNnGN3qtMUEjP3bw9X6lAgMBAAE=");
    ASSERT_TRUE(der);
    auto pub = public_key_from_spki_der(*der);
    auto key = load_private_key(fixture("netius_d1.pem"), "netius_d1.pem");
    EXPECT_EQ(EVP_PKEY_eq(pub.get(), key.get()), 1);
    EXPECT_EQ(key_bits(pub.get()), 1024);
}

TEST(PrivateKeyPem, MatchesOpenSslTraditionalAndPkcs8Output) {
    // RSA: what `openssl rsa -traditional` wrote; Ed25519: `openssl genpkey`'s PKCS#8.
    auto rsa = load_private_key(fixture("rsa_pkcs8.pem"), "rsa");
    EXPECT_EQ(private_key_pem(rsa.get()), fixture("rsa_pkcs1.pem"));
    auto ed = load_private_key(fixture("ed25519_pkcs8.pem"), "ed");
    EXPECT_EQ(private_key_pem(ed.get()), fixture("ed25519_pkcs8.pem"));
}

TEST(GenerateRsaKey, HasTheRequestedSizeAndRoundTrips) {
    auto key = generate_rsa_key(2048);
    EXPECT_EQ(key_type(key.get()), KeyType::Rsa);
    EXPECT_EQ(key_bits(key.get()), 2048);
    auto parts = as_map(rsa_components(key.get(), true));
    EXPECT_EQ(parts["bits"], "2048");
    EXPECT_EQ(parts["public_exponent"], "65537");
    std::string pem = private_key_pem(key.get());
    EXPECT_EQ(pem.rfind("-----BEGIN RSA PRIVATE KEY-----\n", 0), 0u) << pem;
    auto again = load_private_key(pem, "generated");
    EXPECT_EQ(EVP_PKEY_eq(again.get(), key.get()), 1);
    EXPECT_EQ(as_map(rsa_components(again.get(), true)), parts);
}

TEST(GenerateRsaKey, RefusesSizesOutOfRange) {
    EXPECT_EQ(error_of([] { generate_rsa_key(512); }),
              "RSA key size 512 is outside 1024..16384 bits");
    EXPECT_THROW(generate_rsa_key(16385), Error);
}

TEST(PublicKeyEd25519Raw, RoundTripsThroughRawBytes) {
    auto key = generate_ed25519_key();
    EXPECT_EQ(key_type(key.get()), KeyType::Ed25519);
    std::string raw = public_key_ed25519_raw(key.get());
    ASSERT_EQ(raw.size(), 32u);
    auto pub = public_key_from_ed25519_raw(raw);
    EXPECT_EQ(EVP_PKEY_eq(pub.get(), key.get()), 1);
    EXPECT_EQ(public_key_der(pub.get()), public_key_der(key.get()));
    std::string pem = private_key_pem(key.get());
    EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << pem;
    EXPECT_EQ(public_key_ed25519_raw(load_private_key(pem, "ed").get()), raw);
    EXPECT_THROW(public_key_from_ed25519_raw(raw.substr(1)), Error);
    EXPECT_THROW(public_key_ed25519_raw(load_public_key(fixture("rsa_spki.pem"), "p").get()),
                 Error);
}

}  // namespace
}  // namespace netius::crypto
