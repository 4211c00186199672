// Http2Stream: a stream's header fields mapped onto the one request model (RequestHead), the
// limits on them (431, 414), and the response content handed to nghttp2 piece by piece from
// bytes, file ranges and BodySources (compressed, waiting, failing, breaking their size).
#include "net/http/h2/http2_stream.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "net/http/encoding.hpp"

namespace netius::net::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields get(std::string path) {
    return {{":method", "GET"},
            {":scheme", "http"},
            {":authority", "example.com:8080"},
            {":path", std::move(path)}};
}

void add(Http2Stream& s, const Fields& fields, const Limits& limits = {},
         std::size_t max_list = 16 * 1024) {
    for (const auto& [n, v] : fields) s.add_field(n, v, max_list, limits);
}

// Everything read() gives, with `max` bytes at most per call.
std::string drain(Http2Stream& s, std::size_t max, Http2Stream::Read* last = nullptr) {
    std::string out;
    std::vector<std::uint8_t> buf(max);
    for (int calls = 0; calls < 100000; ++calls) {
        std::size_t n = 0;
        bool end = false;
        const Http2Stream::Read r = s.read(buf.data(), max, n, end);
        if (last) *last = r;
        if (r != Http2Stream::Read::kData) return out;
        EXPECT_LE(n, max);
        out.append(reinterpret_cast<const char*>(buf.data()), n);
        if (end) return out;
    }
    ADD_FAILURE() << "read() never ended";
    return out;
}

TEST(Http2StreamRequest, MapsPseudoFieldsOntoTheHead) {
    Http2Stream s(1);
    Fields f = get("/a%20b/c?x=1&y");
    f.emplace_back("user-agent", "t");
    f.emplace_back("cookie", "a=1");
    f.emplace_back("cookie", "b=2");
    f.emplace_back("host", "ignored.example");  // :authority wins (RFC 9113 §8.3.1)
    add(s, f);
    ASSERT_TRUE(s.finish_head(true));
    const RequestHead& h = s.head();
    EXPECT_EQ(h.method, "GET");
    EXPECT_EQ(h.target, "/a%20b/c?x=1&y");
    EXPECT_EQ(h.path, "/a%20b/c");
    EXPECT_EQ(h.query, "x=1&y");
    EXPECT_EQ(h.version, Version::kHttp2);
    EXPECT_EQ(h.host, "example.com:8080");
    EXPECT_EQ(h.get("Host"), "example.com:8080");
    EXPECT_EQ(h.get("cookie"), "a=1; b=2");  // RFC 9113 §8.2.3
    EXPECT_EQ(h.get("user-agent"), "t");
    EXPECT_FALSE(h.chunked);
    EXPECT_FALSE(h.expect_continue);
    EXPECT_TRUE(h.keep_alive);
    EXPECT_FALSE(s.rejection());
}

TEST(Http2StreamRequest, ContentLengthAndUnknownLength) {
    Http2Stream a(1);
    Fields f = get("/");
    f[0].second = "POST";
    f.emplace_back("content-length", "42");
    add(a, f);
    ASSERT_TRUE(a.finish_head(false));
    EXPECT_EQ(a.head().content_length, 42u);
    EXPECT_FALSE(a.head().chunked);
    Http2Stream b(3);
    add(b, get("/"));
    ASSERT_TRUE(b.finish_head(false));  // content follows, length unknown
    EXPECT_TRUE(b.head().chunked);
    EXPECT_TRUE(b.head().has_body());
}

TEST(Http2StreamRequest, MalformedForTheModel) {
    for (const Fields& f : std::vector<Fields>{
             get("no-slash"),
             get("/%zz"),
             get("*"),
             {{":method", "GET"}, {":scheme", "http"}, {":authority", "bad host"}, {":path", "/"}},
             [] {
                 Fields f = get("/");
                 f.emplace_back("content-length", "12a");
                 return f;
             }(),
             [] {  // RFC 9113 §8.2.1: uppercase names are malformed (fuzz-found, CI)
                 Fields f = get("/");
                 f.emplace_back("hOSt", "other.example");
                 return f;
             }()}) {
        Http2Stream s(1);
        add(s, f);
        EXPECT_FALSE(s.finish_head(true)) << f[3].second << " " << f[2].second;
    }
}

TEST(Http2StreamRequest, LimitsAnswer431And414) {
    Limits limits;
    limits.max_target_bytes = 10;
    Http2Stream long_target(1);
    add(long_target, get("/" + std::string(20, 'a')), limits);
    EXPECT_EQ(long_target.rejection(), Status::kUriTooLong);
    Http2Stream big(3);
    Fields f = get("/");
    f.emplace_back("x", std::string(900, 'v'));  // over 1000 with the pseudo-fields: 431
    add(big, f, limits, 1000);
    EXPECT_EQ(big.rejection(), Status::kRequestHeaderFieldsTooLarge);
    // Past twice the bound the block is an attack: add_field says to end the connection.
    Http2Stream bomb(7);
    add(bomb, get("/"), limits, 1000);
    EXPECT_TRUE(bomb.add_field("x", std::string(900, 'v'), 1000, limits));
    EXPECT_FALSE(bomb.add_field("y", std::string(900, 'v'), 1000, limits));
    limits.max_header_count = 3;
    Http2Stream many(5);
    f = get("/");
    for (const char* name : {"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"})
        f.emplace_back(name, "v");
    add(many, f, limits);
    EXPECT_EQ(many.rejection(), Status::kRequestHeaderFieldsTooLarge);
}

// A source of `pieces` strings, then kDone; kWait first when `wait_first`.
class Script final : public BodySource {
  public:
    Script(std::vector<std::string> pieces, std::optional<std::uint64_t> size, bool wait_first)
        : pieces_(std::move(pieces)), size_(size), wait_(wait_first) {}
    std::optional<std::uint64_t> size() const override { return size_; }
    BodyStatus pull(BodySink& out) override {
        if (wait_) {
            wait_ = false;
            return BodyStatus::kWait;
        }
        if (next_ == pieces_.size()) return BodyStatus::kDone;
        out.write(pieces_[next_++]);
        return next_ == pieces_.size() ? BodyStatus::kDone : BodyStatus::kMore;
    }

  private:
    std::vector<std::string> pieces_;
    std::optional<std::uint64_t> size_;
    bool wait_;
    std::size_t next_ = 0;
};

TEST(Http2StreamResponse, BytesInFramesOfAnySize) {
    const std::string content(100000, 'q');
    for (std::size_t max : {1u, 7u, 16384u, 200000u}) {
        Http2Stream s(1);
        s.set_content(content);
        EXPECT_EQ(drain(s, max), content) << max;
    }
    Http2Stream empty(1);
    empty.set_content("");
    EXPECT_EQ(drain(empty, 10), "");
}

TEST(Http2StreamResponse, SourcesWaitAndKeepTheirPromise) {
    Http2Stream s(1);
    s.set_source(std::make_unique<Script>(std::vector<std::string>{"ab", "", "cde"}, 5, true),
                 std::nullopt);
    Http2Stream::Read last;
    EXPECT_EQ(drain(s, 2, &last), "");
    EXPECT_EQ(last, Http2Stream::Read::kWait);
    EXPECT_TRUE(s.waiting);
    EXPECT_EQ(drain(s, 2, &last), "abcde");
    EXPECT_EQ(last, Http2Stream::Read::kData);

    Http2Stream shorter(3);  // announced 10, wrote 5: the stream is reset
    shorter.set_source(std::make_unique<Script>(std::vector<std::string>{"ab", "cde"}, 10, false),
                       std::nullopt);
    drain(shorter, 100, &last);
    EXPECT_EQ(last, Http2Stream::Read::kFailed);
    Http2Stream longer(5);  // announced 3, wrote 5
    longer.set_source(std::make_unique<Script>(std::vector<std::string>{"ab", "cde"}, 3, false),
                      std::nullopt);
    drain(longer, 100, &last);
    EXPECT_EQ(last, Http2Stream::Read::kFailed);
}

TEST(Http2StreamResponse, CompressedOnTheFly) {
    std::vector<std::string> pieces(50, std::string(1000, 'z'));
    Http2Stream s(1);
    s.set_source(std::make_unique<Script>(pieces, 50000, false), ContentCoding::kGzip);
    const std::string gz = drain(s, 999);
    ASSERT_FALSE(gz.empty());
    EXPECT_LT(gz.size(), 50000u);
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
}

// A source handing over ranges of a file, with text between them (multipart/byteranges).
class Ranges final : public BodySource {
  public:
    explicit Ranges(const char* path) : path_(path) {}
    BodyStatus pull(BodySink& out) override {
        switch (step_++) {
            case 0:
                out.write("<");
                out.write_file(UniqueFd(::open(path_, O_RDONLY | O_CLOEXEC)), 2, 5);
                return BodyStatus::kMore;
            case 1:
                out.write_file(UniqueFd(::open(path_, O_RDONLY | O_CLOEXEC)), 0, 3);
                out.write(">");  // after a range in the same pull: the range goes first
                return BodyStatus::kDone;
        }
        return BodyStatus::kFailed;
    }

  private:
    const char* path_;
    int step_ = 0;
};

TEST(Http2StreamResponse, FileRangesInOrder) {
    char path[] = "/tmp/netius-h2-stream-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, "0123456789", 10), 10);
    ::close(fd);
    for (std::size_t max : {1u, 2u, 4096u}) {
        Http2Stream s(1);
        s.set_source(std::make_unique<Ranges>(path), std::nullopt);
        EXPECT_EQ(drain(s, max), "<23456012>") << max;
    }
    ::unlink(path);
}

}  // namespace
}  // namespace netius::net::http
