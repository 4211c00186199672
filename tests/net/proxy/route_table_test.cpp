// RouteTable and Balancer: the --route / --alias / --redirect parsers and their errors, host
// normalisation (case, port, trailing dot, IPv6), exact vs wildcard hosts, prefixes at segment
// boundaries, one-step aliases, the default pool, and robin/smart picks with retries.
#include "net/proxy/route_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace netius::net::proxy {
namespace {

// The UsageError `f` throws ("" and a failure when it throws none).
template <typename F>
std::string usage_error(F&& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no UsageError";
    return {};
}

Route route(std::string spec) {
    return parse_route(spec);
}

// The first upstream's host of the route find() picks, or "404".
std::string pick(const RouteTable& t, std::string_view host, std::string_view path) {
    const RouteMatch m = t.find(host, path);
    return m.route ? m.route->upstreams.at(0).host : "404";
}

TEST(RouteParse, Upstreams) {
    auto urls = parse_upstreams("http://a:8080, https://B/base/ ,127.0.0.1:9000");
    ASSERT_EQ(urls.size(), 3u);
    EXPECT_EQ(urls[0].host, "a");
    EXPECT_EQ(urls[0].port, 8080);
    EXPECT_EQ(urls[0].target, "/");
    EXPECT_TRUE(urls[1].tls());
    EXPECT_EQ(urls[1].host, "b");
    EXPECT_EQ(urls[1].port, 443);
    EXPECT_EQ(urls[1].target, "/base");  // joins with "/x" as "/base/x", not "/base//x"
    EXPECT_EQ(urls[2].scheme, "http");
    EXPECT_EQ(urls[2].port, 9000);
    EXPECT_EQ(parse_upstreams("http://[::1]:81//").at(0).target, "/");
    urls = parse_upstreams("unix:/run/app.sock,http://b");
    ASSERT_EQ(urls.size(), 2u);
    EXPECT_EQ(urls[0].socket_path, "/run/app.sock");
    EXPECT_EQ(urls[0].authority(), "localhost");  // the Host when the client sent none
    EXPECT_EQ(urls[0].to_string(), "unix:/run/app.sock");
    EXPECT_NE(urls[0].origin(), parse_upstreams("unix:/run/other.sock")[0].origin());
    EXPECT_EQ(urls[1].host, "b");
}

TEST(RouteParse, UpstreamErrorsNameTheUrl) {
    auto e = usage_error([] { parse_upstreams("http://ok, ftp://files"); });
    EXPECT_NE(e.find("'ftp://files'"), std::string::npos) << e;
    EXPECT_NE(e.find("unsupported scheme"), std::string::npos) << e;
    e = usage_error([] { parse_upstreams("http://user:pw@internal"); });
    EXPECT_NE(e.find("user:password@"), std::string::npos) << e;
    e = usage_error([] { parse_upstreams("http://a/x?debug=1"); });
    EXPECT_NE(e.find("query"), std::string::npos) << e;
    e = usage_error([] { parse_upstreams("http://a/?"); });
    EXPECT_NE(e.find("query"), std::string::npos) << e;
    e = usage_error([] { parse_upstreams("http://a/#top"); });
    EXPECT_NE(e.find("fragment"), std::string::npos) << e;
    for (const char* empty : {"", " ", "http://a,,http://b", "http://a,"})
        EXPECT_NE(usage_error([&] { parse_upstreams(empty); }).find("empty"), std::string::npos)
            << empty;
    e = usage_error([] { parse_upstreams("unix:run/app.sock"); });
    EXPECT_NE(e.find("absolute path"), std::string::npos) << e;
    e = usage_error([] { parse_upstreams("http://a:99999"); });
    EXPECT_NE(e.find("port"), std::string::npos) << e;
}

TEST(RouteParse, Routes) {
    Route r = route("Example.COM./api/=http://x");
    EXPECT_EQ(r.host, "example.com");
    EXPECT_EQ(r.prefix, "/api");
    ASSERT_EQ(r.upstreams.size(), 1u);
    EXPECT_EQ(r.upstreams[0].host, "x");

    r = route("*.Example.com=http://x,https://y");
    EXPECT_EQ(r.host, "*.example.com");
    EXPECT_EQ(r.prefix, "");
    EXPECT_EQ(r.upstreams.size(), 2u);

    EXPECT_EQ(route("example.com/=http://x").prefix, "");
    EXPECT_EQ(route("[0:0::1]/v1=http://x").host, "[::1]");
    EXPECT_EQ(route("my_host=http://x").host, "my_host");
}

TEST(RouteParse, RouteErrorsQuoteTheSpec) {
    struct Bad {
        const char* spec;
        const char* says;
    };
    for (const Bad& b :
         {Bad{"example.com", "HOST[/PREFIX]=URL"}, Bad{"=http://x", "no host"},
          Bad{"/api=http://x", "no host"}, Bad{"example.com:8080=http://x", "port"},
          Bad{"[::1]:8080=http://x", "port"}, Bad{"[nope]=http://x", "IPv6"},
          Bad{"*=http://x", "wildcard"}, Bad{"a.*.com=http://x", "wildcard"},
          Bad{"*.=http://x", "host name"}, Bad{".example.com=http://x", "host name"},
          Bad{"exa mple.com=http://x", "invalid character"},
          Bad{"user@example.com=http://x", "invalid character"},
          Bad{"example.com/a?b=http://x", "prefix"}, Bad{"example.com/a b=http://x", "prefix"},
          Bad{"example.com=ftp://x", "unsupported scheme"}, Bad{"example.com=", "empty"}}) {
        const std::string e = usage_error([&] { parse_route(b.spec); });
        EXPECT_NE(e.find(std::string("--route '") + b.spec + "'"), std::string::npos) << e;
        EXPECT_NE(e.find(b.says), std::string::npos) << b.spec << ": " << e;
    }
}

TEST(RouteParse, AssignmentsAndStrategy) {
    EXPECT_EQ(parse_assignment("www.example=example", "--alias"),
              (std::pair<std::string, std::string>{"www.example", "example"}));
    EXPECT_EQ(parse_assignment(" a = https://b/c=d ", "--redirect"),
              (std::pair<std::string, std::string>{"a", "https://b/c=d"}));
    for (const char* bad : {"a", "=b", "a=", " = "}) {
        const std::string e = usage_error([&] { parse_assignment(bad, "--alias"); });
        EXPECT_NE(e.find("--alias"), std::string::npos) << e;
        EXPECT_NE(e.find("NAME=VALUE"), std::string::npos) << e;
    }
    EXPECT_EQ(parse_strategy("robin"), Strategy::kRobin);
    EXPECT_EQ(parse_strategy("Smart"), Strategy::kSmart);
    EXPECT_NE(usage_error([] { parse_strategy("fastest"); }).find("'fastest'"), std::string::npos);
    EXPECT_THROW(parse_strategy(""), UsageError);
}

TEST(RouteTable, HostIsNormalised) {
    RouteConfig c;
    c.routes = {route("example.com=http://exact"), route("[::1]=http://v6")};
    const RouteTable t(std::move(c));
    for (const char* host :
         {"example.com", "EXAMPLE.Com", "example.com:8080", "example.com.", "Example.COM.:443"})
        EXPECT_EQ(pick(t, host, "/"), "exact") << host;
    EXPECT_EQ(t.find("Example.com:80", "/").host, "example.com");
    EXPECT_EQ(pick(t, "example.com..", "/"), "404");  // one trailing dot only
    EXPECT_EQ(pick(t, "www.example.com", "/"), "404");
    EXPECT_EQ(pick(t, "[::1]:8080", "/"), "v6");
    EXPECT_EQ(pick(t, "[0:0:0:0:0:0:0:1]", "/"), "v6");
    EXPECT_EQ(t.find("[::1]:8080", "/").host, "[::1]");
    EXPECT_EQ(pick(t, "[::2]", "/"), "404");
}

TEST(RouteTable, WildcardMatchesSubdomainsOnly) {
    RouteConfig c;
    c.routes = {route("*.example.com=http://wild")};
    const RouteTable t(std::move(c));
    EXPECT_EQ(pick(t, "a.example.com", "/"), "wild");
    EXPECT_EQ(pick(t, "A.B.Example.com:8080", "/"), "wild");
    EXPECT_EQ(pick(t, "example.com", "/"), "404");
    EXPECT_EQ(pick(t, "badexample.com", "/"), "404");
    EXPECT_EQ(pick(t, "a.example.com.evil", "/"), "404");
}

TEST(RouteTable, HostFirstThenTheLongestPrefix) {
    RouteConfig c;
    c.routes = {route("*.example.com=http://wild"), route("www.example.com=http://exact"),
                route("*.b.example.com=http://longer-wild"),
                route("*.example.com/api=http://wild-api")};
    const RouteTable t(std::move(c));
    EXPECT_EQ(pick(t, "www.example.com", "/"), "exact");
    EXPECT_EQ(pick(t, "x.example.com", "/"), "wild");
    EXPECT_EQ(pick(t, "a.b.example.com", "/"), "longer-wild");
    // The host decides first (nginx's server block, then its location): an exact host's
    // route beats a wildcard's longer prefix; within the wildcard, the prefix counts.
    EXPECT_EQ(pick(t, "www.example.com", "/api/x"), "exact");
    EXPECT_EQ(pick(t, "x.example.com", "/api/x"), "wild-api");
}

TEST(RouteTable, PrefixAtSegmentBoundaryLongestWins) {
    RouteConfig c;
    c.routes = {route("example.com=http://root"), route("example.com/api=http://api"),
                route("example.com/api/v2=http://v2")};
    const RouteTable t(std::move(c));
    for (const char* path : {"/api", "/api/", "/api/x", "/api?x=1", "/api/v22", "/api/v"})
        EXPECT_EQ(pick(t, "example.com", path), "api") << path;
    for (const char* path : {"/api/v2", "/api/v2/", "/api/v2/users?id=1"})
        EXPECT_EQ(pick(t, "example.com", path), "v2") << path;
    for (const char* path : {"/", "/apix", "/ap", "/API", "", "*"})
        EXPECT_EQ(pick(t, "example.com", path), "root") << path;
}

TEST(RouteTable, DefaultPoolIsTheFallback) {
    RouteConfig c;
    Route to;  // --to: empty host
    to.upstreams = parse_upstreams("http://default");
    c.routes = {route("example.com/api=http://api"), to};
    const RouteTable t(std::move(c));
    EXPECT_EQ(pick(t, "example.com", "/api/x"), "api");
    EXPECT_EQ(pick(t, "example.com", "/other"), "default");  // host known, prefix not
    EXPECT_EQ(pick(t, "unknown.example", "/"), "default");
    EXPECT_EQ(pick(t, "", "/"), "default");

    RouteConfig none;
    none.routes = {route("example.com=http://x")};
    EXPECT_EQ(pick(RouteTable(std::move(none)), "", "/"), "404");
    EXPECT_EQ(pick(RouteTable(RouteConfig{}), "example.com", "/"), "404");
}

TEST(RouteTable, FirstConfiguredWinsATie) {
    RouteConfig c;
    c.routes = {route("example.com/a=http://first"), route("EXAMPLE.com/a/=http://second")};
    EXPECT_EQ(pick(RouteTable(std::move(c)), "example.com", "/a"), "first");
}

TEST(RouteTable, AliasesTakeOneStep) {
    RouteConfig c;
    c.routes = {route("example.com=http://main"), route("www.example.com/x=http://www-x")};
    c.aliases = {{"WWW.Example.com.", "Example.COM"},  // normalised on both sides
                 {"old.example", "www.example.com"},
                 {"legacy.example", "old.example"}};
    const RouteTable t(std::move(c));
    EXPECT_EQ(pick(t, "www.example.com:8080", "/"), "main");
    EXPECT_EQ(t.find("www.example.com", "/").host, "example.com");
    // old -> www, and www's own routes apply; its alias to example.com is not followed.
    EXPECT_EQ(pick(t, "old.example", "/x"), "www-x");
    EXPECT_EQ(pick(t, "old.example", "/"), "404");
    EXPECT_EQ(t.find("old.example", "/").host, "www.example.com");
    EXPECT_EQ(pick(t, "legacy.example", "/"), "404");  // legacy -> old, not further
}

TEST(RouteTable, RedirectsAndAuthByHostThenAliasTarget) {
    RouteConfig c;
    c.aliases = {{"www.example.com", "example.com"}, {"shop.example", "example.com"}};
    c.redirects = {{"Example.com", "https://example.com"}, {"shop.example", "https://shop.new"}};
    c.auth = {{"EXAMPLE.COM.", "/etc/netius/passwd"}};
    const RouteTable t(std::move(c));
    EXPECT_EQ(t.redirect("example.com:80"), "https://example.com");
    EXPECT_EQ(t.redirect("www.example.com"), "https://example.com");  // via the alias
    EXPECT_EQ(t.redirect("shop.example"), "https://shop.new");        // its own wins
    EXPECT_EQ(t.redirect("other.example"), std::nullopt);
    EXPECT_EQ(t.redirect(""), std::nullopt);
    EXPECT_EQ(t.auth_file("Example.com"), "/etc/netius/passwd");
    EXPECT_EQ(t.auth_file("www.example.com:8443"), "/etc/netius/passwd");
    EXPECT_EQ(t.auth_file("other.example"), std::nullopt);
    EXPECT_EQ(t.config().redirects.count("example.com"), 1u);
}

TEST(RouteTable, AuthByWildcardAfterExactHosts) {
    RouteConfig c;
    c.aliases = {{"alias.test", "x.w.test"}};
    c.auth = {{"*.w.test", "wide"}, {"*.deep.w.test", "deep"}, {"open.w.test", "own"}};
    const RouteTable t(std::move(c));
    EXPECT_EQ(t.auth_file("a.w.test"), "wide");
    EXPECT_EQ(t.auth_file("A.Deep.W.Test:80"), "deep");  // the longest wildcard
    EXPECT_EQ(t.auth_file("open.w.test"), "own");        // an exact host first
    EXPECT_EQ(t.auth_file("alias.test"), "wide");        // via the alias target
    EXPECT_EQ(t.auth_file("w.test"), std::nullopt);      // not the domain itself
    EXPECT_EQ(t.auth_file("a.w.test.other"), std::nullopt);
}

TEST(Balancer, RobinRotatesPerRoute) {
    const Route a = route("a=http://a0,http://a1,http://a2");
    const Route b = route("b=http://b0,http://b1");
    Balancer bal;
    std::vector<std::size_t> got;
    for (int i = 0; i < 4; ++i) {
        got.push_back(bal.pick(a, Strategy::kRobin));
        got.push_back(bal.pick(b, Strategy::kRobin));
    }
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 0, 1, 1, 2, 0, 0, 1}));
}

TEST(Balancer, SkipsWhatWasTriedUnlessEverythingWas) {
    const Route r = route("a=http://a0,http://a1,http://a2");
    for (Strategy s : {Strategy::kRobin, Strategy::kSmart}) {
        Balancer bal;
        EXPECT_EQ(bal.pick(r, s, {0}), 1u);
        EXPECT_EQ(bal.pick(r, s, {2, 0}), 1u);  // cursor at 2, 2 and 0 tried
        EXPECT_EQ(bal.pick(r, s, {1}), 2u);
        const std::size_t any = bal.pick(r, s, {0, 1, 2});
        EXPECT_LT(any, 3u);
        EXPECT_EQ(bal.pick(r, s, {0, 1, 2, 7}), (any + 1) % 3);  // the rotation goes on
    }
}

TEST(Balancer, PassiveHealthPassesOverADownUpstreamForItsTimeout) {
    using namespace std::chrono_literals;
    const Route r = route("a=http://a0,http://a1,http://a2");
    Balancer bal(PassiveHealth{2, 10s});
    const auto t0 = Balancer::Clock::now();
    bal.failed(r, 1, t0);
    EXPECT_FALSE(bal.down(r, 1, t0));  // one failure of two
    bal.answered(r, 1);                // an answer resets the count
    bal.failed(r, 1, t0);
    EXPECT_FALSE(bal.down(r, 1, t0));
    bal.failed(r, 1, t0);
    EXPECT_TRUE(bal.down(r, 1, t0));
    std::vector<std::size_t> got;
    for (int i = 0; i < 4; ++i) got.push_back(bal.pick(r, Strategy::kRobin, {}, t0 + 1s));
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 2, 0, 2}));
    EXPECT_EQ(bal.pick(r, Strategy::kSmart, {0, 2}, t0 + 1s), 1u);  // the only one left
    EXPECT_FALSE(bal.down(r, 1, t0 + 10s));                         // back after the timeout
    // Every upstream down: they are tried anyway (a recovered one is found).
    for (std::size_t i : {0u, 2u}) {
        bal.failed(r, i, t0);
        bal.failed(r, i, t0);
    }
    EXPECT_LT(bal.pick(r, Strategy::kRobin, {}, t0 + 1s), 3u);
    Balancer off(PassiveHealth{0, 10s});
    off.failed(r, 0, t0);
    EXPECT_FALSE(off.down(r, 0, t0));
}

TEST(Balancer, ActiveHealthPassesOverUntilACheckSucceeds) {
    using namespace std::chrono_literals;
    const Route r = route("a=http://a0,http://a1");
    Balancer bal(PassiveHealth{1, 10s});
    const auto t0 = Balancer::Clock::now();
    bal.checked(r, 0, false);
    EXPECT_TRUE(bal.down(r, 0, t0 + 1h));  // no timeout: until a check succeeds
    for (int i = 0; i < 3; ++i) EXPECT_EQ(bal.pick(r, Strategy::kRobin, {}, t0), 1u);
    bal.checked(r, 0, true);
    EXPECT_FALSE(bal.down(r, 0, t0));
    bal.failed(r, 1, t0);  // passively down ...
    EXPECT_TRUE(bal.down(r, 1, t0));
    bal.checked(r, 1, true);  // ... and back with a successful check
    EXPECT_FALSE(bal.down(r, 1, t0));
    std::vector<std::size_t> got;
    for (int i = 0; i < 4; ++i) got.push_back(bal.pick(r, Strategy::kRobin, {}, t0));
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 0, 1, 1}));
    bal.checked(r, 0, false);
    bal.checked(r, 1, false);  // every one down: tried anyway
    EXPECT_LT(bal.pick(r, Strategy::kSmart, {}, t0), 2u);
}

TEST(Balancer, SingleAndEmptyPools) {
    const Route one = route("a=http://only");
    Route empty;
    Balancer bal;
    for (Strategy s : {Strategy::kRobin, Strategy::kSmart}) {
        EXPECT_EQ(bal.pick(one, s), 0u);
        EXPECT_EQ(bal.pick(one, s, {0}), 0u);
        EXPECT_EQ(bal.pick(empty, s), 0u);
    }
}

TEST(Balancer, SmartTakesTheFewestInFlight) {
    const Route r = route("a=http://a0,http://a1,http://a2");
    Balancer bal;
    bal.started(r, 0);
    bal.started(r, 0);
    bal.started(r, 1);
    EXPECT_EQ(bal.pick(r, Strategy::kSmart), 2u);
    bal.started(r, 2);
    bal.started(r, 2);
    EXPECT_EQ(bal.pick(r, Strategy::kSmart), 1u);  // 2, 1, 2
    bal.finished(r, 0);
    bal.finished(r, 0);
    EXPECT_EQ(bal.pick(r, Strategy::kSmart), 0u);  // 0, 1, 2
    EXPECT_EQ(bal.pick(r, Strategy::kSmart, {0}), 1u);
}

TEST(Balancer, SmartRotatesTies) {
    const Route r = route("a=http://a0,http://a1,http://a2");
    Balancer bal;
    std::vector<std::size_t> got;
    for (int i = 0; i < 4; ++i) got.push_back(bal.pick(r, Strategy::kSmart));  // all idle
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 1, 2, 0}));
    // Concurrent requests spread out (netius' heap sent a,a,a,a,b,b).
    Balancer busy;
    got.clear();
    for (int i = 0; i < 6; ++i) {
        got.push_back(busy.pick(r, Strategy::kSmart));
        busy.started(r, got.back());
    }
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 1, 2, 0, 1, 2}));
}

TEST(Balancer, CountsNeverUnderflowAndBadIndexesAreIgnored) {
    const Route r = route("a=http://a0,http://a1,http://a2");
    Balancer bal;
    bal.finished(r, 0);  // nothing started
    bal.started(r, 0);
    bal.finished(r, 0);
    bal.finished(r, 0);  // once too often
    bal.started(r, 99);
    bal.finished(r, 99);
    bal.started(r, 1);
    bal.started(r, 2);
    EXPECT_EQ(bal.pick(r, Strategy::kSmart), 0u);  // 0 in flight, not 2^32 - 1
}

}  // namespace
}  // namespace netius::net::proxy
