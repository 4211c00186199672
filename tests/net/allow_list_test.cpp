#include "net/allow_list.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

#include "util/error.hpp"

namespace netius::net {
namespace {

sockaddr_storage address(const char* text) {
    sockaddr_storage ss{};
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (::inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
    } else {
        EXPECT_EQ(::inet_pton(AF_INET6, text, &v6->sin6_addr), 1) << text;
        v6->sin6_family = AF_INET6;
    }
    return ss;
}

struct Case {
    const char* list;
    const char* client;
    bool allowed;
};

const Case kCases[] = {
    {"", "203.0.113.9", true},  // empty list: everyone
    {"127.0.0.1", "127.0.0.1", true},
    {"127.0.0.1", "127.0.0.2", false},
    {"10.0.0.0/8", "10.255.1.2", true},
    {"10.0.0.0/8", "11.0.0.1", false},
    {"192.168.1.0/25", "192.168.1.127", true},
    {"192.168.1.0/25", "192.168.1.128", false},
    {"192.168.1.77/24", "192.168.1.5", true},  // host bits masked
    {"0.0.0.0/0", "8.8.8.8", true},
    {"127.0.0.1;10.0.0.0/8", "10.1.1.1", true},
    {"127.0.0.1, 10.0.0.0/8", "10.1.1.1", true},
    {"127.0.0.1", "::ffff:127.0.0.1", true},  // IPv4-mapped peer on a dual-stack socket
    {"::1", "::1", true},
    {"::1", "::2", false},
    {"fd00::/8", "fd12:3456::1", true},
    {"fd00::/8", "fe80::1", false},
    {"2001:db8::/33", "2001:db8:7fff::1", true},
    {"2001:db8::/33", "2001:db8:8000::1", false},
    {"::1", "127.0.0.1", false},
};

TEST(AllowList, Table) {
    for (const Case& c : kCases) {
        auto list = AllowList::parse(c.list);
        auto ss = address(c.client);
        EXPECT_EQ(list.allows(reinterpret_cast<sockaddr*>(&ss)), c.allowed)
            << "'" << c.list << "' vs " << c.client;
    }
}

TEST(AllowList, UnixPeersAreAllowed) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    EXPECT_TRUE(AllowList::parse("127.0.0.1").allows(reinterpret_cast<sockaddr*>(&un)));
}

TEST(AllowList, BadEntriesNameThemselves) {
    for (const char* bad :
         {"localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "1.2.3.4;nope"}) {
        try {
            AllowList::parse(bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("bad allowed address"), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace netius::net
