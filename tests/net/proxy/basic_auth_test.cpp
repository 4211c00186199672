// serve proxy's --auth: the Authorization parser (RFC 7617), the 401 answer, dropping the
// credentials, and BasicAuth's checks — digests on the loop, argon2 on its thread, successes
// remembered (bounded) so a second request costs no hash.
#include "net/proxy/basic_auth.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "../net_test_util.hpp"
#include "crypto/encoding.hpp"
#include "crypto/password.hpp"
#include "net/event_loop.hpp"

namespace netius::net::proxy {
namespace {

using namespace std::chrono_literals;
using Verdict = BasicAuth::Verdict;

// "a" + b, appended (GCC 12 warns, -Wrestrict, on operator+ with a literal first).
std::string cat(std::string a, std::string_view b) {
    return a.append(b);
}

std::string basic(std::string_view user_password) {
    return cat("Basic ", crypto::base64_encode(user_password));
}

TEST(ParseBasic, Credentials) {
    auto c = parse_basic(basic("alice:se:cr et"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user, "alice");
    EXPECT_EQ(c->password, "se:cr et");  // the user-id ends at the first ':'
    c = parse_basic(cat("bAsIc   ", crypto::base64_encode("u:")));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user, "u");
    EXPECT_EQ(c->password, "");
    c = parse_basic(basic("Zoë:pässword"));  // UTF-8 kept as bytes (charset="UTF-8")
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user, "Zoë");
}

TEST(ParseBasic, Refusals) {
    for (std::string bad :
         {std::string("Bearer abc"), std::string("Basic"), std::string("Basic "),
          std::string("Basic !!!"), basic("no colon"), basic("a:b").append(" extra"),
          cat("Digest ", crypto::base64_encode("a:b")), std::string("")})
        EXPECT_FALSE(parse_basic(bad)) << bad;
}

TEST(BasicAuthAnswers, UnauthorizedAndDroppedCredentials) {
    http::Response res;
    answer_unauthorized(res, "a.test");
    EXPECT_EQ(res.status, http::Status::kUnauthorized);
    ASSERT_FALSE(res.headers.empty());
    EXPECT_EQ(res.headers[0].name, "WWW-Authenticate");
    EXPECT_EQ(res.headers[0].value, "Basic realm=\"a.test\", charset=\"UTF-8\"");
    EXPECT_NE(res.body.find("a.test"), std::string_view::npos);
    http::Response odd;
    answer_unauthorized(odd, "a\"b\\c.test");
    EXPECT_EQ(odd.headers[0].value, "Basic realm=\"a\\\"b\\\\c.test\", charset=\"UTF-8\"");

    Fields f = {{"Accept", "*/*"},
                {"authorization", "Basic x"},
                {"AUTHORIZATION", "y"},
                {"Proxy-Authorization", "kept here"}};
    drop_credentials(f);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].first, "Accept");
    EXPECT_EQ(f[1].first, "Proxy-Authorization");
}

class BasicAuthTest : public ::testing::Test {
  protected:
    // Checks on the loop; the verdict, and whether it came before check() returned.
    std::pair<std::optional<Verdict>, bool> run(BasicAuth& auth, const std::string& file,
                                                std::optional<std::string> authorization) {
        std::optional<Verdict> verdict;
        bool waiting = false;
        auth.check(file, authorization, [&](Verdict v) {
            verdict = v;
            if (waiting) loop_.quit();
        });
        const bool at_once = verdict.has_value();
        waiting = !at_once;
        if (waiting) test::run_loop(loop_, 30s);
        return {verdict, at_once};
    }

    EventLoop loop_;
};

TEST_F(BasicAuthTest, DigestsOnTheLoopAndRemembered) {
    const std::string text =
        "alice:" + crypto::generate_password("secret", "sha256", "s") + "\nbob:plain-pw\n";
    BasicAuth auth(&loop_, AuthUsers::of({{"users", AuthFile::parse(text, "users")}}));
    EXPECT_EQ(run(auth, "users", basic("alice:secret")),
              std::pair(std::optional(Verdict::kAllowed), true));
    EXPECT_EQ(auth.cached(), 1u);
    EXPECT_EQ(run(auth, "users", basic("alice:secret")).first, Verdict::kAllowed);
    EXPECT_EQ(auth.cached(), 1u);  // the same entry
    EXPECT_EQ(run(auth, "users", basic("bob:plain-pw")).first, Verdict::kAllowed);
    EXPECT_EQ(run(auth, "users", basic("alice:wrong")),
              std::pair(std::optional(Verdict::kDenied), true));
    EXPECT_EQ(run(auth, "users", basic("bob:")).first, Verdict::kDenied);
    EXPECT_EQ(run(auth, "users", std::nullopt).first, Verdict::kDenied);
    EXPECT_EQ(run(auth, "users", "Bearer token").first, Verdict::kDenied);
    EXPECT_EQ(run(auth, "other", basic("alice:secret")).first, Verdict::kDenied);  // not loaded
    EXPECT_EQ(auth.cached(), 2u);  // failures are never remembered
}

TEST_F(BasicAuthTest, TheCacheIsBounded) {
    auto pair = [](std::size_t i) { return fmt::format("u{}:p{}", i, i); };
    std::string text;
    for (std::size_t i = 0; i < kCachedCredentials + 5; ++i) text.append(pair(i)).append("\n");
    BasicAuth auth(&loop_, AuthUsers::of({{"f", AuthFile::parse(text, "f")}}));
    for (std::size_t i = 0; i < kCachedCredentials + 5; ++i)
        ASSERT_EQ(run(auth, "f", basic(pair(i))).first, Verdict::kAllowed);
    EXPECT_EQ(auth.cached(), kCachedCredentials);
}

TEST_F(BasicAuthTest, Argon2OffTheLoopThenFromTheCache) {
    const std::string text = "carol:" + crypto::generate_password("slow pw") + "\n";
    // The same credentials for another file are not the same cache entry.
    BasicAuth auth(&loop_, AuthUsers::of({{"a", AuthFile::parse(text, "a")},
                                          {"b", AuthFile::parse("carol:other\n", "b")}}));
    EXPECT_EQ(run(auth, "a", basic("carol:slow pw")),
              std::pair(std::optional(Verdict::kAllowed), false));  // later, from the loop
    EXPECT_EQ(run(auth, "a", basic("carol:slow pw")),
              std::pair(std::optional(Verdict::kAllowed), true));  // remembered
    EXPECT_EQ(run(auth, "b", basic("carol:slow pw")).first, Verdict::kDenied);
    EXPECT_EQ(run(auth, "a", basic("carol:wrong")),
              std::pair(std::optional(Verdict::kDenied), false));
    // An unknown user costs an argon2 check as well (a decoy), off the loop.
    EXPECT_EQ(run(auth, "a", basic("dave:slow pw")),
              std::pair(std::optional(Verdict::kDenied), false));
}

}  // namespace
}  // namespace netius::net::proxy
