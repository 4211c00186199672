#include "commands/http_get_output.hpp"

#include <gtest/gtest.h>

#include "commands/http_get_progress.hpp"
#include "util/error.hpp"

namespace netius::cmd {
namespace {

using net::http::FetchResult;
using E = FetchResult::Error;

FetchResult result(E error, int code = 0) {
    FetchResult r;
    r.error = error;
    r.code = code;
    r.url = "http://h/x";
    return r;
}

TEST(HttpGetExitCode, CurlNumbers) {
    EXPECT_EQ(exit_code(result(E::kNone, 200), false), 0);
    EXPECT_EQ(exit_code(result(E::kNone, 404), false), 0);
    EXPECT_EQ(exit_code(result(E::kNone, 404), true), 22);
    EXPECT_EQ(exit_code(result(E::kNone, 399), true), 0);
    EXPECT_EQ(exit_code(result(E::kDns), false), 6);
    EXPECT_EQ(exit_code(result(E::kConnect), false), 7);
    EXPECT_EQ(exit_code(result(E::kProtocol), false), 8);
    EXPECT_EQ(exit_code(result(E::kTruncated, 200), false), 18);
    EXPECT_EQ(exit_code(result(E::kAborted), false), 23);
    EXPECT_EQ(exit_code(result(E::kTimeout), false), 28);
    EXPECT_EQ(exit_code(result(E::kTls), false), 35);
    EXPECT_EQ(exit_code(result(E::kRedirects, 302), false), 47);
    EXPECT_EQ(exit_code(result(E::kClosed), false), 52);
    EXPECT_EQ(exit_code(result(E::kClosed, 200), false), 56);
    EXPECT_EQ(exit_code(result(E::kTlsVerify), false), 60);
    EXPECT_EQ(exit_code(result(E::kDecode, 200), false), 61);
    EXPECT_EQ(exit_code(result(E::kUpload), false), 26);
    EXPECT_EQ(exit_code(result(E::kRewind, 307), false), 65);
}

TEST(HttpGetJson, NetiusResultShape) {
    FetchResult r = result(E::kNone, 200);
    r.status = "OK";
    r.headers = {{"content-type", "text/plain"}, {"Set-Cookie", "a=1"}, {"set-cookie", "b=2"}};
    r.received = 31;
    const std::string data = "Hello \"World\"";
    EXPECT_EQ(json_result(r, &data, ""),
              "{\"url\":\"http://h/x\",\"code\":200,\"status\":\"OK\",\"version\":\"HTTP/1.1\","
              "\"headers\":{\"Content-Type\":\"text/plain\",\"Set-Cookie\":[\"a=1\",\"b=2\"]},"
              "\"data\":\"Hello \\\"World\\\"\",\"received\":31}\n");
    r.version = net::http::Version::kHttp2;
    EXPECT_NE(json_result(r, &data, "").find(",\"version\":\"HTTP/2\","), std::string::npos);
    r.version = net::http::Version::kHttp11;
    const std::string binary("\x1f\x8b\xff", 3);
    EXPECT_NE(json_result(r, &binary, "").find(",\"data_base64\":\"H4v/\""), std::string::npos);
    EXPECT_NE(json_result(r, nullptr, "out.bin").find(",\"data\":null,\"file\":\"out.bin\""),
              std::string::npos);
    FetchResult e = result(E::kTimeout);
    e.message = "Timeout on receive";
    EXPECT_EQ(json_result(e, nullptr, ""),
              "{\"url\":\"http://h/x\",\"code\":null,\"data\":null,\"error\":\"timeout\","
              "\"message\":\"Timeout on receive\"}\n");
}

TEST(HttpGetRemoteName, LastPathSegment) {
    net::http::Url u;
    std::string error;
    ASSERT_TRUE(net::http::parse_url("http://h/a/b/file.tar.gz?x=1", u, error));
    EXPECT_EQ(remote_name(u), "file.tar.gz");
    ASSERT_TRUE(net::http::parse_url("http://h/dir/", u, error));
    EXPECT_THROW(remote_name(u), UsageError);
}

TEST(OrderedStdout, LaterTransfersWaitTheirTurnAndPauseWhenBuffered) {
    std::vector<std::pair<std::size_t, bool>> flow;
    OrderedStdout out(3, [&](std::size_t i, bool pause) { flow.emplace_back(i, pause); });
    std::string error;
    // Transfer 2 buffers past the limit: paused. Transfer 1 finishes first: still buffered.
    ASSERT_TRUE(out.write(2, std::string(OrderedStdout::kMaxBuffered + 1, 'x'), error));
    EXPECT_EQ(flow, (std::vector<std::pair<std::size_t, bool>>{{2, true}}));
    EXPECT_TRUE(out.restart(2));  // nothing of it reached stdout yet
    ASSERT_TRUE(out.finish(1, error));
    // Transfer 0 (writing through, here nothing) finishes: 1 is flushed, 2 resumes.
    ASSERT_TRUE(out.finish(0, error));
    EXPECT_EQ(flow, (std::vector<std::pair<std::size_t, bool>>{{2, true}, {2, false}}));
    EXPECT_TRUE(out.finish(2, error));
}

TEST(HttpGetProgress, Lines) {
    EXPECT_EQ(format_bytes(999), "999 B");
    EXPECT_EQ(format_bytes(1536), "1.50 KiB");
    EXPECT_EQ(format_bytes(123u << 20), "123 MiB");
    ProgressSnapshot s;
    s.bytes = 50u << 20;
    s.total = 100u << 20;
    s.seconds = 5;
    EXPECT_EQ(format_progress(s), " 50% 50.0 MiB / 100 MiB  10.0 MiB/s  ETA 0:05");
    s.total = 0;
    s.count = 3;
    s.finished = 1;
    EXPECT_EQ(format_progress(s), "[1/3] 50.0 MiB  10.0 MiB/s");
}

}  // namespace
}  // namespace netius::cmd
