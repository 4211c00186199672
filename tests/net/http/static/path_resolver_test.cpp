// open_beneath against a tree with every escape route: "..", a sibling directory sharing the
// base's name as prefix, relative and absolute symlinks out, links to links, and a directory
// swapped for a link. Each case runs with openat2 and with the portable walk.
#include "net/http/static/path_resolver.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace netius::net::http {
namespace {

namespace fs = std::filesystem;

class OpenBeneath : public ::testing::TestWithParam<bool> {  // param: use openat2
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-beneath-XXXXXX";
        root_ = ::mkdtemp(tmpl);
        fs::create_directories(root_ / "www/sub/deeper");
        fs::create_directories(root_ / "www2");
        std::ofstream(root_ / "www/a.txt") << "inside";
        std::ofstream(root_ / "www/sub/b.txt") << "deep";
        std::ofstream(root_ / "www2/s.txt") << "secret";
        fs::create_symlink("a.txt", root_ / "www/link-in");
        fs::create_symlink("../a.txt", root_ / "www/sub/link-up-in");
        fs::create_symlink("sub", root_ / "www/dirlink");
        fs::create_symlink("../www2/s.txt", root_ / "www/link-sibling");
        fs::create_symlink("/etc/passwd", root_ / "www/link-abs");
        fs::create_symlink(root_ / "www/a.txt", root_ / "www/link-abs-in");
        fs::create_symlink("link-sibling", root_ / "www/link-chain-out");
        fs::create_symlink("../www2", root_ / "www/dir-out");
        base_ = ::open((root_ / "www").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        ASSERT_GE(base_, 0);
    }
    void TearDown() override {
        ::close(base_);
        fs::remove_all(root_);
    }
    // The content read through the opened fd, or "errno:N".
    std::string read(std::string_view relative, bool follow) {
        BeneathOptions o;
        o.follow_symlinks = follow;
        o.use_openat2 = GetParam();
        OpenResult r = open_beneath(base_, relative, O_RDONLY, o);
        if (!r.fd) return "errno:" + std::to_string(r.error);
        struct stat st {};
        ::fstat(r.fd.get(), &st);
        if (S_ISDIR(st.st_mode)) return "dir";
        char buf[64];
        ssize_t n = ::read(r.fd.get(), buf, sizeof buf);
        return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    fs::path root_;
    int base_ = -1;
};

TEST_P(OpenBeneath, ServesWhatIsInside) {
    EXPECT_EQ(read("a.txt", false), "inside");
    EXPECT_EQ(read("sub/b.txt", false), "deep");
    EXPECT_EQ(read("", false), "dir");
    EXPECT_EQ(read("sub/", false), "dir");
    EXPECT_EQ(read("a.txt/", false), "errno:" + std::to_string(ENOTDIR));
    EXPECT_EQ(read("missing", false), "errno:" + std::to_string(ENOENT));
}

TEST_P(OpenBeneath, NeverLeavesTheBase) {
    for (bool follow : {false, true}) {
        for (std::string_view path :
             {"../www2/s.txt", "..", "sub/../../www2/s.txt", "link-sibling", "link-abs",
              "link-chain-out", "dir-out/s.txt", "/../www2/s.txt"}) {
            std::string got = read(path, follow);
            EXPECT_TRUE(got.starts_with("errno:")) << path << " follow=" << follow << ": " << got;
            EXPECT_NE(got, "secret");
        }
    }
}

TEST_P(OpenBeneath, LinksOnlyWhenFollowingAndInside) {
    for (std::string_view link : {"link-in", "sub/link-up-in", "dirlink/b.txt"}) {
        EXPECT_TRUE(read(link, false).starts_with("errno:")) << link;
        EXPECT_FALSE(read(link, true).starts_with("errno:")) << link;
    }
    EXPECT_EQ(read("link-in", true), "inside");
    EXPECT_EQ(read("dirlink/b.txt", true), "deep");
    // An absolute link that happens to point inside: openat2 refuses absolute links beneath a
    // base (RESOLVE_BENEATH); the walk accepts it by its real path. Either way never outside.
    const std::string abs_in = read("link-abs-in", true);
    EXPECT_TRUE(abs_in == "inside" || abs_in.starts_with("errno:")) << abs_in;
}

TEST_P(OpenBeneath, ADirectorySwappedForALinkIsNotFollowed) {
    fs::remove_all(root_ / "www/sub");
    fs::create_symlink("../www2", root_ / "www/sub");
    EXPECT_TRUE(read("sub/s.txt", false).starts_with("errno:"));
    EXPECT_TRUE(read("sub/s.txt", true).starts_with("errno:"));
}

INSTANTIATE_TEST_SUITE_P(Strategies, OpenBeneath, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "openat2" : "walk"; });

}  // namespace
}  // namespace netius::net::http
