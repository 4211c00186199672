// RelayQueue with scripted transports and a fake clock: state transitions, back-off, per-domain
// grouping, bounces (never to the null sender), expiry, and resuming from the directory.
#include "net/relay/relay_queue.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "../net_test_util.hpp"
#include "net/event_loop.hpp"

#include "relay_test_support.hpp"

namespace netius::net::relay {
namespace {

using test::rcpt;

namespace fs = std::filesystem;
using smtp::RecipientFate;

struct FakeTransport final : OutboundTransport {
    struct Call {
        smtp::Outbound message;
        smtp::DeliveryCallback done;
    };
    void deliver(smtp::Outbound message, smtp::DeliveryCallback done) override {
        calls.push_back({std::move(message), std::move(done)});
    }
    // Answers the oldest call: every recipient gets `fate` with `code`.
    void answer(RecipientFate fate, int code, std::string enhanced = "") {
        ASSERT_FALSE(calls.empty());
        Call c = std::move(calls.front());
        calls.erase(calls.begin());
        smtp::DeliveryReport r;
        for (const auto& rcpt : c.message.recipients)
            r.recipients.push_back(
                {rcpt, fate, code, enhanced, "reply text", "mx.test [127.0.0.1]"});
        c.done(std::move(r));
    }
    std::vector<Call> calls;
};

class RelayQueueTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-relayq-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root_ = tmpl;
        store_ = std::make_unique<QueueStore>(root_.string());
        queue_ = make_queue();
    }
    void TearDown() override {
        queue_.reset();
        fs::remove_all(root_);
    }
    std::unique_ptr<RelayQueue> make_queue() {
        RelayQueueOptions o;
        o.retry.first = std::chrono::seconds(30);
        o.retry.cap = std::chrono::seconds(120);
        o.retry.max_age = std::chrono::seconds(1000);
        o.local_domains = {"local.test"};
        o.hostname = "relay.test";
        o.postmaster = "postmaster@local.test";
        o.clock = [this] { return now_; };
        return std::make_unique<RelayQueue>(&loop_, *store_, remote_, local_, o);
    }
    // Queues a message as the sink does: committed to the store, then add().
    void enqueue(const std::string& id, const std::string& sender,
                 const std::vector<std::string>& rcpts) {
        QueueEntry e;
        e.id = id;
        e.created = now_;
        e.sender = sender;
        for (const auto& r : rcpts)
            e.recipients.push_back(rcpt(r, RecipientState::kPending, 0, now_));
        const std::string content = "From: <" + sender + ">\r\nSubject: hi\r\n\r\nbody\r\n";
        std::string error;
        ASSERT_EQ(store_->add(e, content, &error), 0) << error;
        queue_->add(e, std::make_shared<const std::string>(content));
    }
    // Waits (bounded) for the queue's store writes, which run on its worker threads.
    void settle() {
        net::test::run_until(loop_, [&] { return queue_->idle(); });
        ASSERT_TRUE(queue_->idle());
    }
    // Answers the oldest call of `t`, then waits for the writes that follow.
    void answer(FakeTransport& t, RecipientFate fate, int code, std::string enhanced = "") {
        t.answer(fate, code, std::move(enhanced));
        settle();
    }
    std::size_t files() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(root_), {}));
    }

    EventLoop loop_;
    fs::path root_;
    std::int64_t now_ = 1'700'000'000;
    FakeTransport remote_, local_;
    std::unique_ptr<QueueStore> store_;
    std::unique_ptr<RelayQueue> queue_;
};

TEST_F(RelayQueueTest, OneCallPerDomainAndRemovedWhenDelivered) {
    enqueue("M1", "s@local.test", {"a@x.test", "b@X.test", "c@y.test"});
    queue_->run_due();
    ASSERT_EQ(remote_.calls.size(), 2u);
    EXPECT_EQ(remote_.calls[0].message.domain, "x.test");
    EXPECT_EQ(remote_.calls[0].message.recipients,
              (std::vector<std::string>{"a@x.test", "b@X.test"}));
    EXPECT_EQ(remote_.calls[1].message.domain, "y.test");
    EXPECT_EQ(remote_.calls[0].message.sender, "s@local.test");
    queue_->run_due();  // recipients in flight are not sent twice
    EXPECT_EQ(remote_.calls.size(), 2u);
    answer(remote_, RecipientFate::kDelivered, 250);
    EXPECT_TRUE(queue_->contains("M1"));
    EXPECT_EQ(store_->load()[0].recipients[0].state, RecipientState::kDelivered);
    answer(remote_, RecipientFate::kDelivered, 250);
    EXPECT_FALSE(queue_->contains("M1"));
    EXPECT_EQ(files(), 0u);
}

TEST_F(RelayQueueTest, TransientFailuresBackOffThenDeliver) {
    enqueue("M1", "s@local.test", {"a@x.test"});
    queue_->run_due();
    answer(remote_, RecipientFate::kTransient, 451, "4.3.0");
    auto r = store_->load()[0].recipients[0];
    EXPECT_EQ(r.state, RecipientState::kPending);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.next_attempt, now_ + 30);
    EXPECT_EQ(r.code, 451);
    EXPECT_EQ(r.remote, "mx.test [127.0.0.1]");

    now_ += 29;
    queue_->run_due();
    EXPECT_TRUE(remote_.calls.empty());  // not yet
    now_ += 1;
    queue_->run_due();
    ASSERT_EQ(remote_.calls.size(), 1u);
    EXPECT_NE(remote_.calls[0].message.content, nullptr);  // re-read from disk
    EXPECT_NE(remote_.calls[0].message.content->find("body"), std::string::npos);
    answer(remote_, RecipientFate::kTransient, 451);
    EXPECT_EQ(store_->load()[0].recipients[0].next_attempt, now_ + 60);

    queue_->retry_now();  // SIGUSR1
    ASSERT_EQ(remote_.calls.size(), 1u);
    answer(remote_, RecipientFate::kDelivered, 250);
    EXPECT_EQ(queue_->size(), 0u);
}

TEST_F(RelayQueueTest, PermanentFailureBouncesToTheSender) {
    enqueue("M1", "s@local.test", {"a@x.test", "b@x.test"});
    queue_->run_due();
    ASSERT_EQ(remote_.calls.size(), 1u);
    smtp::DeliveryReport report;
    report.recipients.push_back({"a@x.test", RecipientFate::kDelivered, 250, "", "ok", ""});
    report.recipients.push_back(
        {"b@x.test", RecipientFate::kPermanent, 550, "5.1.1", "no such user", "mx.test [::1]"});
    remote_.calls[0].done(std::move(report));
    remote_.calls.clear();
    settle();
    EXPECT_FALSE(queue_->contains("M1"));
    ASSERT_EQ(queue_->size(), 1u);  // the bounce, to a local sender: local transport
    queue_->run_due();
    ASSERT_EQ(local_.calls.size(), 1u);
    const auto& bounce = local_.calls[0].message;
    EXPECT_EQ(bounce.sender, "");
    EXPECT_EQ(bounce.recipients, std::vector<std::string>{"s@local.test"});
    EXPECT_NE(bounce.content->find("Final-Recipient: rfc822; b@x.test"), std::string::npos);
    EXPECT_EQ(bounce.content->find("Final-Recipient: rfc822; a@x.test"), std::string::npos);
    EXPECT_NE(bounce.content->find("Status: 5.1.1"), std::string::npos);
    answer(local_, RecipientFate::kDelivered, 0);
    EXPECT_EQ(queue_->size(), 0u);
    EXPECT_EQ(files(), 0u);
}

TEST_F(RelayQueueTest, NullSenderIsNeverBounced) {
    enqueue("M1", "", {"a@x.test"});
    queue_->run_due();
    answer(remote_, RecipientFate::kPermanent, 550);
    EXPECT_EQ(queue_->size(), 0u);
    EXPECT_TRUE(local_.calls.empty());
    EXPECT_TRUE(remote_.calls.empty());
    EXPECT_EQ(files(), 0u);
}

TEST_F(RelayQueueTest, ExpiryTurnsTransientIntoABounceWith447) {
    enqueue("M1", "s@remote.test", {"a@x.test"});
    for (int i = 0; i < 20 && queue_->contains("M1"); ++i) {
        queue_->run_due();
        ASSERT_EQ(remote_.calls.size(), 1u) << "attempt " << i;
        ASSERT_LE(remote_.calls[0].message.recipients.size(), 1u);
        answer(remote_, RecipientFate::kTransient, 421);
        if (queue_->contains("M1")) {
            const auto* e = queue_->find("M1");
            EXPECT_LE(e->recipients[0].next_attempt, e->created + 1000);  // one try at expiry
            now_ = e->recipients[0].next_attempt;
        }
    }
    EXPECT_FALSE(queue_->contains("M1"));
    ASSERT_EQ(queue_->size(), 1u);  // the bounce, to a remote sender
    queue_->run_due();
    ASSERT_EQ(remote_.calls.size(), 1u);
    EXPECT_EQ(remote_.calls[0].message.domain, "remote.test");
    EXPECT_EQ(remote_.calls[0].message.sender, "");
    EXPECT_NE(remote_.calls[0].message.content->find("Status: 4.4.7"), std::string::npos);
}

TEST_F(RelayQueueTest, RestartResumesPendingMessages) {
    enqueue("M1", "s@local.test", {"a@x.test"});
    queue_->run_due();
    answer(remote_, RecipientFate::kTransient, 451);
    queue_.reset();  // "crash": the next queue only has the directory
    remote_.calls.clear();
    queue_ = make_queue();
    now_ += 3600;
    queue_->start();
    EXPECT_EQ(queue_->size(), 1u);
    ASSERT_EQ(remote_.calls.size(), 1u);
    EXPECT_EQ(remote_.calls[0].message.recipients, std::vector<std::string>{"a@x.test"});
    answer(remote_, RecipientFate::kDelivered, 250);
    EXPECT_EQ(files(), 0u);
}

TEST_F(RelayQueueTest, StateChangesAreWrittenOffTheLoopAndRemovalComesLast) {
    enqueue("M1", "s@local.test", {"a@x.test", "b@y.test"});
    queue_->run_due();
    ASSERT_EQ(remote_.calls.size(), 2u);
    remote_.answer(RecipientFate::kTransient, 451);
    // The outcome is recorded in memory; its envelope write runs on a worker and reports back
    // through the loop, which has not run yet.
    EXPECT_FALSE(queue_->idle());
    EXPECT_EQ(queue_->find("M1")->recipients[0].attempts, 1);
    // A second outcome while that write is in flight: written after it, never lost.
    remote_.answer(RecipientFate::kTransient, 451);
    settle();
    auto loaded = store_->load();
    ASSERT_EQ(loaded.size(), 1u);
    EXPECT_EQ(loaded[0].recipients[0].attempts, 1);
    EXPECT_EQ(loaded[0].recipients[1].attempts, 1);
    // The last outcomes, one while the other's envelope write is in flight: the removal comes
    // after that write, so no envelope outlives its message.
    now_ += 30;
    queue_->run_due();
    ASSERT_EQ(remote_.calls.size(), 2u);
    remote_.answer(RecipientFate::kDelivered, 250);
    remote_.answer(RecipientFate::kDelivered, 250);
    settle();
    EXPECT_FALSE(queue_->contains("M1"));
    EXPECT_EQ(files(), 0u);
}

TEST_F(RelayQueueTest, LocalDomainsGoThroughTheLocalTransport) {
    enqueue("M1", "", {"joe@local.test", "ann@x.test"});
    queue_->run_due();
    ASSERT_EQ(local_.calls.size(), 1u);
    ASSERT_EQ(remote_.calls.size(), 1u);
    EXPECT_EQ(local_.calls[0].message.recipients, std::vector<std::string>{"joe@local.test"});
    enqueue("M2", "", {"postmaster", "ann@x.test"});  // RFC 5321 §4.5.1: no domain, local
    queue_->run_due();
    ASSERT_EQ(local_.calls.size(), 2u);
    EXPECT_EQ(local_.calls[1].message.recipients, std::vector<std::string>{"postmaster"});
}

TEST(RetryPolicy, DoublesFromFirstUpToTheCap) {
    RetryPolicy p;
    p.first = std::chrono::seconds(30);
    p.cap = std::chrono::seconds(600);
    const std::vector<std::pair<int, int>> table = {{1, 30},  {2, 60},  {3, 120},  {4, 240},
                                                    {5, 480}, {6, 600}, {50, 600}, {0, 30}};
    for (auto [attempts, seconds] : table)
        EXPECT_EQ(p.delay(attempts).count(), seconds) << attempts;
    RetryPolicy defaults;
    EXPECT_LE(defaults.delay(1).count(), 60);  // first retry within a minute
    EXPECT_EQ(defaults.delay(30).count(), 3600);
    EXPECT_EQ(defaults.max_age.count(), 5 * 24 * 3600);
}

}  // namespace
}  // namespace netius::net::relay
