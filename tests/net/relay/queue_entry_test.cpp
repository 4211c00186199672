// QueueEntry's envelope file: round trip, field cleaning, and every malformed form refused.
#include "net/relay/queue_entry.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace netius::net::relay {
namespace {

QueueEntry sample() {
    QueueEntry e;
    e.id = "0123456789ABCDEF";
    e.created = 1700000000;
    e.sender = "joe@example.net";
    e.eight_bit = true;
    e.recipients.push_back({"a@example.org", RecipientState::kPending, 2, 1700000300, 451, "4.2.0",
                            "mx1.example.org [127.0.0.1]", "try later"});
    e.recipients.push_back({"b@example.com", RecipientState::kDelivered, 1, 0, 250, "", "", "ok"});
    e.recipients.push_back({"c@example.com", RecipientState::kFailed, 1, 0, 550, "5.1.1", "", ""});
    return e;
}

TEST(QueueEntry, RoundTrips) {
    const QueueEntry e = sample();
    std::string error;
    auto back = parse_entry(format_entry(e), &error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->id, e.id);
    EXPECT_EQ(back->created, e.created);
    EXPECT_EQ(back->sender, e.sender);
    EXPECT_FALSE(back->smtputf8);
    EXPECT_TRUE(back->eight_bit);
    EXPECT_FALSE(back->bounced);
    ASSERT_EQ(back->recipients.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& a = e.recipients[i];
        const auto& b = back->recipients[i];
        EXPECT_EQ(a.address, b.address);
        EXPECT_EQ(a.state, b.state);
        EXPECT_EQ(a.attempts, b.attempts);
        EXPECT_EQ(a.next_attempt, b.next_attempt);
        EXPECT_EQ(a.code, b.code);
        EXPECT_EQ(a.enhanced, b.enhanced);
        EXPECT_EQ(a.remote, b.remote);
        EXPECT_EQ(a.diagnostic, b.diagnostic);
    }
}

TEST(QueueEntry, NullSenderAndFlagsRoundTrip) {
    QueueEntry e = sample();
    e.sender.clear();
    e.smtputf8 = true;
    e.bounced = true;
    auto back = parse_entry(format_entry(e));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->sender, "");
    EXPECT_TRUE(back->smtputf8);
    EXPECT_TRUE(back->bounced);
}

TEST(QueueEntry, TabsAndLineBreaksInTextBecomeSpaces) {
    QueueEntry e = sample();
    e.recipients[0].diagnostic = "line one\r\nline\ttwo";
    auto back = parse_entry(format_entry(e));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->recipients[0].diagnostic, "line one  line two");
    EXPECT_EQ(back->recipients.size(), 3u);
}

TEST(QueueEntry, FinishedAndFailures) {
    QueueEntry e = sample();
    EXPECT_FALSE(e.finished());
    e.recipients[0].state = RecipientState::kDelivered;
    EXPECT_TRUE(e.finished());
    ASSERT_EQ(e.failures().size(), 1u);
    EXPECT_EQ(e.failures()[0]->address, "c@example.com");
}

TEST(QueueEntry, MalformedFilesAreRefused) {
    const std::string good = format_entry(sample());
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"empty", ""},
        {"wrong magic", "netius-queue 2\n" + good.substr(good.find('\n') + 1)},
        {"truncated", good.substr(0, good.size() - 1)},
        {"unknown line", good + "colour\tblue\n"},
        {"no tab", good + "rcpt\n"},
        {"bad state", "netius-queue 1\nid\tX\nrcpt\tsent\t0\t0\t0\t-\t-\ta@b\t\n"},
        {"bad number", "netius-queue 1\nid\tX\nrcpt\tpending\tx\t0\t0\t-\t-\ta@b\t\n"},
        {"short rcpt", "netius-queue 1\nid\tX\nrcpt\tpending\t0\t0\t0\t-\t-\n"},
        {"no recipient", "netius-queue 1\nid\tX\ncreated\t5\n"},
        {"no id", "netius-queue 1\nrcpt\tpending\t0\t0\t0\t-\t-\ta@b\t\n"},
        {"bad created", "netius-queue 1\nid\tX\ncreated\tsoon\n"},
    };
    for (const auto& [name, text] : cases) {
        std::string error;
        EXPECT_FALSE(parse_entry(text, &error)) << name;
        EXPECT_FALSE(error.empty()) << name;
    }
}

TEST(QueueEntry, MessageFileSplitsAtTheEnvelopesEmptyLine) {
    const QueueEntry e = sample();
    const std::string content = "Subject: x\r\n\r\nbody\n\nwith LF LF\r\n";
    const std::string file = message_file_head(e) + content;
    const auto at = message_offset(file);
    ASSERT_TRUE(at);
    EXPECT_EQ(file.substr(*at), content);
    auto back = parse_entry(file.substr(0, *at - 1));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->recipients.size(), 3u);
    EXPECT_EQ(message_offset(message_file_head(e)), file.size() - content.size());
}

TEST(QueueEntry, MessageOffsetRefusesWhatIsNotAMessageFile) {
    const std::string env = format_entry(sample());
    const std::vector<std::pair<const char*, std::string>> cases = {
        {"empty", ""},
        {"magic only, no newline", "netius-queue 1"},
        {"envelope without its empty line", env},
        {"a plain message", "Subject: x\r\n\r\nbody\r\n"},
        {"other magic", "netius-queue 10\nid\tX\n\nbody"},
        {"leading empty line", "\nnetius-queue 1\n\n"},
    };
    for (const auto& [name, text] : cases) EXPECT_FALSE(message_offset(text)) << name;
}

TEST(QueueEntry, IdsAreHexAndDistinct) {
    const std::string a = make_queue_id(), b = make_queue_id();
    EXPECT_EQ(a.size(), 16u);
    EXPECT_EQ(a.find_first_not_of("0123456789ABCDEF"), std::string::npos);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace netius::net::relay
