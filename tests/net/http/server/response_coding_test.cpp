// choose_coding: what --encoding gzip does to a response's fields, a 304's among them
// (RFC 9110 §15.4.5: the Vary and ETag its 200 would have).
#include "net/http/server/response_coding.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net::http {
namespace {

std::string field(const Response& res, std::string_view name) {
    for (const Header& h : res.headers)
        if (h.name == name) return std::string(h.value);
    return "(none)";
}

struct CodingTest : ::testing::Test {
    CodingTest() {
        head.method = "GET";
        head.headers.push_back({"Accept-Encoding", "gzip"});
    }
    Response response(Status status) {
        Response res;
        res.status = status;
        res.headers.push_back({"ETag", "\"1-2\""});
        if (status == Status::kOk) res.body = "some text to compress";
        return res;
    }
    RequestHead head;
    std::string weak;
};

TEST_F(CodingTest, CompressedOkGetsVaryAndAWeakETag) {
    Response res = response(Status::kOk);
    EXPECT_EQ(choose_coding(ResponseEncoding::kGzip, head, res, true, weak), ContentCoding::kGzip);
    EXPECT_EQ(field(res, "Vary"), "Accept-Encoding");
    EXPECT_EQ(field(res, "ETag"), "W/\"1-2\"");
}

TEST_F(CodingTest, NotModifiedCarriesTheFieldsOfItsOk) {
    Response res = response(Status::kNotModified);
    EXPECT_EQ(choose_coding(ResponseEncoding::kGzip, head, res, false, weak), std::nullopt);
    EXPECT_EQ(field(res, "Vary"), "Accept-Encoding");
    EXPECT_EQ(field(res, "ETag"), "W/\"1-2\"");
    EXPECT_EQ(field(res, "Content-Encoding"), "(none)");
}

TEST_F(CodingTest, NotModifiedForAnIdentityClientKeepsTheStrongETag) {
    head.headers.clear();  // no Accept-Encoding: its 200 would not be coded either
    Response res = response(Status::kNotModified);
    EXPECT_EQ(choose_coding(ResponseEncoding::kGzip, head, res, false, weak), std::nullopt);
    EXPECT_EQ(field(res, "Vary"), "Accept-Encoding");
    EXPECT_EQ(field(res, "ETag"), "\"1-2\"");
}

TEST_F(CodingTest, NotModifiedOfWhatIsNotCompressedGetsNothing) {
    Response res = response(Status::kNotModified);
    res.compressible = false;  // an image, say
    EXPECT_EQ(choose_coding(ResponseEncoding::kGzip, head, res, false, weak), std::nullopt);
    EXPECT_EQ(field(res, "Vary"), "(none)");
    Response plain = response(Status::kNotModified);  // --encoding plain: nothing to say
    EXPECT_EQ(choose_coding(ResponseEncoding::kPlain, head, plain, false, weak), std::nullopt);
    EXPECT_EQ(field(plain, "Vary"), "(none)");
}

}  // namespace
}  // namespace netius::net::http
