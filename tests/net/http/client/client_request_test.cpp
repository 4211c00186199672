// The HTTP/1.1 request the client writes: default fields, the user's replacing or removing
// them, and a proxy's exact fields (nothing added, empty values kept, framing ours).
#include "net/http/client/client_request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net::http {
namespace {

ClientRequest get(std::string_view url) {
    ClientRequest r;
    std::string error;
    EXPECT_TRUE(parse_url(url, r.url, error)) << error;
    return r;
}

TEST(ClientRequestText, DefaultFieldsAndTheUsersReplacingOrRemovingThem) {
    ClientRequest r = get("http://example.com:8080/a?b");
    r.headers = {{"Accept", ""}, {"X-One", "1"}};
    std::string out;
    append_request(out, r);
    EXPECT_EQ(out,
              "GET /a?b HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: netius\r\n"
              "X-One: 1\r\n\r\n");
}

TEST(ClientRequestText, ExactFieldsAddNothingAndKeepEmptyValues) {
    ClientRequest r = get("http://10.0.0.1/x");
    r.method = "POST";
    r.exact_fields = true;
    r.headers = {{"Host", "front.example"}, {"X-Empty", ""}, {"content-length", "99"}};
    r.body = "abc";
    std::string out;
    append_request(out, r);
    EXPECT_EQ(out,
              "POST /x HTTP/1.1\r\nHost: front.example\r\nX-Empty: \r\n"
              "Content-Length: 3\r\n\r\nabc");
}

}  // namespace
}  // namespace netius::net::http
