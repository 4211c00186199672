// WorkerPool: jobs run off the loop thread and post their results back; the queue is bounded;
// destruction drops waiting jobs and waits for the running one; no thread starts before the
// first job (a server confines itself between making its pools and serving).
#include "net/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>

#include "net/event_loop.hpp"
#include "net_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;

TEST(WorkerPool, JobsRunOffTheLoopAndPostResultsBack) {
    EventLoop loop;
    WorkerPool pool("test", 2, 16);
    const auto loop_thread = std::this_thread::get_id();
    std::atomic<int> off_loop{0};
    int results = 0;
    for (int i = 0; i < 8; ++i) {
        ASSERT_TRUE(pool.submit([&, i] {
            if (std::this_thread::get_id() != loop_thread) ++off_loop;
            loop.queue_in_loop([&, i] {
                loop.assert_in_loop_thread();
                results += i;
            });
        }));
    }
    test::run_until(loop, [&] { return results == 28; });
    EXPECT_EQ(results, 28);
    EXPECT_EQ(off_loop.load(), 8);
}

std::size_t thread_count() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task"))
        ++n;
    return n;
}

TEST(WorkerPool, ThreadsStartWithTheFirstJob) {
    const std::size_t before = thread_count();
    WorkerPool pool("test", 3, 16);
    EXPECT_EQ(thread_count(), before);
    std::promise<void> ran;
    ASSERT_TRUE(pool.submit([&] { ran.set_value(); }));
    ran.get_future().wait();
    EXPECT_EQ(thread_count(), before + 3);
}

TEST(WorkerPool, TheQueueIsBoundedAndDestructionDropsWaitingJobs) {
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    std::promise<void> started;
    std::atomic<int> ran{0};
    std::thread opener;
    {
        WorkerPool pool("test", 1, 2);
        ASSERT_TRUE(pool.submit([&, gate] {
            started.set_value();
            gate.wait();
            ++ran;
        }));
        started.get_future().wait();  // the worker is busy: the next ones wait in the queue
        EXPECT_TRUE(pool.submit([&] { ++ran; }));
        EXPECT_TRUE(pool.submit([&] { ++ran; }));
        EXPECT_FALSE(pool.submit([&] { ++ran; }));  // over max_queued
        EXPECT_EQ(pool.pending(), 3u);
        opener = std::thread([&] {
            std::this_thread::sleep_for(20ms);
            release.set_value();
        });
    }  // joins: the running job finishes, the two waiting ones never run
    opener.join();
    EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace netius::net
