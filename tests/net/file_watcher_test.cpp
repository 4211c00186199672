#include "net/file_watcher.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "net/event_loop.hpp"
#include "net_test_util.hpp"
#include "util/error.hpp"

namespace netius::net {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class FileWatcherTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("netius-watch-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        write("app.py", "v1");
        write("other.py", "x");
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path(name)) << text;
    }
    /// Runs the loop for `wait`, doing `act` first; returns the changes reported.
    std::vector<std::string> changes(const std::function<void()>& act,
                                     std::chrono::milliseconds wait = 400ms) {
        EventLoop loop;
        std::vector<std::string> seen;
        FileWatcher w(
            &loop, {path("app.py"), path("missing.py")},
            [&](const std::string& p) { seen.push_back(p); }, 50ms);
        EXPECT_EQ(w.size(), 1u);
        loop.queue_in_loop(act);
        loop.run_after(wait, [&] { loop.quit(); });
        test::run_loop(loop);
        return seen;
    }

    fs::path dir_;
};

TEST_F(FileWatcherTest, AnInPlaceWriteIsOneChange) {
    auto seen = changes([&] {
        write("app.py", "v2");
        write("app.py", "v3");  // the same burst
    });
    EXPECT_EQ(seen, std::vector<std::string>{path("app.py")});
}

TEST_F(FileWatcherTest, ARenameOverTheFileIsAChange) {
    auto seen = changes([&] {
        write("app.py.swp", "v2");
        fs::rename(path("app.py.swp"), path("app.py"));
    });
    EXPECT_EQ(seen, std::vector<std::string>{path("app.py")});
}

TEST_F(FileWatcherTest, OtherFilesOfTheDirectoryAreIgnored) {
    auto seen = changes([&] { write("other.py", "y"); });
    EXPECT_TRUE(seen.empty());
}

TEST_F(FileWatcherTest, ListensAgainAfterABurst) {
    auto seen = changes(
        [&] {
            write("app.py", "v2");
            EventLoop::current()->run_after(200ms, [&] { write("app.py", "v3"); });
        },
        600ms);
    EXPECT_EQ(seen.size(), 2u);
}

}  // namespace
}  // namespace netius::net
