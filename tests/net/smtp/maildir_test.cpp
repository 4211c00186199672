// MaildirStore: what lands in new/, for one or many recipients, and that a failure leaves no
// recipient with a message.
#include "net/smtp/maildir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace netius::net::smtp {
namespace {

namespace fs = std::filesystem;

class MaildirTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-maildir-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root_ = tmpl;
    }
    void TearDown() override {
        fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add);
        fs::remove_all(root_);
    }
    std::vector<std::string> files(const fs::path& dir) {
        std::vector<std::string> out;
        if (!fs::exists(dir)) return out;
        for (const auto& e : fs::directory_iterator(dir)) {
            std::ifstream f(e.path(), std::ios::binary);
            std::stringstream ss;
            ss << f.rdbuf();
            out.push_back(ss.str());
        }
        return out;
    }
    fs::path root_;
};

TEST_F(MaildirTest, OneMaildirPerRecipientDomainLowerCased) {
    MaildirStore store(root_ / "mail", false, "host/x:y");
    store.prepare();
    std::string error;
    ASSERT_EQ(store.deliver("H: 1\r\n", "body\r\n", {"Joe@Example.COM", "ann@example.com"}, &error),
              0)
        << error;
    const auto joe = files(root_ / "mail" / "Joe@example.com" / "new");
    const auto ann = files(root_ / "mail" / "ann@example.com" / "new");
    ASSERT_EQ(joe.size(), 1u);
    ASSERT_EQ(ann.size(), 1u);
    EXPECT_EQ(joe[0], "H: 1\r\nbody\r\n");
    EXPECT_EQ(ann[0], joe[0]);
    EXPECT_TRUE(files(root_ / "mail" / "Joe@example.com" / "tmp").empty());
    EXPECT_TRUE(fs::is_directory(root_ / "mail" / "ann@example.com" / "cur"));
    // The unique name carries the escaped host name (Maildir convention).
    auto name = fs::directory_iterator(root_ / "mail" / "ann@example.com" / "new")
                    ->path()
                    .filename()
                    .string();
    EXPECT_NE(name.find(".host\\057x\\072y"), std::string::npos) << name;
}

TEST_F(MaildirTest, DuplicateRecipientsGetOneCopyAndSingleUsesTheRoot) {
    MaildirStore store(root_.string(), true, "h");
    store.prepare();
    std::string error;
    ASSERT_EQ(store.deliver("", "x", {"a@b", "c@d", "a@b"}, &error), 0) << error;
    ASSERT_EQ(store.deliver("", "y", {"a@b"}, &error), 0) << error;
    auto got = files(root_ / "new");
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::string>{"x", "y"}));
}

TEST_F(MaildirTest, AFailureLeavesNothingInAnyNewDirectory) {
    if (::geteuid() == 0) {
        // root ignores permissions: make the second Maildir's new/ a file instead.
        MaildirStore store(root_.string(), false, "h");
        store.prepare();
        std::string error;
        ASSERT_EQ(store.deliver("", "first", {"a@b"}, &error), 0);
        fs::create_directories(root_ / "c@d");
        std::ofstream(root_ / "c@d" / "new") << "not a directory";
        EXPECT_NE(store.deliver("", "second", {"a@b", "c@d"}, &error), 0);
        EXPECT_NE(error.find("c@d/new"), std::string::npos) << error;
        EXPECT_EQ(files(root_ / "a@b" / "new"), std::vector<std::string>{"first"});
        EXPECT_TRUE(files(root_ / "a@b" / "tmp").empty());
        return;
    }
    MaildirStore store(root_.string(), false, "h");
    store.prepare();
    std::string error;
    ASSERT_EQ(store.deliver("", "first", {"a@b", "c@d"}, &error), 0);
    fs::permissions(root_ / "c@d" / "new", fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_EQ(store.deliver("", "second", {"a@b", "c@d"}, &error), EACCES);
    EXPECT_EQ(files(root_ / "a@b" / "new"), std::vector<std::string>{"first"});
    fs::permissions(root_ / "c@d" / "new", fs::perms::owner_all);
}

TEST_F(MaildirTest, AnUnwritableRootIsAnError) {
    fs::create_directories(root_ / "file");
    std::ofstream(root_ / "plain") << "x";
    MaildirStore store((root_ / "plain").string(), false, "h");
    EXPECT_THROW(store.prepare(), std::exception);
}

TEST_F(MaildirTest, MailboxNamesThatCannotBeDirectories) {
    MaildirStore store(root_.string(), false, "h");
    for (const char* good : {"joe@example.com", "Postmaster", "\"a b\"@c"})
        EXPECT_TRUE(store.accepts_mailbox(good)) << good;
    for (const char* bad : {"", ".hidden@x", "\"a/b\"@c", "..", "\"\x01\"@c"})
        EXPECT_FALSE(store.accepts_mailbox(bad)) << bad;
    MaildirStore single(root_.string(), true, "h");
    EXPECT_TRUE(single.accepts_mailbox("\"a/b\"@c"));
}

}  // namespace
}  // namespace netius::net::smtp
