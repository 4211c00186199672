#include "net/resolver.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

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
