// route_mx: MX records to the order of hosts, with a seeded generator.
#include "net/smtp/client/mx_route.hpp"

#include <gtest/gtest.h>

#include <set>

namespace netius::net::smtp {
namespace {

TEST(MxRoute, SortsByPreferenceAndNormalisesNames) {
    std::mt19937 rng(1);
    MxRoute r = route_mx("example.org", {{"MX2.example.org.", 20}, {"mx1.example.org", 10}}, rng);
    EXPECT_FALSE(r.null_mx);
    EXPECT_FALSE(r.implicit);
    EXPECT_EQ(r.hosts, (std::vector<std::string>{"mx1.example.org", "mx2.example.org"}));
}

TEST(MxRoute, NoRecordIsTheImplicitMx) {
    std::mt19937 rng(1);
    MxRoute r = route_mx("Example.ORG.", {}, rng);
    EXPECT_TRUE(r.implicit);
    EXPECT_EQ(r.hosts, std::vector<std::string>{"example.org"});
}

TEST(MxRoute, NullMxAcceptsNoMail) {
    std::mt19937 rng(1);
    EXPECT_TRUE(route_mx("example.org", {{"", 0}}, rng).null_mx);
    EXPECT_TRUE(route_mx("example.org", {{".", 0}}, rng).null_mx);
    EXPECT_TRUE(route_mx("example.org", {{".", 0}}, rng).hosts.empty());
    MxRoute mixed = route_mx("example.org", {{".", 0}, {"mx.example.org", 10}}, rng);
    EXPECT_FALSE(mixed.null_mx);
    EXPECT_EQ(mixed.hosts, std::vector<std::string>{"mx.example.org"});
}

TEST(MxRoute, DuplicatesAppearOnceAtTheirBestPreference) {
    std::mt19937 rng(1);
    MxRoute r = route_mx("x", {{"b", 30}, {"a", 10}, {"B.", 5}}, rng);
    EXPECT_EQ(r.hosts, (std::vector<std::string>{"b", "a"}));
}

TEST(MxRoute, EqualPreferencesAreShuffledButStayBehindBetterOnes) {
    const std::vector<DnsRecord> records = {{"a", 10}, {"b", 10},   {"c", 10},
                                            {"d", 10}, {"best", 5}, {"last", 50}};
    std::set<std::string> firsts;
    for (unsigned seed = 0; seed < 64; ++seed) {
        std::mt19937 rng(seed);
        MxRoute r = route_mx("x", records, rng);
        ASSERT_EQ(r.hosts.size(), 6u);
        EXPECT_EQ(r.hosts.front(), "best");
        EXPECT_EQ(r.hosts.back(), "last");
        firsts.insert(r.hosts[1]);
        std::mt19937 again(seed);  // the same seed gives the same order
        EXPECT_EQ(route_mx("x", records, again).hosts, r.hosts);
    }
    EXPECT_EQ(firsts.size(), 4u);  // every equal-preference host comes first sometimes
}

}  // namespace
}  // namespace netius::net::smtp
