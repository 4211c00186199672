#include "net/http/encoding.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "net/http/h1/request_parser.hpp"

namespace netius::net::http {
namespace {

using CC = ContentCoding;

struct NegotiationCase {
    const char* name;
    std::vector<std::string_view> accept;  // Accept-Encoding lines; none = field absent
    std::vector<CC> offered;
    std::optional<CC> want;
};

void PrintTo(const NegotiationCase& c, std::ostream* os) {
    *os << c.name;
}

class Negotiation : public ::testing::TestWithParam<NegotiationCase> {};

TEST_P(Negotiation, PicksTheBestAcceptable) {
    const auto& c = GetParam();
    EXPECT_EQ(negotiate_encoding(c.accept, c.offered), c.want);
}

const std::vector<CC> kGzipFirst = {CC::kGzip, CC::kDeflate, CC::kIdentity};
const std::vector<CC> kDeflateFirst = {CC::kDeflate, CC::kGzip, CC::kIdentity};
const std::vector<CC> kGzipOnly = {CC::kGzip};

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rfc9110, Negotiation, ::testing::Values(
    NegotiationCase{"absent_gets_identity", {}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"absent_without_identity_offered", {}, kGzipOnly, CC::kGzip},
    NegotiationCase{"empty_value_means_identity_only", {""}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"empty_value_gzip_only", {""}, kGzipOnly, std::nullopt},
    NegotiationCase{"gzip", {"gzip"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"both_server_order_breaks_tie", {"gzip, deflate"}, kDeflateFirst, CC::kDeflate},
    NegotiationCase{"both_gzip_first", {"deflate, gzip"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"higher_q_wins", {"gzip;q=0.5, deflate;q=0.8"}, kGzipFirst, CC::kDeflate},
    NegotiationCase{"q_case_and_spaces", {"gzip ; Q=0.2 , deflate ; q=0.1"}, kDeflateFirst, CC::kGzip},
    NegotiationCase{"gzip_excluded", {"gzip;q=0, deflate"}, kGzipFirst, CC::kDeflate},
    NegotiationCase{"q_zero_point_zero", {"gzip;q=0.000"}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"low_q_still_beats_unlisted_identity", {"gzip;q=0.001"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"listed_identity_can_win", {"gzip;q=0.5, identity"}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"star", {"*"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"star_with_q", {"*;q=0.5, deflate"}, kGzipFirst, CC::kDeflate},
    NegotiationCase{"explicit_beats_star", {"*, gzip;q=0"}, kGzipFirst, CC::kDeflate},
    NegotiationCase{"star_zero_excludes_identity", {"*;q=0"}, kGzipFirst, std::nullopt},
    NegotiationCase{"star_zero_but_identity_listed", {"*;q=0, identity;q=0.1"}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"identity_excluded", {"identity;q=0"}, kGzipFirst, std::nullopt},
    NegotiationCase{"identity_excluded_gzip_ok", {"gzip, identity;q=0"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"unknown_codings_only", {"br, zstd"}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"x_gzip_alias", {"x-gzip"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"names_case_insensitive", {"GZIP"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"malformed_q_ignored", {"gzip;q=2, deflate;q=0.5"}, kGzipFirst, CC::kDeflate},
    NegotiationCase{"malformed_q_too_precise", {"gzip;q=0.5555"}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"first_mention_counts", {"gzip;q=0, gzip"}, kGzipFirst, CC::kIdentity},
    NegotiationCase{"several_lines", {"br", "deflate;q=0.4", "gzip;q=0.3"}, kGzipFirst, CC::kDeflate},
    NegotiationCase{"empty_elements", {" , ,gzip,"}, kGzipFirst, CC::kGzip},
    NegotiationCase{"nothing_offered", {"gzip"}, {}, std::nullopt}),
    [](const auto& i) { return std::string(i.param.name); });
// clang-format on

TEST(Negotiation, FromRequestHead) {
    Limits limits;
    RequestHead head;
    std::string req =
        "GET / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: br\r\naccept-encoding: deflate\r\n\r\n";
    ASSERT_TRUE(std::holds_alternative<Complete>(parse_request_head(req, limits, head)));
    EXPECT_EQ(negotiate_encoding(head, kGzipFirst), CC::kDeflate);
    req = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    ASSERT_TRUE(std::holds_alternative<Complete>(parse_request_head(req, limits, head)));
    EXPECT_EQ(negotiate_encoding(head, kGzipFirst), CC::kIdentity);
}

TEST(Negotiation, CodingNames) {
    EXPECT_EQ(coding_name(CC::kGzip), "gzip");
    EXPECT_EQ(coding_name(CC::kDeflate), "deflate");
    EXPECT_EQ(coding_name(CC::kIdentity), "identity");
    EXPECT_EQ(parse_coding("X-GZIP"), CC::kGzip);
    EXPECT_EQ(parse_coding("br"), CC::kBrotli);  // named and negotiated, never compressed
    EXPECT_EQ(coding_name(CC::kBrotli), "br");
    EXPECT_EQ(parse_coding("compress"), std::nullopt);
    EXPECT_THROW(Compressor(CC::kBrotli), std::invalid_argument);
}

TEST(Negotiation, BrotliForPrecompressedFiles) {
    const std::vector<CC> br_first = {CC::kBrotli, CC::kGzip, CC::kIdentity};
    const std::vector<std::string_view> both = {"gzip, deflate, br"};
    const std::vector<std::string_view> gzip = {"gzip"};
    const std::vector<std::string_view> br_low = {"br;q=0.1, gzip"};
    EXPECT_EQ(negotiate_encoding(both, br_first), CC::kBrotli);
    EXPECT_EQ(negotiate_encoding(gzip, br_first), CC::kGzip);
    EXPECT_EQ(negotiate_encoding(br_low, br_first), CC::kGzip);
    EXPECT_EQ(negotiate_encoding(both, kGzipFirst), CC::kGzip);  // br not offered
}

// Inflates with zlib, expecting exactly the `coding` wrapper: windowBits 15+16 accepts only
// gzip, 15 only the zlib format.
std::string inflate_all(CC coding, std::string_view in) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, coding == CC::kGzip ? 15 + 16 : 15), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::string out;
    int r = Z_OK;
    while (r == Z_OK) {
        char buf[4096];
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        r = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
        if (r == Z_BUF_ERROR && z.avail_in == 0) break;  // input ended before the stream did
    }
    EXPECT_EQ(r, Z_STREAM_END) << "stream not terminated";
    EXPECT_EQ(z.avail_in, 0u) << "bytes after the end of the stream";
    inflateEnd(&z);
    return out;
}

std::string sample(std::size_t n) {
    std::string s;
    s.reserve(n);
    std::uint32_t x = 12345;
    while (s.size() < n) {
        x = x * 1103515245 + 12345;
        s += (x >> 16) % 3 == 0 ? "Hello World "
                                : std::string(1, static_cast<char>('a' + (x >> 20) % 26));
    }
    s.resize(n);
    return s;
}

TEST(Compressor, OneShotRoundTrips) {
    for (CC c : {CC::kGzip, CC::kDeflate}) {
        for (std::size_t n : {0, 1, 11, 70000, 1 << 20}) {
            const std::string data = sample(n);
            const std::string z = compress(c, data);
            EXPECT_EQ(inflate_all(c, z), data) << coding_name(c) << " " << n;
            if (n >= 70000) {
                EXPECT_LT(z.size(), data.size() / 2) << "compresses";
            }
        }
    }
    EXPECT_EQ(compress(CC::kIdentity, "as is"), "as is");
}

TEST(Compressor, Wrappers) {
    const std::string gz = compress(CC::kGzip, "Hi there");
    ASSERT_GE(gz.size(), 18u);
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // RFC 1952 magic
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    EXPECT_EQ(gz[2], 8);  // CM = deflate
    const std::string zl = compress(CC::kDeflate, "Hi there");
    ASSERT_GE(zl.size(), 6u);
    const auto cmf = static_cast<unsigned char>(zl[0]), flg = static_cast<unsigned char>(zl[1]);
    EXPECT_EQ(cmf & 0x0f, 8);  // RFC 1950: CM = 8 (deflate), header check multiple of 31
    EXPECT_EQ((cmf * 256 + flg) % 31, 0);
}

TEST(Compressor, StreamingWithFlushesIsDecodableAsItGoes) {
    for (CC c : {CC::kGzip, CC::kDeflate}) {
        Compressor comp(c, 1);
        std::string wire;
        std::string sent;
        for (int i = 0; i < 50; ++i) {
            const std::string part = sample(1000 + i * 37);
            comp.update(part, wire, true);
            sent += part;
            // After a sync flush everything sent so far must inflate (stream not ended yet).
            z_stream z{};
            ASSERT_EQ(inflateInit2(&z, c == CC::kGzip ? 15 + 16 : 15), Z_OK);
            std::string out(sent.size() + 16, '\0');
            z.next_in = reinterpret_cast<Bytef*>(wire.data());
            z.avail_in = static_cast<uInt>(wire.size());
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            int r = inflate(&z, Z_SYNC_FLUSH);
            EXPECT_EQ(r, Z_OK);
            out.resize(out.size() - z.avail_out);
            inflateEnd(&z);
            ASSERT_EQ(out, sent) << coding_name(c) << " after part " << i;
        }
        comp.finish(wire);
        EXPECT_EQ(inflate_all(c, wire), sent);

        comp.reset();  // a second stream from the same compressor
        std::string again;
        comp.update("second", again);
        comp.finish(again);
        EXPECT_EQ(inflate_all(c, again), "second");
    }
}

TEST(Compressor, RejectsIdentityAndBadLevels) {
    EXPECT_THROW(Compressor(CC::kIdentity), std::invalid_argument);
    EXPECT_THROW(Compressor(CC::kGzip, 10), std::invalid_argument);
    EXPECT_THROW(Compressor(CC::kGzip, -2), std::invalid_argument);
    EXPECT_NO_THROW(Compressor(CC::kDeflate, 0));
}

}  // namespace
}  // namespace netius::net::http
