#include "util/files.hpp"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "util/error.hpp"

namespace netius {
namespace {

class FilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-files-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    std::set<std::string> entries() const {
        std::set<std::string> names;
        if (DIR* d = ::opendir(dir_.c_str())) {
            while (dirent* e = ::readdir(d)) {
                std::string name = e->d_name;
                if (name != "." && name != "..") names.insert(name);  // temporaries are dotfiles
            }
            ::closedir(d);
        }
        return names;
    }
    static mode_t mode_of(const std::string& p) {
        struct stat st {};
        ::stat(p.c_str(), &st);
        return st.st_mode & 07777;
    }

    std::string dir_;
};

TEST_F(FilesTest, WritesAndReadsBack) {
    write_output(path("a"), "hello\n", {});
    EXPECT_EQ(read_input(path("a")), "hello\n");
    EXPECT_EQ(entries(), std::set<std::string>{"a"});  // no temporary left behind
}

TEST_F(FilesTest, RefusesToOverwriteWithoutPermission) {
    write_output(path("a"), "old", {});
    try {
        write_output(path("a"), "new", {.overwrite = false});
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_input(path("a")), "old");
    EXPECT_EQ(entries(), std::set<std::string>{"a"});
}

TEST_F(FilesTest, NewFileModeAndReplacedFileKeepsItsMode) {
    write_output(path("key"), "secret", {.overwrite = false, .mode = 0600});
    EXPECT_EQ(mode_of(path("key")), 0600u);
    ::chmod(path("key").c_str(), 0640);
    write_output(path("key"), "secret2", {});
    EXPECT_EQ(mode_of(path("key")), 0640u);
    EXPECT_EQ(read_input(path("key")), "secret2");
}

TEST_F(FilesTest, FailureLeavesNothingBehind) {
    EXPECT_THROW(write_output(path("missing-dir/a"), "x", {}), Error);
    EXPECT_TRUE(entries().empty());
}

TEST_F(FilesTest, ReadErrorsNameThePath) {
    try {
        read_input(path("nope"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        std::string what = e.what();
        EXPECT_NE(what.find(path("nope")), std::string::npos) << what;
        EXPECT_NE(what.find("No such file"), std::string::npos) << what;
    }
    EXPECT_THROW(read_input(dir_), Error);  // a directory
}

}  // namespace
}  // namespace netius
