// PasswordChecker: what serve smtp's --auth-file and serve proxy's --auth share — fast hashes
// answered at once on the loop, argon2 (and unknown users, against a decoy) later from the
// thread, a bounded queue, and no answer once the checker is gone.
#include "net/password_checker.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "crypto/password.hpp"
#include "net/event_loop.hpp"
#include "net_test_util.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
using Result = PasswordChecker::Result;

TEST(PasswordChecker, FastHashesAreAnsweredBeforeVerifyReturns) {
    EventLoop loop;
    PasswordChecker checker(&loop);
    const AuthFile users = AuthFile::parse(
        "alice:" + crypto::generate_password("secret", "sha256", "s") + "\nbob:plain\n", "users");
    std::vector<Result> got;
    auto record = [&](Result r) { got.push_back(r); };
    checker.verify(users, "alice", "secret", record);
    checker.verify(users, "alice", "wrong", record);
    checker.verify(users, "bob", "plain", record);
    EXPECT_EQ(got, (std::vector{Result::kOk, Result::kFailed, Result::kOk}));
}

TEST(PasswordChecker, Argon2AndUnknownUsersAnswerLaterFromTheLoop) {
    EventLoop loop;
    PasswordChecker checker(&loop);
    const AuthFile users =
        AuthFile::parse("carol:" + crypto::generate_password("slow pw") + "\n", "users");
    std::vector<Result> got;
    auto record = [&](Result r) { got.push_back(r); };
    checker.verify(users, "carol", "slow pw", record);
    checker.verify(users, "dave", "slow pw", record);  // unknown: the decoy, as slow
    EXPECT_TRUE(got.empty());
    test::run_until(
        loop, [&] { return got.size() == 2; }, 60s);
    EXPECT_EQ(got, (std::vector{Result::kOk, Result::kFailed}));
}

TEST(PasswordChecker, AFullQueueAnswersBusyAndADestroyedCheckerAnswersNothing) {
    EventLoop loop;
    const AuthFile users = AuthFile::parse("", "users");
    std::vector<Result> got;
    {
        PasswordChecker checker(&loop);
        // One running and kMaxQueued waiting; the next ones are refused at once.
        for (std::size_t i = 0; i < PasswordChecker::kMaxQueued + 3; ++i)
            checker.verify(users, "nobody", "pw", [&](Result r) { got.push_back(r); });
        ASSERT_FALSE(got.empty());
        for (Result r : got) EXPECT_EQ(r, Result::kBusy);
        got.clear();
    }  // drops the waiting checks, waits for the running one: its answer is queued, then dropped
    loop.run_after(50ms, [&] { loop.quit(); });
    test::run_loop(loop);
    EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace netius::net
