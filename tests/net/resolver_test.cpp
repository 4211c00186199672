#include "net/resolver.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fake_dns.hpp"
#include "net/event_loop.hpp"
#include "net_test_util.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
namespace {

// A real UDP socket on loopback that never answers: the resolver must give up on its own.
struct SilentServer {
    UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    int port = 0;
    SilentServer() {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len) == 0 &&
            ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin_port);
    }
};

TEST(ResolveTxt, TimesOutAgainstASilentServer) {
    SilentServer silent;
    ASSERT_NE(silent.port, 0);
    ResolverOptions o;
    o.nameservers = {"127.0.0.1:" + std::to_string(silent.port)};
    o.timeout = std::chrono::milliseconds(200);
    o.tries = 1;
    try {
        resolve_txt("sel._domainkey.example.com", o);
        FAIL() << "expected a timeout";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos) << e.what();
    }
}

TEST(ResolveTxt, RejectsABadNameserver) {
    ResolverOptions o;
    o.nameservers = {"not-an-ip"};
    EXPECT_THROW(resolve_txt("example.com", o), Error);
}

}  // namespace
}  // namespace netius::net

// ---- the Resolver on the loop ----

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using test::FakeDns;

FakeDns make_dns() {
    return FakeDns({
        {"multi.test", {FakeDns::a("127.0.0.1"), FakeDns::a("127.0.0.2")}},
        {"dual.test", {FakeDns::a("127.0.0.1"), FakeDns::aaaa("::1")}},
        {"v6.test", {FakeDns::aaaa("::1")}},
        {"mail.test", {FakeDns::mx(10, "mx1.mail.test"), FakeDns::mx(20, "mx2.mail.test")}},
        {"sel._domainkey.mail.test", {FakeDns::txt({"v=DKIM1; ", "p=abc"})}},
    });
}

struct Lookup {
    DnsResult result;
    bool done = false;
};

ResolverOptions options_for(const FakeDns& dns) {
    ResolverOptions o;
    o.nameservers = {dns.address()};
    o.timeout = 500ms;
    o.tries = 2;
    return o;
}

std::string values(const DnsResult& r) {
    std::string s;
    for (const DnsRecord& rec : r.records)
        s += fmt::format("{}{}:{}", s.empty() ? "" : " ", rec.preference, rec.value);
    return s;
}

DnsResult resolve(Resolver& resolver, EventLoop& loop, const std::string& name, DnsType type) {
    Lookup l;
    bool inside = true;
    resolver.resolve(name, type, [&](DnsResult r) {
        EXPECT_FALSE(inside) << "callback ran inside resolve()";
        l.result = std::move(r);
        l.done = true;
        loop.quit();
    });
    inside = false;
    test::run_loop(loop, 10s);
    EXPECT_TRUE(l.done);
    return l.result;
}

TEST(Resolver, RecordQueriesOnTheLoop) {
    FakeDns dns = make_dns();
    EventLoop loop;
    Resolver resolver(&loop, options_for(dns));
    DnsResult a = resolve(resolver, loop, "multi.test", DnsType::kA);
    EXPECT_EQ(a.status, DnsStatus::kOk);
    EXPECT_EQ(values(a), "0:127.0.0.1 0:127.0.0.2");
    EXPECT_EQ(values(resolve(resolver, loop, "v6.test", DnsType::kAaaa)), "0:::1");
    EXPECT_EQ(values(resolve(resolver, loop, "mail.test", DnsType::kMx)),
              "10:mx1.mail.test 20:mx2.mail.test");
    EXPECT_EQ(values(resolve(resolver, loop, "sel._domainkey.mail.test", DnsType::kTxt)),
              "0:v=DKIM1; p=abc");
    EXPECT_EQ(resolver.pending(), 0u);
}

TEST(Resolver, NotFoundAndNoData) {
    FakeDns dns = make_dns();
    EventLoop loop;
    Resolver resolver(&loop, options_for(dns));
    DnsResult missing = resolve(resolver, loop, "missing.test", DnsType::kA);
    EXPECT_EQ(missing.status, DnsStatus::kNotFound);
    EXPECT_EQ(missing.error, "DNS lookup of 'missing.test' (A) found nothing");
    EXPECT_EQ(resolve(resolver, loop, "v6.test", DnsType::kMx).status, DnsStatus::kNotFound);
}

TEST(Resolver, TimesOutOnTheLoopTimer) {
    SilentServer silent;
    EventLoop loop;
    ResolverOptions o;
    o.nameservers = {"127.0.0.1:" + std::to_string(silent.port)};
    o.timeout = 100ms;
    o.tries = 2;
    Resolver resolver(&loop, o);
    DnsResult r = resolve(resolver, loop, "x.test", DnsType::kMx);
    EXPECT_EQ(r.status, DnsStatus::kTimeout);
    EXPECT_NE(r.error.find("timed out after 2 x 100 ms"), std::string::npos) << r.error;
}

TEST(Resolver, ConcurrentLookupsShareTheChannel) {
    FakeDns dns = make_dns();
    EventLoop loop;
    Resolver resolver(&loop, options_for(dns));
    int answered = 0;
    for (int i = 0; i < 20; ++i)
        resolver.resolve(i % 2 ? "multi.test" : "mail.test", i % 2 ? DnsType::kA : DnsType::kMx,
                         [&](DnsResult r) {
                             EXPECT_EQ(r.status, DnsStatus::kOk);
                             if (++answered == 20) loop.quit();
                         });
    EXPECT_EQ(resolver.pending(), 20u);
    test::run_loop(loop, 10s);
    EXPECT_EQ(answered, 20);
}

TEST(Resolver, DestroyedResolverCallsNothing) {
    SilentServer silent;
    EventLoop loop;
    ResolverOptions o;
    o.nameservers = {"127.0.0.1:" + std::to_string(silent.port)};
    bool called = false;
    {
        Resolver resolver(&loop, o);
        resolver.resolve("x.test", DnsType::kA, [&](DnsResult) { called = true; });
    }
    loop.run_after(100ms, [&] { loop.quit(); });
    test::run_loop(loop, 5s);
    EXPECT_FALSE(called);
}

HostResult resolve_host(Resolver& resolver, EventLoop& loop, const std::string& host, int family) {
    HostResult out;
    resolver.resolve_host(host, 8080, family, [&](HostResult r) {
        out = std::move(r);
        loop.quit();
    });
    test::run_loop(loop, 10s);
    return out;
}

std::string addresses(const HostResult& r) {
    std::string s;
    for (const InetAddress& a : r.addresses)
        s += fmt::format("{}{}", s.empty() ? "" : " ", a.to_string());
    return s;
}

TEST(Resolver, HostLookupForConnecting) {
    FakeDns dns = make_dns();
    EventLoop loop;
    Resolver resolver(&loop, options_for(dns));
    HostResult dual = resolve_host(resolver, loop, "dual.test", AF_UNSPEC);
    EXPECT_EQ(dual.status, DnsStatus::kOk) << dual.error;
    EXPECT_EQ(dual.addresses.size(), 2u) << addresses(dual);
    EXPECT_NE(addresses(dual).find("[::1]:8080"), std::string::npos);
    EXPECT_NE(addresses(dual).find("127.0.0.1:8080"), std::string::npos);
    EXPECT_EQ(addresses(resolve_host(resolver, loop, "dual.test", AF_INET)), "127.0.0.1:8080");
    EXPECT_EQ(addresses(resolve_host(resolver, loop, "dual.test", AF_INET6)), "[::1]:8080");
    EXPECT_EQ(resolve_host(resolver, loop, "missing.test", AF_UNSPEC).status, DnsStatus::kNotFound);
    // The hosts file answers before DNS.
    EXPECT_EQ(addresses(resolve_host(resolver, loop, "localhost", AF_INET)), "127.0.0.1:8080");
}

TEST(ResolveTxt, JoinsTheStringsOfEachRecord) {
    FakeDns dns = make_dns();
    EXPECT_EQ(resolve_txt("sel._domainkey.mail.test", options_for(dns)),
              std::vector<std::string>{"v=DKIM1; p=abc"});
    EXPECT_TRUE(resolve_txt("missing.test", options_for(dns)).empty());
}

TEST(Resolver, NumericHostsNeedNoLookup) {
    FakeDns dns = make_dns();
    EventLoop loop;
    Resolver resolver(&loop, options_for(dns));
    EXPECT_EQ(addresses(resolve_host(resolver, loop, "::1", AF_UNSPEC)), "[::1]:8080");
    HostResult wrong = resolve_host(resolver, loop, "::1", AF_INET);
    EXPECT_EQ(wrong.status, DnsStatus::kNotFound);
    EXPECT_EQ(wrong.error, "'::1' is not an IPv4 address");
    EXPECT_EQ(dns.queries(), 0);
}

}  // namespace
}  // namespace netius::net
