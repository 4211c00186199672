#include "net/acceptor.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "net/event_loop.hpp"
#include "net/socket.hpp"
#include "net_test_util.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
namespace {

using namespace test;

// One accept per readable event: a backlog is still taken whole, because the level-triggered
// listener is reported again while clients wait (an edge-triggered one would strand them).
TEST(Acceptor, TakesAWholeBacklogOneClientPerEvent) {
    EventLoop loop;
    UniqueFd listening = sockets::listen_on(InetAddress::loopback(0));
    const InetAddress address = sockets::local_address(listening.get());
    Acceptor acceptor(&loop, std::move(listening));
    std::vector<UniqueFd> accepted;
    acceptor.set_new_connection_callback(
        [&](UniqueFd fd, const InetAddress&) { accepted.push_back(std::move(fd)); });
    acceptor.start();
    std::vector<UniqueFd> clients;
    for (int i = 0; i < 40; ++i) clients.push_back(connect_client(address));  // all queued
    run_until(loop, [&] { return accepted.size() == clients.size(); });
    EXPECT_EQ(accepted.size(), clients.size());
    for (int i = 0; i < 3; ++i) {  // and later arrivals, one at a time
        clients.push_back(connect_client(address));
        run_until(loop, [&] { return accepted.size() == clients.size(); });
    }
    EXPECT_EQ(accepted.size(), clients.size());
}

}  // namespace
}  // namespace netius::net
