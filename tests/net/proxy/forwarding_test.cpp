// Forwarding: what serve proxy changes in the fields it passes on — hop-by-hop removal (RFC
// 9110 §7.6.1, also the fields Connection names, across lines and cases), Via (§7.6.3), and
// X-Forwarded-* / Forwarded (RFC 7239) believed only from trusted peers.
#include "net/proxy/forwarding.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netius::net::proxy {
namespace {

using http::Header;
using http::Version;

struct Client {
    InetAddress peer = InetAddress::parse("192.0.2.10", 50000);
    ClientSide side() const {
        ClientSide c;
        c.peer = &peer;
        c.host = "example.com";
        c.port = 8080;
        return c;
    }
};

// Our seven fields for the plain-HTTP client above, untrusted.
Fields ours(std::string_view ip = "192.0.2.10", std::string_view node = "192.0.2.10") {
    return {{"Via", "1.1 netius"},
            {"X-Forwarded-For", std::string(ip)},
            {"X-Forwarded-Proto", "http"},
            {"X-Forwarded-Host", "example.com"},
            {"X-Forwarded-Port", "8080"},
            {"X-Real-IP", std::string(ip)},
            {"X-Client-IP", std::string(ip)},
            {"Forwarded", "for=" + std::string(node) + ";proto=http;host=example.com"}};
}

Fields concat(Fields a, const Fields& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string value_of(const Fields& fields, std::string_view name) {
    std::string found;
    int count = 0;
    for (const auto& [n, v] : fields) {
        if (n != name) continue;
        found = v;
        ++count;
    }
    EXPECT_LE(count, 1) << name;
    return found;
}

bool has(const Fields& fields, std::string_view name) {
    for (const auto& f : fields)
        if (f.first == name) return true;
    return false;
}

TEST(ForwardingHopByHop, FixedListInAnyCase) {
    for (const char* name :
         {"Connection", "KEEP-ALIVE", "te", "Trailer", "transfer-encoding", "Upgrade",
          "Proxy-Connection", "proxy-authorization", "Proxy-Authenticate", "PROXY-anything"})
        EXPECT_TRUE(is_hop_by_hop(name)) << name;
    for (const char* name : {"Via", "Host", "Content-Length", "Trailers", "Tee", "Proxy",
                             "X-Proxy-Id", "Upgrade-Insecure-Requests", "Keep-Alives", ""})
        EXPECT_FALSE(is_hop_by_hop(name)) << name;
}

TEST(ForwardingRequest, DropsHopByHopFramingAndHostKeepsTheRestInOrder) {
    const Client c;
    const std::vector<Header> in = {{"Host", "example.com"},
                                    {"User-Agent", "curl/8"},
                                    {"Connection", "keep-alive"},
                                    {"Keep-Alive", "timeout=5"},
                                    {"Accept", "*/*"},
                                    {"TE", "trailers"},
                                    {"Content-Length", "3"},
                                    {"Transfer-Encoding", "chunked"},
                                    {"Proxy-Authorization", "Basic eDp5"},
                                    {"Cookie", "a=1"},
                                    {"Upgrade", "h2c"},
                                    {"cookie", "b=2"},
                                    {"Trailer", "X-Sum"},
                                    {"Authorization", "Bearer t"}};
    const Fields expected = concat({{"User-Agent", "curl/8"},
                                    {"Accept", "*/*"},
                                    {"Cookie", "a=1"},
                                    {"cookie", "b=2"},
                                    {"Authorization", "Bearer t"}},
                                   ours());
    EXPECT_EQ(forward_request(in, c.side(), {}), expected);
}

TEST(ForwardingRequest, RemovesWhatConnectionNamesAcrossLinesInAnyCase) {
    const Client c;
    const std::vector<Header> in = {{"Connection", "close, X-Foo"},
                                    {"X-FOO", "1"},
                                    {"x-bar", "2"},
                                    {"connection", " x-BAR ,,\tX-Baz "},
                                    {"X-Baz", "3"},
                                    {"X-Keep", "4"},
                                    {"X-Foo-Bar", "5"}};
    const Fields out = forward_request(in, c.side(), {});
    EXPECT_EQ(out, concat({{"X-Keep", "4"}, {"X-Foo-Bar", "5"}}, ours()));
}

TEST(ForwardingRequest, ConnectionCannotRemoveTheFieldsWeAdd) {
    // CVE-2022-31813's shape: a client names X-Forwarded-For in Connection hoping the proxy
    // drops the address it adds. Only the incoming values go, even from a trusted peer.
    const Client c;
    const AllowList trusted = AllowList::parse("192.0.2.0/24");
    ForwardingOptions o;
    o.trusted = &trusted;
    const std::vector<Header> in = {
        {"Connection", "Via, X-Forwarded-For, Forwarded, X-Forwarded-Proto"},
        {"Via", "1.0 front"},
        {"X-Forwarded-For", "198.51.100.1"},
        {"X-Forwarded-Proto", "https"},
        {"Forwarded", "for=198.51.100.1"}};
    EXPECT_EQ(forward_request(in, c.side(), o), ours());
}

TEST(ForwardingRequest, ViaAppendedWithTheClientsVersionAndPseudonym) {
    Client c;
    const std::vector<Header> in = {{"Via", "1.1 a"}, {"X-A", "1"}, {"via", "HTTP/2 b"}};
    ClientSide side = c.side();
    side.version = Version::kHttp10;
    Fields out = forward_request(in, side, {});
    ASSERT_GE(out.size(), 4u);
    EXPECT_EQ(out[0], (std::pair<std::string, std::string>{"Via", "1.1 a"}));
    EXPECT_EQ(out[2], (std::pair<std::string, std::string>{"via", "HTTP/2 b"}));
    EXPECT_EQ(out[3], (std::pair<std::string, std::string>{"Via", "1.0 netius"}));

    side.version = Version::kHttp2;
    ForwardingOptions o;
    o.pseudonym = "edge-1";
    out = forward_request({}, side, o);
    EXPECT_EQ(value_of(out, "Via"), "2 edge-1");
}

TEST(ForwardingClient, UntrustedPeerCannotForgeAnything) {
    const Client c;
    const std::vector<Header> forged = {{"X-Forwarded-For", "6.6.6.6"},
                                        {"x-forwarded-proto", "https"},
                                        {"X-Forwarded-Host", "evil.example"},
                                        {"X-FORWARDED-PORT", "1"},
                                        {"Forwarded", "for=6.6.6.6;proto=https"},
                                        {"X-Other", "kept"},
                                        {"X-Real-IP", "6.6.6.6"},
                                        {"x-client-ip", "6.6.6.6"}};
    const Fields expected = concat({{"X-Other", "kept"}}, ours());
    EXPECT_EQ(forward_request(forged, c.side(), {}), expected);  // no list

    const AllowList elsewhere = AllowList::parse("10.0.0.0/8;::1");
    ForwardingOptions o;
    o.trusted = &elsewhere;
    EXPECT_EQ(forward_request(forged, c.side(), o), expected);  // peer not in the list

    const AllowList empty;  // AllowList's "everyone" is no one here
    o.trusted = &empty;
    EXPECT_EQ(forward_request(forged, c.side(), o), expected);
}

TEST(ForwardingClient, TrustedPeerIsAppendedToAndBelieved) {
    const Client c;
    const AllowList trusted = AllowList::parse("192.0.2.0/24");
    ForwardingOptions o;
    o.trusted = &trusted;
    const std::vector<Header> in = {{"X-Forwarded-For", "203.0.113.7"},
                                    {"X-Forwarded-Proto", "https"},
                                    {"x-forwarded-for", "198.51.100.1, 198.51.100.2"},
                                    {"Forwarded", "for=203.0.113.7;proto=https"},
                                    {"X-Forwarded-Host", "public.example"},
                                    {"forwarded", "for=198.51.100.1"},
                                    {"X-Forwarded-For", ""},
                                    {"X-Real-IP", "203.0.113.7"}};
    const Fields expected = {
        {"X-Forwarded-Proto", "https"},
        {"X-Forwarded-Host", "public.example"},
        {"X-Real-IP", "203.0.113.7"},  // a trusted proxy's claim is kept
        {"Via", "1.1 netius"},
        {"X-Forwarded-For", "203.0.113.7, 198.51.100.1, 198.51.100.2, 192.0.2.10"},
        {"X-Forwarded-Port", "8080"},
        {"X-Client-IP", "192.0.2.10"},
        {"Forwarded",
         "for=203.0.113.7;proto=https, for=198.51.100.1, "
         "for=192.0.2.10;proto=http;host=example.com"}};
    EXPECT_EQ(forward_request(in, c.side(), o), expected);

    // Trusted but sending none: just ours.
    EXPECT_EQ(forward_request({}, c.side(), o), ours());
}

TEST(ForwardingClient, IPv6AndIPv4MappedPeers) {
    Client c;
    c.peer = InetAddress::parse("2001:DB8::1", 443);
    Fields out = forward_request({}, c.side(), {});
    EXPECT_EQ(out, ours("2001:db8::1", "\"[2001:db8::1]\""));

    c.peer = InetAddress::parse("::ffff:192.0.2.1", 443);  // a dual-stack listener's IPv4 peer
    out = forward_request({}, c.side(), {});
    EXPECT_EQ(out, ours("192.0.2.1", "192.0.2.1"));
    const AllowList trusted = AllowList::parse("192.0.2.0/24");
    ForwardingOptions o;
    o.trusted = &trusted;
    out = forward_request({{"X-Forwarded-For", "203.0.113.7"}}, c.side(), o);
    EXPECT_EQ(value_of(out, "X-Forwarded-For"), "203.0.113.7, 192.0.2.1");
}

TEST(ForwardingClient, UnixSocketOrNoPeerIsUnknown) {
    Client c;
    c.peer = InetAddress::unix_path("/run/netius.sock");
    Fields out = forward_request({{"X-Forwarded-For", "203.0.113.7"}}, c.side(), {});
    EXPECT_EQ(out, ours("unknown", "unknown"));  // RFC 7239 §6.3

    // With a list, a unix-socket peer is trusted (AllowList: the socket's permissions rule).
    const AllowList trusted = AllowList::parse("10.0.0.0/8");
    ForwardingOptions o;
    o.trusted = &trusted;
    out = forward_request({{"X-Forwarded-For", "203.0.113.7"}}, c.side(), o);
    EXPECT_EQ(value_of(out, "X-Forwarded-For"), "203.0.113.7, unknown");

    ClientSide none = c.side();
    none.peer = nullptr;
    out = forward_request({{"X-Forwarded-For", "203.0.113.7"}}, none, o);
    EXPECT_EQ(value_of(out, "X-Forwarded-For"), "unknown");  // never trusted
    EXPECT_EQ(value_of(out, "Forwarded"), "for=unknown;proto=http;host=example.com");
}

TEST(ForwardingClient, TlsHostAndPort) {
    const Client c;
    ClientSide side = c.side();
    side.tls = true;
    side.host = "Example.com:8443";
    side.port = 443;
    Fields out = forward_request({}, side, {});
    EXPECT_EQ(value_of(out, "X-Forwarded-Proto"), "https");
    EXPECT_EQ(value_of(out, "X-Forwarded-Host"), "Example.com:8443");  // as the client sent it
    EXPECT_EQ(value_of(out, "X-Forwarded-Port"), "443");
    // ':' is no token character: quoted (RFC 7239 §4).
    EXPECT_EQ(value_of(out, "Forwarded"), "for=192.0.2.10;proto=https;host=\"Example.com:8443\"");

    side.host = "[::1]:8080";
    out = forward_request({}, side, {});
    EXPECT_EQ(value_of(out, "Forwarded"), "for=192.0.2.10;proto=https;host=\"[::1]:8080\"");

    side.host = "a\"b\\c";  // quoted-pair escapes (RFC 9110 §5.6.4)
    out = forward_request({}, side, {});
    EXPECT_EQ(value_of(out, "Forwarded"), "for=192.0.2.10;proto=https;host=\"a\\\"b\\\\c\"");
}

TEST(ForwardingClient, NoHostNoPortAndUnsafeHostAreLeftOut) {
    const Client c;
    ClientSide side = c.side();
    side.host = "";  // an HTTP/1.0 request without Host
    side.port = 0;
    Fields out = forward_request({{"X-Forwarded-Host", "forged"}}, side, {});
    EXPECT_FALSE(has(out, "X-Forwarded-Host"));
    EXPECT_FALSE(has(out, "X-Forwarded-Port"));
    EXPECT_EQ(value_of(out, "Forwarded"), "for=192.0.2.10;proto=http");

    side.host = "a.example\r\nX-Injected: yes";  // never split a field line
    out = forward_request({}, side, {});
    EXPECT_FALSE(has(out, "X-Forwarded-Host"));
    EXPECT_EQ(value_of(out, "Forwarded"), "for=192.0.2.10;proto=http");
}

TEST(ForwardingResponse, DropsHopByHopFramingServerAndDateAppendsVia) {
    const std::vector<Header> in = {{"Date", "Mon, 01 Jan 2024 00:00:00 GMT"},
                                    {"server", "upstream/1.0"},
                                    {"Connection", "close, X-Internal"},
                                    {"Content-Length", "12"},
                                    {"Set-Cookie", "a=1"},
                                    {"x-internal", "secret"},
                                    {"Transfer-Encoding", "chunked"},
                                    {"Via", "1.1 cache"},
                                    {"Keep-Alive", "timeout=5"},
                                    {"Proxy-Authenticate", "Basic"},
                                    {"Set-Cookie", "b=2"},
                                    {"Upgrade", "h2c"},
                                    {"Host", "upstream"}};
    // Date and Server go too: the front sends its own.
    const Fields expected = {{"Set-Cookie", "a=1"},
                             {"Via", "1.1 cache"},
                             {"Set-Cookie", "b=2"},
                             {"Host", "upstream"},  // no meaning in a response; not ours to drop
                             {"Via", "1.1 netius"}};
    EXPECT_EQ(forward_response(in, "1.1", {}), expected);
}

TEST(ForwardingResponse, ViaUsesTheUpstreamsVersion) {
    ForwardingOptions o;
    o.pseudonym = "gw";
    EXPECT_EQ(forward_response({}, "1.0", o), (Fields{{"Via", "1.0 gw"}}));
    EXPECT_EQ(forward_response({}, "", {}), (Fields{{"Via", "1.1 netius"}}));
    EXPECT_EQ(forward_response({}, "1.1\r\nX: y", {}), (Fields{{"Via", "1.1 netius"}}));
}

}  // namespace
}  // namespace netius::net::proxy
