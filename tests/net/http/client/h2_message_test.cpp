#include "net/http/client/h2_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net::http {
namespace {

ClientRequest request(const std::string& url) {
    ClientRequest r;
    std::string error;
    EXPECT_TRUE(parse_url(url, r.url, error)) << error;
    return r;
}

// The fields as "name=value" joined by spaces: one string to compare.
std::string joined(const FieldList& fields) {
    std::string out;
    for (const auto& [name, value] : fields) out += (out.empty() ? "" : " ") + name + "=" + value;
    return out;
}

TEST(H2RequestFields, PseudoHeadersFirstThenTheSameFieldsAsHttp11InLowerCase) {
    ClientRequest r = request("https://user:pw@Example.com:8443/a/b?q=1");
    r.accept_encoding = "gzip";
    r.headers = {{"X-Test", "yes"},   {"Connection", "close"},
                 {"Keep-Alive", "5"}, {"Transfer-Encoding", "chunked"},
                 {"Upgrade", "h2c"},  {"Proxy-Connection", "x"},
                 {"TE", "gzip"}};
    EXPECT_EQ(joined(h2_request_fields(r)),
              ":method=GET :scheme=https :authority=example.com:8443 :path=/a/b?q=1 "
              "user-agent=netius accept=*/* accept-encoding=gzip "
              "authorization=Basic dXNlcjpwdw== x-test=yes");
}

TEST(H2RequestFields, UserHostBecomesTheAuthorityAndTeTrailersStays) {
    ClientRequest r = request("http://127.0.0.1:8080/");
    r.headers = {{"Host", "virtual.test"}, {"TE", "trailers"}, {"User-Agent", ""}};
    EXPECT_EQ(joined(h2_request_fields(r)),
              ":method=GET :scheme=http :authority=virtual.test :path=/ accept=*/* te=trailers");
}

TEST(H2RequestFields, ContentLengthForContentAndForPostAsOnHttp11) {
    ClientRequest r = request("http://a/form");
    r.method = "POST";
    r.body = "x=1";
    EXPECT_EQ(joined(h2_request_fields(r)),
              ":method=POST :scheme=http :authority=a :path=/form user-agent=netius accept=*/* "
              "content-length=3");
    r.body.clear();
    EXPECT_NE(joined(h2_request_fields(r)).find("content-length=0"), std::string::npos);
    r.method = "DELETE";
    EXPECT_EQ(joined(h2_request_fields(r)).find("content-length"), std::string::npos);
}

TEST(H2RequestFields, DisplayLikeCurl) {
    ClientRequest r = request("http://a:81/x");
    EXPECT_EQ(h2_request_display(r, h2_request_fields(r)),
              "GET /x HTTP/2\r\nhost: a:81\r\nuser-agent: netius\r\naccept: */*\r\n\r\n");
}

TEST(H2ResponseHead, GathersFieldsIntoTheClientResponseHead) {
    const Limits limits = client_limits();
    H2ResponseHead b(limits);
    ASSERT_TRUE(b.add(":status", "404"));
    ASSERT_TRUE(b.add("content-type", "text/plain"));
    ASSERT_TRUE(b.add("set-cookie", "a=1"));
    ASSERT_TRUE(b.add("set-cookie", "b=2"));
    ASSERT_TRUE(b.add("content-length", "12"));
    ClientResponseHead head;
    ASSERT_TRUE(b.finish(head)) << b.error();
    EXPECT_EQ(head.version, Version::kHttp2);
    EXPECT_EQ(head.status, 404);
    EXPECT_EQ(head.reason, "Not Found");
    EXPECT_EQ(head.content_length, 12u);
    EXPECT_FALSE(head.chunked);
    ASSERT_EQ(head.headers.size(), 4u);
    EXPECT_EQ(head.headers[1].name, "set-cookie");
    EXPECT_EQ(head.headers[2].value, "b=2");
    EXPECT_EQ(head.get("Content-Type"), "text/plain");
    EXPECT_EQ(b.raw(),
              "HTTP/2 404\r\ncontent-type: text/plain\r\nset-cookie: a=1\r\nset-cookie: b=2\r\n"
              "content-length: 12\r\n\r\n");

    b.reset();  // the next block (after a 1xx, or trailers) starts afresh
    ASSERT_TRUE(b.add(":status", "204"));
    ASSERT_TRUE(b.finish(head));
    EXPECT_EQ(head.status, 204);
    EXPECT_TRUE(head.headers.empty());
    EXPECT_FALSE(head.content_length);
    EXPECT_EQ(b.raw(), "HTTP/2 204\r\n\r\n");
}

TEST(H2ResponseHead, RefusesWhatAnHttp11HeadWouldNotPass) {
    Limits limits = client_limits();
    limits.max_head_bytes = 200;
    limits.max_header_count = 3;
    H2ResponseHead b(limits);
    ClientResponseHead head;
    EXPECT_FALSE(b.finish(head));  // no :status
    EXPECT_EQ(b.error(), "a response without :status");

    for (const char* bad : {"20", "1000", "abc", "099", "200 "}) {
        b.reset();
        EXPECT_FALSE(b.add(":status", bad)) << bad;
        EXPECT_NE(b.error().find("bad :status"), std::string::npos);
    }

    b.reset();
    ASSERT_TRUE(b.add(":status", "200"));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(b.add("x", "1"));
    EXPECT_FALSE(b.add("x", "1"));
    EXPECT_EQ(b.error(), "more than 3 response header fields");

    b.reset();  // RFC 9113 §6.5.2 accounting: 32 bytes per field on top of name and value
    ASSERT_TRUE(b.add(":status", "200"));            // 39
    ASSERT_TRUE(b.add("x", std::string(100, 'v')));  // 172
    EXPECT_FALSE(b.add("y", "1"));                   // 206 > 200
    EXPECT_EQ(b.error(), "response head larger than 200 bytes");
}

}  // namespace
}  // namespace netius::net::http
