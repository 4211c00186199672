#include "crypto/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "util/error.hpp"

namespace netius::crypto {
namespace {

struct Vector {
    const char* password;
    const char* type;
    const char* salt;
    const char* expected;
};

// netius-vectors §A.1: `auth generate PASSWORD TYPE SALT` as the Python netius prints it.
const Vector kNetiusVectors[] = {
    {"secret", "sha256", "netius",
     "sha256:6e6574697573:14087ce0b8645c30c5a2abcb3f709a18a65f2903591290053846a73cedc4ee39"},
    {"secret", "md5", "netius", "md5:6e6574697573:c7ae53c5f44d5f7ec3283263879da8c6"},
    {"secret", "sha1", "netius", "sha1:6e6574697573:a5a34e445ef4cec012206c6313b77c0e3d62503f"},
    {"secret", "sha512", "netius",
     "sha512:6e6574697573:df5e90479d36f839b6855d0786900f8b589353e6823ad76929ecd67b38396fddf881189"
     "ed2bbd393c5b3b00e2e5da69203571452110d201c67536173c2e1f698"},
    {"secret", "plain", "netius", "secret"},
    {"secret", "sha256", "mysalt",
     "sha256:6d7973616c74:87f8212304855094425984919f4aa5f712ca354c881914af633fecfd4e1b72e6"},
    {"secret", "sha256", "",
     "sha256:2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"},
    {"password123", "sha256", "netius",
     "sha256:6e6574697573:4699fc40880219bccd2faa2dfd76aedaa27426bc49aa0ca1103df14b056915f4"},
    {"", "sha256", "netius",
     "sha256:6e6574697573:d21c2c571a079c14c41115ed7973d734b2e64c17b12d37d8806ee1ef87146fae"},
    {"secret", "sha3_256", "netius",
     "sha3_256:6e6574697573:431c06303ca0a6713831b1fd0491c33d45150faff462777992f2c76122c778e6"},
    {"secret", "blake2b", "netius",
     "blake2b:6e6574697573:d38f9fdf42415db697669ea3989655609a41972c40bd12990a0d749e0c58ffe2040bd0"
     "306851b70be6b34852c9d4de9bf0131faed717ca203663827488b79d99"},
    {"secret", "sha224", "netius",
     "sha224:6e6574697573:19a750260e13f5683d5bf1d55a7e28555fdb45034e51043278c60903"},
    {"secret", "sha384", "netius",
     "sha384:6e6574697573:c05a3ab754e43715e37e8a4a5a8a9537e90a19dff49c3f98b610a857bf7a7c81831ef16"
     "f8a5a08699ff4dcabe751c37a"},
};

TEST(Password, ReproducesNetiusVectors) {
    for (const auto& v : kNetiusVectors) {
        EXPECT_EQ(generate_password(v.password, v.type, std::string_view(v.salt)), v.expected)
            << v.type << " " << v.salt;
        EXPECT_TRUE(verify_password(v.expected, v.password)) << v.expected;
        EXPECT_FALSE(verify_password(v.expected, std::string(v.password) + "x")) << v.expected;
    }
}

TEST(Password, TextIsUtf8AndNetiusLatin1HashesStillVerify) {
    // We hash UTF-8; netius hashed Latin-1 (vectors §A.1 `generate Olá sha256`).
    EXPECT_EQ(
        generate_password("Ol\xc3\xa1", "sha256", std::string_view("netius")),
        "sha256:6e6574697573:4e65e5de873b5fdef691d51abe0852f79b3cdf022bd04db020a26664ab9ecb50");
    const std::string netius =
        "sha256:6e6574697573:3625b3b53b3e79992cc7711325de0286d6c00c784f4df86f41422c95dd8fd504";
    EXPECT_TRUE(verify_password(netius, "Ol\xc3\xa1"));
    EXPECT_FALSE(verify_password(netius, "Ola"));
}

TEST(Password, NetiusVerifySemantics) {
    // netius-vectors §A.2, with the case-sensitivity quirk fixed: hex is hex in any case.
    const std::string h =
        "sha256:6e6574697573:14087ce0b8645c30c5a2abcb3f709a18a65f2903591290053846a73cedc4ee39";
    EXPECT_TRUE(verify_password(h, "secret"));
    EXPECT_FALSE(verify_password(h, "wrong"));
    EXPECT_TRUE(verify_password("SHA256" + h.substr(6), "secret"));
    EXPECT_TRUE(verify_password(
        "sha256:6e6574697573:14087CE0B8645C30C5A2ABCB3F709A18A65F2903591290053846A73CEDC4EE39",
        "secret"));
    EXPECT_TRUE(verify_password("secret", "secret"));
    EXPECT_FALSE(verify_password("secret", "x"));
    EXPECT_FALSE(verify_password("secret", ""));
}

TEST(Password, PlainPasswordsMayContainColons) {
    // netius misreads these as "<type>:<digest>"; an unknown type or a non-digest is plain.
    EXPECT_TRUE(verify_password("pa:ss", "pa:ss"));
    EXPECT_TRUE(verify_password("a:b:c:d", "a:b:c:d"));
    EXPECT_TRUE(verify_password("sha256:notahexdigest", "sha256:notahexdigest"));
    EXPECT_FALSE(verify_password("pa:ss", "ss"));
}

TEST(Password, RandomSaltIsFreshAndVerifies) {
    std::string a = generate_password("secret", "sha256");
    std::string b = generate_password("secret", "sha256");
    EXPECT_NE(a, b);
    ASSERT_EQ(a.find("sha256:"), 0u);
    EXPECT_EQ(a.size(), std::string("sha256:").size() + 32 + 1 + 64);  // 16-byte salt in hex
    EXPECT_TRUE(verify_password(a, "secret"));
    EXPECT_TRUE(verify_password(b, "secret"));
    EXPECT_FALSE(verify_password(a, "Secret"));
}

TEST(Password, Argon2idIsTheDefaultAndLibsodiumReadsIt) {
    std::string h = generate_password("correct horse");
    ASSERT_EQ(h.rfind("$argon2id$v=19$", 0), 0u) << h;
    EXPECT_EQ(crypto_pwhash_str_verify(h.c_str(), "correct horse", 13), 0);
    EXPECT_EQ(crypto_pwhash_str_needs_rehash(h.c_str(), crypto_pwhash_OPSLIMIT_MODERATE,
                                             crypto_pwhash_MEMLIMIT_MODERATE),
              0);  // at least libsodium's moderate limits
    EXPECT_TRUE(verify_password(h, "correct horse"));
    EXPECT_FALSE(verify_password(h, "correct horse "));
    EXPECT_NE(h, generate_password("correct horse"));
}

TEST(Password, ReadsLibsodiumArgon2Strings) {
    char str[crypto_pwhash_STRBYTES];
    ASSERT_EQ(crypto_pwhash_argon2i_str(str, "pw", 2, crypto_pwhash_argon2i_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_argon2i_MEMLIMIT_INTERACTIVE),
              0);
    EXPECT_TRUE(verify_password(str, "pw"));
    EXPECT_FALSE(verify_password(str, "pw2"));
    EXPECT_FALSE(verify_password("$argon2id$v=19$garbage", "pw"));
}

// An argon2 string names its own cost; past 16 passes or 1 GiB it does not match, and does not
// run (t=4294967295 would take hours).
TEST(Password, Argon2CostIsBounded) {
    char str[crypto_pwhash_STRBYTES];
    for (unsigned long long passes : {16ull, 17ull}) {
        ASSERT_EQ(
            crypto_pwhash_argon2id_str(str, "pw", 2, passes, crypto_pwhash_argon2id_MEMLIMIT_MIN),
            0);
        EXPECT_EQ(verify_password(str, "pw"), passes == 16) << str;
    }
    EXPECT_FALSE(verify_password(
        "$argon2id$v=19$m=8,t=4294967295,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "x"));
    EXPECT_FALSE(verify_password(
        "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "x"));
}

TEST(Password, UnknownTypeIsAnError) {
    EXPECT_THROW(generate_password("secret", "nothash", std::string_view("x")), Error);
    EXPECT_THROW(generate_password("secret", "argon2id", std::string_view("salt")), Error);
}

}  // namespace
}  // namespace netius::crypto
