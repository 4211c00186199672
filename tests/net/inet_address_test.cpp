#include "net/inet_address.hpp"

#include <gtest/gtest.h>

#include "util/error.hpp"

namespace netius::net {
namespace {

struct ParseCase {
    const char* input;
    const char* text;  // to_string()
    int family;
    std::uint16_t port;
};

class InetAddressParse : public testing::TestWithParam<ParseCase> {};

TEST_P(InetAddressParse, ParsesAndPrints) {
    const ParseCase& c = GetParam();
    InetAddress a = InetAddress::parse(c.input);
    EXPECT_EQ(a.to_string(), c.text);
    EXPECT_EQ(a.family(), c.family);
    EXPECT_EQ(a.port(), c.port);
    EXPECT_EQ(InetAddress::parse(a.to_string()), a);  // to_string round-trips
}

INSTANTIATE_TEST_SUITE_P(
    Table, InetAddressParse,
    testing::Values(ParseCase{"127.0.0.1:9090", "127.0.0.1:9090", AF_INET, 9090},
                    ParseCase{"0.0.0.0:0", "0.0.0.0:0", AF_INET, 0},
                    ParseCase{"[::1]:9090", "[::1]:9090", AF_INET6, 9090},
                    ParseCase{"[::]:65535", "[::]:65535", AF_INET6, 65535},
                    ParseCase{"[2001:db8::1]:443", "[2001:db8::1]:443", AF_INET6, 443},
                    ParseCase{"[::ffff:10.0.0.1]:1", "[::ffff:10.0.0.1]:1", AF_INET6, 1},
                    ParseCase{"unix:/run/netius.sock", "unix:/run/netius.sock", AF_UNIX, 0},
                    ParseCase{"unix:relative.sock", "unix:relative.sock", AF_UNIX, 0}));

class InetAddressReject : public testing::TestWithParam<const char*> {};

TEST_P(InetAddressReject, ThrowsNamingTheInput) {
    try {
        InetAddress::parse(GetParam());
        FAIL() << "accepted " << GetParam();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(GetParam()), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Table, InetAddressReject,
                         testing::Values("127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                                         "127.0.0.1:80x", "127.0.0.1:-1", "::1", "::1:80",
                                         "localhost:80", "256.0.0.1:80", "[::1]", "[::g]:80",
                                         "unix:", ":80"));

TEST(InetAddress, HostAndPortForms) {
    EXPECT_EQ(InetAddress::parse("::1", 9090).to_string(), "[::1]:9090");
    EXPECT_EQ(InetAddress::parse("[::1]", 9090).to_string(), "[::1]:9090");
    EXPECT_EQ(InetAddress::parse("10.1.2.3", 80).host(), "10.1.2.3");
    EXPECT_EQ(InetAddress::parse("0.0.0.0", 80).host(), "0.0.0.0");
    EXPECT_EQ(InetAddress::parse("255.254.100.9", 80).host(), "255.254.100.9");
    EXPECT_EQ(InetAddress::loopback(7).to_string(), "127.0.0.1:7");
    EXPECT_EQ(InetAddress::loopback(7, true).to_string(), "[::1]:7");
    EXPECT_EQ(InetAddress::any(8, true).to_string(), "[::]:8");
    EXPECT_THROW(InetAddress::parse("example.com", 80), Error);
}

TEST(InetAddress, UnixPathLimits) {
    EXPECT_EQ(InetAddress::unix_path("/tmp/x.sock").host(), "/tmp/x.sock");
    EXPECT_THROW(InetAddress::unix_path(""), Error);
    EXPECT_THROW(InetAddress::unix_path(std::string(200, 'a')), Error);
}

TEST(InetAddress, SetPort) {
    InetAddress a = InetAddress::parse("[::1]:1");
    a.set_port(4242);
    EXPECT_EQ(a.to_string(), "[::1]:4242");
}

}  // namespace
}  // namespace netius::net
