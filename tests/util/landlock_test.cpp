// Landlock confinement (util/landlock.hpp), applied in a forked child (it cannot be lifted):
// after confine(), opens outside the allowed trees fail with EACCES, reads are allowed where
// the policy reads, writes only where it writes, and descriptors opened before still work.
#include "util/landlock.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace netius::sandbox {
namespace {

namespace fs = std::filesystem;

class LandlockTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (landlock_abi() == 0) GTEST_SKIP() << "this kernel has no Landlock";
        char tmpl[] = "/tmp/netius-landlock-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root_ = tmpl;
        for (const char* d : {"read", "write", "outside"}) fs::create_directory(root_ / d);
        for (const char* f : {"read/a.txt", "write/b.txt", "outside/secret.txt"})
            std::ofstream(root_ / f) << "x";
    }
    void TearDown() override {
        if (!root_.empty()) fs::remove_all(root_);
    }
    std::string at(const char* rel) const { return (root_ / rel).string(); }

    // Runs `body` confined to read/ (read) and write/ (write) in a child; returns its exit
    // status: 0 when every expectation held, else the number of the first that failed.
    int confined(const std::function<int()>& body) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                const Confinement c = confine({{at("read")}, {at("write")}});
                if (!c.active || c.abi < 1) ::_exit(100);
            } catch (...) {
                ::_exit(101);
            }
            ::_exit(body());
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
    }

    fs::path root_;
};

int denied(int fd) {
    if (fd >= 0) {
        ::close(fd);
        return false;
    }
    return errno == EACCES;
}

TEST_F(LandlockTest, OutsideTheTreesOpensFailWithEacces) {
    const std::string secret = at("outside/secret.txt"), dir = at("outside");
    const std::string etc = "/etc/hostname";
    EXPECT_EQ(confined([&] {
                  if (!denied(::open(secret.c_str(), O_RDONLY))) return 1;
                  if (!denied(::open(etc.c_str(), O_RDONLY))) return 2;
                  if (!denied(::open(dir.c_str(), O_RDONLY | O_DIRECTORY))) return 3;
                  const std::string made = dir + "/new.txt";
                  if (!denied(::open(made.c_str(), O_WRONLY | O_CREAT, 0600))) return 4;
                  return 0;
              }),
              0);
}

TEST_F(LandlockTest, ReadTreeReadsOnlyWriteTreeWrites) {
    const std::string a = at("read/a.txt"), read_new = at("read/new.txt");
    const std::string b = at("write/b.txt"), write_new = at("write/new.txt");
    EXPECT_EQ(confined([&] {
                  const int fd = ::open(a.c_str(), O_RDONLY);
                  if (fd < 0) return 1;
                  ::close(fd);
                  if (!denied(::open(a.c_str(), O_WRONLY))) return 2;
                  if (!denied(::open(read_new.c_str(), O_WRONLY | O_CREAT, 0600))) return 3;
                  const int w = ::open(write_new.c_str(), O_WRONLY | O_CREAT, 0600);
                  if (w < 0 || ::write(w, "y", 1) != 1) return 4;
                  ::close(w);
                  if (::unlink(b.c_str()) != 0) return 5;
                  return 0;
              }),
              0);
    EXPECT_TRUE(fs::exists(at("write/new.txt")));
    EXPECT_FALSE(fs::exists(at("write/b.txt")));
}

TEST_F(LandlockTest, DescriptorsOpenedBeforeKeepWorking) {
    const int before = ::open(at("outside/secret.txt").c_str(), O_RDONLY);
    ASSERT_GE(before, 0);
    EXPECT_EQ(confined([&] {
                  char c = 0;
                  return ::pread(before, &c, 1, 0) == 1 && c == 'x' ? 0 : 1;
              }),
              0);
    ::close(before);
}

TEST(Landlock, AMissingPathIsAnError) {
    if (landlock_abi() == 0) GTEST_SKIP() << "this kernel has no Landlock";
    const pid_t pid = ::fork();
    if (pid == 0) {
        try {
            confine({{"/nonexistent/netius"}, {}});
        } catch (const std::exception& e) {
            ::_exit(std::string(e.what()).find("/nonexistent/netius") != std::string::npos ? 0 : 1);
        }
        ::_exit(2);  // no error: wrong
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace netius::sandbox
