#include "net/http/client/url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace netius::net::http {
namespace {

// "scheme host port target [user:password]" or "error <reason>".
std::string parsed(std::string_view text) {
    Url u;
    std::string error;
    if (!parse_url(text, u, error)) return "error " + error;
    std::string s = u.scheme + " " + (u.ipv6 ? "[" + u.host + "]" : u.host) + " " +
                    std::to_string(u.port) + " " + u.target;
    if (u.has_userinfo) s += " " + u.user + ":" + u.password;
    return s;
}

struct ParseCase {
    const char* name;
    std::string input;
    std::string want;
};

class UrlParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(UrlParse, Parses) {
    EXPECT_EQ(parsed(GetParam().input), GetParam().want);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Cases, UrlParse, ::testing::Values(
    ParseCase{"plain", "http://example.com/a/b?x=1", "http example.com 80 /a/b?x=1"},
    ParseCase{"https_default_port", "https://example.com", "https example.com 443 /"},
    ParseCase{"scheme_and_host_lowered", "HTTP://Example.COM:8080/P", "http example.com 8080 /P"},
    ParseCase{"no_scheme", "127.0.0.1:9090/x", "http 127.0.0.1 9090 /x"},
    ParseCase{"no_scheme_no_port", "localhost", "http localhost 80 /"},
    ParseCase{"ipv6", "http://[::1]:9090/", "http [::1] 9090 /"},
    ParseCase{"ipv6_canonical", "http://[2001:DB8:0:0::A2]/", "http [2001:db8::a2] 80 /"},
    ParseCase{"ipv6_default_port", "https://[2001:db8::1]/x", "https [2001:db8::1] 443 /x"},
    ParseCase{"query_without_path", "http://h?q=1", "http h 80 /?q=1"},
    ParseCase{"empty_query_kept", "http://h/p?", "http h 80 /p?"},
    ParseCase{"fragment_dropped", "http://h/p?q#frag", "http h 80 /p?q"},
    ParseCase{"userinfo", "http://us%40er:p%3Ass@h/", "http h 80 / us@er:p:ss"},
    ParseCase{"user_without_password", "http://user@h/", "http h 80 / user:"},
    ParseCase{"empty_port_is_default", "http://h:/", "http h 80 /"},
    ParseCase{"dot_segments", "http://h/a/./b/../c/%2e", "http h 80 /a/c/%2e"},
    ParseCase{"dot_segments_above_root", "http://h/../../x", "http h 80 /x"},
    ParseCase{"space_and_utf8_encoded", "http://h/a b/\xc3\xa1?q=\"x\"", "http h 80 /a%20b/%C3%A1?q=%22x%22"},
    ParseCase{"valid_escape_kept_bad_escaped", "http://h/%41%zz%4", "http h 80 /%41%25zz%254"},
    ParseCase{"brackets_in_path_escaped", "http://h/[x]", "http h 80 /%5Bx%5D"},
    ParseCase{"ftp_refused", "ftp://h/", "error unsupported scheme 'ftp'"},
    ParseCase{"no_host", "http:///x", "error no host"},
    ParseCase{"port_zero", "http://h:0/", "error invalid port '0'"},
    ParseCase{"port_too_big", "http://h:65536/", "error invalid port '65536'"},
    ParseCase{"port_not_digits", "http://h:8x/", "error invalid port '8x'"},
    ParseCase{"bad_ipv6", "http://[::g]/", "error '::g' is not an IPv6 address"},
    ParseCase{"unterminated_ipv6", "http://[::1/", "error unterminated IPv6 address"},
    ParseCase{"bad_host_char", "http://a\"b/", "error invalid character in the host name"},
    ParseCase{"idn_refused", "http://\xc3\xa1.example/", "error non-ASCII host names are not supported (use the IDNA form)"}),
    [](const auto& i) { return std::string(i.param.name); });
// clang-format on

TEST(Url, AuthorityOriginAndDisplay) {
    Url u;
    std::string error;
    ASSERT_TRUE(parse_url("https://u:p@[::1]:8443/x?y", u, error));
    EXPECT_EQ(u.authority(), "[::1]:8443");
    EXPECT_EQ(u.origin(), "https://[::1]:8443");
    EXPECT_EQ(u.to_string(), "https://[::1]:8443/x?y");  // never the credentials
    ASSERT_TRUE(parse_url("http://h:80/", u, error));
    EXPECT_EQ(u.authority(), "h");  // the default port is left out of Host (RFC 9110 §7.2)
}

// RFC 3986 §5.4.1 normal examples and §5.4.2 abnormal ones, against its base URL.
struct ResolveCase {
    const char* reference;
    const char* want;
};

class UrlResolve : public ::testing::TestWithParam<ResolveCase> {};

TEST_P(UrlResolve, Rfc3986Examples) {
    Url base, out;
    std::string error;
    ASSERT_TRUE(parse_url("http://a/b/c/d;p?q", base, error));
    ASSERT_TRUE(resolve_url(base, GetParam().reference, out, error)) << error;
    EXPECT_EQ(out.to_string(), GetParam().want) << GetParam().reference;
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(Section5_4, UrlResolve, ::testing::Values(
    ResolveCase{"g", "http://a/b/c/g"}, ResolveCase{"./g", "http://a/b/c/g"},
    ResolveCase{"g/", "http://a/b/c/g/"}, ResolveCase{"/g", "http://a/g"},
    ResolveCase{"//g", "http://g/"}, ResolveCase{"?y", "http://a/b/c/d;p?y"},
    ResolveCase{"g?y", "http://a/b/c/g?y"}, ResolveCase{"#s", "http://a/b/c/d;p?q"},
    ResolveCase{"g#s", "http://a/b/c/g"}, ResolveCase{";x", "http://a/b/c/;x"},
    ResolveCase{"", "http://a/b/c/d;p?q"}, ResolveCase{".", "http://a/b/c/"},
    ResolveCase{"./", "http://a/b/c/"}, ResolveCase{"..", "http://a/b/"},
    ResolveCase{"../", "http://a/b/"}, ResolveCase{"../g", "http://a/b/g"},
    ResolveCase{"../..", "http://a/"}, ResolveCase{"../../g", "http://a/g"},
    ResolveCase{"../../../g", "http://a/g"}, ResolveCase{"/./g", "http://a/g"},
    ResolveCase{"/../g", "http://a/g"}, ResolveCase{"g.", "http://a/b/c/g."},
    ResolveCase{"..g", "http://a/b/c/..g"}, ResolveCase{"./../g", "http://a/b/g"},
    ResolveCase{"g/./h", "http://a/b/c/g/h"}, ResolveCase{"g/../h", "http://a/b/c/h"},
    ResolveCase{"g;x=1/../y", "http://a/b/c/y"}, ResolveCase{"g?y/./x", "http://a/b/c/g?y/./x"},
    ResolveCase{"https://other:8443/z", "https://other:8443/z"},
    ResolveCase{"HTTP://A/Z", "http://a/Z"}),
    [](const auto& i) { return "case" + std::to_string(i.index); });
// clang-format on

TEST(UrlResolve, CredentialsComeOnlyFromTheReference) {
    Url base, out;
    std::string error;
    ASSERT_TRUE(parse_url("http://u:p@a/x", base, error));
    ASSERT_TRUE(resolve_url(base, "/y", out, error));
    EXPECT_FALSE(out.has_userinfo);  // redirect.cpp decides whether they follow
    ASSERT_TRUE(resolve_url(base, "http://v:q@b/", out, error));
    EXPECT_EQ(out.user, "v");
    EXPECT_FALSE(resolve_url(base, "mailto:x@y", out, error));
    EXPECT_EQ(error, "unsupported scheme 'mailto'");
}

}  // namespace
}  // namespace netius::net::http
