// QueueStore: what a crash can leave in the directory and what load() makes of it.
#include "net/relay/queue_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "relay_test_support.hpp"

namespace netius::net::relay {
namespace {

using test::rcpt;

namespace fs = std::filesystem;

class QueueStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-queue-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root_ = tmpl;
    }
    void TearDown() override { fs::remove_all(root_); }
    void write(const std::string& name, const std::string& data) {
        std::ofstream(root_ / name, std::ios::binary) << data;
    }
    std::string read(const std::string& name) {
        std::ifstream in(root_ / name, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    static QueueEntry entry(const std::string& id, std::int64_t created) {
        QueueEntry e;
        e.id = id;
        e.created = created;
        e.sender = "s@example.net";
        e.recipients.push_back(rcpt("r@example.org"));
        return e;
    }
    fs::path root_;
};

TEST_F(QueueStoreTest, AddLoadUpdateRemove) {
    QueueStore store((root_ / "q").string());
    store.prepare();
    std::string error, content;
    ASSERT_EQ(store.add(entry("B", 20), "Subject: b\r\n\r\nb\r\n", &error), 0) << error;
    ASSERT_EQ(store.add(entry("A", 10), "Subject: a\r\n\r\na\r\n", &error), 0) << error;
    auto loaded = store.load();
    ASSERT_EQ(loaded.size(), 2u);
    EXPECT_EQ(loaded[0].id, "A");  // oldest first
    EXPECT_EQ(loaded[1].id, "B");
    ASSERT_EQ(store.read_message("A", content, &error), 0);
    EXPECT_EQ(content, "Subject: a\r\n\r\na\r\n");

    QueueEntry a = loaded[0];
    a.recipients[0].state = RecipientState::kDelivered;
    ASSERT_EQ(store.update(a, &error), 0) << error;
    EXPECT_EQ(store.load()[0].recipients[0].state, RecipientState::kDelivered);

    ASSERT_EQ(store.remove("A", &error), 0) << error;
    ASSERT_EQ(store.load().size(), 1u);
    EXPECT_FALSE(fs::exists(root_ / "q" / "A.eml"));
    EXPECT_NE(store.read_message("A", content, &error), 0);
    EXPECT_NE(error.find("A.eml"), std::string::npos);
}

TEST_F(QueueStoreTest, AMessageIsOneFileUntilItsStateChanges) {
    QueueStore store(root_.string());
    std::string error, content;
    ASSERT_EQ(store.add(entry("A", 10), "Subject: a\r\n\r\na\r\n", &error), 0) << error;
    // One file written, carrying the envelope; ".env" is a second name for it.
    EXPECT_EQ(read("A.eml"), message_file_head(entry("A", 10)) + "Subject: a\r\n\r\na\r\n");
    EXPECT_TRUE(fs::equivalent(root_ / "A.eml", root_ / "A.env"));
    EXPECT_EQ(std::distance(fs::directory_iterator(root_), fs::directory_iterator()), 2);

    QueueEntry a = store.load().at(0);
    a.recipients[0].attempts = 1;
    ASSERT_EQ(store.update(a, &error), 0) << error;
    EXPECT_FALSE(fs::equivalent(root_ / "A.eml", root_ / "A.env"));
    EXPECT_EQ(read("A.env"), format_entry(a));
    EXPECT_EQ(store.load().at(0).recipients[0].attempts, 1);
    ASSERT_EQ(store.read_message("A", content, &error), 0) << error;
    EXPECT_EQ(content, "Subject: a\r\n\r\na\r\n");  // the ".eml" never changes

    ASSERT_EQ(store.remove("A", &error), 0) << error;
    EXPECT_EQ(std::distance(fs::directory_iterator(root_), fs::directory_iterator()), 0);
}

TEST_F(QueueStoreTest, CrashLeftoversAreCleanedOrSkipped) {
    QueueStore store(root_.string());
    std::string error;
    ASSERT_EQ(store.add(entry("GOOD", 1), "x\r\n", &error), 0);
    write("GOOD.env.tmp", "half an envelope");  // crash during an update
    write("NEW.eml.tmp", "half a message");     // crash during an enqueue
    write("ORPHAN.eml", message_file_head(entry("ORPHAN", 2)) + "x\r\n");  // before its .env
    write("NOMSG.env", format_entry(entry("NOMSG", 2)));                   // its .eml is gone
    write("JUNK.env", "not a queue file\n");
    write("OTHER.env", format_entry(entry("DIFFERENT", 3)));  // id does not match the name
    write("NEWER.eml", message_file_head(entry("NEWER", 4)) + "x\r\n");
    write("NEWER.env", "netius-queue 2\nid\tNEWER\n\nx\r\n");  // a newer format: unread
    write("PLAIN.eml", "Subject: no envelope\r\n\r\nx\r\n");   // not a message file
    write("PLAIN.env", format_entry(entry("PLAIN", 5)));

    // --list-queue reads without touching anything.
    EXPECT_EQ(store.load(false).size(), 2u);
    EXPECT_TRUE(fs::exists(root_ / "NEW.eml.tmp"));
    EXPECT_TRUE(fs::exists(root_ / "ORPHAN.eml"));

    auto loaded = store.load();
    ASSERT_EQ(loaded.size(), 2u);
    EXPECT_EQ(loaded[0].id, "GOOD");
    EXPECT_EQ(loaded[1].id, "PLAIN");
    EXPECT_FALSE(fs::exists(root_ / "GOOD.env.tmp"));
    EXPECT_FALSE(fs::exists(root_ / "NEW.eml.tmp"));
    EXPECT_FALSE(fs::exists(root_ / "ORPHAN.eml"));
    EXPECT_TRUE(fs::exists(root_ / "GOOD.eml"));
    for (const char* kept : {"JUNK.env", "NOMSG.env", "NEWER.eml", "NEWER.env"})
        EXPECT_TRUE(fs::exists(root_ / kept)) << kept;  // left for a person to look at
    // A message file without its envelope head cannot be sent (the queue then retries and
    // finally bounces it with this error).
    std::string content;
    EXPECT_EQ(store.read_message("PLAIN", content, &error), EINVAL);
    EXPECT_NE(error.find("PLAIN.eml"), std::string::npos);
}

TEST_F(QueueStoreTest, ABigMessageListsAndReadsBack) {
    QueueStore store(root_.string());
    std::string error, content;
    const std::string big(3 << 20, 'x');  // bigger than a read chunk
    ASSERT_EQ(store.add(entry("BIG", 1), big, &error), 0) << error;
    ASSERT_EQ(store.load(false).size(), 1u);
    ASSERT_EQ(store.read_message("BIG", content, &error), 0) << error;
    EXPECT_EQ(content, big);
}

TEST_F(QueueStoreTest, PrepareRefusesAFile) {
    write("file", "x");
    QueueStore store((root_ / "file").string());
    EXPECT_THROW(store.prepare(), std::exception);
}

TEST_F(QueueStoreTest, AddFailsCleanlyInAMissingDirectory) {
    QueueStore store((root_ / "missing").string());
    std::string error;
    EXPECT_EQ(store.add(entry("A", 1), "x", &error), ENOENT);
    EXPECT_NE(error.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace netius::net::relay
