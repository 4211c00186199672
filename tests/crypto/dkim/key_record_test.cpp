#include "crypto/dkim/key_record.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "util/error.hpp"

namespace netius::crypto::dkim {
namespace {

// netius-vectors §D.1 PUBLIC_KEY is netius' own (sign-byte-less) DER; this is the same 1024-bit
// key as OpenSSL writes it (`openssl pkey -pubout` of the §D.1 key).
const char* const kRsa1024Spki =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCBFZJfTssHRXOkPLXi1po7Vv6O5BWFCnIrL9/Fou6miHLhQM7EclQj"
    "PuPNHoHyX3cpdarEblRkrYJ24vpMokZBn6MaROTRhTd3evmTA805fWj6qEgIkXy1xZlzDUxRXzXqzEneGLpFPPt9pG8m"
    "2P0nZIzZxjd6rTFBIz928PV+pQIDAQAB";
const std::string kEd25519Raw = base64_encode(std::string(32, '\x07'));

struct GoodCase {
    const char* name;
    std::string text;
    KeyType type;
    bool revoked, testing, strict;
};

const GoodCase kGood[] = {
    {"rsa", std::string("v=DKIM1; k=rsa; p=") + kRsa1024Spki, KeyType::Rsa, false, false, false},
    {"rsa_default_k", std::string("p=") + kRsa1024Spki, KeyType::Rsa, false, false, false},
    {"rsa_folded_p", std::string("v=DKIM1; p=") + std::string(kRsa1024Spki).insert(40, " "),
     KeyType::Rsa, false, false, false},
    {"ed25519", "v=DKIM1; k=ed25519; p=" + kEd25519Raw, KeyType::Ed25519, false, false, false},
    {"revoked", "v=DKIM1; k=rsa; p=", KeyType::Rsa, true, false, false},
    {"flags", std::string("v=DKIM1; t=y:s; h=sha1:sha256; s=email; p=") + kRsa1024Spki,
     KeyType::Rsa, false, true, true},
    {"service_star_unknown_tags", std::string("v=DKIM1; s=*; n=notes; zz=1; p=") + kRsa1024Spki,
     KeyType::Rsa, false, false, false},
};

struct BadCase {
    const char* name;
    std::string text;
    std::string reason;
};

const BadCase kBad[] = {
    {"not_a_tag_list", "hello", "bad tag list: missing '=' in 'hello'"},
    {"wrong_version", std::string("v=DKIM2; p=") + kRsa1024Spki, "v= is not DKIM1"},
    {"version_not_first", std::string("k=rsa; v=DKIM1; p=") + kRsa1024Spki,
     "v= is not the first tag"},
    {"unknown_type", "v=DKIM1; k=dsa; p=AAAA", "unknown key type k=dsa"},
    {"no_p", "v=DKIM1; k=rsa", "missing p="},
    {"sha1_only", std::string("v=DKIM1; h=sha1; p=") + kRsa1024Spki, "h= does not allow sha256"},
    {"other_service", std::string("v=DKIM1; s=tlsrpt; p=") + kRsa1024Spki,
     "s= does not allow email"},
    {"bad_base64", "v=DKIM1; p=!!!", "p= is not base64"},
    {"not_a_key", "v=DKIM1; p=" + base64_encode("hello world"), "p= is not an RSA public key"},
    {"ed25519_wrong_length", "v=DKIM1; k=ed25519; p=" + base64_encode(std::string(31, 'x')),
     "p= is not an Ed25519 public key"},
    {"rsa_key_as_ed25519", std::string("v=DKIM1; k=ed25519; p=") + kRsa1024Spki,
     "p= is not an Ed25519 public key"},
};

template <typename C>
std::string case_name(const ::testing::TestParamInfo<C>& i) {
    return i.param.name;
}

class KeyRecordGood : public ::testing::TestWithParam<GoodCase> {};
class KeyRecordBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(KeyRecordGood, Parses) {
    const GoodCase& c = GetParam();
    auto r = parse_key_record(c.text);
    ASSERT_TRUE(std::holds_alternative<KeyRecord>(r)) << std::get<KeyRecordError>(r).reason;
    const KeyRecord& k = std::get<KeyRecord>(r);
    EXPECT_EQ(k.type, c.type);
    EXPECT_EQ(k.revoked, c.revoked);
    EXPECT_EQ(k.key == nullptr, c.revoked);
    EXPECT_EQ(k.testing, c.testing);
    EXPECT_EQ(k.strict, c.strict);
    if (k.key) {
        EXPECT_EQ(key_type(k.key.get()), c.type);
    }
}

TEST_P(KeyRecordBad, IsRejectedWithItsReason) {
    auto r = parse_key_record(GetParam().text);
    ASSERT_TRUE(std::holds_alternative<KeyRecordError>(r));
    EXPECT_EQ(std::get<KeyRecordError>(r).reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(Dkim, KeyRecordGood, ::testing::ValuesIn(kGood), case_name<GoodCase>);
INSTANTIATE_TEST_SUITE_P(Dkim, KeyRecordBad, ::testing::ValuesIn(kBad), case_name<BadCase>);

TEST(KeyRecordText, RoundTripsBothKeyTypes) {
    std::vector<PKeyPtr> keys;
    keys.push_back(generate_ed25519_key());
    keys.push_back(load_public_key(base64_decode(kRsa1024Spki).value(), "spki"));
    for (const auto& key : keys) {
        const std::string text = key_record_text(key.get());
        auto r = parse_key_record(text);
        ASSERT_TRUE(std::holds_alternative<KeyRecord>(r)) << text;
        EXPECT_EQ(EVP_PKEY_eq(std::get<KeyRecord>(r).key.get(), key.get()), 1) << text;
    }
    auto rsa = load_public_key(base64_decode(kRsa1024Spki).value(), "spki");
    EXPECT_EQ(key_record_text(rsa.get()), std::string("v=DKIM1; k=rsa; p=") + kRsa1024Spki);
}

TEST(TxtRecordLine, SplitsStringsAt255Bytes) {
    EXPECT_EQ(txt_record_line("sel", "example.com", "v=DKIM1; k=ed25519; p=abc"),
              "sel._domainkey.example.com. IN TXT \"v=DKIM1; k=ed25519; p=abc\"");
    const std::string record(600, 'x');
    EXPECT_EQ(txt_record_line("s", "d.org", record),
              "s._domainkey.d.org. IN TXT \"" + std::string(255, 'x') + "\" \"" +
                  std::string(255, 'x') + "\" \"" + std::string(90, 'x') + "\"");
    EXPECT_EQ(txt_record_line("s", "d.org", std::string(255, 'y')),
              "s._domainkey.d.org. IN TXT \"" + std::string(255, 'y') + "\"");
}

TEST(KeyRecordFromText, BareOrZoneLine) {
    EXPECT_EQ(key_record_from_text("v=DKIM1; k=rsa; p=AB"), "v=DKIM1; k=rsa; p=AB");
    EXPECT_EQ(key_record_from_text("v=DKIM1; k=rsa;\np=AB\n"), "v=DKIM1; k=rsa; p=AB ");
    EXPECT_EQ(key_record_from_text("s._domainkey.d. IN TXT \"v=DKIM1; p=AB\" \"CD\"\n"),
              "v=DKIM1; p=ABCD");
    EXPECT_EQ(key_record_from_text("x IN TXT ( \"a\\\"b\"\n  \"c\\\\d\" )"), "a\"bc\\d");
    EXPECT_THROW(key_record_from_text("x IN TXT \"v=DKIM1; p=AB"), Error);
    // What txt_record_line writes, read back.
    const std::string record = "v=DKIM1; k=rsa; p=" + std::string(400, 'Q');
    EXPECT_EQ(key_record_from_text(txt_record_line("s", "d", record) + "\n"), record);
}

TEST(KeyRecordName, Shape) {
    EXPECT_EQ(key_record_name("20240101", "example.com"), "20240101._domainkey.example.com");
}

TEST(ValidDnsName, Table) {
    for (const char* ok :
         {"example.com", "a", "20240101120000.mail", "sub-1.ex_ample.org", "\xc3\xa9.fr"})
        EXPECT_TRUE(valid_dns_name(ok)) << ok;
    for (const char* bad : {"", ".", "a..b", ".a", "a.", "a b", "a;b", "a=b", "a/b", "a@b"})
        EXPECT_FALSE(valid_dns_name(bad)) << bad;
}

}  // namespace
}  // namespace netius::crypto::dkim
