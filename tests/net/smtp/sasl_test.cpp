// SASL PLAIN/LOGIN response decoding.
#include "net/smtp/sasl.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"

namespace netius::net::smtp {
namespace {

std::string b64(std::string_view s) {
    return crypto::base64_encode(s);
}

TEST(Sasl, PlainMessages) {
    Credentials c;
    EXPECT_EQ(decode_plain(b64(std::string("\0joe\0secret", 11)), c), SaslStatus::kOk);
    EXPECT_EQ(c.user, "joe");
    EXPECT_EQ(c.password, "secret");
    EXPECT_EQ(decode_plain(b64(std::string("joe\0joe\0s:e", 11)), c), SaslStatus::kOk);
    EXPECT_EQ(c.password, "s:e");
    EXPECT_EQ(decode_plain(b64(std::string("ann\0joe\0s", 9)), c), SaslStatus::kBadMessage);
    EXPECT_EQ(decode_plain(b64(std::string("\0joe", 4)), c), SaslStatus::kBadMessage);
    EXPECT_EQ(decode_plain(b64(std::string("\0\0pw", 4)), c), SaslStatus::kBadMessage);
    EXPECT_EQ(decode_plain(b64(std::string("\0joe\0", 5)), c), SaslStatus::kBadMessage);
    EXPECT_EQ(decode_plain(b64(std::string("\0a\0b\0c", 6)), c), SaslStatus::kBadMessage);
    EXPECT_EQ(decode_plain("*", c), SaslStatus::kCancelled);
    EXPECT_EQ(decode_plain("not base64!", c), SaslStatus::kBadBase64);
    EXPECT_EQ(decode_plain("=", c), SaslStatus::kBadMessage);  // empty response
}

TEST(Sasl, ResponseLines) {
    std::string out;
    EXPECT_EQ(decode_response(b64("joe"), out), SaslStatus::kOk);
    EXPECT_EQ(out, "joe");
    EXPECT_EQ(decode_response("=", out), SaslStatus::kOk);
    EXPECT_EQ(out, "");
    EXPECT_EQ(decode_response("", out), SaslStatus::kBadBase64);
    EXPECT_EQ(decode_response("*", out), SaslStatus::kCancelled);
    EXPECT_EQ(b64("Username:"), kLoginUserPrompt);
    EXPECT_EQ(b64("Password:"), kLoginPasswordPrompt);
}

}  // namespace
}  // namespace netius::net::smtp
