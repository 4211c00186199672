// Deliverer routing through DNS (a FakeDns on loopback): MX preference and fallback, the
// implicit MX, null MX and missing domains. Hosts are told apart by loopback address
// (127.0.0.1, 127.0.0.2, ...) on one port, the Deliverer's mx_port.
#include <gtest/gtest.h>

#include "../../fake_dns.hpp"
#include "deliver_test_util.hpp"
#include "net/smtp/client/deliverer.hpp"
#include "scripted_peer.hpp"

namespace netius::net::smtp {
namespace {

using namespace test;
using net::test::FakeDns;
using Strings = std::vector<std::string>;

std::string ok(const std::string& c) {
    return standard_answer(c, {"PIPELINING"});
}

DelivererOptions dns_options(const FakeDns& dns, std::uint16_t port) {
    DelivererOptions o;
    o.helo_name = "client.test";
    o.resolver.nameservers = {dns.address()};
    o.resolver.timeout = 500ms;
    o.resolver.tries = 1;
    o.mx_port = port;
    o.connect_timeout = 5s;
    o.command_timeout = 5s;
    return o;
}

Outbound to(const std::string& domain) {
    Outbound m = message({"bob@" + domain});
    m.domain = domain;
    return m;
}

TEST(DelivererMx, TriesTheMxHostsByPreferenceAndFallsBackWhenOneIsDown) {
    EventLoop loop;
    ScriptedPeer mx2(&loop, "220 mx2\r\n", ok);
    const std::uint16_t port = mx2.address().port();
    FakeDns dns({{"example.test",
                  {FakeDns::mx(20, "mx2.example.test"), FakeDns::mx(10, "mx1.example.test")}},
                 {"mx1.example.test", {FakeDns::a("127.0.0.3")}},  // nothing listens there
                 {"mx2.example.test", {FakeDns::a("127.0.0.1")}}});
    Deliverer d(&loop, dns_options(dns, port));
    DeliveryReport r = deliver(loop, d, to("example.test"));
    EXPECT_EQ(fates(r), Strings{"delivered 250 2.0.0"});
    EXPECT_EQ(r.recipients.at(0).remote, "mx2.example.test [127.0.0.1]");
    EXPECT_EQ(mx2.connections, 1);
}

TEST(DelivererMx, ATemporaryRefusalOfTheGreetingPassesToTheNextMx) {
    EventLoop loop;
    ScriptedPeer good(&loop, "220 good\r\n", ok);
    const std::uint16_t port = good.address().port();
    ScriptedPeer busy(&loop, "421 4.3.2 busy\r\n", ok, "127.0.0.2:" + std::to_string(port));
    FakeDns dns({{"example.test",
                  {FakeDns::mx(10, "busy.example.test"), FakeDns::mx(30, "good.example.test")}},
                 {"busy.example.test", {FakeDns::a("127.0.0.2")}},
                 {"good.example.test", {FakeDns::a("127.0.0.1")}}});
    Deliverer d(&loop, dns_options(dns, port));
    DeliveryReport r = deliver(loop, d, to("example.test"));
    EXPECT_EQ(fates(r), Strings{"delivered 250 2.0.0"});
    EXPECT_EQ(busy.connections, 1);
    EXPECT_EQ(good.connections, 1);
}

TEST(DelivererMx, WhenEveryMxFailsTheLastOneTells) {
    EventLoop loop;
    ScriptedPeer busy(&loop, "421 4.3.2 busy\r\n", ok);
    FakeDns dns({{"example.test",
                  {FakeDns::mx(10, "down.example.test"), FakeDns::mx(20, "busy.example.test")}},
                 {"down.example.test", {FakeDns::a("127.0.0.3")}},
                 {"busy.example.test", {FakeDns::a("127.0.0.1")}}});
    Deliverer d(&loop, dns_options(dns, busy.address().port()));
    EXPECT_EQ(fates(deliver(loop, d, to("example.test"))), Strings{"transient 421 4.3.2"});
}

TEST(DelivererMx, ADomainWithoutMxIsItsOwnMx) {
    EventLoop loop;
    ScriptedPeer peer(&loop, "220 self\r\n", ok);
    FakeDns dns({{"implicit.test", {FakeDns::a("127.0.0.1")}}});
    Deliverer d(&loop, dns_options(dns, peer.address().port()));
    DeliveryReport r = deliver(loop, d, to("implicit.test"));
    EXPECT_EQ(fates(r), Strings{"delivered 250 2.0.0"});
    EXPECT_EQ(r.recipients.at(0).remote, "implicit.test [127.0.0.1]");
}

TEST(DelivererMx, NullMxAndMissingDomainsArePermanent) {
    EventLoop loop;
    FakeDns dns(
        {{"nullmx.test", {FakeDns::mx(0, "")}}, {"nomail.test", {FakeDns::txt({"v=spf1 -all"})}}});
    Deliverer d(&loop, dns_options(dns, 9));
    DeliveryReport r = deliver(loop, d, to("nullmx.test"));
    EXPECT_EQ(fates(r), Strings{"permanent 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("null MX"), std::string::npos);
    r = deliver(loop, d, to("nxdomain.test"));
    EXPECT_EQ(fates(r), Strings{"permanent 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("no such domain"), std::string::npos);
    r = deliver(loop, d, to("nomail.test"));  // exists, but neither MX nor address
    EXPECT_EQ(fates(r), Strings{"permanent 0"});
}

TEST(DelivererMx, AnUnresolvableMxHostOrAFailedLookupIsTransient) {
    EventLoop loop;
    FakeDns dns({{"example.test", {FakeDns::mx(10, "ghost.example.test")}}});
    Deliverer d(&loop, dns_options(dns, 9));
    DeliveryReport r = deliver(loop, d, to("example.test"));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
    EXPECT_NE(r.recipients.at(0).diagnostic.find("ghost.example.test"), std::string::npos)
        << r.recipients.at(0).diagnostic;

    DelivererOptions silent = dns_options(dns, 9);
    ScriptedPeer tcp_only(&loop, "", ok);  // no UDP listener on its port: lookups fail
    silent.resolver.nameservers = {"127.0.0.1:" + std::to_string(tcp_only.address().port())};
    silent.resolver.timeout = 200ms;
    Deliverer quiet(&loop, silent);
    r = deliver(loop, quiet, to("example.test"));
    EXPECT_EQ(fates(r), Strings{"transient 0"});
}

}  // namespace
}  // namespace netius::net::smtp
