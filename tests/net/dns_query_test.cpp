// Resolver::query() against FakeDns: every record type with owner and TTL, CNAME chains,
// and the outcomes told apart (NXDOMAIN, NODATA, no answer, server failure, malformed).
#include <gtest/gtest.h>

#include "fake_dns.hpp"
#include "net/event_loop.hpp"
#include "net/resolver.hpp"
#include "net/resolver_detail.hpp"
#include "net_test_util.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using test::FakeDns;

FakeDns make_dns() {
    return FakeDns({
        {"example.test",
         {FakeDns::with_ttl(FakeDns::a("192.0.2.1"), 300), FakeDns::a("192.0.2.2"),
          FakeDns::aaaa("2001:db8::1"), FakeDns::mx(10, "mx1.example.test"),
          FakeDns::mx(20, "mx2.example.test"), FakeDns::txt({"v=spf1 ", "-all"}),
          FakeDns::txt({"second"}), FakeDns::ns("ns1.example.test"),
          FakeDns::soa("ns1.example.test", "hostmaster.example.test",
                       {2024010101, 1200, 120, 604800, 600}),
          FakeDns::caa(0, "issue", "ca.test"), FakeDns::caa(128, "iodef", "mailto:x@y.test")}},
        {"_sip._udp.example.test", {FakeDns::srv(1, 5, 5060, "sip.example.test")}},
        {"www.example.test", {FakeDns::with_ttl(FakeDns::cname("example.test"), 30)}},
        {"dangling.example.test", {FakeDns::cname("nothing.example.test")}},
        {"1.2.0.192.in-addr.arpa", {FakeDns::ptr("example.test"), FakeDns::ptr("alias.test")}},
        {"servfail.test", {FakeDns::rcode(2)}},
        {"refused.test", {FakeDns::rcode(5)}},
        {"garbage.test", {FakeDns::truncated()}},
    });
}

ResolverOptions options_for(const std::string& server) {
    ResolverOptions o;
    o.nameservers = {server};
    o.timeout = 500ms;
    o.tries = 2;
    o.report_server_errors = true;
    return o;
}

DnsQueryResult query(const ResolverOptions& o, const std::string& name, DnsType type) {
    EventLoop loop;
    Resolver resolver(&loop, o);
    DnsQueryResult out;
    bool done = false, inside = true;
    resolver.query(name, type, [&](DnsQueryResult r) {
        EXPECT_FALSE(inside) << "callback ran inside query()";
        out = std::move(r);
        done = true;
        loop.quit();
    });
    inside = false;
    test::run_loop(loop, 10s);
    EXPECT_TRUE(done);
    EXPECT_EQ(resolver.pending(), 0u);
    return out;
}

// "owner ttl TYPE data" per record, ';'-separated.
std::string lines(const DnsQueryResult& r) {
    std::string s;
    for (const ResourceRecord& rr : r.records)
        s += (s.empty() ? "" : "; ") + rr.name + " " + std::to_string(rr.ttl) + " " +
             std::string(dns_type_name(rr.type)) + " " + rdata_text(rr);
    return s;
}

TEST(DnsQuery, EveryTypeWithOwnerAndTtl) {
    FakeDns dns = make_dns();
    const ResolverOptions o = options_for(dns.address());
    struct Case {
        const char* name;
        DnsType type;
        const char* expect;
    };
    for (const Case& c : std::vector<Case>{
             {"example.test", DnsType::kA,
              "example.test 300 A 192.0.2.1; example.test 60 A 192.0.2.2"},
             {"example.test", DnsType::kAaaa, "example.test 60 AAAA 2001:db8::1"},
             {"example.test", DnsType::kMx,
              "example.test 60 MX mx1.example.test => 10; example.test 60 MX mx2.example.test "
              "=> 20"},
             {"example.test", DnsType::kTxt,
              "example.test 60 TXT \"v=spf1 \" \"-all\"; example.test 60 TXT \"second\""},
             {"example.test", DnsType::kNs, "example.test 60 NS ns1.example.test"},
             {"example.test", DnsType::kSoa,
              "example.test 60 SOA ns1.example.test hostmaster.example.test 2024010101 1200 120 "
              "604800 600"},
             {"example.test", DnsType::kCaa,
              "example.test 60 CAA 0 issue \"ca.test\"; example.test 60 CAA 128 iodef "
              "\"mailto:x@y.test\""},
             {"_sip._udp.example.test", DnsType::kSrv,
              "_sip._udp.example.test 60 SRV 1 5 5060 sip.example.test"},
             {"1.2.0.192.in-addr.arpa", DnsType::kPtr,
              "1.2.0.192.in-addr.arpa 60 PTR example.test; 1.2.0.192.in-addr.arpa 60 PTR "
              "alias.test"},
             {"www.example.test", DnsType::kCname, "www.example.test 30 CNAME example.test"},
         }) {
        DnsQueryResult r = query(o, c.name, c.type);
        EXPECT_EQ(r.status, DnsQueryStatus::kOk) << c.name << " " << r.error;
        EXPECT_EQ(lines(r), c.expect) << dns_type_name(c.type);
    }
}

TEST(DnsQuery, CnameChainsComeFirst) {
    FakeDns dns = make_dns();
    const ResolverOptions o = options_for(dns.address());
    EXPECT_EQ(lines(query(o, "www.example.test", DnsType::kA)),
              "www.example.test 30 CNAME example.test; example.test 300 A 192.0.2.1; "
              "example.test 60 A 192.0.2.2");
    EXPECT_EQ(lines(query(o, "www.example.test", DnsType::kMx)),
              "www.example.test 30 CNAME example.test; example.test 60 MX mx1.example.test => "
              "10; example.test 60 MX mx2.example.test => 20");
    // A CNAME to a name without the type: the name exists, the records do not.
    DnsQueryResult dangling = query(o, "dangling.example.test", DnsType::kA);
    EXPECT_EQ(dangling.status, DnsQueryStatus::kNoData);
    EXPECT_TRUE(dangling.records.empty());
}

TEST(DnsQuery, NxDomainAndNoDataApart) {
    FakeDns dns = make_dns();
    const ResolverOptions o = options_for(dns.address());
    DnsQueryResult missing = query(o, "missing.test", DnsType::kMx);
    EXPECT_EQ(missing.status, DnsQueryStatus::kNxDomain);
    EXPECT_EQ(missing.error, "'missing.test' does not exist (NXDOMAIN)");
    DnsQueryResult nodata = query(o, "_sip._udp.example.test", DnsType::kTxt);
    EXPECT_EQ(nodata.status, DnsQueryStatus::kNoData);
    EXPECT_EQ(nodata.error, "'_sip._udp.example.test' has no TXT record (NODATA)");
    EXPECT_TRUE(nodata.records.empty());
    EXPECT_EQ(query(o, "example.test", DnsType::kCname).status, DnsQueryStatus::kNoData);
}

TEST(DnsQuery, ServerFailuresAreReportedAsAnswered) {
    FakeDns dns = make_dns();
    const ResolverOptions o = options_for(dns.address());
    DnsQueryResult servfail = query(o, "servfail.test", DnsType::kA);
    EXPECT_EQ(servfail.status, DnsQueryStatus::kServerFailure);
    EXPECT_EQ(servfail.error, "the server answered SERVFAIL to 'servfail.test' (A)");
    DnsQueryResult refused = query(o, "refused.test", DnsType::kA);
    EXPECT_EQ(refused.status, DnsQueryStatus::kServerFailure);
    EXPECT_EQ(refused.error, "the server answered REFUSED to 'refused.test' (A)");
    // One answer record announced, none sent: a malformed answer, never a crash or records.
    for (DnsType t : {DnsType::kA, DnsType::kMx, DnsType::kTxt, DnsType::kSoa, DnsType::kCaa}) {
        DnsQueryResult garbage = query(o, "garbage.test", t);
        EXPECT_EQ(garbage.status, DnsQueryStatus::kServerFailure) << dns_type_name(t);
        EXPECT_NE(garbage.error.find("malformed answer"), std::string::npos) << garbage.error;
    }
}

TEST(DnsQuery, WithoutReportServerErrorsSERVFAILLooksLikeNoAnswer) {
    FakeDns dns = make_dns();
    ResolverOptions o = options_for(dns.address());
    o.report_server_errors = false;  // c-ares' default: the next server (none) would be tried
    EXPECT_EQ(query(o, "servfail.test", DnsType::kA).status, DnsQueryStatus::kNoAnswer);
}

TEST(DnsQuery, TimesOutAgainstASilentServer) {
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len), 0);
    ASSERT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len), 0);
    ResolverOptions o = options_for("127.0.0.1:" + std::to_string(ntohs(a.sin_port)));
    o.timeout = 50ms;
    DnsQueryResult r = query(o, "example.test", DnsType::kA);
    EXPECT_EQ(r.status, DnsQueryStatus::kNoAnswer);
    EXPECT_NE(r.error.find("timed out after 2 tries (50 ms, doubling)"), std::string::npos)
        << r.error;
}

// Found by the dns_answer fuzz target: a CNAME, then a record whose owner name points past
// the message. The CNAME was already read when the answer turned out malformed; nothing of a
// malformed answer is handed on.
TEST(DnsQuery, AMalformedAnswerLeavesNoRecordBehind) {
    const unsigned char answer[] = {
        0x00, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x77,
        0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6c, 0x6d, 0x70, 0x65, 0x04, 0x74, 0x65, 0x73,
        0x74, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x58, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6c, 0x6d,
        0x70, 0x65, 0xc0, 0x58, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x03, 0x77, 0x77, 0x77, 0x07, 0x65, 0x78, 0x61, 0x6d, 0x65, 0x6c, 0x70, 0x04, 0x74,
        0x65, 0x73, 0x74, 0x03, 0x00, 0x01, 0x00, 0x02, 0x01};
    std::vector<ResourceRecord> records;
    EXPECT_EQ(detail::parse_records(DnsType::kCname, answer, sizeof answer, records),
              ARES_EBADRESP);
    EXPECT_TRUE(records.empty());
}

}  // namespace
}  // namespace netius::net
