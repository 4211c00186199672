#include "net/scoreboard.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace netius::net {
namespace {

class WorkerStatusTest : public ::testing::Test {
  protected:
    void TearDown() override { WorkerStatus::attach(nullptr); }
    Scoreboard board{2};
};

TEST_F(WorkerStatusTest, WithoutASlotEverythingIsANoOp) {
    WorkerStatus::ready();
    WorkerStatus::beat();
    WorkerStatus::request_started("GET", "/");
    EXPECT_EQ(board.slot(0).get_state(), WorkerState::kFree);
    EXPECT_EQ(board.slot(0).requests.load(), 0u);
}

TEST_F(WorkerStatusTest, ClaimTakesFreeSlotsOnly) {
    WorkerSlot* a = board.claim(0);
    WorkerSlot* b = board.claim(0);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_NE(a, b);
    EXPECT_EQ(board.claim(0), nullptr);
    EXPECT_EQ(a->get_state(), WorkerState::kBooting);
    a->set_state(WorkerState::kFree);
    EXPECT_EQ(board.claim(0), a);
}

TEST_F(WorkerStatusTest, CountsRequestsAndRetiresAtTheLimit) {
    WorkerSlot* s = board.claim(3);
    WorkerStatus::attach(s);
    WorkerStatus::ready();
    EXPECT_EQ(s->get_state(), WorkerState::kReady);
    WorkerStatus::request_started("GET", "/a");
    WorkerStatus::request_started("POST", "/b?x=1");
    EXPECT_EQ(s->get_state(), WorkerState::kReady);
    EXPECT_EQ(s->last_request_text(), "POST /b?x=1");
    WorkerStatus::request_started("GET", "/c");
    EXPECT_EQ(s->get_state(), WorkerState::kRetiring);
    EXPECT_EQ(s->requests.load(), 3u);
    WorkerStatus::request_started("GET", "/d");  // still serving until replaced
    EXPECT_EQ(s->get_state(), WorkerState::kRetiring);
    EXPECT_EQ(s->requests.load(), 4u);
}

TEST_F(WorkerStatusTest, UnlimitedNeverRetires) {
    WorkerSlot* s = board.claim(0);
    WorkerStatus::attach(s);
    WorkerStatus::ready();
    for (int i = 0; i < 1000; ++i) WorkerStatus::request_started("GET", "/");
    EXPECT_EQ(s->get_state(), WorkerState::kReady);
}

TEST_F(WorkerStatusTest, LongTargetsAreCutToTheSlot) {
    WorkerSlot* s = board.claim(0);
    WorkerStatus::attach(s);
    WorkerStatus::request_started("GET", std::string(1000, 'x'));
    const std::string text = s->last_request_text();
    EXPECT_EQ(text.size(), sizeof s->last_request - 1);
    EXPECT_EQ(text.substr(0, 5), "GET x");
    WorkerStatus::request_started(std::string(500, 'M'), "/");
    EXPECT_EQ(s->last_request_text(), std::string(sizeof s->last_request - 1, 'M'));
}

TEST_F(WorkerStatusTest, HeartbeatMovesForward) {
    WorkerSlot* s = board.claim(0);
    s->heartbeat_ms = 0;
    WorkerStatus::attach(s);
    WorkerStatus::beat();
    EXPECT_GT(s->heartbeat_ms.load(), 0);
    EXPECT_LE(s->heartbeat_ms.load(), steady_ms());
}

TEST_F(WorkerStatusTest, AForkedChildWritesWhatTheParentReads) {
    WorkerSlot* s = board.claim(7);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        WorkerStatus::attach(s);
        WorkerStatus::ready();
        WorkerStatus::request_started("GET", "/from-the-child");
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_EQ(s->get_state(), WorkerState::kReady);
    EXPECT_EQ(s->requests.load(), 1u);
    EXPECT_EQ(s->last_request_text(), "GET /from-the-child");
}

}  // namespace
}  // namespace netius::net
