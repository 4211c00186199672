// Connector: Happy Eyeballs v2 (RFC 8305) on loopback. A "blackhole" (a listener whose accept
// queue is full) is the address that never answers; a closed port refuses. The IPv6 cases use
// ::1 and are skipped where IPv6 is disabled; the IPv4-only ones still check the staggering.
#include "net/connector.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <optional>

#include "net/event_loop.hpp"
#include "net_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;

InetAddress v4(const char* host) {
    return InetAddress::parse(host, 80);
}

TEST(InterleaveFamilies, AlternatesStartingWithTheFirstAddressFamily) {
    const InetAddress a6 = InetAddress::parse("[2001:db8::a]:80");
    const InetAddress b6 = InetAddress::parse("[2001:db8::b]:80");
    const InetAddress c6 = InetAddress::parse("[2001:db8::c]:80");
    const InetAddress a4 = v4("192.0.2.1"), b4 = v4("192.0.2.2");
    using List = std::vector<InetAddress>;
    EXPECT_EQ(interleave_families({a6, b6, c6, a4, b4}), (List{a6, a4, b6, b4, c6}));
    EXPECT_EQ(interleave_families({a4, b4, a6}), (List{a4, a6, b4}));
    EXPECT_EQ(interleave_families({a6, a4, b4, b6}), (List{a6, a4, b6, b4}));
    EXPECT_EQ(interleave_families({a4, b4}), (List{a4, b4}));
    EXPECT_EQ(interleave_families({a6}), (List{a6}));
    EXPECT_EQ(interleave_families({}), List{});
}

struct Result {
    std::optional<InetAddress> peer;
    std::optional<ConnectFailure> failure;
    UniqueFd fd;
    Clock::duration elapsed{};
    std::size_t in_flight_at_outcome = 99;
    long fds_before = 0;  // with the loop's own
    long fds_at_outcome = 0;
    int outcomes = 0;
};

// Runs a connector over `addresses` until its outcome (bounded by the watchdog).
Result run_connector(std::vector<InetAddress> addresses, Clock::duration timeout,
                     Clock::duration delay) {
    EventLoop loop;
    Result r;
    auto c = std::make_shared<Connector>(&loop, std::move(addresses), timeout, delay);
    r.fds_before = open_fd_count();
    const auto started = Clock::now();
    c->set_connected_callback([&](UniqueFd fd, const InetAddress& peer) {
        r.elapsed = Clock::now() - started;
        r.in_flight_at_outcome = c->in_flight();
        r.fds_at_outcome = open_fd_count();
        r.peer = peer;
        r.fd = std::move(fd);
        ++r.outcomes;
        loop.quit();
    });
    c->set_failed_callback([&](const ConnectFailure& f) {
        r.elapsed = Clock::now() - started;
        r.in_flight_at_outcome = c->in_flight();
        r.fds_at_outcome = open_fd_count();
        r.failure = f;
        ++r.outcomes;
        loop.quit();
    });
    c->start();
    run_loop(loop, 20s);
    // Nothing more is reported afterwards (a late attempt or timer would call back again).
    loop.run_after(50ms, [&] { loop.quit(); });
    run_loop(loop);
    return r;
}

class ConnectorFamilies : public ::testing::TestWithParam<bool> {
  protected:
    void SetUp() override {
        if (GetParam() && !has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback (::1)";
    }
    bool ipv6() const { return GetParam(); }
};

// RFC 8305's case: the preferred address hangs; the next one is tried after the attempt
// delay, not after the hung one's share of the timeout, and the hung socket is closed.
TEST_P(ConnectorFamilies, AHungFirstAddressLosesToTheNextAfterTheDelay) {
    Blackhole hole(ipv6());
    UniqueFd live = sockets::listen_on(InetAddress::loopback(0));
    const InetAddress live_address = sockets::local_address(live.get());
    const long fds = open_fd_count();
    Result r = run_connector({hole.address, live_address}, 10s, 100ms);
    ASSERT_FALSE(r.failure) << r.failure->message;
    EXPECT_EQ(r.outcomes, 1);
    EXPECT_EQ(r.peer, live_address);
    EXPECT_GE(r.elapsed, 100ms);  // the first address ran alone for the delay
    EXPECT_LT(r.elapsed, 5s);     // sequential tries would have given it half of 10 s
    EXPECT_EQ(r.in_flight_at_outcome, 0u);
    EXPECT_EQ(r.fds_at_outcome, r.fds_before + 1);  // the winner's socket only: the loser is closed
    EXPECT_EQ(sockets::peer_address(r.fd.get()), live_address);
    r.fd.reset();
    EXPECT_EQ(open_fd_count(), fds);
}

// Several attempts in flight, the third address wins; both hung sockets are closed.
TEST_P(ConnectorFamilies, SeveralInFlightTheFirstUpWins) {
    Blackhole hole_a(ipv6()), hole_b;
    UniqueFd live = sockets::listen_on(InetAddress::loopback(0, ipv6()));
    const InetAddress live_address = sockets::local_address(live.get());
    const long fds = open_fd_count();
    // Tried as hole_a, hole_b, live: with IPv6 the interleaving puts the IPv4 hole second.
    std::vector<InetAddress> addresses{hole_a.address, hole_b.address, live_address};
    if (ipv6()) addresses = {hole_a.address, live_address, hole_b.address};
    Result r = run_connector(addresses, 10s, 50ms);
    ASSERT_FALSE(r.failure) << r.failure->message;
    EXPECT_EQ(r.peer, live_address);
    EXPECT_GE(r.elapsed, 100ms);  // two delays before the third start
    EXPECT_EQ(r.fds_at_outcome, r.fds_before + 1);
    r.fd.reset();
    EXPECT_EQ(open_fd_count(), fds);
}

// A refused attempt starts the next one at once, whatever the delay.
TEST_P(ConnectorFamilies, AFailureStartsTheNextAttemptAtOnce) {
    UniqueFd live = sockets::listen_on(InetAddress::loopback(0));
    const InetAddress live_address = sockets::local_address(live.get());
    Result r = run_connector({closed_port(ipv6()), live_address}, 20s, 10s);
    ASSERT_FALSE(r.failure) << r.failure->message;
    EXPECT_EQ(r.peer, live_address);
    EXPECT_LT(r.elapsed, 5s);
}

// The timeout ends every attempt in flight; the failure names each address with its reason.
TEST_P(ConnectorFamilies, TheTimeoutClosesEveryAttemptAndNamesEach) {
    Blackhole hole_a(ipv6()), hole_b;
    Result r = run_connector({hole_a.address, hole_b.address}, 300ms, 50ms);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.outcomes, 1);
    EXPECT_TRUE(r.failure->timed_out);
    EXPECT_EQ(r.failure->error, ETIMEDOUT);
    EXPECT_EQ(r.failure->message, "connect failed (timed out): " + hole_a.address.to_string() +
                                      ": Connection timed out; " + hole_b.address.to_string() +
                                      ": Connection timed out");
    EXPECT_GE(r.elapsed, 300ms);
    EXPECT_LT(r.elapsed, 5s);
    EXPECT_EQ(r.in_flight_at_outcome, 0u);
    EXPECT_EQ(r.fds_at_outcome, r.fds_before);
}

INSTANTIATE_TEST_SUITE_P(Connector, ConnectorFamilies, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "HungIpv6" : "Ipv4Only"; });

// Every address refused: one failure listing each in the order tried (families interleaved).
TEST(Connector, AllRefusedOneFailureListingEachInterleaved) {
    if (!has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback (::1)";
    const InetAddress a6 = closed_port(true), b6 = closed_port(true), a4 = closed_port();
    Result r = run_connector({a6, b6, a4}, 10s, 5s);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.outcomes, 1);
    EXPECT_FALSE(r.failure->timed_out);
    EXPECT_EQ(r.failure->error, ECONNREFUSED);
    EXPECT_EQ(r.failure->message, "connect failed: " + a6.to_string() + ": Connection refused; " +
                                      a4.to_string() + ": Connection refused; " + b6.to_string() +
                                      ": Connection refused");
    EXPECT_LT(r.elapsed, 5s);  // each refusal started the next at once
}

TEST(Connector, OneAddressNamesItAlone) {
    const InetAddress refused = closed_port();
    Result r = run_connector({refused}, 10s, 250ms);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(r.failure->message, "connect(" + refused.to_string() + "): Connection refused");
}

// Addresses the timeout left no time for are listed as not tried.
TEST(Connector, AddressesNeverStartedAreListedAsNotTried) {
    Blackhole hole;
    const InetAddress later = closed_port();
    Result r = run_connector({hole.address, later}, 200ms, 10s);
    ASSERT_TRUE(r.failure);
    EXPECT_TRUE(r.failure->timed_out);
    EXPECT_EQ(r.failure->message, "connect failed (timed out): " + hole.address.to_string() +
                                      ": Connection timed out; " + later.to_string() +
                                      ": not tried");
}

TEST(Connector, StopClosesEveryAttemptWithoutACallback) {
    Blackhole hole_a, hole_b;
    EventLoop loop;
    const long fds_with_loop = open_fd_count();
    int outcomes = 0;
    auto c = std::make_shared<Connector>(
        &loop, std::vector<InetAddress>{hole_a.address, hole_b.address}, 10s, 10ms);
    c->set_connected_callback([&](UniqueFd, const InetAddress&) { ++outcomes; });
    c->set_failed_callback([&](const ConnectFailure&) { ++outcomes; });
    c->start();
    run_until(loop, [&] { return c->in_flight() == 2; });
    EXPECT_EQ(c->in_flight(), 2u);
    EXPECT_EQ(open_fd_count(), fds_with_loop + 2);
    c->stop();
    EXPECT_EQ(c->in_flight(), 0u);
    EXPECT_EQ(open_fd_count(), fds_with_loop);
    loop.run_after(100ms, [&] { loop.quit(); });
    run_loop(loop);
    EXPECT_EQ(outcomes, 0);
}

}  // namespace
}  // namespace netius::net
