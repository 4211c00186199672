#include "net/io_batch.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/event_loop.hpp"
#include "net/tcp_server.hpp"
#include "net_test_util.hpp"
#include "util/unique_fd.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using namespace test;

std::unique_ptr<IoBatch> make_batch() {
    return IoBatch::create();  // nullptr where the kernel has no io_uring: tests skip
}

#define NEED_BATCH(b)                                                      \
    if (!(b)) GTEST_SKIP() << "no usable io_uring here (IoBatch::create)"; \
    static_assert(true)

struct Pair {
    UniqueFd a, b;
    Pair() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
        a.reset(fds[0]);
        b.reset(fds[1]);
    }
};

// Records what the batch asks and tells, in order, across clients.
struct Log {
    std::vector<std::string> events;
};

struct Client final : IoBatchClient {
    Client(Log* log, std::string name, int fd) : log(log), name(std::move(name)), fd(fd) {}
    Log* log;
    std::string name;
    int fd;
    std::string out;      // what a send offers
    char in[64] = {};     // where a recv lands
    bool cancel = false;  // answer a zero length
    int committed = 0, finished = 0;
    IoBatch::Target batch_target(IoBatch::Op op) override {
        log->events.push_back("target " + name);
        if (cancel) return {};
        if (op == IoBatch::Op::kRecv) return {fd, in, sizeof in, false};
        return {fd, out.data(), out.size(), false};
    }
    void batch_commit(IoBatch::Op, int result) override {
        log->events.push_back("commit " + name);
        committed = result;
    }
    void batch_finish(IoBatch::Op, int result) override {
        log->events.push_back("finish " + name);
        finished = result;
    }
};

TEST(IoBatch, SendsAndReceivesInOneRunAndCommitsBeforeAnyFinish) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    Pair p, q;
    Log log;
    Client sender(&log, "send", p.a.get());
    sender.out = "hello";
    ASSERT_EQ(::write(q.b.get(), "abc", 3), 3);
    Client receiver(&log, "recv", q.a.get());
    batch->queue(&sender, IoBatch::Op::kSend, nullptr);
    batch->queue(&receiver, IoBatch::Op::kRecv, nullptr);
    EXPECT_FALSE(batch->empty());
    batch->run();
    EXPECT_TRUE(batch->empty());
    EXPECT_EQ(log.events, (std::vector<std::string>{"target send", "target recv", "commit send",
                                                    "commit recv", "finish send", "finish recv"}));
    EXPECT_EQ(sender.finished, 5);
    EXPECT_EQ(receiver.finished, 3);
    EXPECT_EQ(std::string(receiver.in, 3), "abc");
    char got[8] = {};
    ASSERT_EQ(::read(p.b.get(), got, sizeof got), 5);  // already there: the run was synchronous
    EXPECT_EQ(std::string(got, 5), "hello");
}

TEST(IoBatch, AnEmptySocketAnswersEagainAtOnceInsteadOfWaiting) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    Pair p;
    Log log;
    Client receiver(&log, "recv", p.a.get());
    batch->queue(&receiver, IoBatch::Op::kRecv, nullptr);
    batch->run();  // would hang here if io_uring armed a poll for it
    EXPECT_EQ(receiver.finished, -EAGAIN);
    // The kernel holds nothing of ours: data written now is not read into `in`.
    ASSERT_EQ(::write(p.b.get(), "x", 1), 1);
    EXPECT_EQ(receiver.in[0], 0);
}

TEST(IoBatch, EndOfStreamAndErrorsArriveAsResults) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    Pair p, q;
    Log log;
    p.b.reset();  // the peer closed: recv reads 0
    Client eof(&log, "eof", p.a.get());
    q.b.reset();  // the peer is gone: send fails with EPIPE, not SIGPIPE
    Client broken(&log, "broken", q.a.get());
    broken.out = "data";
    batch->queue(&eof, IoBatch::Op::kRecv, nullptr);
    batch->queue(&broken, IoBatch::Op::kSend, nullptr);
    batch->run();
    EXPECT_EQ(eof.finished, 0);
    EXPECT_EQ(broken.finished, -EPIPE);
}

TEST(IoBatch, ACancelledOperationGetsNoCallbacks) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    Pair p;
    Log log;
    Client c(&log, "c", p.a.get());
    c.cancel = true;
    batch->queue(&c, IoBatch::Op::kSend, nullptr);
    batch->run();
    EXPECT_EQ(log.events, (std::vector<std::string>{"target c"}));
}

TEST(IoBatch, MoreOperationsThanTheRingHoldsAllComplete) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    constexpr int kCount = 700;  // several submissions of 256
    std::vector<std::unique_ptr<Pair>> pairs;
    std::vector<std::unique_ptr<Client>> clients;
    Log log;
    for (int i = 0; i < kCount; ++i) {
        pairs.push_back(std::make_unique<Pair>());
        clients.push_back(std::make_unique<Client>(&log, "c", pairs.back()->a.get()));
        clients.back()->out = std::to_string(i);
        batch->queue(clients.back().get(), IoBatch::Op::kSend, nullptr);
    }
    batch->run();
    for (int i = 0; i < kCount; ++i) {
        ASSERT_EQ(clients[i]->committed, static_cast<int>(clients[i]->out.size())) << i;
        char got[8] = {};
        ASSERT_EQ(::read(pairs[i]->b.get(), got, sizeof got),
                  static_cast<ssize_t>(clients[i]->out.size()));
        EXPECT_EQ(std::string(got), clients[i]->out);
    }
}

TEST(IoBatch, WhatAFinishQueuesWaitsForTheNextRun) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    Pair p;
    Log log;
    struct Again final : IoBatchClient {
        IoBatch* batch;
        int fd;
        int runs = 0;
        char byte = 'a';
        IoBatch::Target batch_target(IoBatch::Op) override { return {fd, &byte, 1, false}; }
        void batch_commit(IoBatch::Op, int) override {}
        void batch_finish(IoBatch::Op op, int) override {
            if (++runs < 3) batch->queue(this, op, nullptr);
        }
    } again;
    again.batch = batch.get();
    again.fd = p.a.get();
    batch->queue(&again, IoBatch::Op::kSend, nullptr);
    batch->run();
    EXPECT_EQ(again.runs, 1);
    EXPECT_FALSE(batch->empty());
    batch->run();
    batch->run();
    EXPECT_EQ(again.runs, 3);
    EXPECT_TRUE(batch->empty());
}

TEST(IoBatch, TheGuardKeepsItsOwnerUntilTheFinishHasRun) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    Pair p;
    Log log;
    auto owner = std::make_shared<Client>(&log, "owned", p.a.get());
    owner->out = "z";
    std::weak_ptr<Client> weak = owner;
    batch->queue(owner.get(), IoBatch::Op::kSend, owner);
    owner.reset();
    EXPECT_FALSE(weak.expired());
    batch->run();
    EXPECT_TRUE(weak.expired());
    EXPECT_EQ(log.events.back(), "finish owned");
}

TEST(IoBatch, RemovesAnEpollEntryInTheRun) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    if (!batch->can_epoll_del()) GTEST_SKIP() << "no IORING_OP_EPOLL_CTL here";
    Pair p;
    UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, p.a.get(), &ev), 0);
    batch->queue_epoll_del(ep.get(), p.a.get(), nullptr);
    // Not before the run: the entry is still there (ADD again fails with EEXIST).
    EXPECT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, p.a.get(), &ev), -1);
    EXPECT_EQ(errno, EEXIST);
    batch->run();
    EXPECT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_DEL, p.a.get(), nullptr), -1);
    EXPECT_EQ(errno, ENOENT);  // the run removed it
}

TEST(IoBatch, ClosesAnFdInTheRunAndClearClosesWhatIsLeft) {
    auto batch = make_batch();
    NEED_BATCH(batch);
    if (!batch->can_close()) GTEST_SKIP() << "no IORING_OP_CLOSE here";
    Pair p, q;
    const int a = p.a.release(), b = q.a.release();
    batch->queue_close(a);
    EXPECT_NE(::fcntl(a, F_GETFD), -1);  // still open (and its number taken) until the run
    batch->run();
    EXPECT_EQ(::fcntl(a, F_GETFD), -1);
    batch->queue_close(b);
    batch->clear();  // a loop going away: not run, but not leaked either
    EXPECT_EQ(::fcntl(b, F_GETFD), -1);
}

// The loop-level switch: a loop has a batch unless it was turned off before it was made.
TEST(IoBatch, TheLoopUsesOneUnlessTurnedOff) {
    if (!make_batch()) GTEST_SKIP() << "no usable io_uring here";
    const bool was = EventLoop::io_uring();  // NETIUS_IO_URING=0 runs every test without
    EventLoop::set_io_uring(false);
    {
        EventLoop loop;
        EXPECT_EQ(loop.io_batch(), nullptr);
    }
    EventLoop::set_io_uring(true);
    {
        EventLoop loop;
        EXPECT_NE(loop.io_batch(), nullptr);
    }
    EventLoop::set_io_uring(was);
}

// A server's plain connections read and write through the loop's batch, the same bytes as
// without one: 200 pipelined requests of an echo, each answered by two sends.
TEST(IoBatch, APlainConnectionsTrafficGoesThroughTheBatch) {
    if (!make_batch()) GTEST_SKIP() << "no usable io_uring here";
    const bool was = EventLoop::io_uring();
    for (bool on : {true, false}) {
        EventLoop::set_io_uring(on);
        EventLoop loop;
        TcpServer server(&loop, InetAddress::loopback(0));
        server.set_message_callback([](const TcpConnectionPtr& c, Buffer& in) {
            while (in.readable_bytes() >= 4) {
                c->send(std::string_view(in.peek(), 2));
                c->send(std::string_view(in.peek() + 2, 2));
                in.retrieve(4);
            }
        });
        server.start();
        std::string sent, got;
        for (int i = 0; i < 200; ++i) sent += fmt::format("{:04}", i);
        std::thread client([&] {
            UniqueFd fd = connect_client(server.address());
            write_all(fd.get(), sent);
            got = read_exactly(fd.get(), sent.size());
            loop.queue_in_loop([&loop] { loop.quit(); });
        });
        loop.loop();
        client.join();
        EXPECT_EQ(got, sent);
        if (on)
            EXPECT_GE(loop.io_batch()->submitted(), 2u);  // at least a recv and a send
        else
            EXPECT_EQ(loop.io_batch(), nullptr);
    }
    EventLoop::set_io_uring(was);
}

}  // namespace
}  // namespace netius::net
