#include "net/proxy_protocol.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net {
namespace {

std::string v2(unsigned char cmd, unsigned char fam, std::string addresses) {
    std::string h("\r\n\r\n\0\r\nQUIT\n", 12);
    h += static_cast<char>(cmd);
    h += static_cast<char>(fam);
    h += static_cast<char>(addresses.size() >> 8);
    h += static_cast<char>(addresses.size() & 0xff);
    return h + addresses;
}

const std::string kV2Tcp4 =
    v2(0x21, 0x11, std::string("\xc0\x00\x02\x07\x7f\x00\x00\x01\x30\x39\x00\x50", 12));
const std::string kV2Tcp6 = v2(0x21, 0x21,
                               std::string("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16) +
                                   std::string(16, '\0') + std::string("\x01\xbb\x00\x50", 4));

struct Case {
    const char* name;
    std::string input;
    std::string source;  // "" = no address; "!" = error
    std::size_t consumed;
};

const Case kCases[] = {
    {"v1_tcp4", "PROXY TCP4 192.0.2.7 127.0.0.1 12345 80\r\n", "192.0.2.7:12345", 41},
    {"v1_tcp6", "PROXY TCP6 2001:db8::1 ::1 443 80\r\n", "[2001:db8::1]:443", 35},
    {"v1_unknown", "PROXY UNKNOWN\r\n", "", 15},
    {"v1_unknown_args", "PROXY UNKNOWN ffff::1 ::1 1 2\r\n", "", 31},
    {"v2_tcp4", kV2Tcp4, "192.0.2.7:12345", 28},
    {"v2_tcp6", kV2Tcp6, "[2001:db8::1]:443", 52},
    {"v2_local", v2(0x20, 0x00, ""), "", 16},
    {"v2_tlvs_skipped",
     v2(0x21, 0x11,
        std::string("\xc0\x00\x02\x07\x7f\0\0\x01\x30\x39\0\x50"
                    "\x04\x00\x01X",
                    16)),
     "192.0.2.7:12345", 32},
    {"v1_bad_port", "PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n", "!", 0},
    {"v1_bad_address", "PROXY TCP4 1.2.3 5.6.7.8 1 80\r\n", "!", 0},
    {"v1_v6_in_tcp4", "PROXY TCP4 ::1 ::1 1 80\r\n", "!", 0},
    {"v1_missing_field", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", "!", 0},
    {"v1_bare_lf", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "!", 0},
    // Found by tests/fuzz/proxy_protocol_fuzz.cpp: a bare LF before the CRLF, and a malformed
    // destination address, were accepted when the whole line came at once.
    {"v1_lf_before_crlf", "PROXY TCP4 1.2.3.4 5.6\n.7.8 1 80\r\n", "!", 0},
    {"v1_bad_destination", "PROXY TCP4 1.2.3.4 5.6.7 1 80\r\n", "!", 0},
    {"v1_v6_destination_in_tcp4", "PROXY TCP4 1.2.3.4 ::1 1 80\r\n", "!", 0},
    {"v1_too_long", "PROXY UNKNOWN " + std::string(120, 'a'), "!", 0},
    {"http_instead", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "!", 0},
    {"v2_bad_version", std::string("\r\n\r\n\0\r\nQUIT\n\x11\x11\0\0", 16), "!", 0},
    {"v2_short_block", v2(0x21, 0x11, "abc"), "!", 0},
};

ProxyResult feed(const std::string& input, std::size_t step) {
    // Growing prefixes, as bytes arrive: every proper prefix must be Incomplete or the error.
    for (std::size_t n = step; n < input.size(); n += step) {
        ProxyResult r = parse_proxy_header(std::string_view(input).substr(0, n));
        if (!std::holds_alternative<ProxyIncomplete>(r)) return r;
    }
    return parse_proxy_header(input);
}

TEST(ProxyProtocol, WholeSplitAndByteByByte) {
    for (const Case& c : kCases) {
        for (std::size_t step : {c.input.size(), std::size_t{7}, std::size_t{1}}) {
            ProxyResult r = feed(c.input, step ? step : 1);
            if (c.source == "!") {
                EXPECT_TRUE(std::holds_alternative<ProxyError>(r)) << c.name << " step " << step;
                continue;
            }
            auto* h = std::get_if<ProxyHeader>(&r);
            ASSERT_NE(h, nullptr) << c.name << " step " << step;
            EXPECT_EQ(h->consumed, c.consumed) << c.name;
            EXPECT_EQ(h->source ? h->source->to_string() : "", c.source) << c.name;
        }
    }
}

TEST(ProxyProtocol, DataAfterTheHeaderIsNotConsumed) {
    std::string input = "PROXY TCP4 192.0.2.7 127.0.0.1 1 80\r\nGET / HTTP/1.1\r\n";
    const ProxyResult r = parse_proxy_header(input);
    auto* h = std::get_if<ProxyHeader>(&r);
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(input.substr(h->consumed), "GET / HTTP/1.1\r\n");
}

}  // namespace
}  // namespace netius::net
