#include "net/http/content_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/http/encoding.hpp"

namespace netius::net::http {
namespace {

const std::string kText = [] {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "netius streams line " + std::to_string(i) + "\n";
    return s;
}();

// Decodes `coded` (Content-Encoding `codings`) fed in pieces of `step` bytes (0: whole).
// Returns the output, or "error: ..." .
std::string decode(std::vector<std::string_view> codings, std::string_view coded,
                   std::size_t step = 0) {
    ContentDecoder d;
    if (!d.start(codings)) return "error: " + d.error();
    std::string out;
    auto sink = [&out](std::string_view piece) {
        EXPECT_LE(piece.size(), ContentDecoder::kChunk);
        out.append(piece);
    };
    if (step == 0) step = coded.size() + 1;
    for (std::size_t i = 0; i < coded.size(); i += step)
        if (!d.update(coded.substr(i, step), sink)) return "error: " + d.error();
    if (!d.finish()) return "error: " + d.error();
    return out;
}

// zlib's raw deflate (no RFC 1950 header), as some servers send for "deflate".
std::string raw_deflate(std::string_view data) {
    std::string zlib = compress(ContentCoding::kDeflate, data);
    return zlib.substr(2, zlib.size() - 6);  // minus the 2-byte header and Adler-32
}

TEST(ContentDecoder, IdentityPassesThrough) {
    EXPECT_EQ(decode({}, "abc"), "abc");
    EXPECT_EQ(decode({"identity"}, "abc"), "abc");
    ContentDecoder d;
    ASSERT_TRUE(d.start({}));
    EXPECT_TRUE(d.identity());
}

TEST(ContentDecoder, GzipDeflateAndRawDeflateWholeSplitAndByteByByte) {
    const std::string gzip = compress(ContentCoding::kGzip, kText);
    const std::string deflate = compress(ContentCoding::kDeflate, kText);
    const std::string raw = raw_deflate(kText);
    for (std::size_t step : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
        EXPECT_EQ(decode({"gzip"}, gzip, step), kText) << step;
        EXPECT_EQ(decode({"X-GZIP"}, gzip, step), kText) << step;
        EXPECT_EQ(decode({"deflate"}, deflate, step), kText) << step;
        EXPECT_EQ(decode({"deflate"}, raw, step), kText) << step;
    }
}

TEST(ContentDecoder, NetiusHelloGzipVector) {
    // netius-vectors §E: the chunks of `serve hello` with ENCODING=gzip, joined.
    const std::string body(
        "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
        "\xf3\xc8T(\xc9H-J\x05\x00\xba\x14\xd5\x1a\x08\x00\x00\x00",
        28);
    EXPECT_EQ(decode({"gzip"}, body), "Hi there");
}

TEST(ContentDecoder, ConcatenatedGzipMembers) {
    const std::string two =
        compress(ContentCoding::kGzip, "first ") + compress(ContentCoding::kGzip, "second");
    EXPECT_EQ(decode({"gzip"}, two, 3), "first second");
}

TEST(ContentDecoder, SeveralCodingsUndoneInReverseOrder) {
    const std::string twice =
        compress(ContentCoding::kGzip, compress(ContentCoding::kDeflate, kText));
    EXPECT_EQ(decode({"deflate, gzip"}, twice, 100), kText);
    EXPECT_EQ(decode({"deflate", "gzip"}, twice), kText);  // two field lines: one list
}

TEST(ContentDecoder, Brotli) {
    // RFC 7932 streams made with libbrotlienc (quality 11): "Hello World" and a repetition.
    const std::string hello("\x0b\x05\x80Hello World\x03", 15);
    const std::string repeated(
        "\x1b\x44\x00\xf8\x8d\x94\x6e\xde\xb4\x06\x29\x4b\x73\x93\x73\x74\x75\x71\x4f\x24\x10"
        "\xb7\x06",
        23);
    std::string want;
    for (int i = 0; i < 10; ++i) want += i ? " netius" : "netius";
    if (ContentDecoder::accept_encoding().find("br") == std::string_view::npos) {
        EXPECT_EQ(decode({"br"}, hello),
                  "error: br content is not supported by this build (no libbrotli)");
        return;
    }
    EXPECT_EQ(decode({"br"}, hello), "Hello World");
    EXPECT_EQ(decode({"br"}, repeated, 1), want);
    EXPECT_EQ(decode({"br"}, hello.substr(0, 8)), "error: truncated br content");
}

TEST(ContentDecoder, ClearErrors) {
    EXPECT_EQ(decode({"compress"}, "x"), "error: unsupported Content-Encoding 'compress'");
    EXPECT_EQ(decode({"gzip, zstd"}, "x"), "error: unsupported Content-Encoding 'zstd'");
    const std::string gzip = compress(ContentCoding::kGzip, kText);
    EXPECT_EQ(decode({"gzip"}, gzip.substr(0, gzip.size() / 2)), "error: truncated gzip content");
    EXPECT_EQ(decode({"deflate"}, "x"), "error: truncated deflate content");
    // A valid gzip header, then a deflate block of the reserved type 3 (RFC 1951 §3.2.3).
    const std::string bad =
        decode({"gzip"}, std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03\xff\xff", 12));
    EXPECT_EQ(bad.rfind("error: corrupt gzip content", 0), 0u) << bad;
    EXPECT_EQ(decode({"gzip"}, ""), "");  // empty content (HEAD, 204) is fine
}

}  // namespace
}  // namespace netius::net::http
