// StaticFiles as a Handler, called directly: what it answers for hostile paths (a randomised
// walk over every trick in the traversal suite), small files inlined vs streamed, and the
// streamed content read back through a BodySink.
#include "net/http/static/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "util/error.hpp"

namespace netius::net::http {
namespace {

namespace fs = std::filesystem;

// Collects what a BodySource produces; file ranges are read back with pread.
class CollectingSink final : public BodySink {
  public:
    void write(std::string_view data) override { out.append(data); }
    bool accepts_files() const override { return true; }
    void write_file(UniqueFd file, off_t offset, std::uint64_t length) override {
        std::string buf(length, '\0');
        ssize_t n = ::pread(file.get(), buf.data(), buf.size(), offset);
        out.append(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    std::string out;
};

std::string content_of(Response& res) {
    if (!res.stream) return std::string(res.body);
    CollectingSink sink;
    for (int i = 0; i < 1000 && res.stream->pull(sink) == BodyStatus::kMore; ++i) {
    }
    return sink.out;
}

class StaticFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-static-XXXXXX";
        root_ = ::mkdtemp(tmpl);
        fs::create_directories(root_ / "www/sub");
        fs::create_directories(root_ / "www2");
        std::ofstream(root_ / "www/a.txt") << "inside";
        std::ofstream(root_ / "www/sub/b.txt") << "deeper";
        std::ofstream(root_ / "www/small.bin") << std::string(16 * 1024, 's');
        std::ofstream(root_ / "www/large.bin") << std::string(16 * 1024 + 1, 'l');
        std::ofstream(root_ / "www2/s.txt") << "SECRET";
        fs::create_symlink("../www2/s.txt", root_ / "www/out");
        fs::create_symlink("a.txt", root_ / "www/in");
    }
    void TearDown() override { fs::remove_all(root_); }

    Response get(StaticFiles& files, std::string_view method, std::string_view path) {
        RequestHead head;
        head.method = method;
        head.target = head.path = path;
        const InetAddress peer = InetAddress::parse("127.0.0.1", 1);
        Response res;
        files.handle(Request{head, {}, peer, {}}, res);
        return res;
    }
    fs::path root_;
};

TEST_F(StaticFilesTest, NoPathReachesOutsideOrFails) {
    const char* pieces[] = {"..",    ".",     "%2e%2e", "%2E.", "%2f",        "%2F..", "%00",
                            "%5c..", "a.txt", "sub",    "",     "%252e%252e", "www2",  "s.txt",
                            "out",   "in",    "%c0%ae", "\xff", ".%2e",       "b.txt"};
    for (bool follow : {false, true}) {
        StaticFilesOptions o;
        o.base_path = (root_ / "www").string();
        o.follow_symlinks = follow;
        StaticFiles files(o);
        std::mt19937 random(follow ? 2 : 1);
        for (int i = 0; i < 3000; ++i) {
            std::string path;
            const int segments = 1 + static_cast<int>(random() % 5);
            for (int s = 0; s < segments; ++s)
                path.append("/").append(pieces[random() % std::size(pieces)]);
            Response res = get(files, i % 2 ? "GET" : "HEAD", path);
            const int status = code(res.status);
            EXPECT_TRUE(status == 200 || status == 301 || status == 404) << path << " " << status;
            const std::string body = content_of(res);
            EXPECT_EQ(body.find("SECRET"), std::string::npos) << path;
            EXPECT_EQ(body.find(root_.string()), std::string::npos) << path;
        }
    }
}

TEST_F(StaticFilesTest, SmallFilesInlineLargeOnesStream) {
    StaticFilesOptions o;
    o.base_path = (root_ / "www").string();
    StaticFiles files(o);
    Response small = get(files, "GET", "/small.bin");
    EXPECT_FALSE(small.stream);
    EXPECT_EQ(small.body, std::string(16 * 1024, 's'));
    Response large = get(files, "GET", "/large.bin");
    ASSERT_TRUE(large.stream);
    EXPECT_EQ(large.stream->size(), 16u * 1024 + 1);
    EXPECT_EQ(content_of(large), std::string(16 * 1024 + 1, 'l'));
    Response head = get(files, "HEAD", "/small.bin");  // nothing read for a HEAD...
    ASSERT_TRUE(head.stream);
    EXPECT_EQ(head.stream->size(), 16u * 1024);
    // ...unless it may be compressed on the fly (--encoding gzip): then it is framed like
    // the GET, by the size of its coded content (RFC 9110 §9.3.2).
    Response text = get(files, "HEAD", "/a.txt");
    EXPECT_TRUE(text.compressible);
    EXPECT_FALSE(text.stream);
    EXPECT_EQ(text.body, "inside");
}

TEST_F(StaticFilesTest, EveryHeaderViewSurvivesTheStorageGrowing) {
    // Header values and the inlined body share res.storage: all views must be valid at once.
    StaticFilesOptions o;
    o.base_path = (root_ / "www").string();
    o.cache_seconds = 60;
    StaticFiles files(o);
    Response res = get(files, "GET", "/small.bin");
    std::string etag, modified;
    for (const Header& h : res.headers) {
        if (h.name == "ETag") etag = h.value;
        if (h.name == "Last-Modified") modified = h.value;
    }
    EXPECT_TRUE(etag.starts_with("\"") && etag.ends_with("-4000\"")) << etag;
    EXPECT_TRUE(modified.ends_with(" GMT")) << modified;
}

TEST_F(StaticFilesTest, ABaseThatIsNotADirectoryIsAnError) {
    StaticFilesOptions o;
    o.base_path = (root_ / "www/a.txt").string();
    EXPECT_THROW(StaticFiles{o}, Error);
    o.base_path = (root_ / "missing").string();
    EXPECT_THROW(StaticFiles{o}, Error);
}

}  // namespace
}  // namespace netius::net::http
