// FileUpload (a regular file: sized, pread, rewound; a pipe: unsized, read when the loop says
// it is readable, not rewindable once read) and SequenceUpload (text and files in turn).
#include "net/http/client/file_upload.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../../net_test_util.hpp"
#include "net/event_loop.hpp"
#include "net/http/client/sequence_upload.hpp"
#include "util/error.hpp"

namespace netius::net::http {
namespace {

using namespace std::chrono_literals;

class TempFile {
  public:
    explicit TempFile(const std::string& content) {
        path_ = (std::filesystem::temp_directory_path() /
                 ("netius-upload-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++)))
                    .string();
        std::ofstream(path_, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    static inline int counter_ = 0;
    std::string path_;
};

// Reads `u` to its end in pieces of `max` bytes (sources that never wait).
std::string drain(Upload& u, std::size_t max, int* calls = nullptr) {
    std::string out;
    for (int i = 0; i < 100000; ++i) {
        if (calls) ++*calls;
        const std::size_t before = out.size();
        const BodyStatus s = u.read(out, max);
        EXPECT_LE(out.size() - before, max);
        if (s == BodyStatus::kDone) return out;
        EXPECT_EQ(s, BodyStatus::kMore) << u.error();
        if (s != BodyStatus::kMore) return out;
    }
    ADD_FAILURE() << "never done";
    return out;
}

TEST(FileUpload, RegularFileIsSizedReadInPiecesAndRewound) {
    EventLoop loop;
    TempFile f(std::string(10000, 'x') + "end");
    auto u = FileUpload::open(&loop, f.path());
    EXPECT_EQ(u->size(), 10003u);
    EXPECT_FALSE(u->consumed());
    int calls = 0;
    EXPECT_EQ(drain(*u, 4096, &calls), std::string(10000, 'x') + "end");
    EXPECT_EQ(calls, 3);
    EXPECT_TRUE(u->consumed());
    EXPECT_TRUE(u->rewindable());
    u->rewind();
    EXPECT_FALSE(u->consumed());
    EXPECT_EQ(drain(*u, 65536), std::string(10000, 'x') + "end");
}

TEST(FileUpload, StandardInputFromAFileCountsFromWhereItStands) {
    EventLoop loop;
    TempFile f("skipped|sent");
    UniqueFd fd(::open(f.path().c_str(), O_RDONLY));
    ASSERT_EQ(::lseek(fd.get(), 8, SEEK_SET), 8);
    const int raw = fd.get();
    FileUpload u(&loop, std::move(fd), raw, "stdin");
    EXPECT_EQ(u.size(), 4u);
    EXPECT_EQ(drain(u, 100), "sent");
    u.rewind();
    EXPECT_EQ(drain(u, 2), "sent");
}

TEST(FileUpload, AFileThatShrinksFails) {
    EventLoop loop;
    TempFile f("0123456789");
    auto u = FileUpload::open(&loop, f.path());
    std::string out;
    EXPECT_EQ(u->read(out, 4), BodyStatus::kMore);
    ASSERT_EQ(::truncate(f.path().c_str(), 6), 0);
    EXPECT_EQ(u->read(out, 4), BodyStatus::kMore);  // 4..5
    EXPECT_EQ(u->read(out, 4), BodyStatus::kFailed);
    EXPECT_NE(u->error().find("shrank"), std::string::npos) << u->error();
}

TEST(FileUpload, MissingFileOrDirectoryThrowsNamingIt) {
    EventLoop loop;
    try {
        FileUpload::open(&loop, "/nonexistent/netius-file");
        ADD_FAILURE() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/netius-file"), std::string::npos);
    }
    EXPECT_THROW(FileUpload::open(&loop, "/tmp"), Error);
}

TEST(FileUpload, PipeIsUnsizedAndReadWhenTheLoopSaysSo) {
    EventLoop loop;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    UniqueFd reader(fds[0]), writer(fds[1]);
    const int raw = reader.get();
    auto u = std::make_shared<FileUpload>(&loop, std::move(reader), raw, "pipe");
    EXPECT_FALSE(u->size());
    EXPECT_TRUE(u->rewindable());  // nothing read yet
    std::string out;
    std::vector<std::string> events;
    bool done = false;
    std::function<void()> pump = [&] {
        for (;;) {
            const BodyStatus s = u->read(out, 4);
            if (s == BodyStatus::kWait) {
                events.push_back("wait");
                return;
            }
            if (s == BodyStatus::kDone) {
                done = true;
                loop.quit();
                return;
            }
            ASSERT_EQ(s, BodyStatus::kMore);
        }
    };
    u->set_ready(pump);
    loop.queue_in_loop(pump);
    loop.run_after(50ms, [&] { ASSERT_EQ(::write(writer.get(), "hello pipe", 10), 10); });
    loop.run_after(100ms, [&] { writer.reset(); });
    test::run_loop(loop, 5s);
    EXPECT_TRUE(done);
    EXPECT_EQ(out, "hello pipe");
    ASSERT_GE(events.size(), 2u);  // before the write, and before the close
    EXPECT_TRUE(u->consumed());
    EXPECT_FALSE(u->rewindable());
}

TEST(SequenceUpload, TextAndFilesInTurnSizedWhenAllAre) {
    EventLoop loop;
    TempFile f("FILE");
    auto u = open_content(&loop, {{"a=1&", false}, {f.path(), true}, {"", false}, {"&z", false}});
    EXPECT_EQ(u->size(), 10u);
    EXPECT_EQ(drain(*u, 3), "a=1&FILE&z");
    EXPECT_TRUE(u->rewindable());
    u->rewind();
    EXPECT_EQ(drain(*u, 100), "a=1&FILE&z");
    EXPECT_THROW(open_content(&loop, {{"x", false}, {"/nonexistent/netius", true}}), Error);
}

TEST(SequenceUpload, APipeMakesItUnsizedAndUnrewindableOnceRead) {
    EventLoop loop;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    UniqueFd reader(fds[0]), writer(fds[1]);
    const int raw = reader.get();
    auto pipe = std::make_shared<FileUpload>(&loop, std::move(reader), raw, "pipe");
    SequenceUpload u({std::string("head:"), pipe});
    EXPECT_FALSE(u.size());
    ASSERT_EQ(::write(writer.get(), "data", 4), 4);
    writer.reset();
    EXPECT_EQ(drain(u, 64), "head:data");
    EXPECT_FALSE(u.rewindable());
}

}  // namespace
}  // namespace netius::net::http
