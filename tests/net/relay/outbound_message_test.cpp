// Preparing queued mail: Date/Message-ID only when missing, the From domain, and DKIM signing
// with the `dkim sign` code (checked here with crypto::dkim::verify_message, in the
// integration test with dkimpy).
#include "net/relay/outbound_message.hpp"

#include <gtest/gtest.h>

#include "crypto/dkim/key_record.hpp"
#include "crypto/dkim/verify.hpp"
#include "crypto/keys.hpp"
#include "util/files.hpp"

namespace netius::net::relay {
namespace {

const std::string kKeys = std::string(NETIUS_TEST_DATA) + "/keys/";

TEST(MissingFields, AddsOnlyWhatIsMissing) {
    const std::int64_t t = 1700000000;
    EXPECT_EQ(missing_fields("Date: x\r\nMessage-Id: <a@b>\r\n\r\nbody\r\n", "ID", "h", t), "");
    EXPECT_EQ(missing_fields("Date: x\r\n\r\nbody\r\n", "ID", "h", t),
              "Message-ID: <ID.1700000000@h>\r\n");
    EXPECT_EQ(missing_fields("message-id: <a@b>\r\n\r\n", "ID", "h", t),
              "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n");
    EXPECT_EQ(missing_fields("no header at all", "ID", "h", t),
              "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMessage-ID: <ID.1700000000@h>\r\n");
}

TEST(FromDomain, FindsTheAddress) {
    const std::vector<std::pair<std::string, std::string>> table = {
        {"From: joe@Example.COM\r\n\r\n", "example.com"},
        {"From: \"Joe\" <joe@example.org>\r\n\r\n", "example.org"},
        {"Subject: x\r\nfrom: Joe\r\n <joe@folded.example>\r\n\r\n", "folded.example"},
        {"Subject: no from\r\n\r\n", ""},
        {"From: undisclosed\r\n\r\n", ""},
    };
    for (const auto& [message, domain] : table) EXPECT_EQ(from_domain(message), domain) << message;
}

TEST(DkimSigner, SpecsAreChecked) {
    DkimSigner s;
    EXPECT_THROW(s.load("example.com:sel"), std::exception);
    EXPECT_THROW(s.load("example.com::" + kKeys + "rsa_pkcs8.pem"), std::exception);
    EXPECT_THROW(s.load("bad domain:sel:" + kKeys + "rsa_pkcs8.pem"), std::exception);
    EXPECT_THROW(s.load("example.com:sel:/nonexistent.pem"), std::exception);
    EXPECT_TRUE(s.empty());
}

TEST(DkimSigner, SignsOnlyMatchingFromDomainsAndVerifies) {
    DkimSigner s;
    s.load("Example.com:rsa:" + kKeys + "rsa_pkcs8.pem");
    s.load("example.org:ed:" + kKeys + "ed25519_pkcs8.pem");
    EXPECT_EQ(s.sign("From: a@other.example\r\n\r\nx\r\n"), "");
    for (const std::string domain : {"example.com", "example.org"}) {
        const std::string message =
            "From: Joe <joe@" + domain + ">\r\nSubject: hi\r\n\r\nHello.\r\n";
        const std::string field = s.sign(message);
        ASSERT_EQ(field.rfind("DKIM-Signature:", 0), 0u) << field;
        EXPECT_NE(field.find("d=" + domain), std::string::npos);
        const std::string file = domain == "example.com" ? "rsa_pkcs8.pem" : "ed25519_pkcs8.pem";
        auto key = crypto::load_private_key(read_input(kKeys + file), file);
        const std::string record = crypto::dkim::key_record_text(key.get());
        auto results = crypto::dkim::verify_message(
            field + message,
            [&](std::string_view, std::string_view) { return std::vector<std::string>{record}; });
        ASSERT_EQ(results.size(), 1u);
        EXPECT_TRUE(results[0].pass) << results[0].reason;
    }
}

}  // namespace
}  // namespace netius::net::relay
