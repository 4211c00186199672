#include "commands/reexec.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstdlib>
#include <string>

#include "net/inet_address.hpp"
#include "net/socket.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

class HandoverTest : public ::testing::Test {
  protected:
    void TearDown() override {
        ::unsetenv("NETIUS_LISTENER_FD");
        ::unsetenv("NETIUS_WORKERS");
    }
    static void set(const std::string& fd, const std::string& workers) {
        ::setenv("NETIUS_LISTENER_FD", fd.c_str(), 1);
        ::setenv("NETIUS_WORKERS", workers.c_str(), 1);
    }
};

TEST_F(HandoverTest, NoneWithoutTheVariables) {
    EXPECT_FALSE(take_handover().has_value());
}

TEST_F(HandoverTest, TakesTheListenerAndWorkersAndClearsTheVariables) {
    UniqueFd listener = net::sockets::listen_on(net::InetAddress::loopback(0));
    const int fd = listener.release();  // the handover owns it now
    set(std::to_string(fd), "101:0,102:1");
    std::optional<Handover> h = take_handover();
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->listener.get(), fd);
    ASSERT_EQ(h->workers.size(), 2u);
    EXPECT_EQ(h->workers[1].pid, 102);
    EXPECT_EQ(h->workers[1].index, 1);
    EXPECT_EQ(std::getenv("NETIUS_LISTENER_FD"), nullptr);
    EXPECT_EQ(std::getenv("NETIUS_WORKERS"), nullptr);
}

TEST_F(HandoverTest, BadValuesAreErrors) {
    const int plain = ::socket(AF_INET, SOCK_STREAM, 0);  // not listening
    UniqueFd owned_plain(plain);
    // "L": a fresh listening socket's fd, which the handover takes (and closes on failure).
    for (const auto& [fd_text, workers] : std::vector<std::pair<std::string, std::string>>{
             {"x", ""},
             {"-1", ""},
             {"99999999999", ""},
             {std::to_string(plain), ""},
             {"L", "12"},
             {"L", "12:"},
             {"L", "a:1"},
             {"L", "1:2,,"},
         }) {
        const std::string fd =
            fd_text == "L"
                ? std::to_string(net::sockets::listen_on(net::InetAddress::loopback(0)).release())
                : fd_text;
        set(fd, workers);
        EXPECT_THROW(take_handover(), Error) << fd_text << " / " << workers;
        EXPECT_EQ(std::getenv("NETIUS_LISTENER_FD"), nullptr);
    }
}

TEST(CheckingConfiguration, OnlyTheValueOne) {
    ::setenv("NETIUS_CHECK_CONFIG", "1", 1);
    EXPECT_TRUE(checking_configuration());
    ::setenv("NETIUS_CHECK_CONFIG", "yes", 1);
    EXPECT_FALSE(checking_configuration());
    ::unsetenv("NETIUS_CHECK_CONFIG");
    EXPECT_FALSE(checking_configuration());
}

}  // namespace
}  // namespace netius::cmd
