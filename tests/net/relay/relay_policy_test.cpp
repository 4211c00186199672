// RelayPolicy: never an open relay; relay networks, AUTH and per-user allowed senders
// (auth-file allowed_from=).
#include "net/relay/relay_policy.hpp"

#include <gtest/gtest.h>

namespace netius::net::relay {
namespace {

smtp::Envelope client(std::string address, std::string user = "") {
    smtp::Envelope e;
    e.client = std::move(address);
    e.auth_user = std::move(user);
    return e;
}

const AuthFile& users() {
    static const AuthFile f = AuthFile::parse(
        "joe:plain:secret allowed_from=Joe@Example.com,alias@example.com\n"
        "ann:plain:x\n",
        "users");
    return f;
}

TEST(RelayPolicy, LocalRecipients) {
    RelayPolicy p({"example.com"}, AllowList(), nullptr);
    EXPECT_TRUE(p.is_local("joe@EXAMPLE.com"));
    EXPECT_TRUE(p.is_local("Postmaster"));
    EXPECT_FALSE(p.is_local("joe@example.org"));
    EXPECT_FALSE(p.is_local("joe@sub.example.com"));
}

TEST(RelayPolicy, OnlyAuthenticatedOrListedClientsRelay) {
    RelayPolicy p({"example.com"}, AllowList::parse("10.0.0.0/8;::1"), nullptr);
    const std::vector<std::pair<smtp::Envelope, bool>> table = {
        {client("10.1.2.3"), true},
        {client("::1"), true},
        {client("::ffff:10.9.9.9"), true},
        {client("192.0.2.1"), false},
        {client("127.0.0.1"), false},
        {client("192.0.2.1", "ann"), true},
        {client(""), false},
        {client("not an address"), false},
    };
    for (const auto& [env, allowed] : table) {
        EXPECT_EQ(p.may_relay(env), allowed) << env.client;
        auto r = p.check_remote(env);
        EXPECT_EQ(r.has_value(), !allowed) << env.client;
        if (r) {
            EXPECT_EQ(r->code, 550);
            EXPECT_EQ(r->enhanced, "5.7.1");
        }
    }
}

TEST(RelayPolicy, EmptyRelayNetworksAllowNobody) {
    RelayPolicy p({}, AllowList(), nullptr);
    EXPECT_FALSE(p.may_relay(client("127.0.0.1")));
}

TEST(RelayPolicy, AllowedFromRestrictsTheSender) {
    RelayPolicy p({"example.com"}, AllowList(), &users());
    EXPECT_FALSE(p.check_sender(client("192.0.2.1", "joe"), "joe@example.com"));
    EXPECT_FALSE(p.check_sender(client("192.0.2.1", "joe"), "ALIAS@example.com"));
    auto r = p.check_sender(client("192.0.2.1", "joe"), "boss@example.com");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 550);
    EXPECT_EQ(r->enhanced, "5.7.1");
    EXPECT_TRUE(p.check_sender(client("192.0.2.1", "joe"), ""));  // not even the null sender
    EXPECT_FALSE(p.check_sender(client("192.0.2.1", "ann"), "boss@example.com"));  // no list
    EXPECT_FALSE(p.check_sender(client("192.0.2.1"), "boss@example.com"));         // not logged in
}

TEST(AuthFileAllowedFrom, ParsedOffTheHash) {
    const auto& f = users();
    ASSERT_NE(f.find("joe"), nullptr);
    EXPECT_EQ(*f.find("joe"), "plain:secret");
    ASSERT_NE(f.allowed_from("joe"), nullptr);
    EXPECT_EQ(*f.allowed_from("joe"),
              (std::vector<std::string>{"joe@example.com", "alias@example.com"}));
    EXPECT_EQ(f.allowed_from("ann"), nullptr);
    EXPECT_EQ(f.allowed_from("nobody"), nullptr);
}

}  // namespace
}  // namespace netius::net::relay
