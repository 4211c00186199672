#include "net/http/static/dir_listing.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace netius::net::http {
namespace {

namespace fs = std::filesystem;

TEST(FormatSize, AsNetiusListsThem) {
    // netius-vectors §F.2, base engine column.
    const std::pair<std::uint64_t, std::string_view> table[] = {{0, "0 B"},
                                                                {1, "1 B"},
                                                                {999, "999 B"},
                                                                {1000, "1000 B"},
                                                                {1023, "1023 B"},
                                                                {1024, "1 KB"},
                                                                {1025, "1 KB"},
                                                                {1536, "1.5 KB"},
                                                                {2047, "2 KB"},
                                                                {2500, "2.44 KB"},
                                                                {10240, "10 KB"},
                                                                {102400, "100 KB"},
                                                                {1048575, "1024 KB"},
                                                                {1048576, "1 MB"},
                                                                {1572864, "1.5 MB"},
                                                                {123456789, "118 MB"},
                                                                {10737418240, "10 GB"},
                                                                {209715200, "200 MB"},
                                                                {20480, "20 KB"}};
    for (auto [bytes, want] : table) EXPECT_EQ(format_size(bytes), want) << bytes;
}

TEST(ListingQuery, NetiusParameters) {
    ListingQuery q = parse_listing_query("sort=size&direction=desc");
    EXPECT_EQ(q.sort, SortKey::kSize);
    EXPECT_TRUE(q.descending);
    EXPECT_FALSE(q.json);
    q = parse_listing_query("format=json&sort=bogus&direction=up&x");
    EXPECT_EQ(q.sort, SortKey::kDefault);
    EXPECT_FALSE(q.descending);
    EXPECT_TRUE(q.json);
    EXPECT_EQ(parse_listing_query("").sort, SortKey::kDefault);
}

std::vector<DirEntry> sample() {
    return {{"b.txt", false, 30, 300, "text/plain"},
            {"A", true, 0, 500, ""},
            {"a.bin", false, 10, 100, "application/octet-stream"},
            {"c", true, 0, 100, ""},
            {"d.css", false, 10, 200, "text/css"}};
}

std::string names(const std::vector<DirEntry>& v) {
    std::string s;
    for (const DirEntry& e : v) s += e.name + " ";
    return s;
}

TEST(SortEntries, NetiusOrder) {
    auto v = sample();
    sort_entries(v, SortKey::kDefault, false);
    EXPECT_EQ(names(v), "A c a.bin b.txt d.css ");
    sort_entries(v, SortKey::kDefault, true);
    EXPECT_EQ(names(v), "d.css b.txt a.bin c A ");
    sort_entries(v, SortKey::kName, false);
    EXPECT_EQ(names(v), "A a.bin b.txt c d.css ");  // byte order: upper case first
    sort_entries(v, SortKey::kSize, false);         // directories count as 0; ties: dirs, then name
    EXPECT_EQ(names(v), "A c a.bin d.css b.txt ");
    sort_entries(v, SortKey::kModified, true);
    EXPECT_EQ(names(v), "A b.txt d.css a.bin c ");
    sort_entries(v, SortKey::kType, false);
    EXPECT_EQ(names(v), "A c a.bin d.css b.txt ");
}

TEST(RenderListing, HtmlEscapesAndEncodesEveryName) {
    Listing l;
    l.path = "/a <b>/";
    l.entries = {{"<img src=x onerror=alert(1)>.txt", false, 5, 0, "text/plain"},
                 {"sub dir", true, 0, 0, ""},
                 {"q\"'&.css", false, 2500, 0, "text/css"}};
    const std::string page = render_listing_html(l, ListingQuery{});
    EXPECT_EQ(page.find("<img"), std::string::npos) << page;
    EXPECT_NE(page.find("&lt;img src=x onerror=alert(1)&gt;.txt</a>"), std::string::npos);
    EXPECT_NE(page.find("href=\"%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt\""),
              std::string::npos);
    EXPECT_NE(page.find("href=\"sub%20dir/\""), std::string::npos);
    EXPECT_NE(page.find("q&quot;&#39;&amp;.css"), std::string::npos);
    EXPECT_NE(page.find("2.44 KB"), std::string::npos);
    EXPECT_NE(page.find("<title>Index of /a &lt;b&gt;/</title>"), std::string::npos);
    EXPECT_NE(page.find("<a href=\"/\">/</a><span aria-current=\"page\">a &lt;b&gt;</span>"),
              std::string::npos)
        << page;
    EXPECT_NE(page.find("href=\"../\""), std::string::npos);  // not at the root
    EXPECT_EQ(page.find("http"), std::string::npos);          // no external resource
    EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(RenderListing, SortLinksFlipTheActiveColumn) {
    Listing l;
    l.path = "/";
    ListingQuery q;
    q.sort = SortKey::kSize;
    const std::string page = render_listing_html(l, q);
    EXPECT_NE(page.find("?sort=size&amp;direction=desc"), std::string::npos);
    EXPECT_NE(page.find("?sort=name&amp;direction=asc"), std::string::npos);
    EXPECT_NE(page.find("aria-sort=\"ascending\""), std::string::npos);
    EXPECT_EQ(page.find("href=\"../\""), std::string::npos);  // the root has no parent
}

TEST(RenderListing, Json) {
    Listing l;
    l.path = "/d/";
    l.entries = {{"x\"y.txt", false, 11, 1577934245, "text/plain"}, {"s", true, 0, 0, ""}};
    EXPECT_EQ(render_listing_json(l),
              "{\"path\":\"/d/\",\"truncated\":false,\"entries\":["
              "{\"name\":\"x\\\"y.txt\",\"href\":\"x%22y.txt\",\"kind\":\"file\",\"size\":11,"
              "\"modified\":\"2020-01-02T03:04:05Z\",\"type\":\"text/plain\"},"
              "{\"name\":\"s\",\"href\":\"s/\",\"kind\":\"directory\","
              "\"modified\":\"1970-01-01T00:00:00Z\"}]}\n");
}

class ReadListing : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/netius-listing-XXXXXX";
        root_ = ::mkdtemp(tmpl);
        fs::create_directories(root_ / "www/sub");
        fs::create_directories(root_ / "outside");
        std::ofstream(root_ / "www/a.txt") << "hello";
        std::ofstream(root_ / "www/.secret") << "x";
        std::ofstream(root_ / "outside/s.txt") << "secret";
        fs::create_symlink("a.txt", root_ / "www/inside-link");
        fs::create_symlink("../outside/s.txt", root_ / "www/outside-link");
        ::mkfifo((root_ / "www/fifo").c_str(), 0600);
        base_ = ::open((root_ / "www").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        dir_ = ::open((root_ / "www").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    void TearDown() override {
        ::close(base_);
        ::close(dir_);
        fs::remove_all(root_);
    }
    std::string list(ListingPolicy policy) {
        Listing l;
        EXPECT_EQ(read_listing(base_, "", dir_, policy, l), 0);
        sort_entries(l.entries, SortKey::kName, false);
        return names(l.entries);
    }
    fs::path root_;
    int base_ = -1, dir_ = -1;
};

TEST_F(ReadListing, OnlyWhatWouldBeServed) {
    EXPECT_EQ(list({}), "a.txt sub ");  // no dotfile, no link, no FIFO
    ListingPolicy hidden;
    hidden.hidden = true;
    EXPECT_EQ(list(hidden), ".secret a.txt sub ");
    ListingPolicy follow;
    follow.beneath.follow_symlinks = true;
    EXPECT_EQ(list(follow), "a.txt inside-link sub ");  // the link out is not listed
    follow.beneath.use_openat2 = false;
    EXPECT_EQ(list(follow), "a.txt inside-link sub ");
}

}  // namespace
}  // namespace netius::net::http
