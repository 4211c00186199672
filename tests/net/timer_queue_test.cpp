#include "net/timer_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "net/event_loop.hpp"
#include "net_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using test::run_loop;

TEST(TimerQueue, FiresInDeadlineOrderThenCreationOrder) {
    EventLoop loop;
    std::vector<int> order;
    loop.run_after(30ms, [&] {
        order.push_back(3);
        loop.quit();
    });
    loop.run_after(10ms, [&] { order.push_back(1); });
    auto when = Clock::now() + 20ms;
    loop.run_at(when, [&] { order.push_back(2); });
    loop.run_at(when, [&] { order.push_back(22); });    // same instant: after the first
    loop.run_after(-5ms, [&] { order.push_back(0); });  // already due: runs first
    run_loop(loop, 5s);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 22, 3}));
}

TEST(TimerQueue, CancelledTimerNeverFires) {
    EventLoop loop;
    bool fired = false;
    TimerId id = loop.run_after(10ms, [&] { fired = true; });
    loop.cancel(id);
    loop.cancel(id);         // twice: ignored
    loop.cancel(TimerId{});  // no timer: ignored
    loop.run_after(50ms, [&] { loop.quit(); });
    run_loop(loop, 5s);
    EXPECT_FALSE(fired);
}

TEST(TimerQueue, RunEveryRepeatsUntilCancelledFromItsOwnCallback) {
    EventLoop loop;
    int ticks = 0;
    TimerId id;
    id = loop.run_every(5ms, [&] {
        if (++ticks == 3) {
            loop.cancel(id);
            loop.run_after(50ms, [&] { loop.quit(); });  // ten more periods: none may tick
        }
    });
    run_loop(loop, 5s);
    EXPECT_EQ(ticks, 3);
}

TEST(TimerQueue, CallbackCancelsATimerDueInTheSameRound) {
    EventLoop loop;
    auto when = Clock::now() + 10ms;
    bool second = false;
    TimerId victim;
    loop.run_at(when, [&] { loop.cancel(victim); });
    victim = loop.run_at(when, [&] { second = true; });
    loop.run_after(40ms, [&] { loop.quit(); });
    run_loop(loop, 5s);
    EXPECT_FALSE(second);
}

TEST(TimerQueue, ATimerAddedByACallbackWaitsForTheNextRound) {
    EventLoop loop;
    int runs = 0;
    std::function<void()> again = [&] {
        if (++runs < 100)
            loop.run_after(0ms, again);  // due at once, every time
        else
            loop.quit();
    };
    loop.run_after(0ms, again);
    run_loop(loop, 5s);
    EXPECT_EQ(runs, 100);
    EXPECT_GE(loop.iterations(), 100u);  // one round per iteration: the loop stayed live
}

// A deadline computed again from the same time point (last activity + timeout) equals the
// one that just fired: the timerfd, disarmed by firing, must be armed for it again.
TEST(TimerQueue, ATimerAddedForTheInstantThatJustFiredStillFires) {
    EventLoop loop;
    const auto when = Clock::now() + 10ms;
    std::atomic<bool> again = false;
    loop.run_at(when, [&] {
        loop.run_at(when, [&] {
            again = true;
            loop.quit();
        });
    });
    // Not a timer: with the timerfd left disarmed no timer fires, a watchdog neither.
    std::thread guard([&] {
        for (int i = 0; i < 200 && !again; ++i) std::this_thread::sleep_for(10ms);
        loop.queue_in_loop([&] { loop.quit(); });
    });
    loop.loop();
    guard.join();
    EXPECT_TRUE(again);
}

TEST(TimerQueue, AThrowingTimerDoesNotStopTheOthers) {
    EventLoop loop;
    bool later = false;
    int every = 0;
    loop.run_after(5ms, [] { throw std::runtime_error("timer bug"); });
    loop.run_every(5ms, [&] { ++every; });
    loop.run_after(30ms, [&] {
        later = true;
        loop.quit();
    });
    run_loop(loop, 5s);
    EXPECT_TRUE(later);
    EXPECT_GE(every, 1);
}

TEST(TimerQueue, TimersFromAnotherThread) {
    EventLoop loop;
    std::atomic<bool> cancelled_fired{false};
    bool fired_in_loop = false;
    std::thread other([&] {
        TimerId doomed = loop.run_after(20ms, [&] { cancelled_fired = true; });
        loop.cancel(doomed);
        loop.run_after(30ms, [&] {
            fired_in_loop = loop.is_in_loop_thread();
            loop.quit();
        });
    });
    run_loop(loop, 5s);
    other.join();
    EXPECT_TRUE(fired_in_loop);
    EXPECT_FALSE(cancelled_fired);
}

}  // namespace
}  // namespace netius::net
