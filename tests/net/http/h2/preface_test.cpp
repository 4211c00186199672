// The HTTP/2 connection preface on a cleartext port (RFC 9113 §3.3): recognised whole, as it
// arrives in any two pieces and byte by byte, and never mistaken for an HTTP/1.1 request.
#include "net/http/h2/preface.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net::http {
namespace {

TEST(Http2Preface, WholeAndWithFramesBehindIt) {
    EXPECT_EQ(match_http2_preface(kHttp2Preface), PrefaceMatch::kWhole);
    using namespace std::string_view_literals;
    const std::string more = std::string(kHttp2Preface) + std::string("\0\0\0\x04"sv);
    ASSERT_EQ(more.size(), kHttp2Preface.size() + 4);
    EXPECT_EQ(match_http2_preface(more), PrefaceMatch::kWhole);
}

TEST(Http2Preface, EveryPrefixWaitsForMore) {
    // Bytes arrive in any pieces: every proper prefix (the empty one too) must wait.
    for (std::size_t n = 0; n < kHttp2Preface.size(); ++n)
        EXPECT_EQ(match_http2_preface(kHttp2Preface.substr(0, n)), PrefaceMatch::kPartial) << n;
}

TEST(Http2Preface, HttpOneRequestsAreNotThePreface) {
    for (const char* request :
         {"GET / HTTP/1.1\r\n", "POST / HTTP/1.1\r\n", "PUT /x HTTP/1.1\r\n", "PRI", "PRO",
          "PROPFIND / HTTP/1.1\r\n", "PRI * HTTP/1.1\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n",
          "pri * HTTP/2.0\r\n\r\nSM\r\n\r\n", "\x16\x03\x01"}) {
        const std::string_view r(request);
        // "PRI" alone and "PR" are prefixes of the preface, the rest are not.
        if (r == "PRI")
            EXPECT_EQ(match_http2_preface(r), PrefaceMatch::kPartial);
        else
            EXPECT_EQ(match_http2_preface(r), PrefaceMatch::kNo) << request;
    }
    // A request that starts like the preface is told apart at its first differing byte.
    for (std::size_t n = 1; n < kHttp2Preface.size(); ++n) {
        std::string bent(kHttp2Preface.substr(0, n + 1));
        bent[n] ^= 0x20;
        EXPECT_EQ(match_http2_preface(bent), PrefaceMatch::kNo) << n;
    }
}

}  // namespace
}  // namespace netius::net::http
