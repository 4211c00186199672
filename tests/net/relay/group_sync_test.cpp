// GroupSync: callers that arrive while a barrier runs share the next run and its result.
#include "net/relay/group_sync.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace netius::net::relay {
namespace {

using namespace std::chrono_literals;

TEST(GroupSync, ALoneCallerRunsTheBarrierOnce) {
    int runs = 0;
    GroupSync sync([&](std::string*) { return ++runs, 0; });
    EXPECT_EQ(sync.sync(nullptr), 0);
    EXPECT_EQ(sync.sync(nullptr), 0);
    EXPECT_EQ(runs, 2);  // never skipped: each call needs a run that started after it
    EXPECT_EQ(sync.pending(), 0u);
}

TEST(GroupSync, CallersDuringARunShareTheNextOneAndItsError) {
    std::atomic<int> runs = 0;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> first_running;
    GroupSync sync([&](std::string* error) {
        if (++runs == 1) {
            first_running.set_value();
            released.wait_for(10s);  // bounded: the test releases it
            return 0;
        }
        *error = "fsync(q): Input/output error";
        return EIO;
    });
    auto first = std::async(std::launch::async, [&] { return sync.sync(nullptr); });
    ASSERT_EQ(first_running.get_future().wait_for(10s), std::future_status::ready);
    std::vector<std::future<std::pair<int, std::string>>> batch;
    for (int i = 0; i < 4; ++i)
        batch.push_back(std::async(std::launch::async, [&] {
            std::string error;
            const int err = sync.sync(&error);
            return std::pair{err, error};
        }));
    for (int i = 0; i < 1000 && sync.pending() < 4; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(sync.pending(), 4u);
    release.set_value();
    EXPECT_EQ(first.get(), 0);
    for (auto& f : batch) {
        auto [err, error] = f.get();
        EXPECT_EQ(err, EIO);
        EXPECT_EQ(error, "fsync(q): Input/output error");
    }
    EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace netius::net::relay
