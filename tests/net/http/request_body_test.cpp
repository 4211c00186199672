// RequestBody (request_body.hpp): the bounded channel between the loop and a reading thread.
// Every wait is bounded (the channel's own timeout, joined threads, futures with limits).
#include "net/http/request_body.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;
using ReadStatus = RequestBody::ReadStatus;

TEST(RequestBody, ReadsWhatWasPushedThenTheEnd) {
    RequestBody body(1024, 5s);
    body.push("hello ");
    body.push("world");
    body.finish();
    std::string out;
    EXPECT_EQ(body.read(out, 3), ReadStatus::kData);
    EXPECT_EQ(out, "hel");
    EXPECT_EQ(body.read(out, 100), ReadStatus::kData);
    EXPECT_EQ(out, "hello world");
    EXPECT_EQ(body.read(out, 100), ReadStatus::kEnd);
    EXPECT_EQ(body.read(out, 100), ReadStatus::kEnd);  // and again: wsgi.input_terminated
    EXPECT_TRUE(body.complete());
}

TEST(RequestBody, TryReadNeverWaitsAndTheDataHookSaysWhenToTryAgain) {
    RequestBody body(1024, 60s);  // a read() would wait a minute
    int demands = 0, hooks = 0;
    body.set_demand_hook([&] { ++demands; });
    body.set_data_hook([&] { ++hooks; });
    std::string out;
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(body.try_read(out, 100), ReadStatus::kEmpty);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
    EXPECT_EQ(demands, 1);  // the first read asks for the content (100 Continue)
    body.push("abc");
    EXPECT_EQ(hooks, 1);
    EXPECT_EQ(body.try_read(out, 100), ReadStatus::kData);
    EXPECT_EQ(out, "abc");
    EXPECT_EQ(body.try_read(out, 100), ReadStatus::kEmpty);
    body.finish();
    EXPECT_EQ(hooks, 2);
    EXPECT_EQ(body.try_read(out, 100), ReadStatus::kEnd);
    RequestBody failing(1024, 60s);
    failing.set_data_hook([&] { ++hooks; });
    failing.fail("the client closed the connection");
    EXPECT_EQ(hooks, 3);
    EXPECT_EQ(failing.try_read(out, 100), ReadStatus::kFailed);
    EXPECT_EQ(failing.error(), "the client closed the connection");
}

TEST(RequestBody, FirstReadAsksForContentBeforeWaiting) {
    RequestBody body(1024, 10s);
    std::atomic<int> demands{0};
    body.set_demand_hook([&] {
        ++demands;
        body.push("late");  // e.g. the client sent it after our 100 Continue
        body.finish();
    });
    EXPECT_FALSE(body.demanded());
    std::string out;
    EXPECT_EQ(body.read(out, 100), ReadStatus::kData);
    EXPECT_EQ(out, "late");
    EXPECT_EQ(body.read(out, 100), ReadStatus::kEnd);
    EXPECT_EQ(demands, 1);
    EXPECT_TRUE(body.demanded());
}

TEST(RequestBody, WindowBoundsWhatIsHeldAndDrainingResumesTheProducer) {
    RequestBody body(8, 5s);
    int demands = 0;
    body.set_demand_hook([&] { ++demands; });
    EXPECT_EQ(body.space(), 8u);
    body.push("0123");
    EXPECT_EQ(body.space(), 4u);
    body.push("4567");
    EXPECT_EQ(body.space(), 0u);  // the session stops reading the socket here
    std::string out;
    EXPECT_EQ(body.read(out, 3), ReadStatus::kData);  // first read: the demand
    EXPECT_EQ(demands, 1);
    EXPECT_EQ(body.space(), 3u);  // 5 held: more than half the window, no resume yet
    EXPECT_EQ(body.read(out, 1), ReadStatus::kData);
    EXPECT_EQ(demands, 2);  // 4 held: resume reading
    EXPECT_EQ(body.read(out, 1), ReadStatus::kData);
    EXPECT_EQ(demands, 2);  // resumed once per filling
    body.push("89");
    body.finish();
    EXPECT_EQ(body.read(out, 100), ReadStatus::kData);
    EXPECT_EQ(out, "0123456789");
}

TEST(RequestBody, ReadTimesOutWhenNothingComes) {
    RequestBody body(8, 20ms);
    std::string out;
    EXPECT_EQ(body.read(out, 8), ReadStatus::kTimeout);
    EXPECT_TRUE(out.empty());
}

TEST(RequestBody, FailureWakesABlockedReader) {
    RequestBody body(8, 10s);
    std::promise<void> waiting;
    body.set_demand_hook([&] { waiting.set_value(); });
    auto result = std::async(std::launch::async, [&] {
        std::string out;
        return body.read(out, 8);
    });
    ASSERT_EQ(waiting.get_future().wait_for(10s), std::future_status::ready);
    body.fail("the client closed the connection");
    ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(result.get(), ReadStatus::kFailed);
    EXPECT_EQ(body.error(), "the client closed the connection");
}

TEST(RequestBody, AbandonDropsContentAndFailsLaterReads) {
    RequestBody body(8, 10s);  // a read must not sit out the timeout
    body.push("abc");
    body.abandon();
    body.push("defgh");
    EXPECT_EQ(body.space(), 8u);
    std::string out;
    EXPECT_EQ(body.read(out, 8), ReadStatus::kFailed);
    EXPECT_TRUE(out.empty());
    EXPECT_NE(body.error().find("response was sent"), std::string::npos);

    RequestBody complete(8, 10s);  // all of it was in: the reader sees the end, not an error
    complete.push("ab");
    complete.finish();
    complete.abandon();
    EXPECT_EQ(complete.read(out, 8), ReadStatus::kEnd);
}

TEST(RequestBody, FailAfterTheEndChangesNothing) {
    RequestBody body(8, 10ms);
    body.push("ab");
    body.finish();
    body.fail("late disconnect");
    std::string out;
    EXPECT_EQ(body.read(out, 8), ReadStatus::kData);
    EXPECT_EQ(body.read(out, 8), ReadStatus::kEnd);
}

}  // namespace
}  // namespace netius::net::http
