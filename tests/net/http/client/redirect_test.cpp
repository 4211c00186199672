#include "net/http/client/redirect.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net::http {
namespace {

using std::chrono::milliseconds;

ClientRequest request(const std::string& method, const std::string& url) {
    ClientRequest r;
    r.method = method;
    std::string error;
    EXPECT_TRUE(parse_url(url, r.url, error)) << error;
    if (method == "POST" || method == "PUT") {
        r.body = "a=1";
        r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
    r.headers.emplace_back("X-Keep", "1");
    return r;
}

// "METHOD url body=<body> creds=<user or ->" plus the user fields by name, or "error ...".
std::string follow(const ClientRequest& from, int status, std::string_view location) {
    ClientRequest next;
    std::string error;
    if (!redirect_request(from, status, location, next, error)) return "error " + error;
    std::string s = next.method + " " + next.url.to_string() + " body=" + next.body + " creds=" +
                    (next.send_credentials && next.url.has_userinfo ? next.url.user : "-");
    for (const auto& [name, value] : next.headers) s += " " + name;
    return s;
}

struct MethodCase {
    const char* method;
    int status;
    const char* want;
};

class RedirectMethod : public ::testing::TestWithParam<MethodCase> {};

TEST_P(RedirectMethod, Rfc9110Section15_4) {
    const auto& c = GetParam();
    EXPECT_EQ(follow(request(c.method, "http://a/x"), c.status, "/y"), c.want);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Table, RedirectMethod, ::testing::Values(
    MethodCase{"GET", 301, "GET http://a/y body= creds=- X-Keep"},
    MethodCase{"POST", 301, "GET http://a/y body= creds=- X-Keep"},
    MethodCase{"POST", 302, "GET http://a/y body= creds=- X-Keep"},
    MethodCase{"PUT", 302, "PUT http://a/y body=a=1 creds=- Content-Type X-Keep"},
    MethodCase{"POST", 303, "GET http://a/y body= creds=- X-Keep"},
    MethodCase{"PUT", 303, "GET http://a/y body= creds=- X-Keep"},
    MethodCase{"HEAD", 303, "HEAD http://a/y body= creds=- X-Keep"},
    MethodCase{"POST", 307, "POST http://a/y body=a=1 creds=- Content-Type X-Keep"},
    MethodCase{"POST", 308, "POST http://a/y body=a=1 creds=- Content-Type X-Keep"},
    MethodCase{"DELETE", 301, "DELETE http://a/y body= creds=- X-Keep"}),
    [](const auto& i) { return std::string(i.param.method) + std::to_string(i.param.status); });
// clang-format on

TEST(Redirect, CredentialsStayOnTheirOrigin) {
    ClientRequest r = request("GET", "http://user:pw@a:8080/x");
    r.headers.emplace_back("Authorization", "Bearer t");
    r.headers.emplace_back("Cookie", "c=1");
    EXPECT_EQ(follow(r, 302, "/y"),
              "GET http://a:8080/y body= creds=user X-Keep Authorization Cookie");
    EXPECT_EQ(follow(r, 302, "http://a:8080/z"),
              "GET http://a:8080/z body= creds=user X-Keep Authorization Cookie");
    // Another host, another port or another scheme is another origin: nothing is forwarded.
    EXPECT_EQ(follow(r, 302, "http://b:8080/y"), "GET http://b:8080/y body= creds=- X-Keep");
    EXPECT_EQ(follow(r, 302, "http://a:9090/y"), "GET http://a:9090/y body= creds=- X-Keep");
    EXPECT_EQ(follow(r, 302, "https://a:8080/y"), "GET https://a:8080/y body= creds=- X-Keep");
    // Unless the Location carries its own.
    EXPECT_EQ(follow(r, 302, "http://other:pw2@b/"), "GET http://b/ body= creds=other X-Keep");
}

TEST(Redirect, StrippedCredentialsDoNotComeBack) {
    ClientRequest r = request("GET", "http://user:pw@a/x");
    ClientRequest away, back;
    std::string error;
    ASSERT_TRUE(redirect_request(r, 302, "http://b/", away, error));
    ASSERT_TRUE(redirect_request(away, 302, "http://a/x", back, error));
    EXPECT_FALSE(back.url.has_userinfo);
}

TEST(Redirect, BadLocations) {
    const ClientRequest r = request("GET", "http://a/x");
    EXPECT_EQ(follow(r, 301, "  "), "error redirect without a Location");
    EXPECT_EQ(follow(r, 301, "ftp://a/"), "error bad redirect Location: unsupported scheme 'ftp'");
    EXPECT_TRUE(is_redirect(308));
    EXPECT_FALSE(is_redirect(300));
    EXPECT_FALSE(is_redirect(304));
}

// An upload stands for the content of a streamed request: a redirect to GET drops it, 307
// and 308 keep the same source (the caller rewinds it before sending it again).
TEST(Redirect, UploadDroppedForGetKeptFor307And308) {
    class Nothing final : public Upload {
      public:
        std::optional<std::uint64_t> size() const override { return 0; }
        BodyStatus read(std::string&, std::size_t) override { return BodyStatus::kDone; }
        void set_ready(std::function<void()>) override {}
        std::string error() const override { return {}; }
        bool consumed() const override { return false; }
    };
    ClientRequest r = request("POST", "http://a/x");
    r.body.clear();
    r.upload = std::make_shared<Nothing>();
    for (int status : {301, 302, 303, 307, 308}) {
        ClientRequest next;
        std::string error;
        ASSERT_TRUE(redirect_request(r, status, "/y", next, error)) << error;
        EXPECT_EQ(next.upload, status >= 307 ? r.upload : nullptr) << status;
    }
}

TEST(Retry, IdempotentMethods) {
    for (const char* m : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
        EXPECT_TRUE(idempotent(m)) << m;
    for (const char* m : {"POST", "PATCH", "CONNECT", "PROPFIND", "get", ""})
        EXPECT_FALSE(idempotent(m)) << m;
}

TEST(Retry, TransientStatuses) {
    for (int s : {408, 429, 500, 502, 503, 504, 599}) EXPECT_TRUE(retryable_status(s)) << s;
    for (int s : {200, 301, 400, 404, 501, 505}) EXPECT_FALSE(retryable_status(s)) << s;
}

TEST(Retry, BackOffDoublesFromOneSecondUpToTenMinutes) {
    EXPECT_EQ(retry_delay(1, std::nullopt, std::nullopt), milliseconds(1000));
    EXPECT_EQ(retry_delay(2, std::nullopt, std::nullopt), milliseconds(2000));
    EXPECT_EQ(retry_delay(4, std::nullopt, std::nullopt), milliseconds(8000));
    EXPECT_EQ(retry_delay(30, std::nullopt, std::nullopt), kMaxRetryDelay);
    EXPECT_EQ(retry_delay(3, milliseconds(250), std::nullopt), milliseconds(250));  // --retry-delay
    EXPECT_EQ(retry_delay(3, std::nullopt, " 7 "), milliseconds(7000));             // Retry-After
    EXPECT_EQ(retry_delay(1, std::nullopt, "100000"), kMaxRetryDelay);
    // An HTTP-date or garbage falls back to the back-off.
    EXPECT_EQ(retry_delay(2, std::nullopt, "Wed, 21 Oct 2015 07:28:00 GMT"), milliseconds(2000));
}

}  // namespace
}  // namespace netius::net::http
