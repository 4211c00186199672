#include "net/event_loop.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "net_test_util.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using test::run_loop;

TEST(EventLoop, OneLoopPerThread) {
    EventLoop loop;
    EXPECT_EQ(EventLoop::current(), &loop);
    EXPECT_THROW(EventLoop second, Error);
    std::thread([] {
        EXPECT_EQ(EventLoop::current(), nullptr);
        EventLoop own;  // another thread may have its own
        EXPECT_EQ(EventLoop::current(), &own);
    }).join();
}

TEST(EventLoop, QueuedBeforeLoopRunsWithoutAnotherEvent) {
    EventLoop loop;
    bool ran = false;
    loop.queue_in_loop([&] {
        ran = true;
        loop.quit();
    });
    run_loop(loop, 5s);
    EXPECT_TRUE(ran);
}

TEST(EventLoop, RunInLoopFromAnotherThreadKeepsOrderOnTheLoopThread) {
    EventLoop loop;
    constexpr int kCount = 2000;
    std::vector<int> seen;
    std::atomic<bool> wrong_thread{false};
    std::thread producer([&] {
        for (int i = 0; i < kCount; ++i) {
            auto f = [&, i] {
                if (!loop.is_in_loop_thread()) wrong_thread = true;
                seen.push_back(i);
                if (i == kCount - 1) loop.quit();
            };
            if (i % 2)
                loop.run_in_loop(f);
            else
                loop.queue_in_loop(f);
        }
    });
    run_loop(loop, 10s);
    producer.join();
    EXPECT_FALSE(wrong_thread);
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(kCount));
    for (int i = 0; i < kCount; ++i) ASSERT_EQ(seen[i], i);
}

TEST(EventLoop, RunInLoopOnTheLoopThreadRunsAtOnce) {
    EventLoop loop;
    bool ran = false;
    loop.run_in_loop([&] { ran = true; });
    EXPECT_TRUE(ran);
}

TEST(EventLoop, FunctorQueuedByAFunctorRunsWithoutAnotherEvent) {
    EventLoop loop;
    int depth = 0;
    std::function<void()> again = [&] {
        if (++depth == 5)
            loop.quit();
        else
            loop.queue_in_loop(again);
    };
    loop.queue_in_loop(again);
    run_loop(loop, 5s);
    EXPECT_EQ(depth, 5);
}

TEST(EventLoop, QuitFromAnotherThread) {
    EventLoop loop;
    std::thread stopper([&] {
        std::this_thread::sleep_for(20ms);
        loop.quit();
    });
    run_loop(loop, 5s);
    stopper.join();
    SUCCEED();  // the watchdog fails the test if quit() did not wake the loop
}

TEST(EventLoop, ThrowingFunctorIsReportedAndTheLoopContinues) {
    EventLoop loop;
    bool after = false;
    loop.queue_in_loop([] { throw std::runtime_error("boom"); });
    loop.queue_in_loop([&] {
        after = true;
        loop.quit();
    });
    run_loop(loop, 5s);
    EXPECT_TRUE(after);
}

TEST(EventLoop, IdleLoopBlocksInsteadOfSpinning) {
    EventLoop loop;
    loop.run_after(200ms, [&] { loop.quit(); });
    run_loop(loop, 5s);
    // One wakeup for the timer, plus a few stray ones (an interrupted wait: io_uring's task
    // work from an earlier test's loop on this thread raises one): not a busy loop, which
    // would turn thousands of times in 200 ms.
    EXPECT_LE(loop.iterations(), 10u);
}

TEST(EventLoopSignals, RaisedSignalRunsItsCallbackInTheLoop) {
    EventLoop loop;
    int hups = 0;
    bool in_loop = false;
    loop.on_signal(SIGHUP, [&] {
        ++hups;
        in_loop = loop.is_in_loop_thread();
        loop.quit();
    });
    ASSERT_EQ(::raise(SIGHUP), 0);  // blocked: stays pending until the signalfd reads it
    run_loop(loop, 5s);
    EXPECT_EQ(hups, 1);
    EXPECT_TRUE(in_loop);
}

TEST(EventLoopSignals, SeveralSignalsEachReachTheirCallback) {
    EventLoop loop;
    std::vector<int> got;
    loop.on_signal(SIGTERM, [&] { got.push_back(SIGTERM); });
    loop.on_signal(SIGINT, [&] {
        got.push_back(SIGINT);
        loop.quit();
    });
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    loop.run_after(20ms, [] { ::kill(::getpid(), SIGINT); });
    run_loop(loop, 5s);
    EXPECT_EQ(got, (std::vector<int>{SIGTERM, SIGINT}));
}

TEST(EventLoopSignals, RejectsSignalsThatCannotBeCaught) {
    EventLoop loop;
    EXPECT_THROW(loop.on_signal(SIGKILL, [] {}), Error);
    EXPECT_THROW(loop.on_signal(0, [] {}), Error);
}

}  // namespace
}  // namespace netius::net
